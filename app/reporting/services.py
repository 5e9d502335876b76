"""What the network delivered, counted in SQL: figures and breakdowns for a scope (Data
Spaces, a grant, a period). A fixed number of statements whatever the number of rows.

Counting rules (also written on the report page):

- a programme is *held* once it is completed; cancelled ones and drafts never count, and a
  period counts the programmes that ended in it;
- people are counted once (distinct accounts) among the confirmed participants of held
  programmes, whatever the number of programmes they took part in;
- completion: a confirmed participant reached the programme's minimum attendance; certification:
  they hold a valid certificate;
- hours: the scheduled sessions of held programmes, end minus start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, distinct, func, literal, select

from app.attendance.models import Mark
from app.certificates.models import Certificate, CertificateStatus
from app.dataspaces.models import DataSpace, Node
from app.enrollment.models import Enrollment, EnrollmentStatus, Gender, ParticipantProfile, Sector
from app.extensions import db
from app.grants.models import grant_programmes
from app.i18n import country_name, language_name
from app.multilingual import CONTENT_LANGUAGES
from app.workshops.models import (
    Programme,
    ProgrammeKind,
    ProgrammeState,
    Session,
    SessionStatus,
    programme_co_organisers,
    programme_instructors,
)

ATTENDED = (Mark.PRESENT, Mark.LATE)
NOT_GIVEN = _l("Not given")


@dataclass(frozen=True)
class Scope:
    """What a report covers: some Data Spaces (``None``: all), one grant, a period."""

    dataspace_ids: frozenset[int] | None = None
    grant_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: ``count`` is ``None`` when it is too small to show."""

    key: str
    label: str
    count: int | None


@dataclass
class Report:
    scope: Scope
    threshold: int
    programmes: int = 0
    participants: int = 0
    enrollments: int = 0
    completed: int = 0
    certified: int = 0
    hours: float = 0.0
    outside_home_region: int | None = 0
    instructors_in_several_regions: int = 0
    co_organised: int = 0
    breakdowns: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.enrollments if self.enrollments else None

    @property
    def certification_rate(self) -> float | None:
        return self.certified / self.enrollments if self.enrollments else None


def held(scope: Scope) -> Select:
    """The ids of the programmes a scope counts."""
    query = select(Programme.id).where(Programme.state == ProgrammeState.COMPLETED)
    if scope.dataspace_ids is not None:
        query = query.where(Programme.dataspace_id.in_(scope.dataspace_ids))
    if scope.grant_id is not None:
        query = query.where(Programme.id.in_(select(grant_programmes.c.programme_id).where(
            grant_programmes.c.grant_id == scope.grant_id)))
    if scope.starts_on is not None:
        query = query.where(Programme.end_date >= scope.starts_on)
    if scope.ends_on is not None:
        query = query.where(Programme.end_date <= scope.ends_on)
    return query


def _confirmed(scope: Scope):
    return (Enrollment.programme_id.in_(held(scope)),
            Enrollment.status == EnrollmentStatus.CONFIRMED)


def report(scope: Scope, language: str) -> Report:
    """The report of ``scope``, its labels in ``language``."""
    threshold = current_app.config["REPORT_MIN_CELL"]
    result = Report(scope, threshold)
    result.programmes = db.session.scalar(select(func.count()).select_from(held(scope).subquery()))
    people = _people_by_profile(scope, {
        "country": lambda key: country_name(key, language),
        "sector": lambda key: Sector(key).label,
        "gender": lambda key: Gender(key).label,
    })
    result.participants = sum(row.count for row in people["country"])  # each person once
    result.enrollments, result.completed = db.session.execute(
        select(func.count(Enrollment.id),
               func.count(Enrollment.id).filter(Enrollment.reached_minimum.is_(True)))
        .where(*_confirmed(scope))).one()
    result.certified = db.session.scalar(select(func.count(distinct(Certificate.enrollment_id)))
                                         .where(Certificate.programme_id.in_(held(scope)),
                                                Certificate.status == CertificateStatus.VALID))
    result.hours = _hours(scope)
    result.outside_home_region = _suppressed_count(_outside_home_region(scope), threshold)
    result.instructors_in_several_regions = _instructors_in_several_regions(scope)
    result.co_organised = db.session.scalar(
        select(func.count(distinct(programme_co_organisers.c.programme_id)))
        .where(programme_co_organisers.c.programme_id.in_(held(scope))))
    result.breakdowns = {
        **{name: suppress(rows, threshold) for name, rows in people.items()},
        "kind": _programmes_by_kind(scope),
        "language": _programmes_by_language(scope, language),
        "dataspace": _programmes_by_dataspace(scope),
    }
    return result


# --- figures -----------------------------------------------------------------------------------


def _hours(scope: Scope) -> float:
    if db.session.get_bind().dialect.name == "sqlite":
        length = (func.julianday(Session.ends_at) - func.julianday(Session.starts_at)) * 24
    else:
        length = func.extract("epoch", Session.ends_at - Session.starts_at) / 3600
    total = db.session.scalar(select(func.sum(length)).where(
        Session.status == SessionStatus.SCHEDULED, Session.programme_id.in_(held(scope))))
    return round(float(total or 0), 1)


def _home_regions() -> dict[str, str]:
    """Each country where the network has a node, and the region of its Data Space (a few
    dozen rows: read once, then written into the counting statement)."""
    return dict(db.session.execute(
        select(Node.country_code, func.min(DataSpace.region))
        .join(DataSpace, DataSpace.id == Node.dataspace_id).group_by(Node.country_code)).all())


