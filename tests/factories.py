"""Small factories that write real rows (flushed, not committed)."""

from __future__ import annotations

import itertools
from datetime import datetime

from app.auth import services as auth_services
from app.auth.models import Role, User
from app.dataspaces.models import (
    DataSpace,
    DataSpaceStatus,
    Institution,
    InstitutionKind,
    Node,
    PartnerRole,  # noqa: F401  (re-exported for tests)
    Region,
)
from app.extensions import db
from app.multilingual import MultilingualText
from app.timeutil import utcnow

_sequence = itertools.count(1)
PASSWORD = "correct horse battery"
#: The smallest file a PDF reader opens (for uploads).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def dataspace(
    slug: str | None = None, *, name=None, region=Region.LATIN_AMERICA, **values
) -> DataSpace:
    number = next(_sequence)
    space = DataSpace(
        slug=slug or f"space-{number}",
        region=region,
        name=MultilingualText(name or {"en": f"Data Space {number}",
                                       "es": f"Data Space {number} (es)"}),
        description=values.pop("description", {}),
        status=values.pop("status", DataSpaceStatus.ACTIVE),
        **values,
    )
    db.session.add(space)
    db.session.flush()
    return space


def institution(name=None, **values) -> Institution:
    number = next(_sequence)
    inst = Institution(
        slug=f"institution-{number}",
        name=MultilingualText(name or {"en": f"Institution {number}"}),
        kind=values.pop("kind", InstitutionKind.UNIVERSITY),
        **values,
    )
    db.session.add(inst)
    db.session.flush()
    return inst


def node(space: DataSpace, slug: str | None = None, **values) -> Node:
    number = next(_sequence)
    item = Node(
        dataspace=space,
        slug=slug or f"node-{number}",
        city=values.pop("city", {"en": f"City {number}"}),
        country_code=values.pop("country_code", "CO"),
        time_zone=values.pop("time_zone", "America/Bogota"),
        **values,
    )
    db.session.add(item)
    db.session.flush()
    return item


def user(
    email: str | None = None,
    *,
    role: Role | None = None,
    dataspace: DataSpace | None = None,
    verified: bool = True,
    **values,
) -> User:
    account = User(
        email=email or f"person{next(_sequence)}@example.org",
        display_name=values.pop("display_name", "Test Person"),
        password_hash=values.pop("password_hash", _password_hash()),
        email_verified_at=utcnow() if verified else None,
        **values,
    )
    db.session.add(account)
    db.session.flush()
    if role is not None:
        auth_services.grant_role(account, role, dataspace.id if dataspace else None)
    return account


_hash_cache: list[str] = []


def _password_hash() -> str:
    # argon2 is slow on purpose; one hash serves every factory-made account.
    if not _hash_cache:
        _hash_cache.append(auth_services.hash_password(PASSWORD))
    return _hash_cache[0]


def sign_in(client, account: User) -> bool:
    """Sign in through the session, as the sign-in page does; a client already signed in as
    ``account`` keeps its sign-in. Whether a sign-in was written."""
    from app.auth import SIGN_IN_KEY

    db.session.commit()
    with client.session_transaction() as session:
        token = session.get(SIGN_IN_KEY)
        if session.get("_user_id") == str(account.id) and auth_services.signed_in_user(
                account.id, token):
            return False
        session["_user_id"] = str(account.id)
        session["_fresh"] = True
        session[SIGN_IN_KEY] = auth_services.start_sign_in(account, "test client")
        db.session.commit()
    return True


def topic(slug: str, name=None):
    from app.curriculum.models import Topic

    item = Topic(slug=slug, name=name or {"en": slug.replace("-", " ").title()})
    db.session.add(item)
    db.session.flush()
    return item


def module(author: User | None = None, *, title=None, publish: bool = True, **values):
    """A module made through the service, as an author would; published unless asked not to."""
    from decimal import Decimal

    from app.curriculum import services as curriculum

    number = next(_sequence)
    content = curriculum.ModuleContent(
        title=title or {"en": f"Module {number}"},
        summary=values.pop("summary", {}),
        body=values.pop("body", {"en": f"Body of module {number}."}),
        learning_outcomes=values.pop("learning_outcomes", {}),
        level=values.pop("level", curriculum.Level.INTRODUCTORY),
        duration_hours=Decimal(str(values.pop("duration_hours", "2"))),
        licence=values.pop("licence", "CC-BY-4.0"),
        topic_slugs=tuple(values.pop("topics", ())),
        dataspace_id=values.pop("dataspace_id", None),
    )
    item = curriculum.create_module(content, author or user(role=Role.INSTRUCTOR))
    if publish:
        curriculum.publish_module(item)
    return item


