"""A public programme as schema.org JSON-LD: a ``Course`` (what is taught, and by whom) with one
``hasCourseInstance`` (this run of it: when, where, how, and its seats).

Course with a CourseInstance rather than an EducationEvent: course listings (search engines'
course results, aggregators) read ``Course``, and a ``CourseInstance`` is an ``Event`` as well,
so it carries the dates, place, organizers, status and offer an event would. Properties appear
only when the programme has data for them::

    {"@context": "https://schema.org", "@type": "Course", "@id": "<page>#course",
     "name", "description" (plain text), "url": "<page>", "inLanguage": ["en", "es"],
     "provider": Organization {name, url: the Data Space's page},
     "hasCourseInstance": {
       "@type": "CourseInstance", "name", "url": "<page>", "inLanguage": [...],
       "courseMode": "onsite" | "online" | "blended",
       "eventAttendanceMode": schema.org Offline… | Online… | MixedEventAttendanceMode,
       "eventStatus": schema.org EventScheduled | EventCancelled,
       "startDate", "endDate": the first scheduled session's start and the last one's end,
           ISO 8601 with the offset of the programme's time zone; before any session is
           scheduled, the programme's dates alone (YYYY-MM-DD: a day has no offset, and
           midnight would misstate the hours),
       "location": Place {name: venue or city, address: PostalAddress {addressLocality,
           addressCountry}} in person; VirtualLocation {url: the programme page} online;
           both when hybrid (the meeting link is for confirmed participants only, never here),
       "organizer": [the Data Space, the Data Spaces co-organising, the host institution],
       "funder": [Organization], "instructor": [Person {name}],
       "offers": Offer {price: 0, category: "Free", availability: InStock | SoldOut (no seat
           left), url: "<page>", validFrom, validThrough: the registration window}
           — while people may still come to register (published, registration open); the
           model has no fee, so no currency either}}
"""

from __future__ import annotations

from app.structured_data import (
    CONTEXT,
    compact,
    dataspace_organisation,
    instant,
    institution_organisation,
    person,
    plain_markdown,
    text,
)
from app.urls import external_url
from app.workshops.models import DeliveryMode, Programme, ProgrammeState

COURSE_MODE = {DeliveryMode.IN_PERSON: "onsite", DeliveryMode.ONLINE: "online",
               DeliveryMode.HYBRID: "blended"}
ATTENDANCE_MODE = {DeliveryMode.IN_PERSON: f"{CONTEXT}/OfflineEventAttendanceMode",
                   DeliveryMode.ONLINE: f"{CONTEXT}/OnlineEventAttendanceMode",
                   DeliveryMode.HYBRID: f"{CONTEXT}/MixedEventAttendanceMode"}
#: States in which registration is still to come or open: the only ones with an offer.
OFFERED_STATES = frozenset({ProgrammeState.PUBLISHED, ProgrammeState.REGISTRATION_OPEN})


def course(programme: Programme) -> dict | None:
    """The programme's JSON-LD; ``None`` for a draft (only its staff see the page, and what is
    not public is not described)."""
    if not programme.is_public:
        return None
    page = external_url("workshops.programme", slug=programme.slug)
    return compact({
        "@context": CONTEXT,
        "@type": "Course",
        "@id": f"{page}#course",
        "name": text(programme.title),
        "description": plain_markdown(programme.summary),
        "url": page,
        "inLanguage": programme.languages,
        "provider": dataspace_organisation(programme.dataspace),
        "hasCourseInstance": _instance(programme, page),
    })


def _instance(programme: Programme, page: str) -> dict:
    start, end = _dates(programme)
    return compact({
        "@type": "CourseInstance",
        "name": text(programme.title),
        "url": page,
        "inLanguage": programme.languages,
        "courseMode": COURSE_MODE[programme.delivery_mode],
        "eventAttendanceMode": ATTENDANCE_MODE[programme.delivery_mode],
        "eventStatus": f"{CONTEXT}/EventCancelled"
        if programme.state == ProgrammeState.CANCELLED else f"{CONTEXT}/EventScheduled",
        "startDate": start,
        "endDate": end,
        "location": _location(programme, page),
        "organizer": _organizers(programme),
        "funder": [institution_organisation(funder.institution) for funder in programme.funders],
        "instructor": [person(user.display_name) for user in programme.instructors],
        "offers": _offer(programme, page),
    })


def _dates(programme: Programme) -> tuple[str, str]:
    """From the sessions when there are any (exact times, with the city's offset), else the
    programme's days."""
    held = [session for session in programme.sessions if not session.is_cancelled]
    if not held:
        return programme.start_date.isoformat(), programme.end_date.isoformat()
    return (instant(min(s.starts_at for s in held), programme.time_zone),
            instant(max(s.ends_at for s in held), programme.time_zone))


def _location(programme: Programme, page: str) -> list[dict]:
    places = []
    if programme.delivery_mode != DeliveryMode.ONLINE:
        city = text(programme.node.city)
        places.append(compact({
            "@type": "Place",
            "name": programme.venue or city,
            "address": compact({"@type": "PostalAddress", "addressLocality": city,
                                "addressCountry": programme.node.country_code}),
        }))
    if programme.delivery_mode != DeliveryMode.IN_PERSON:
        places.append({"@type": "VirtualLocation", "url": page})
    return places


def _organizers(programme: Programme) -> list[dict]:
    organizers = [dataspace_organisation(programme.dataspace)]
    organizers += [dataspace_organisation(space) for space in programme.co_organisers]
    if programme.host is not None:
        organizers.append(institution_organisation(programme.host))
    return organizers


def _offer(programme: Programme, page: str) -> dict | None:
    """Taking part is free; the seats say whether any is left. Registration windows are
    instants, written in the city's time zone."""
    if programme.state not in OFFERED_STATES:
        return None
    full = programme.seats_taken >= programme.capacity
    return compact({
        "@type": "Offer",
        "price": 0,
        "category": "Free",
        "availability": f"{CONTEXT}/SoldOut" if full else f"{CONTEXT}/InStock",
        "url": page,
        "validFrom": instant(programme.registration_opens_at, programme.time_zone),
        "validThrough": instant(programme.registration_closes_at, programme.time_zone),
    })
