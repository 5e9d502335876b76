"""The world the access matrix and the fuzzer walk: two Data Spaces, one actor of each kind,
and one of every record a URL can name (a pytest plugin, so that both test modules share it)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from app.api import tokens
from app.auth.models import Role
from app.curriculum import services as curriculum
from app.curriculum.uploads import check_upload
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.evaluation import services as evaluation
from app.evaluation.models import SurveyKind
from app.extensions import db
from app.workshops.models import ProgrammeState
from tests import factories
from tests.factories import PDF, wall


@pytest.fixture
def world(app):
    """Two Data Spaces, one actor of each kind, and one of every record a URL can name."""
    own = factories.dataspace("own")
    other = factories.dataspace("other")
    node = factories.node(own)
    institution = factories.institution()
    from app.dataspaces import services as ds

    partnership = ds.add_partnership(own, institution.id, factories.PartnerRole.FUNDER)
    member = ds.add_team_member(own, person_name="Ana", title={}, email=None, node_id=None)
    target = factories.user("target@example.org", role=Role.INSTRUCTOR)
    instructor = factories.user(role=Role.INSTRUCTOR)
    module = factories.module(instructor, dataspace_id=own.id)
    material = curriculum.add_file(module, "Slides", check_upload("s.pdf", PDF, 10_000))
    collection = curriculum.save_collection(
        None, title={"en": "C"}, description={}, dataspace_id=own.id
    )
    collection_item = curriculum.add_to_collection(collection, module.slug)
    plan = curriculum.save_curriculum(None, title={"en": "P"}, description={}, dataspace_id=own.id)
    plan_item = curriculum.add_to_curriculum(plan, module.slug)
    participant = factories.participant()
    actors = {
        "anonymous": None,
        "unverified": factories.user(verified=False),
        "participant": participant,
        "instructor": instructor,
        "coordinator": factories.user(role=Role.COORDINATOR, dataspace=own),
        "other_coordinator": factories.user(role=Role.COORDINATOR, dataspace=other),
        "admin": factories.user(role=Role.ADMIN),
    }
    programme = factories.programme(own, node_=node, instructors=[instructor],
                                    state=ProgrammeState.PUBLISHED)
    session = factories.session(programme, starts_local=wall(2030, 3, 4, 9),
                                instructors=[instructor])
    seat = Enrollment(programme_id=programme.id, user_id=participant.id, queue_number=1,
                      status=EnrollmentStatus.CONFIRMED)
    db.session.add(seat)
    db.session.flush()
    certificate = _a_certificate(own, node, participant, actors["admin"])
    survey = evaluation.attach(certificate.programme, SurveyKind.FEEDBACK)
    grant = factories.grant([own], institution, programmes=[programme])
    report = _a_funder_report(grant)
    interest = _an_interest(own)
    slugs = {
        "/workshops/": programme.slug,
        "/attendance/programmes/": programme.slug,
        "/certificates/programmes/": programme.slug,
        "/certificates/templates/": own.slug,
        "/knowledge/modules/": module.slug,
        "/knowledge/collections/": collection.slug,
        "/curricula/": plan.slug,
        "/dataspaces/": own.slug,
        "/grants/": grant.slug,
        "/reports/grants/": grant.slug,
        "/reports/dataspaces/": own.slug,
        "/api/v1/dataspaces/": own.slug,
        "/evaluation/programmes/": programme.slug,
        "/evaluation/dataspaces/": own.slug,
        "/api/v1/programmes/": programme.slug,
        "/api/v1/modules/": module.slug,
        "/api/v1/collections/": collection.slug,
    }
    item_ids = {"/knowledge/collections/": collection_item.id, "/curricula/": plan_item.id}
    values = {
        "slugs": slugs,
        "item_ids": item_ids,
        "material_id": material.id,
        "enrollment_id": seat.id,
        "code": "not-a-certificate-code",
        "certificate_id": certificate.id,
        "action": "accept",
        # <action> by route: revoking with no reason is refused (nothing changes for the rows
        # after it); only the Data Space's staff get that far.
        "actions": {"/certificates/<int:certificate_id>/": "revoke"},
        "fmt": "csv",
        "session_id": session.id,
        "node_id": node.id,
        "partnership_id": partnership.id,
        "membership_id": member.id,
        "institution_id": institution.id,
        "user_id": target.id,
        "grant_id": target.grants[0].id,
        "target_id": grant.targets[0].id,
        "programme_id": programme.id,
        "report_id": report.id,
        "interest_id": interest.id,
        "module_id": module.id,
        "module_slug": module.slug,
        "token": "not-a-real-token",
        "survey_id": survey.id,
        "question_id": survey.questions[0].id,
        "phase": "once",
        "step": 1,
        "kind": "knowledge",
        "api_tokens": {actor: factories.access_token(account, "coordinator")
                       for actor, account in actors.items() if account is not None},
    }
    values["token_id"] = tokens.find(values["api_tokens"]["participant"]).id
    db.session.commit()
    return actors, values


def _a_certificate(space, node, participant, admin):
    """An issued certificate of a completed programme of ``space`` (by a recorded exception)."""
    from app.certificates import eligibility as certificate_eligibility
    from app.certificates import issuing as certificate_issuing

    finished = factories.programme(space, node_=node, state=ProgrammeState.COMPLETED)
    seat = Enrollment(programme_id=finished.id, user_id=participant.id, queue_number=1,
                      status=EnrollmentStatus.CONFIRMED)
    db.session.add(seat)
    db.session.flush()
    certificate_eligibility.override(seat, "Attended the make-up sessions", admin)
    return certificate_issuing.issue(seat, admin)


def _a_funder_report(grant):
    """A funder report already built (its PDF stored)."""
    from app import storage
    from app.reporting.models import BuildStatus, FunderReport

    report = FunderReport(grant_id=grant.id, language="en", status=BuildStatus.DONE,
                          progress=100, file_id=storage.store(PDF, "application/pdf").id)
    db.session.add(report)
    db.session.flush()
    return report


def _an_interest(space):
    """A new expression of interest addressed to ``space``."""
    from app.partners import services as partners

    return partners.submit(factories.interest_details(space), "en")


def concrete(pattern: str, values: dict) -> str:
    """The URL for a pattern: ``<slug>`` and ``<int:item_id>`` depend on the section, and
    ``<action>`` on the route."""
    section = next((prefix for prefix in values["slugs"] if pattern.startswith(prefix)), None)
    url = pattern
    for prefix, action in values.get("actions", {}).items():
        if pattern.startswith(prefix):
            url = url.replace("<action>", action)
    if section:
        url = url.replace("<slug>", values["slugs"][section])
        url = url.replace("<int:item_id>", str(values["item_ids"].get(section, 0)))
    for name, value in values.items():
        url = url.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
    return url


def table_digests() -> dict[str, str]:
    """One digest per table of every row it holds: any insert, update or delete changes it."""
    digests = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns))
            digests[table.name] = hashlib.sha256(repr(rows.all()).encode()).hexdigest()
    return digests
