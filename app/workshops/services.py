"""Rules for programmes and sessions. Functions take plain values and flush; callers commit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import and_, delete, func, literal, select, update
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.curriculum import services as curriculum
from app.curriculum.models import Curriculum
from app.database import free_slug
from app.dataspaces.models import DataSpace, Institution, Node
from app.errors import DomainError
from app.extensions import db
from app.multilingual import CONTENT_LANGUAGES, MultilingualText
from app.pagination import Pagination, page_of
from app.timeutil import utcnow
from app.workshops import signals
from app.workshops.models import (
    PUBLIC_STATES,
    TRANSITIONS,
    CalendarFeed,
    DeliveryMode,
    EnrollmentMode,
    Programme,
    ProgrammeFunder,
    ProgrammeKind,
    ProgrammeState,
    Session,
    SessionStatus,
    StateTransition,
)
from app.workshops.timezones import day_bounds, local_to_utc, zone

PAGE_SIZE = 20
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
#: States in which the programme itself can no longer be edited.
FROZEN_STATES = frozenset({ProgrammeState.COMPLETED, ProgrammeState.CANCELLED})


# --- programmes --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeDetails:
    """What a coordinator sets on a programme."""

    kind: ProgrammeKind
    dataspace_id: int
    node_id: int
    host_id: int | None
    title: dict
    summary: dict
    languages: Sequence[str]
    delivery_mode: DeliveryMode
    meeting_url: str | None
    venue: str | None
    start_date: date
    end_date: date
    time_zone: str | None  # None: the node's
    capacity: int
    registration_opens_local: datetime | None  # naive, the programme's local time
    registration_closes_local: datetime | None
    enrollment_mode: EnrollmentMode
    min_attendance_percent: int
    curriculum_id: int | None  # a template: the programme gets its own copy
    instructor_ids: Sequence[int] = ()
    funders: Sequence[tuple[int, str | None]] = ()  # (institution id, grant)
    co_organiser_ids: Sequence[int] = ()  # other Data Spaces organising it too


def get_programme(slug: str) -> Programme | None:
    return db.session.scalars(
        select(Programme)
        .where(Programme.slug == slug)
        .options(
            selectinload(Programme.node),
            selectinload(Programme.dataspace),
            selectinload(Programme.host),
            selectinload(Programme.instructors),
            selectinload(Programme.funders).selectinload(ProgrammeFunder.institution),
            selectinload(Programme.sessions).selectinload(Session.instructors),
            selectinload(Programme.sessions).selectinload(Session.module),
            selectinload(Programme.transitions).selectinload(StateTransition.actor),
            selectinload(Programme.curriculum).selectinload(Curriculum.items),
        )
    ).first()


def programme_row(slug: str) -> Programme | None:
    """The programme alone, nothing loaded with it: for pages that need only its own columns
    (enrolling), where :func:`get_programme`'s ten eager loads would be wasted."""
    return db.session.scalar(select(Programme).where(Programme.slug == slug))


def seats_held(programme: Programme) -> int:
    """Seats held by confirmed participants and by open seat offers (counted on the programme
    row by enrollment's conditional UPDATEs, so read from the database, not the session)."""
    if programme.id is None:
        return 0
    return db.session.scalar(select(Programme.seats_taken).where(Programme.id == programme.id))


