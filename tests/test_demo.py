"""The demo network looks alive: what a coordinator, an instructor or a funder finds after
`make run` (invented people, past programmes lived through, upcoming ones filling up)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.attendance.models import AttendanceMark
from app.auth.models import Role, RoleGrant
from app.certificates import eligibility as certificate_eligibility
from app.certificates import issuing as certificate_issuing
from app.certificates import jobs as certificate_jobs
from app.certificates.models import Certificate, CertificateStatus
from app.dataspaces.models import DataSpace
from app.enrollment.models import Enrollment, EnrollmentStatus, ParticipantProfile
from app.extensions import db
from app.grants import services as grants
from app.reporting import progress as grant_progress
from app.timeutil import utcnow
from app.workshops.models import Programme, ProgrammeState

SCRIPTS = {
    "Latin with accents": r"[À-ÿ]",
    "Arabic": r"[\u0600-\u06FF]",
    "Chinese": r"[\u4E00-\u9FFF]",
    "Hangul": r"[\uAC00-\uD7AF]",
    "Cyrillic": r"[\u0400-\u04FF]",
    "Greek": r"[\u0370-\u03FF]",
}


def table_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def statuses(programmes) -> dict[str, int]:
    ids = [programme.id for programme in programmes]
    return dict(db.session.execute(
        select(Enrollment.status, func.count()).where(Enrollment.programme_id.in_(ids))
        .group_by(Enrollment.status)).all())


def test_the_demo_network_is_lived_in_and_loading_it_twice_changes_nothing(app, runner):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    programmes = db.session.scalars(select(Programme)).all()
    past = [p for p in programmes if p.end_date < utcnow().date()]
    upcoming = [p for p in programmes if p.state == ProgrammeState.REGISTRATION_OPEN]

    # The 2016-17 plan happened: every past programme completed, with its participants.
    assert len(past) == 11 and all(p.state == ProgrammeState.COMPLETED for p in past)
    for programme in past:
        assert statuses([programme])[EnrollmentStatus.CONFIRMED] >= 10, programme.slug
    assert statuses(past).get(EnrollmentStatus.REJECTED), "applications were decided"
    marks = db.session.scalar(select(func.count()).select_from(AttendanceMark))
    assert marks > 300
    below = [c for p in past for c in certificate_eligibility.candidates(p) if not c.eligible]
    assert below, "some attended too little for a certificate"

    # Certificates, one revoked and reissued with a corrected name.
    issued = db.session.scalars(select(Certificate)).all()
    assert sum(c.status == CertificateStatus.VALID for c in issued) >= 100
    [revoked] = [c for c in issued if c.status == CertificateStatus.REVOKED]
    replacement = db.session.get(Certificate, revoked.replaced_by_id)
    assert replacement.snapshot["name"] == "Ana María Pérez de Gutiérrez"
    assert replacement.issued_at.year in (2016, 2017), "issued when the programme ended"

    # Upcoming programmes fill up: seats, a waiting list with an open offer, applications.
    waiting = statuses(upcoming)
    assert waiting[EnrollmentStatus.CONFIRMED] >= 20 and waiting[EnrollmentStatus.WAITLISTED]
    assert waiting[EnrollmentStatus.APPLIED] >= 5
    [offer] = db.session.scalars(select(Enrollment).where(
        Enrollment.status == EnrollmentStatus.OFFERED)).all()
    assert offer.offer_expires_at > utcnow()

    # People: a coordinator for every Data Space, instructors, names in many scripts.
    coordinated = set(db.session.scalars(select(RoleGrant.dataspace_id).where(
        RoleGrant.role == Role.COORDINATOR)))
    assert coordinated == set(db.session.scalars(select(DataSpace.id)))
    assert db.session.scalar(select(func.count()).select_from(RoleGrant).where(
        RoleGrant.role == Role.INSTRUCTOR)) >= 4
    names = " ".join(db.session.scalars(select(ParticipantProfile.certificate_name)))
    missing = [script for script, letters in SCRIPTS.items() if not re.search(letters, names)]
    assert not missing, missing

    # The 2016-17 training grant funds them, and its page says how far the plan went.
    grant = grants.get_grant("global-training-grant-2016-17")
    assert len(grant.programmes) == 11
    reached = {(item.target.measure.value, item.target.programme_kind): item.delivered
               for item in grant_progress.progress(grant).targets}
    assert reached["programmes", "workshop"] == 9 and reached["programmes", "summer-school"] == 2
    assert reached["countries", None] == 5  # Colombia, the US, Kenya, Senegal, Rwanda
    assert reached["certificates", None] >= 100

    # The scheduler draws their PDFs afterwards, as after any batch.
    first = past[0]
    assert certificate_jobs.render_missing(first) == len(certificate_issuing.of_programme(first))

    before = table_counts()
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert table_counts() == before
