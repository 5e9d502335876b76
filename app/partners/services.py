"""Rules for expressions of interest: receiving them, the coordinators' pipeline, turning an
agreed one into a partnership, and erasing contact details. Functions take plain values and
flush; callers commit."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.audit import services as audit
from app.audit.models import AuditAction
from app.auth.models import User
from app.auth.services import coordinators_of
from app.dataspaces import services as registry
from app.dataspaces.models import DataSpace, Institution, InstitutionKind, PartnerRole
from app.errors import DomainError
from app.extensions import db
from app.partners import notices
from app.partners.models import (
    NEXT_STATUSES,
    Interest,
    InterestNote,
    InterestOffer,
    InterestStatus,
)
from app.timeutil import utcnow

#: The role a partnership most likely takes, from what the institution offered.
ROLE_FOR_OFFER = {
    InterestOffer.FUND: PartnerRole.FUNDER,
    InterestOffer.DATA: PartnerRole.DATA_PROVIDER,
    InterestOffer.CO_TEACH: PartnerRole.ACADEMIC,
    InterestOffer.HOST: PartnerRole.IMPLEMENTING,
    InterestOffer.JOINT_PROJECT: PartnerRole.IMPLEMENTING,
    InterestOffer.JOIN: PartnerRole.IMPLEMENTING,
}


@dataclass(frozen=True)
class InterestDetails:
    """What the public form collects, as plain values."""

    dataspace_id: int | None
    organisation_name: str
    organisation_kind: InstitutionKind
    country_code: str | None
    website: str | None
    contact_name: str
    contact_role: str | None
    contact_email: str
    offers: Sequence[str]
    partner_dataspace_id: int | None
    message: str
    languages: Sequence[str]


# Receiving -------------------------------------------------------------------------------


def submit(details: InterestDetails, language: str) -> Interest:
    """Record an interest, confirm it to its submitter and tell the coordinators."""
    _check_dataspaces(details)
    interest = Interest(
        dataspace_id=details.dataspace_id,
        partner_dataspace_id=details.partner_dataspace_id,
        organisation_name=details.organisation_name.strip(),
        organisation_kind=details.organisation_kind,
        country_code=details.country_code or None,
        website=(details.website or "").strip() or None,
        contact_name=details.contact_name.strip(),
        contact_role=(details.contact_role or "").strip() or None,
        contact_email=details.contact_email.strip().lower(),
        message=details.message.strip(),
        offers=[InterestOffer(value).value for value in details.offers],
        languages=list(details.languages),
        language=language,
        consented_at=utcnow(),
    )
    db.session.add(interest)
    db.session.flush()
    notices.confirm_to_submitter(interest, erasure_token(interest))
    notices.tell_coordinators(interest, "new_interest", coordinators_of(interest.dataspace_id))
    return interest


def _check_dataspaces(details: InterestDetails) -> None:
    if details.dataspace_id is not None and db.session.get(DataSpace,
                                                           details.dataspace_id) is None:
        raise DomainError(_l("Choose a Data Space from the list."), field="dataspace_id",
                          status=422)
    partner = details.partner_dataspace_id
    if partner is not None and db.session.get(DataSpace, partner) is None:
        raise DomainError(_l("Choose a Data Space from the list."),
                          field="partner_dataspace_id", status=422)
    if partner is not None and partner == details.dataspace_id:
        raise DomainError(_l("Choose a Data Space other than the one you are writing to."),
                          field="partner_dataspace_id", status=422)
    if InterestOffer.JOINT_PROJECT in details.offers and partner is None:
        raise DomainError(_l("Choose the Data Space you would like a joint project with."),
                          field="partner_dataspace_id", status=422)


def fill_token() -> str:
    """The form's hidden start time, signed: people take seconds to fill it, robots do not."""
    return _serializer("interest-form").dumps(utcnow().timestamp())


def filled_too_fast(token: str | None) -> bool:
    """Whether the form came back sooner than a person could have filled it (or without a
    genuine start time)."""
    try:
        started = float(_serializer("interest-form").loads(token or ""))
    except (BadSignature, TypeError, ValueError):
        return True
    elapsed = utcnow().timestamp() - started
    return elapsed < current_app.config["INTEREST_MIN_FILL_SECONDS"]


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=purpose)


# Erasure -------------------------------------------------------------------------------


def erasure_token(interest: Interest) -> str:
    """The link in the confirmation email: it never expires (erasure is a right), and it names
    the interest together with its submission time, so that an id alone cannot be guessed."""
    return _serializer("interest-erasure").dumps(
        {"interest": interest.id, "at": int(interest.created_at.timestamp())})


