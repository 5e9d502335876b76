"""Demo programmes (``app/demo/programmes.toml``), made through the services: the 2016-17
training plan of the domain brief, and a few upcoming ones.

The past programmes are the global training grant's workshops and summer schools; they are made
with registration open, and ``app/site/demo.py`` replays their history (enrollments,
attendance, completion, certificates) on the dates it happened. The upcoming ones are dated
from today, in several Data Spaces, and sit in the state their dates call for (registration
open, or published with registration opening later).

Every programme is taught by the demo instructor. Without that account (in production, where
no demo accounts exist) no programme is loaded. Loading twice changes nothing: a programme is
created only while its slug is free.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app import demo
from app.auth.services import find_user
from app.curriculum.models import Curriculum, Module
from app.dataspaces.models import DataSpace, Institution, Node
from app.extensions import db
from app.timeutil import utcnow
from app.workshops import services
from app.workshops.models import (
    DeliveryMode,
    EnrollmentMode,
    Programme,
    ProgrammeKind,
    ProgrammeState,
)

#: The lifecycle, in order, from a fresh draft.
LIFECYCLE = [
    ProgrammeState.PUBLISHED,
    ProgrammeState.REGISTRATION_OPEN,
    ProgrammeState.REGISTRATION_CLOSED,
    ProgrammeState.IN_PROGRESS,
    ProgrammeState.COMPLETED,
]


def past_slugs() -> list[str]:
    """The slugs of the 2016-17 programmes, in the order they happened."""
    past = sorted(demo.read("programmes")["past"], key=lambda entry: entry["start"])
    return [entry["slug"] for entry in past]


def load() -> None:
    data = demo.read("programmes")
    instructor = find_user(data["instructor"])
    if instructor is None:
        return  # demo programmes are taught by the demo instructor; no demo accounts, none
    existing = set(db.session.scalars(select(Programme.slug)))
    institutions = dict(db.session.execute(select(Institution.slug, Institution.id)).all())
    funder = institutions.get(data["grant"]["funder"])
    for entry in data["past"]:
        if entry["slug"] not in existing:
            start = entry["start"]
            _create(entry, data, instructor, institutions, start=start,
                    opens=datetime.combine(start - timedelta(days=60), time(9)),
                    closes=datetime.combine(start - timedelta(days=7), time(17)),
                    funders=[(funder, data["grant"]["name"])] if funder else [],
                    state=ProgrammeState.REGISTRATION_OPEN)  # the rest is history: site/demo
    today = utcnow().date()
    for entry in data["upcoming"]:
        if entry["slug"] not in existing:
            _create(entry, data, instructor, institutions,
                    start=today + timedelta(days=entry["start_in_days"]),
                    opens=_local(today, entry["opens_in_days"], entry["opens_at"]),
                    closes=_local(today, entry["closes_in_days"], entry["closes_at"]),
                    funders=[], state=ProgrammeState(entry["state"]))


def _local(today: date, days: int, clock: str) -> datetime:
    """A wall-clock time in the programme's zone, ``days`` after today."""
    return datetime.combine(today + timedelta(days=days), time.fromisoformat(clock))


def _create(entry, data, instructor, institutions, *, start, opens, closes, funders,
            state) -> None:
    node = db.session.scalar(select(Node).join(Node.dataspace).where(
        DataSpace.slug == entry["dataspace"], Node.slug == entry["node"]))
    if node is None:
        return
    template = db.session.scalar(select(Curriculum.id).where(
        Curriculum.slug == entry.get("curriculum"), Curriculum.is_template.is_(True)))
    programme = services.save_programme(None, services.ProgrammeDetails(
        kind=ProgrammeKind(entry["kind"]), dataspace_id=node.dataspace_id, node_id=node.id,
        host_id=institutions.get(entry.get("host")), title=entry["title"],
        summary=entry["summary"], languages=entry["languages"],
        delivery_mode=DeliveryMode(entry.get("delivery", "in-person")),
        meeting_url=entry.get("meeting_url"), venue=entry.get("venue"), start_date=start,
        end_date=start + timedelta(days=entry["days"] - 1), time_zone=None,
        capacity=entry["capacity"], registration_opens_local=opens,
        registration_closes_local=closes, enrollment_mode=EnrollmentMode(entry["enrollment"]),
        min_attendance_percent=80, curriculum_id=template, instructor_ids=[instructor.id],
        funders=funders, co_organiser_ids=_dataspace_ids(entry.get("co_organisers", []))),
        slug=entry["slug"])
    modules = _curriculum_modules(programme)
    for session in entry["sessions"]:
        day = start + timedelta(days=session["day"])
        title = session["title"]
        services.save_session(programme, None, services.SessionDetails(
            title=data["session_title"][title] if isinstance(title, str) else title,
            module_id=modules.get(session.get("module")),
            starts_local=datetime.combine(day, time.fromisoformat(session["starts"])),
            ends_local=datetime.combine(day, time.fromisoformat(session["ends"])),
            room=session.get("room"), materials=None, instructor_ids=[instructor.id]))
    # Sessions first: a completed programme can no longer change.
    for step in LIFECYCLE[: LIFECYCLE.index(state) + 1]:
        services.transition(programme, step, actor=None)


def _dataspace_ids(slugs: list[str]) -> list[int]:
    return list(db.session.scalars(select(DataSpace.id).where(DataSpace.slug.in_(slugs))))


def _curriculum_modules(programme: Programme) -> dict[str, int]:
    """Module ids of the programme's own curriculum, by module slug."""
    if programme.curriculum is None:
        return {}
    ids = [item.module_id for item in programme.curriculum.items]
    return dict(db.session.execute(select(Module.slug, Module.id).where(Module.id.in_(ids))).all())
