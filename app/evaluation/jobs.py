"""Scheduled jobs of evaluation: invitations when a programme is over, and one reminder five
days later. Each survey is claimed by a conditional UPDATE and committed before the next, so
two scheduler instances never send twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.enrollment import lists as enrollments
from app.evaluation import notices
from app.evaluation.models import Survey, SurveyParticipation
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import Programme, ProgrammeState

REMINDER_AFTER = timedelta(days=5)


def _claim_each(condition, column: str, now: datetime, template: str) -> int:
    sent = 0
    for survey_id in db.session.scalars(select(Survey.id).where(*condition)).all():
        claimed = db.session.execute(
            update(Survey).where(Survey.id == survey_id, *condition).values({column: now})
            .execution_options(synchronize_session=False)).rowcount
        if claimed == 1:
            sent += _tell_who_has_not_answered(db.session.get(Survey, survey_id), template)
        db.session.commit()
    return sent


def _tell_who_has_not_answered(survey: Survey, template: str) -> int:
    answered = set(db.session.scalars(select(SurveyParticipation.user_id).where(
        SurveyParticipation.survey_id == survey.id, SurveyParticipation.phase.in_(
            survey.phases[-1:]))))
    people = [e.user for e in enrollments.confirmed(survey.programme_id)
              if e.user_id not in answered]
    for person in people:
        notices.tell(person, survey, template)
    return len(people)


def invite(now: datetime | None = None) -> int:
    """Invite the confirmed participants of completed programmes to their surveys."""
    now = now or utcnow()
    done = select(Programme.id).where(Programme.state == ProgrammeState.COMPLETED)
    return _claim_each((Survey.invited_at.is_(None), Survey.programme_id.in_(done),
                        Survey.questions.any()), "invited_at", now, "invitation")


def remind(now: datetime | None = None) -> int:
    """Remind, once, those who have not answered five days after the invitation."""
    now = now or utcnow()
    return _claim_each((Survey.invited_at <= now - REMINDER_AFTER,
                        Survey.reminded_at.is_(None)), "reminded_at", now, "reminder")


#: Registered by the scheduler (app/site/scheduler.py), one process for the deployment.
JOBS = {"invite-to-surveys": invite, "remind-surveys": remind}
