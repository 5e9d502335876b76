"""The emails inviting participants to a survey, written by the sender in each one's
language."""

from __future__ import annotations

from app import mail
from app.auth.models import User
from app.evaluation.models import Survey
from app.extensions import db
from app.outbox import services as outbox
from app.urls import external_url


def tell(person: User, survey: Survey, template: str) -> None:
    """``invitation`` or ``reminder``: a row only, rendered when sent (:func:`render`)."""
    outbox.enqueue_notice(person.email, "survey", template=template, survey=survey.id,
                          user=person.id)


def render(notice: dict) -> mail.Mail:
    survey = db.session.get(Survey, notice["survey"])
    person = db.session.get(User, notice["user"])
    if survey is None or person is None:
        raise LookupError(f"survey {notice['survey']} or its reader no longer exists")
    phase = survey.phases[-1]
    return mail.render_mail(
        person.email, f"evaluation/email/{notice['template']}", person.preferred_language,
        person=person, survey=survey, programme=survey.programme,
        survey_url=external_url("evaluation.take", survey_id=survey.id, phase=phase.value),
        required=survey.required_for_certificate)