def programme(space: DataSpace | None = None, *, node_: Node | None = None, title=None,
              start=None, days: int = 3, state=None, instructors=(), **values):
    """A programme made through the service (a draft unless ``state`` says otherwise)."""
    from datetime import date, timedelta

    from app.workshops import services as workshops
    from app.workshops.models import DeliveryMode, EnrollmentMode, ProgrammeKind, ProgrammeState

    space = space or dataspace()
    node_ = node_ or node(space)
    number = next(_sequence)
    start = start or date(2030, 3, 4)
    details = workshops.ProgrammeDetails(
        kind=values.pop("kind", ProgrammeKind.WORKSHOP), dataspace_id=space.id,
        node_id=node_.id, host_id=None, title=title or {"en": f"Programme {number}"},
        summary={}, languages=values.pop("languages", ["en"]),
        delivery_mode=values.pop("delivery_mode", DeliveryMode.IN_PERSON),
        meeting_url=values.pop("meeting_url", None), venue=None, start_date=start,
        end_date=start + timedelta(days=days - 1), time_zone=values.pop("time_zone", None),
        capacity=values.pop("capacity", 20),
        registration_opens_local=values.pop("registration_opens_local", None),
        registration_closes_local=values.pop("registration_closes_local", None),
        enrollment_mode=values.pop("enrollment_mode", EnrollmentMode.OPEN),
        min_attendance_percent=80, curriculum_id=None,
        instructor_ids=[user.id for user in instructors],
    )
    item = workshops.save_programme(None, details)
    path = [ProgrammeState.PUBLISHED, ProgrammeState.REGISTRATION_OPEN,
            ProgrammeState.REGISTRATION_CLOSED, ProgrammeState.IN_PROGRESS,
            ProgrammeState.COMPLETED]
    if state is not None and state != ProgrammeState.DRAFT:
        for step in path[: path.index(state) + 1] if state in path else path[:1]:
            workshops.transition(item, step, actor=None)
        if state == ProgrammeState.CANCELLED:
            workshops.transition(item, ProgrammeState.CANCELLED, actor=None)
    return item


def session(item, *, starts_local, hours: float = 2, instructors=(), room=None, title=None):
    from datetime import timedelta

    from app.workshops import services as workshops

    return workshops.save_session(item, None, workshops.SessionDetails(
        title=title or {"en": "Session"}, module_id=None, starts_local=starts_local,
        ends_local=starts_local + timedelta(hours=hours), room=room, materials=None,
        instructor_ids=[user.id for user in instructors]))


def wall(*parts: int) -> datetime:
    """A wall-clock time, as a person types it: naive on purpose (no time zone yet)."""
    return datetime(*parts)  # noqa: DTZ001


def profile(account: User, **values):
    from app.enrollment import profiles as enrollment_profiles
    from app.enrollment.models import Sector

    return enrollment_profiles.save_profile(account, enrollment_profiles.ProfileDetails(
        given_name=values.pop("given_name", "Ana"), family_name=values.pop("family_name", None),
        certificate_name=values.pop("certificate_name", None),
        organization=values.pop("organization", "Statistics office"),
        sector=values.pop("sector", Sector.STATISTICS_OFFICE),
        country_code=values.pop("country_code", "CO"), gender=values.pop("gender", None),
        gender_self_described=None,
        accessibility_needs=None, consent=True))


def participant(email: str | None = None, **values) -> User:
    """A verified participant with a complete profile (ready to enrol)."""
    account = user(email, role=Role.PARTICIPANT, preferred_language=values.pop("language", None))
    profile(account, **values)
    return account


def open_programme(capacity: int = 5, **values):
    """A programme whose registration is open now."""
    from app.workshops.models import ProgrammeState

    return programme(capacity=capacity, state=ProgrammeState.REGISTRATION_OPEN, **values)


def grant(spaces, funder, *, programmes=(), targets=None, public=False, starts=None, ends=None):
    """A grant made through the service, funding ``programmes``; by default one named
    deliverable as its target."""
    from datetime import date

    from app.grants import services as grants
    from app.grants.models import TargetBound, TargetMeasure

    made = grants.save_grant(None, grants.GrantDetails(
        title={"en": f"Grant {next(_sequence)}"}, description={}, reference=None,
        starts_on=starts or date(2016, 1, 1), ends_on=ends or date(2017, 12, 31), amount=None,
        currency=None, dataspace_ids=tuple(space.id for space in spaces),
        funder_ids=(funder.id,), partner_ids=(), public=public), allowed_dataspace_ids=None)
    for details in targets or [grants.TargetDetails(
            TargetMeasure.DELIVERABLE, TargetBound.AT_LEAST, 1, label={"en": "A platform"})]:
        grants.add_target(made, details)
    for programme_ in programmes:
        grants.fund_programme(made, programme_.id)
    return made


def programme_details(programme, **changes):
    """What the programme form would send for ``programme``, with ``changes``."""
    from app.workshops import services as workshops

    values = {
        "kind": programme.kind, "dataspace_id": programme.dataspace_id,
        "node_id": programme.node_id, "host_id": None, "title": dict(programme.title),
        "summary": {}, "languages": programme.languages,
        "delivery_mode": programme.delivery_mode, "meeting_url": None, "venue": None,
        "start_date": programme.start_date, "end_date": programme.end_date, "time_zone": None,
        "capacity": programme.capacity, "registration_opens_local": None,
        "registration_closes_local": None, "enrollment_mode": programme.enrollment_mode,
        "min_attendance_percent": 80, "curriculum_id": None}
    values.update(changes)
    return workshops.ProgrammeDetails(**values)


def interest_details(space: DataSpace | None = None, **changes):
    """What an institution writes on the "work with us" form."""
    from app.partners.services import InterestDetails

    values = {
        "dataspace_id": space.id if space else None, "organisation_name": "Lagos Data Hub",
        "organisation_kind": InstitutionKind.NGO, "country_code": "NG",
        "website": "https://lagos-datahub.example.org", "contact_name": "Ngozi Okafor",
        "contact_role": "Director", "contact_email": "ngozi@example.org",
        "offers": ["co-teach"], "partner_dataspace_id": None,
        "message": "We would like to co-teach the data journalism track.",
        "languages": ["en"],
    }
    return InterestDetails(**{**values, **changes})


def access_token(account: User, scope: str = "coordinator", days: int = 30) -> str:
    """The secret of a new access token of ``account`` (made through the service)."""
    from app.api import tokens
    from app.api.models import TokenScope

    _token, secret = tokens.create(account, "test", TokenScope(scope), days)
    return secret