def interest_from_erasure_token(token: str) -> Interest:
    try:
        data = _serializer("interest-erasure").loads(token)
    except BadSignature as error:
        raise DomainError(_l("This link is not valid."), status=404) from error
    interest = db.session.get(Interest, data.get("interest")) if isinstance(data, dict) else None
    if interest is None or int(interest.created_at.timestamp()) != data.get("at"):
        raise DomainError(_l("This link is not valid."), status=404)
    return interest


def erase_contact(interest: Interest, *, reason: str, actor: User | None = None) -> bool:
    """Erase what identifies the contact person (name, role, email, message and the notes
    about them); the organisation and the pipeline's figures stay. The erasure is claimed
    by a conditional UPDATE: False if it was already done (by a request or a job)."""
    now = utcnow()
    claimed = db.session.execute(
        update(Interest).where(Interest.id == interest.id, Interest.erased_at.is_(None))
        .values(erased_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        return False
    notices.forget(interest.contact_email)
    interest.erased_at = now
    interest.contact_name = interest.contact_role = interest.contact_email = None
    interest.message = None
    interest.notes.clear()
    audit.record(actor.id if actor else None, AuditAction.INTEREST_ERASED, "interest",
                 interest.id, dataspace_id=interest.dataspace_id, reason=reason)
    db.session.flush()
    return True


def lapsed(now: datetime) -> list[int]:
    """Interests that never became a partnership, untouched for the retention period, whose
    contact details are still held."""
    months = current_app.config["INTEREST_RETENTION_MONTHS"]
    before = now - timedelta(days=round(months * 365.25 / 12))
    return list(db.session.scalars(select(Interest.id).where(
        Interest.erased_at.is_(None), Interest.converted_at.is_(None),
        Interest.last_activity_at < before).order_by(Interest.id)))


# Triage --------------------------------------------------------------------------------


def interests_for(dataspace_ids: set[int] | None, *, status: InterestStatus | None = None,
                  assignee_id: int | None = None) -> list[Interest]:
    """The interests a person triages, newest activity first: those of ``dataspace_ids``
    (``None``: all, with the network's own, for admins)."""
    query = (select(Interest)
             .options(joinedload(Interest.dataspace), joinedload(Interest.assignee))
             .order_by(Interest.last_activity_at.desc(), Interest.id.desc()))
    if dataspace_ids is not None:
        query = query.where(Interest.dataspace_id.in_(dataspace_ids))
    if status is not None:
        query = query.where(Interest.status == status)
    if assignee_id is not None:
        query = query.where(Interest.assignee_id == assignee_id)
    return list(db.session.scalars(query))


def counts_by_status(dataspace_ids: set[int] | None) -> dict[InterestStatus, int]:
    query = select(Interest.status, func.count()).group_by(Interest.status)
    if dataspace_ids is not None:
        query = query.where(Interest.dataspace_id.in_(dataspace_ids))
    counts = dict(db.session.execute(query).all())
    return {status: counts.get(status, 0) for status in InterestStatus}


def get_interest(interest_id: int) -> Interest | None:
    return db.session.scalars(
        select(Interest).where(Interest.id == interest_id)
        .options(selectinload(Interest.notes).joinedload(InterestNote.author),
                 joinedload(Interest.assignee), joinedload(Interest.dataspace),
                 joinedload(Interest.partner_dataspace), joinedload(Interest.passed_from),
                 joinedload(Interest.institution))).first()


def team_of(interest: Interest) -> list[User]:
    """Whom an interest can be assigned to: its Data Space's coordinators (the network's
    admins for one addressed to the network)."""
    return coordinators_of(interest.dataspace_id)


def move(interest: Interest, status: InterestStatus, actor: User) -> None:
    """One step of the pipeline; an interest already turned into a partnership stays put."""
    _check_open(interest)
    if status not in NEXT_STATUSES[interest.status]:
        raise DomainError(_l("An interest that is “%(now)s” cannot become “%(then)s”.",
                             now=interest.status.label, then=status.label), field="status")
    audit.record(actor.id, AuditAction.INTEREST_STATUS, "interest", interest.id,
                 dataspace_id=interest.dataspace_id, before=interest.status.value,
                 after=status.value)
    interest.status = status
    _touch(interest)


def assign(interest: Interest, assignee_id: int | None, actor: User) -> None:
    """Give the interest to one of its team (``None``: to nobody), who is told by email."""
    _check_open(interest)
    assignee = None
    if assignee_id is not None:
        assignee = next((user for user in team_of(interest) if user.id == assignee_id), None)
        if assignee is None:
            raise DomainError(_l("Choose someone from this Data Space's team."),
                              field="assignee_id", status=422)
    if interest.assignee_id == assignee_id:
        raise DomainError(_l("The interest is already assigned so."), field="assignee_id")
    audit.record(actor.id, AuditAction.INTEREST_ASSIGNED, "interest", interest.id,
                 dataspace_id=interest.dataspace_id, assignee=assignee_id)
    interest.assignee = assignee
    _touch(interest)
    if assignee is not None and assignee.id != actor.id:
        notices.tell_coordinators(interest, "assigned", [assignee])


def add_note(interest: Interest, body: str, actor: User) -> InterestNote:
    if interest.erased_at is not None:
        raise DomainError(_l("The contact details of this interest were erased; it takes no "
                             "more notes."))
    note = InterestNote(interest=interest, author_id=actor.id, body=body.strip())
    db.session.add(note)
    _touch(interest)
    return note


def pass_to(interest: Interest, dataspace_id: int | None, actor: User) -> None:
    """Hand the interest to another Data Space, where it starts again as new."""
    _check_open(interest)
    target = db.session.get(DataSpace, dataspace_id) if dataspace_id else None
    if target is None:
        raise DomainError(_l("Choose a Data Space from the list."), field="dataspace_id",
                          status=422)
    if target.id == interest.dataspace_id:
        raise DomainError(_l("The interest is already with this Data Space."),
                          field="dataspace_id")
    audit.record(actor.id, AuditAction.INTEREST_PASSED, "interest", interest.id,
                 dataspace_id=interest.dataspace_id, to=target.slug)
    interest.passed_from_id = interest.dataspace_id
    interest.dataspace = target
    interest.status = InterestStatus.NEW
    interest.assignee = None
    _touch(interest)
    notices.tell_coordinators(interest, "passed", coordinators_of(target.id))


def _check_open(interest: Interest) -> None:
    if interest.converted:
        raise DomainError(_l("This interest already became a partnership."))


def _touch(interest: Interest) -> None:
    interest.last_activity_at = utcnow()
    db.session.flush()


# Converting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversion:
    #: An institution of the registry to merge with, or ``None`` for a new one.
    institution_id: int | None
    role: PartnerRole
    starts_on: date
    agreement_reference: str | None


def suggested_role(interest: Interest) -> PartnerRole:
    offers = [InterestOffer(value) for value in interest.offers]
    return next((ROLE_FOR_OFFER[offer] for offer in InterestOffer if offer in offers),
                PartnerRole.IMPLEMENTING)


def matching_institutions(interest: Interest) -> list[Institution]:
    """Institutions of the registry that are likely this organisation: the same name (in any
    language, ignoring case, accents, spacing and punctuation) or the same website."""
    name = _name_key(interest.organisation_name)
    site = _site_key(interest.website)
    return [institution for institution in registry.list_institutions()
            if name in {_name_key(text) for text in institution.name.values()}
            or (site and site == _site_key(institution.website))]


def _name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if char.isalnum())  # marks are not alnum


def _site_key(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").removeprefix("www.")
    return host + parts.path.rstrip("/") if host else None


def convert(interest: Interest, conversion: Conversion, actor: User) -> None:
    """An agreed interest becomes a partnership of its Data Space, with the institution it
    names: one already in the registry, or a new one made from what the form said."""
    _check_open(interest)
    if interest.status != InterestStatus.AGREED:
        raise DomainError(_l("Only an agreed interest can become a partnership."))
    if interest.dataspace is None:
        raise DomainError(_l("Pass the interest to a Data Space first: partnerships belong to "
                             "one."))
    institution = _institution_for(interest, conversion.institution_id)
    registry.add_partnership(interest.dataspace, institution.id, conversion.role,
                             starts_on=conversion.starts_on,
                             agreement_reference=conversion.agreement_reference)
    interest.institution = institution
    interest.converted_at = utcnow()
    audit.record(actor.id, AuditAction.INTEREST_CONVERTED, "interest", interest.id,
                 dataspace_id=interest.dataspace_id, institution=institution.slug,
                 role=conversion.role.value)
    _touch(interest)


def _institution_for(interest: Interest, institution_id: int | None) -> Institution:
    if institution_id:
        institution = next((match for match in matching_institutions(interest)
                            if match.id == institution_id), None)
        if institution is None:
            raise DomainError(_l("Choose one of the institutions that match."),
                              field="institution_id", status=422)
        if not institution.website and interest.website:
            institution.website = interest.website
        return institution
    return registry.save_institution(
        None, name={"en": interest.organisation_name}, kind=interest.organisation_kind,
        country_code=interest.country_code, website=interest.website)
