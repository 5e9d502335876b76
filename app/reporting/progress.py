"""Where a grant stands against its targets: delivered, planned, remaining, by quarter.

Counting rules (also written on the grant page):

- a programme counts when the grant funds it; cancelled ones and drafts never count;
  *delivered* means completed, *planned* means scheduled and not yet completed;
- a country counts once, when the first programme held there is delivered;
- a person counts once per grant (the confirmed participants of its programmes), as trained
  once a programme of theirs is delivered, as planned while their programmes are to come;
- certificates are the valid ones; the share of women is among the people trained;
- a language target counts the programmes taught in all of its languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import distinct, func, select

from app.certificates.models import Certificate, CertificateStatus
from app.enrollment.models import Enrollment, EnrollmentStatus, Gender, ParticipantProfile
from app.extensions import db
from app.grants.models import (
    DeliverableStatus,
    Grant,
    GrantTarget,
    TargetBound,
    TargetMeasure,
    grant_programmes,
)
from app.workshops.models import Programme, ProgrammeState

NOT_COUNTED = (ProgrammeState.DRAFT, ProgrammeState.CANCELLED)


@dataclass(frozen=True)
class TargetProgress:
    target: GrantTarget
    delivered: int
    planned: int

    @property
    def remaining(self) -> int:
        return max(self.target.value - self.delivered - self.planned, 0)

    @property
    def met(self) -> bool:
        """Reached: "at least N" once N are delivered; "up to N" once the plan's N are (more
        than N is shown as such, not as better)."""
        return self.delivered >= self.target.value

    @property
    def beyond_ceiling(self) -> bool:
        return self.target.bound == TargetBound.UP_TO and self.delivered > self.target.value

    def share(self, count: int) -> int:
        """``count`` as a percentage of the target, for the progress bar (at most 100)."""
        return min(100, round(100 * count / self.target.value)) if self.target.value else 0


@dataclass(frozen=True)
class GrantProgress:
    grant: Grant
    programmes: list[Programme]  # what counts, delivered and planned
    targets: list[TargetProgress]
    quarters: list[tuple[str, int, int]]  # label, programmes delivered, planned


def progress(grant: Grant) -> GrantProgress:
    programmes = _counted_programmes(grant)
    people = _people(grant)
    certificates = db.session.scalar(select(func.count(Certificate.id)).where(
        Certificate.programme_id.in_([p.id for p in programmes]),
        Certificate.status == CertificateStatus.VALID))
    targets = [_progress_of(target, programmes, people, certificates) for target in grant.targets]
    return GrantProgress(grant, programmes, targets, _quarters(grant, programmes))


def _counted_programmes(grant: Grant) -> list[Programme]:
    return [p for p in grant.programmes if p.state not in NOT_COUNTED]


def _delivered(programme: Programme) -> bool:
    return programme.state == ProgrammeState.COMPLETED


@dataclass(frozen=True)
class _People:
    trained: int
    planned: int
    women: int


def _people(grant: Grant) -> _People:
    """People of the grant's programmes, each once: trained (in a delivered programme),
    planned (only in programmes to come), and the women among those trained."""
    funded = select(grant_programmes.c.programme_id).where(
        grant_programmes.c.grant_id == grant.id)
    confirmed = (Enrollment.programme_id.in_(funded),
                 Enrollment.status == EnrollmentStatus.CONFIRMED)
    delivered = select(Programme.id).where(Programme.state == ProgrammeState.COMPLETED)
    to_come = select(Programme.id).where(Programme.state.not_in(
        (*NOT_COUNTED, ProgrammeState.COMPLETED)))
    trained_ids = select(Enrollment.user_id).where(*confirmed,
                                                   Enrollment.programme_id.in_(delivered))
    trained, women = db.session.execute(
        select(func.count(distinct(Enrollment.user_id)),
               func.count(distinct(ParticipantProfile.user_id)))
        .outerjoin(ParticipantProfile, (ParticipantProfile.user_id == Enrollment.user_id)
                   & (ParticipantProfile.gender == Gender.WOMAN))
        .where(*confirmed, Enrollment.programme_id.in_(delivered))).one()
    planned = db.session.scalar(
        select(func.count(distinct(Enrollment.user_id)))
        .where(*confirmed, Enrollment.programme_id.in_(to_come),
               Enrollment.user_id.not_in(trained_ids)))
    return _People(trained, planned, women)


def _progress_of(target: GrantTarget, programmes: list[Programme], people: _People,
                 certificates: int) -> TargetProgress:
    measure = target.measure
    if measure in (TargetMeasure.PROGRAMMES, TargetMeasure.LANGUAGES):
        counted = [p for p in programmes if _counts_for(target, p)]
        done = sum(1 for p in counted if _delivered(p))
        return TargetProgress(target, done, len(counted) - done)
    if measure == TargetMeasure.COUNTRIES:
        reached = {p.node.country_code for p in programmes if _delivered(p)}
        coming = {p.node.country_code for p in programmes if not _delivered(p)} - reached
        return TargetProgress(target, len(reached), len(coming))
    if measure == TargetMeasure.PARTICIPANTS:
        return TargetProgress(target, people.trained, people.planned)
    if measure == TargetMeasure.CERTIFICATES:
        return TargetProgress(target, certificates, 0)
    if measure == TargetMeasure.WOMEN_SHARE:
        share = round(100 * people.women / people.trained) if people.trained else 0
        return TargetProgress(target, share, 0)
    done = target.status == DeliverableStatus.DELIVERED  # a named deliverable
    return TargetProgress(target, int(done), int(target.status == DeliverableStatus.IN_PROGRESS))


def _counts_for(target: GrantTarget, programme: Programme) -> bool:
    if target.programme_kind and programme.kind.value != target.programme_kind:
        return False
    return set(target.languages) <= set(programme.languages)


def quarter_of(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _quarters(grant: Grant, programmes: list[Programme]) -> list[tuple[str, int, int]]:
    """Every quarter of the grant's period, with the programmes delivered and planned that
    end in it."""
    labels, day = [], date(grant.starts_on.year, (grant.starts_on.month - 1) // 3 * 3 + 1, 1)
    while day <= grant.ends_on:
        labels.append(quarter_of(day))
        day = date(day.year + (day.month > 9), (day.month + 2) % 12 + 1, 1)
    counts = {label: [0, 0] for label in labels}
    for programme in programmes:
        label = quarter_of(programme.end_date)
        if label in counts:
            counts[label][0 if _delivered(programme) else 1] += 1
    return [(label, done, planned) for label, (done, planned) in counts.items()]
