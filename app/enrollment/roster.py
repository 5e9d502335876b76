"""Coordinators' view of a programme's people: the roster, its exports, and CSV invitations."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import email_validator
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.auth import services as accounts
from app.auth.models import Role, User
from app.enrollment import decisions, seats
from app.enrollment.models import Enrollment, EnrollmentStatus, ParticipantProfile, Sector
from app.errors import DomainError
from app.extensions import db
from app.i18n import UI_LANGUAGES, country_codes
from app.pagination import Pagination, page_of
from app.workshops.models import Programme

PAGE_SIZE = 50
MAX_IMPORT_ROWS = 2000
IMPORT_COLUMNS = ("email", "given_name", "family_name", "certificate_name", "organization",
                  "sector", "country", "language")


@dataclass(frozen=True)
class RosterFilter:
    status: EnrollmentStatus | None = None
    sector: Sector | None = None
    country: str | None = None
    page: int = 1


def _filtered(programme: Programme, wanted: RosterFilter):
    statement = select(Enrollment).where(Enrollment.programme_id == programme.id)
    if wanted.status:
        statement = statement.where(Enrollment.status == wanted.status)
    if wanted.sector or wanted.country:
        statement = statement.join(ParticipantProfile,
                                   ParticipantProfile.user_id == Enrollment.user_id)
        if wanted.sector:
            statement = statement.where(ParticipantProfile.sector == wanted.sector)
        if wanted.country:
            statement = statement.where(ParticipantProfile.country_code == wanted.country)
    return statement


def _with_people(statement):
    return statement.order_by(Enrollment.queue_number).options(
        selectinload(Enrollment.user).selectinload(User.profile))


def roster_page(programme: Programme, wanted: RosterFilter) -> Pagination:
    """One page of the roster, in a fixed number of queries whatever its length."""
    return page_of(_with_people(_filtered(programme, wanted)), wanted.page, PAGE_SIZE)


def roster_after(programme: Programme, status: EnrollmentStatus | None, after: int | None,
                 limit: int) -> list[Enrollment]:
    """Up to ``limit`` entries of the roster after queue number ``after`` (the API's pages:
    a cursor, not a page number, so that arrivals do not shift them)."""
    statement = _filtered(programme, RosterFilter(status=status))
    if after is not None:
        statement = statement.where(Enrollment.queue_number > after)
    return list(db.session.scalars(_with_people(statement).limit(limit)))


def breakdown(programme: Programme, column) -> list[tuple[str, int]]:
    """How many people per value of a profile column (sector, country), most first."""
    rows = db.session.execute(
        select(column, func.count()).join(Enrollment, Enrollment.user_id ==
                                          ParticipantProfile.user_id)
        .where(Enrollment.programme_id == programme.id,
               Enrollment.status.in_([EnrollmentStatus.CONFIRMED, EnrollmentStatus.OFFERED,
                                      EnrollmentStatus.WAITLISTED, EnrollmentStatus.APPLIED]))
        .group_by(column).order_by(func.count().desc())).all()
    return [(value, count) for value, count in rows]


def export_rows(programme: Programme) -> tuple[list[str], list[list]]:
    header = [_("Arrival"), _("Status"), _("Given name(s)"), _("Family name(s)"),
              _("Name on certificate"), _("Email"), _("Organization"), _("Sector"),
              _("Country"), _("Registered at (UTC)"), _("Internal note")]
    rows = []
    for enrollment in db.session.scalars(_with_people(_filtered(programme, RosterFilter()))):
        profile = enrollment.user.profile
        rows.append([
            enrollment.queue_number, enrollment.status.label,
            profile.given_name if profile else enrollment.user.display_name,
            (profile.family_name or "") if profile else "",
            profile.certificate_name if profile else "", enrollment.user.email,
            (profile.organization or "") if profile else "",
            profile.sector.label if profile else "", profile.country_code if profile else "",
            enrollment.created_at.strftime("%Y-%m-%d %H:%M"), enrollment.internal_note or "",
        ])
    return header, rows


# --- invitations by CSV ------------------------------------------------------------------------


@dataclass
class ImportReport:
    rows: list[dict] = field(default_factory=list)
    problems: dict[int, list[str]] = field(default_factory=dict)
    file_problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.file_problem is None and not self.problems


def check_import(programme: Programme, data: bytes) -> ImportReport:
    """Validate every row; the report lists each row's problems (nothing is written here)."""
    report = ImportReport()
    try:
        text = data.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text))
        header = [name.strip().lower() for name in reader.fieldnames or []]
    except (UnicodeDecodeError, csv.Error):
        report.file_problem = _("The file is not a UTF-8 CSV file.")
        return report
    missing = [c for c in ("email", "given_name", "sector", "country") if c not in header]
    if missing:
        report.file_problem = _("Columns missing: %(columns)s. Expected columns: %(expected)s.",
                                columns=", ".join(missing), expected=", ".join(IMPORT_COLUMNS))
        return report
    try:
        raw_rows = [{k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
                    for row in reader]
    except csv.Error:
        report.file_problem = _("The file is not a valid CSV file.")
        return report
    if not raw_rows or len(raw_rows) > MAX_IMPORT_ROWS:
        report.file_problem = _("The file must hold between 1 and %(max)d rows.",
                                max=MAX_IMPORT_ROWS)
        return report
    seen: set[str] = set()
    countries = set(country_codes())
    for number, row in enumerate(raw_rows, start=2):  # row 1 is the header
        problems = _row_problems(programme, row, seen, countries)
        if problems:
            report.problems[number] = problems
        report.rows.append(row)
    free = programme.capacity - seats.seats_taken(programme.id)
    if report.ok and len(report.rows) > free:
        report.file_problem = _("Only %(free)d seats are free for %(count)d invitations.",
                                free=max(free, 0), count=len(report.rows))
    return report


def _row_problems(programme, row, seen, countries) -> list[str]:
    problems = []
    try:
        email = email_validator.validate_email(row.get("email", ""),
                                               check_deliverability=False).normalized.lower()
        row["email"] = email
    except email_validator.EmailNotValidError:
        problems.append(_("invalid email address"))
        email = None
    if email and email in seen:
        problems.append(_("this email appears twice in the file"))
    if email:
        seen.add(email)
        user = accounts.find_user(email)
        if user is not None and seats.enrollment_of(user, programme) is not None:
            problems.append(_("already registered for this programme"))
    if not row.get("given_name"):
        problems.append(_("given name missing"))
    if row.get("sector") not in {s.value for s in Sector}:
        problems.append(_("unknown sector (use one of: %(values)s)",
                          values=", ".join(s.value for s in Sector)))
    if row.get("country", "").upper() not in countries:
        problems.append(_("unknown country code (ISO 3166, such as CO or SN)"))
    if row.get("language") and row["language"] not in UI_LANGUAGES:
        problems.append(_("unknown language (use one of: %(values)s)",
                          values=", ".join(UI_LANGUAGES)))
    for name, limit in (("given_name", 120), ("family_name", 120), ("certificate_name", 200),
                        ("organization", 200)):
        if len(row.get(name, "")) > limit:
            problems.append(_("%(column)s is longer than %(max)d characters", column=name,
                              max=limit))
    return problems


def apply_import(programme: Programme, report: ImportReport, actor: User) -> int:
    """Invite every row of a clean report, all in the caller's transaction (one bad write and
    nothing stays). A new person gets an account, the profile the file gives and a confirmed
    seat; a person who already has an account keeps their own profile and is offered a held
    seat, which they accept or decline themselves."""
    if not report.ok:
        raise DomainError(_l("The file has problems; nothing was imported."))
    for row in report.rows:
        user = accounts.find_user(row["email"])
        if user is None:
            user = _invited_user(row)
            db.session.add(_profile_from(row, user))
            decisions.invite(user, programme, actor)
        else:
            decisions.offer_seat(user, programme, actor)
    db.session.flush()
    return len(report.rows)


def _profile_from(row: dict, user: User) -> ParticipantProfile:
    return ParticipantProfile(
        user_id=user.id, given_name=row["given_name"], family_name=row.get("family_name") or None,
        certificate_name=row.get("certificate_name") or " ".join(
            p for p in (row["given_name"], row.get("family_name")) if p),
        organization=row.get("organization") or None, sector=Sector(row["sector"]),
        country_code=row["country"].upper())


def _invited_user(row: dict) -> User:
    user = User(email=row["email"], display_name=" ".join(
        p for p in (row["given_name"], row.get("family_name")) if p),
        preferred_language=row.get("language") or None, password_hash=None)
    db.session.add(user)
    db.session.flush()
    accounts.grant_role(user, Role.PARTICIPANT)
    return user