def save_programme(programme: Programme | None, details: ProgrammeDetails, *,
                   slug: str | None = None) -> Programme:
    """Create (``programme=None``, as a draft; its address from ``slug`` or else its title) or
    update a programme, within its state's rules."""
    node = db.session.get(Node, details.node_id)
    if node is None or node.dataspace_id != details.dataspace_id:
        raise DomainError(_l("Choose a city of this Data Space."), field="node_id")
    time_zone = details.time_zone or node.time_zone
    zone(time_zone)
    _check_dates_and_capacity(programme, details)
    languages = [code for code in details.languages if code in CONTENT_LANGUAGES]
    if not languages or len(languages) != len(details.languages):
        raise DomainError(_l("Choose one or more languages of instruction."), field="languages")
    if details.host_id is not None and db.session.get(Institution, details.host_id) is None:
        raise DomainError(_l("Choose a host institution from the list."), field="host_id")
    if details.delivery_mode != DeliveryMode.IN_PERSON and not details.meeting_url:
        raise DomainError(
            _l("An online or hybrid programme needs a meeting link."), field="meeting_url"
        )
    opens, closes = _registration_window(details, time_zone)

    if programme is None:
        programme = Programme(slug=_free_slug({"en": slug} if slug else details.title),
                              state=ProgrammeState.DRAFT)
        db.session.add(programme)
    else:
        _check_edit_allowed(programme, details, time_zone)
    programme.kind = details.kind
    programme.dataspace_id = details.dataspace_id
    programme.node_id = node.id
    programme.host_id = details.host_id
    programme.title = MultilingualText(details.title)
    programme.summary = MultilingualText(details.summary)
    programme.languages_csv = ",".join(languages)
    programme.delivery_mode = details.delivery_mode
    programme.meeting_url = details.meeting_url or None
    programme.venue = details.venue or None
    programme.start_date, programme.end_date = details.start_date, details.end_date
    programme.time_zone = time_zone
    seats_added = programme.capacity is not None and details.capacity > programme.capacity
    programme.capacity = details.capacity
    programme.registration_opens_at, programme.registration_closes_at = opens, closes
    programme.enrollment_mode = details.enrollment_mode
    programme.min_attendance_percent = details.min_attendance_percent
    programme.instructors = _instructors(details.instructor_ids)
    _set_funders(programme, details.funders)
    _set_co_organisers(programme, details.co_organiser_ids)
    _set_curriculum(programme, details.curriculum_id)
    db.session.flush()
    if seats_added:
        signals.seats_added.send(programme)
    return programme


def _check_dates_and_capacity(programme: Programme | None, details: ProgrammeDetails) -> None:
    if not (details.start_date >= EARLIEST and details.end_date <= LATEST):
        raise DomainError(_l("Choose dates between 2000 and 2100."), field="start_date")
    if details.end_date < details.start_date:
        raise DomainError(_l("The programme cannot end before it starts."), field="end_date")
    if details.capacity <= 0:
        raise DomainError(_l("The capacity must be at least one seat."), field="capacity")
    if not 0 <= details.min_attendance_percent <= 100:
        raise DomainError(
            _l("The minimum attendance is a percentage, from 0 to 100."),
            field="min_attendance_percent",
        )
    held = seats_held(programme) if programme is not None else 0
    if details.capacity < held:
        raise DomainError(
            lazy_ngettext(
                "%(num)d seat is held (by a confirmed participant or an open seat offer): the "
                "capacity cannot be lower.",
                "%(num)d seats are held (by confirmed participants and open seat offers): the "
                "capacity cannot be lower.",
                held,
            ),
            field="capacity",
        )


def _registration_window(details: ProgrammeDetails, time_zone: str):
    opens = closes = None
    if details.registration_opens_local:
        opens = local_to_utc(
            details.registration_opens_local, time_zone, field="registration_opens_local"
        )
    if details.registration_closes_local:
        closes = local_to_utc(
            details.registration_closes_local, time_zone, field="registration_closes_local"
        )
    if opens and closes and closes <= opens:
        raise DomainError(
            _l("Registration must close after it opens."), field="registration_closes_local"
        )
    _, programme_end = day_bounds(details.start_date, details.end_date, time_zone)
    if closes and closes > programme_end:
        raise DomainError(
            _l("Registration must close before the programme ends."),
            field="registration_closes_local",
        )
    return opens, closes


def _check_edit_allowed(programme: Programme, details: ProgrammeDetails, time_zone: str) -> None:
    """Editing rules that follow the state."""
    state = programme.state
    if state in FROZEN_STATES:
        raise DomainError(_l("A completed or cancelled programme can no longer be changed."))
    registration_started = state not in (ProgrammeState.DRAFT, ProgrammeState.PUBLISHED)
    if registration_started and details.enrollment_mode != programme.enrollment_mode:
        raise DomainError(
            _l("Registration has started: the enrollment mode can no longer change."),
            field="enrollment_mode",
        )
    if state == ProgrammeState.IN_PROGRESS and (
        details.start_date != programme.start_date or time_zone != programme.time_zone
    ):
        raise DomainError(
            _l("The programme has started: its start date and time zone can no longer change."),
            field="start_date",
        )
    if programme.sessions:
        start, end = day_bounds(details.start_date, details.end_date, time_zone)
        if any(
            s.starts_at < start or s.ends_at > end for s in programme.sessions if not s.is_cancelled
        ):
            raise DomainError(
                _l("Some sessions would fall outside the new dates; move them first."),
                field="start_date",
            )


def _instructors(user_ids: Sequence[int]) -> list[User]:
    users = (
        list(db.session.scalars(select(User).where(User.id.in_(set(user_ids))))) if user_ids else []
    )
    if len(users) != len(set(user_ids)):
        raise DomainError(_l("Choose instructors from the list."), field="instructor_ids")
    return users