def _outside_home_region(scope: Scope) -> int:
    """People trained in a programme of another region than the one their country is in."""
    home = _home_regions()
    if not home:
        return 0
    away_from_home = case(home, value=ParticipantProfile.country_code) != DataSpace.region
    trained = (Enrollment.programme_id == Programme.id, Programme.dataspace_id == DataSpace.id,
               *_confirmed(scope))
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite runs the EXISTS below once per profile without a good plan (3 s at 100,000
        # enrollments); the distinct people it joins in 0.14 s.
        away = (select(Enrollment.user_id).select_from(Enrollment, Programme, DataSpace)
                .join(ParticipantProfile, ParticipantProfile.user_id == Enrollment.user_id)
                .where(*trained, ParticipantProfile.country_code.in_(home), away_from_home)
                .distinct().subquery())
        return db.session.scalar(select(func.count()).select_from(away))
    # PostgreSQL: a semi-join per profile, 3x faster than the distinct people.
    away = select(Enrollment.id).select_from(Enrollment, Programme, DataSpace).where(
        *trained, Enrollment.user_id == ParticipantProfile.user_id, away_from_home)
    return db.session.scalar(select(func.count()).select_from(ParticipantProfile).where(
        ParticipantProfile.country_code.in_(home), away.exists()))


def _instructors_in_several_regions(scope: Scope) -> int:
    regions = (select(programme_instructors.c.user_id)
               .join(Programme, Programme.id == programme_instructors.c.programme_id)
               .join(DataSpace, DataSpace.id == Programme.dataspace_id)
               .where(Programme.id.in_(held(scope)))
               .group_by(programme_instructors.c.user_id)
               .having(func.count(distinct(DataSpace.region)) >= 2).subquery())
    return db.session.scalar(select(func.count()).select_from(regions))


# --- breakdowns --------------------------------------------------------------------------------


def _people(scope: Scope):
    """Each person trained in the scope, once."""
    return select(Enrollment.user_id).where(*_confirmed(scope)).distinct().subquery()


#: The profile columns people are broken down by.
PROFILE_COLUMNS = {"country": ParticipantProfile.country_code,
                   "sector": ParticipantProfile.sector, "gender": ParticipantProfile.gender}


def _people_by_profile(scope: Scope, labels: dict) -> dict[str, list[Row]]:
    """People trained, by country, by sector and by gender (no profile: "not given"). One
    statement counts each combination (a few hundred rows at most); the three breakdowns are
    their sums."""
    people = _people(scope)
    columns = list(PROFILE_COLUMNS.values())
    combinations = db.session.execute(
        select(*columns, func.count()).select_from(people)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == people.c.user_id)
        .group_by(*columns)).all()
    breakdowns = {}
    for position, name in enumerate(PROFILE_COLUMNS):
        counts: dict = {}
        for row in combinations:
            counts[row[position]] = counts.get(row[position], 0) + row[-1]
        ordered = sorted(counts.items(), key=lambda item: (-item[1], _key(item[0])))
        breakdowns[name] = [Row(_key(value), _label(value, labels[name]), count)
                            for value, count in ordered]
    return breakdowns


def _key(value) -> str:
    return "unknown" if value is None else str(getattr(value, "value", value))


def _label(value, label) -> str:
    return str(NOT_GIVEN) if value is None else str(label(_key(value)))


def _programmes_by_kind(scope: Scope) -> list[Row]:
    rows = dict(db.session.execute(select(Programme.kind, func.count()).where(
        Programme.id.in_(held(scope))).group_by(Programme.kind)).all())
    return [Row(kind.value, kind.label, rows.get(kind, 0)) for kind in ProgrammeKind]


def _programmes_by_language(scope: Scope, language: str) -> list[Row]:
    """Programmes taught in each language (a bilingual one counts for both)."""
    padded = literal(",") + Programme.languages_csv + literal(",")
    counts = db.session.execute(select(*[
        func.sum(case((padded.contains(f",{code},"), 1), else_=0)) for code in CONTENT_LANGUAGES
    ]).where(Programme.id.in_(held(scope)))).one()
    return [Row(code, language_name(code, language), int(count or 0))
            for code, count in zip(CONTENT_LANGUAGES, counts, strict=True)]


def _programmes_by_dataspace(scope: Scope) -> list[Row]:
    counts = (select(Programme.dataspace_id, func.count().label("programmes"))
              .where(Programme.id.in_(held(scope))).group_by(Programme.dataspace_id).subquery())
    rows = db.session.execute(  # names are JSON, which PostgreSQL cannot group by
        select(DataSpace.slug, DataSpace.name, counts.c.programmes)
        .join(counts, counts.c.dataspace_id == DataSpace.id).order_by(DataSpace.slug)).all()
    return [Row(slug, name.get_text(), count) for slug, name, count in rows]


# --- small cells -------------------------------------------------------------------------------


def suppress(rows: list[Row], threshold: int) -> list[Row]:
    """Hide every count of people below ``threshold`` (shown as "< threshold"). When only one
    cell would be hidden, the next smallest is hidden too, so that the total (which is shown)
    cannot give the hidden one away."""
    small = [row for row in rows if 0 < (row.count or 0) < threshold]
    if len(small) == 1:
        visible = sorted((row for row in rows if (row.count or 0) >= threshold),
                         key=lambda row: row.count)
        small += visible[:1]
    hidden = {id(row) for row in small}
    return [Row(row.key, row.label, None) if id(row) in hidden else row for row in rows]


def _suppressed_count(count: int, threshold: int) -> int | None:
    return None if 0 < count < threshold else count
