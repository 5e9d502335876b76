"""iCalendar (RFC 5545) feeds of sessions, written with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Calendar, Event

from app.multilingual import MultilingualText
from app.timeutil import utcnow
from app.workshops.models import Session

PRODUCT_ID = "-//Data Space Training//Programme calendar//EN"


def calendar_for(
    sessions: Iterable[Session], name: str, language: str, meeting_links: bool = False
) -> bytes:
    """A calendar of ``sessions``; cancelled ones stay in it as STATUS:CANCELLED so calendar
    programs remove them, and each change raises SEQUENCE so they replace their copy."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = utcnow()
    for session in sessions:
        calendar.add_component(_event(session, language, stamp, meeting_links))
    return calendar.to_ical()


def _event(session: Session, language: str, stamp, meeting_links: bool) -> Event:
    programme = session.programme
    event = Event()
    event.add("uid", f"session-{session.uid}@dataspace-training")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("sequence", session.sequence)
    event.add(
        "summary",
        f"{session.title.get_text(language)} — "
        f"{MultilingualText(programme.title).get_text(language)}",
    )
    location = ", ".join(
        part
        for part in (session.room, programme.venue, programme.node.city.get_text(language))
        if part
    )
    event.add("location", location)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    description = session.materials or ""
    if meeting_links and programme.meeting_url:
        description = f"{programme.meeting_url}\n\n{description}".strip()
        event.add("url", programme.meeting_url)
    if description:
        event.add("description", description)
    return event