def _set_co_organisers(programme: Programme, dataspace_ids: Sequence[int]) -> None:
    wanted = set(dataspace_ids) - {programme.dataspace_id}
    spaces = list(db.session.scalars(select(DataSpace).where(DataSpace.id.in_(wanted))))
    if len(spaces) != len(wanted):
        raise DomainError(_l("Choose Data Spaces from the list."), field="co_organiser_ids")
    programme.co_organisers = spaces


def _set_funders(programme: Programme, funders: Sequence[tuple[int, str | None]]) -> None:
    wanted = dict(funders)
    known = set(db.session.scalars(select(Institution.id).where(Institution.id.in_(wanted))))
    if known != set(wanted):
        raise DomainError(_l("Choose funders from the list."), field="funder_ids")
    by_institution = {f.institution_id: f for f in programme.funders}
    programme.funders = [
        by_institution.get(institution_id) or ProgrammeFunder(institution_id=institution_id)
        for institution_id in wanted
    ]
    for funder in programme.funders:
        funder.grant = wanted[funder.institution_id] or None


def _set_curriculum(programme: Programme, template_id: int | None) -> None:
    """The programme teaches its own copy of a template, customizable without touching it."""
    current = programme.curriculum
    if template_id is None:
        programme.curriculum = None
        return
    if current is not None and template_id in (current.id, current.based_on_id):
        return
    template = db.session.get(Curriculum, template_id)
    if template is None:
        raise DomainError(_l("Choose a curriculum from the list."), field="curriculum_id")
    programme.curriculum = curriculum.clone_curriculum(
        template, title=programme.title, dataspace_id=programme.dataspace_id, template=False
    )


RESERVED_SLUGS = frozenset({"new", "manage", "my-sessions"})


def _free_slug(title: dict) -> str:
    return free_slug(Programme.slug, title, "programme", RESERVED_SLUGS)


# --- lifecycle -----------------------------------------------------------------------------


def transition(programme: Programme, to_state: ProgrammeState, actor: User | None) -> bool:
    """Move the programme to ``to_state`` if its lifecycle allows it.

    The change is a conditional UPDATE on the state the caller saw, so two instances (two
    schedulers, or a coordinator and the scheduler) can never both make the same move: the
    loser gets ``False`` and records nothing.
    """
    from_state = programme.state
    if to_state not in TRANSITIONS[from_state]:
        raise DomainError(
            _l(
                "A programme cannot go from “%(from)s” to “%(to)s”.",
                **{"from": from_state.label, "to": to_state.label},
            )
        )
    if to_state == ProgrammeState.PUBLISHED and not programme.title:
        raise DomainError(_l("A programme needs a title before it is published."))
    moved = db.session.execute(
        update(Programme)
        .where(Programme.id == programme.id, Programme.state == from_state)
        .values(state=to_state, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.expire(programme, ["state"])
        return False
    db.session.add(
        StateTransition(
            programme_id=programme.id,
            from_state=from_state,
            to_state=to_state,
            actor_id=actor.id if actor else None,
        )
    )
    db.session.expire(programme, ["state", "transitions"])
    db.session.flush()
    if to_state == ProgrammeState.COMPLETED:
        signals.programme_completed.send(programme)
    return True


def due_transitions(now: datetime) -> list[tuple[int, ProgrammeState, ProgrammeState]]:
    """``(programme id, from, to)`` for every programme whose dates say it should move on."""
    due = []
    candidates = db.session.execute(
        select(
            Programme.id,
            Programme.state,
            Programme.registration_opens_at,
            Programme.registration_closes_at,
            Programme.start_date,
            Programme.end_date,
            Programme.time_zone,
        ).where(
            Programme.state.in_(
                [
                    ProgrammeState.PUBLISHED,
                    ProgrammeState.REGISTRATION_OPEN,
                    ProgrammeState.REGISTRATION_CLOSED,
                    ProgrammeState.IN_PROGRESS,
                ]
            )
        )
    )
    for row in candidates:
        start, end = day_bounds(row.start_date, row.end_date, row.time_zone)
        closes = row.registration_closes_at or start
        if (
            row.state == ProgrammeState.PUBLISHED
            and row.registration_opens_at
            and row.registration_opens_at <= now < closes
        ):
            due.append((row.id, row.state, ProgrammeState.REGISTRATION_OPEN))
        elif row.state == ProgrammeState.REGISTRATION_OPEN and closes <= now:
            due.append((row.id, row.state, ProgrammeState.REGISTRATION_CLOSED))
        elif row.state == ProgrammeState.REGISTRATION_CLOSED and start <= now:
            due.append((row.id, row.state, ProgrammeState.IN_PROGRESS))
        elif row.state == ProgrammeState.IN_PROGRESS and end <= now:
            due.append((row.id, row.state, ProgrammeState.COMPLETED))
    return due


# --- sessions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionDetails:
    title: dict
    module_id: int | None
    starts_local: datetime  # naive wall-clock time at the programme's place
    ends_local: datetime
    room: str | None
    materials: str | None
    instructor_ids: Sequence[int]


def save_session(programme: Programme, session: Session | None, details: SessionDetails) -> Session:
    if programme.state in FROZEN_STATES:
        raise DomainError(_l("A completed or cancelled programme can no longer be changed."))
    starts = local_to_utc(details.starts_local, programme.time_zone, field="starts_local")
    ends = local_to_utc(details.ends_local, programme.time_zone, field="ends_local")
    if ends <= starts:
        raise DomainError(_l("A session must end after it starts."), field="ends_local")
    first, last = day_bounds(programme.start_date, programme.end_date, programme.time_zone)
    if starts < first or ends > last:
        raise DomainError(_l("The session is outside the programme's dates."), field="starts_local")
    module_ids = (
        {item.module_id for item in programme.curriculum.items} if programme.curriculum else set()
    )
    if details.module_id is not None and details.module_id not in module_ids:
        raise DomainError(_l("Choose a module of this programme's curriculum."), field="module_id")
    instructors = _instructors(details.instructor_ids)
    if not {user.id for user in instructors} <= programme.instructor_ids:
        raise DomainError(
            _l("Session instructors must be instructors of the programme."), field="instructor_ids"
        )
    room = (details.room or "").strip() or None
    exclude = session.id if session is not None else None
    _check_instructor_conflicts(instructors, starts, ends, exclude)
    _check_room_conflict(programme, room, starts, ends, exclude)

    if session is None:
        session = Session(programme=programme)
        db.session.add(session)
    elif _changed(session, details.title, starts, ends, room, details.module_id):
        session.sequence += 1
    session.title = MultilingualText(details.title)
    session.module_id = details.module_id
    session.starts_at, session.ends_at = starts, ends
    session.room = room
    session.materials = (details.materials or "").strip() or None
    session.instructors = instructors
    db.session.flush()
    return session


def _changed(session: Session, title, starts, ends, room, module_id) -> bool:
    return (
        session.title != MultilingualText(title)
        or session.starts_at != starts
        or session.ends_at != ends
        or session.room != room
        or session.module_id != module_id
    )


def update_session_logistics(session: Session, *, room: str | None, materials: str | None) -> None:
    """What an instructor may change on their session: the room and the materials."""
    if session.programme.state in FROZEN_STATES:
        raise DomainError(_l("A completed or cancelled programme can no longer be changed."))
    room = (room or "").strip() or None
    if room != session.room:
        _check_room_conflict(
            session.programme, room, session.starts_at, session.ends_at, session.id
        )
        session.room = room
        session.sequence += 1
    session.materials = (materials or "").strip() or None
    db.session.flush()


def cancel_session(session: Session) -> None:
    if session.is_cancelled:
        raise DomainError(_l("This session is already cancelled."))
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    db.session.flush()


def _overlapping(starts: datetime, ends: datetime, exclude: int | None):
    condition = and_(
        Session.starts_at < ends,
        Session.ends_at > starts,
        Session.status == SessionStatus.SCHEDULED,
    )
    return and_(condition, Session.id != exclude) if exclude is not None else condition


def _check_instructor_conflicts(instructors: list[User], starts, ends, exclude) -> None:
    """An instructor cannot teach two overlapping sessions anywhere in the network."""
    if not instructors:
        return
    clash = db.session.execute(
        select(User.display_name, Session.title, Programme.title)
        .join(Session.instructors)
        .join(Session.programme)
        .where(User.id.in_([u.id for u in instructors]), _overlapping(starts, ends, exclude))
        .limit(1)
    ).first()
    if clash is not None:
        raise DomainError(
            _l(
                "%(person)s already teaches “%(session)s” (%(programme)s) at that time.",
                person=clash[0],
                session=clash[1].get_text(),
                programme=clash[2].get_text(),
            ),
            field="instructor_ids",
        )


def _check_room_conflict(programme: Programme, room: str | None, starts, ends, exclude) -> None:
    """A room of a city is used by one session at a time (rooms are named per city)."""
    if room is None:
        return
    clash = db.session.execute(
        select(Session.room, Session.title, Programme.title)
        .join(Session.programme)
        .where(
            Programme.node_id == programme.node_id,
            func.lower(Session.room) == room.lower(),
            _overlapping(starts, ends, exclude),
        )
        .limit(1)
    ).first()
    if clash is not None:
        raise DomainError(
            _l(
                "The room %(room)s is already booked at that time for “%(session)s” "
                "(%(programme)s).",
                room=clash[0],
                session=clash[1].get_text(),
                programme=clash[2].get_text(),
            ),
            field="room",
        )


def sessions_of_programmes(programme_ids: set[int]) -> list[Session]:
    if not programme_ids:
        return []
    return list(db.session.scalars(
        select(Session).where(Session.programme_id.in_(programme_ids))
        .order_by(Session.starts_at)
        .options(selectinload(Session.programme).selectinload(Programme.node))
    ))


def sessions_taught_by(user: User, since: datetime | None = None) -> list[Session]:
    statement = (
        select(Session)
        .join(Session.instructors)
        .where(User.id == user.id)
        .order_by(Session.starts_at)
        .options(
            selectinload(Session.programme).selectinload(Programme.node),
            selectinload(Session.instructors),
        )
    )
    if since is not None:
        statement = statement.where(Session.ends_at >= since)
    return list(db.session.scalars(statement))


# --- the public catalogue --------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueQuery:
    dataspace_id: int | None = None
    country: str | None = None
    kind: ProgrammeKind | None = None
    language: str | None = None
    open_only: bool = False
    when: str = "upcoming"  # upcoming | past | all
    page: int = 1


def catalogue(query: CatalogueQuery, today: date) -> Pagination:
    """Public programmes matching the filters, a page at a time, in a fixed number of queries."""
    statement = public_programmes(query)
    if query.when == "upcoming":
        statement = statement.where(Programme.end_date >= today).order_by(
            Programme.start_date, Programme.id
        )
    elif query.when == "past":
        statement = statement.where(Programme.end_date < today).order_by(
            Programme.start_date.desc(), Programme.id
        )
    else:
        statement = statement.order_by(Programme.start_date.desc(), Programme.id)
    statement = statement.options(selectinload(Programme.node),
                                  selectinload(Programme.dataspace))
    return page_of(statement, query.page, PAGE_SIZE)


def public_programmes(query: CatalogueQuery):
    """The public programmes the catalogue's filters select, unordered (the catalogue pages
    them by number, the API by cursor); ``when`` is left to the caller, who knows the day."""
    statement = select(Programme).where(Programme.state.in_(PUBLIC_STATES))
    if query.dataspace_id:
        statement = statement.where(Programme.dataspace_id == query.dataspace_id)
    if query.country:
        statement = statement.where(
            Programme.node_id.in_(select(Node.id).where(Node.country_code == query.country))
        )
    if query.kind:
        statement = statement.where(Programme.kind == query.kind)
    if query.language:
        padded = literal(",") + Programme.languages_csv + literal(",")
        statement = statement.where(padded.contains(f",{query.language},"))
    if query.open_only:
        statement = statement.where(Programme.state == ProgrammeState.REGISTRATION_OPEN)
    return statement


def managed_programmes(dataspace_ids: set[int] | None) -> list[Programme]:
    """Every programme (drafts too) of these Data Spaces (``None``: all), for staff."""
    statement = (
        select(Programme)
        .order_by(Programme.start_date.desc())
        .options(selectinload(Programme.node), selectinload(Programme.dataspace))
    )
    if dataspace_ids is not None:
        statement = statement.where(Programme.dataspace_id.in_(dataspace_ids))
    return list(db.session.scalars(statement))


def countries_with_programmes() -> list[str]:
    return sorted(
        set(
            db.session.scalars(
                select(Node.country_code)
                .join(Programme, Programme.node_id == Node.id)
                .where(Programme.state.in_(PUBLIC_STATES))
            )
        )
    )


# --- private calendar feeds ------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(user: User) -> str:
    """A fresh secret for the user's private feed; the previous address stops working."""
    token = secrets.token_urlsafe(32)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token_hash, feed.created_at = _hash(token), utcnow()
    db.session.flush()
    return token


def feed_owner(token: str) -> User | None:
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token)))
    return db.session.get(User, feed.user_id) if feed else None


def has_feed(user: User) -> bool:
    return (
        db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id == user.id))
        is not None
    )


def forget_calendar_feeds(user, **_event) -> None:
    """``user_erased``: the person's private calendar addresses stop working."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
