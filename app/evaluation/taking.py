"""Answering a survey: one question at a time, each answer saved as it is given (a dropped
connection loses nothing), then submitted once."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.auth.models import User
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.errors import DomainError
from app.evaluation.models import (
    Answer,
    Phase,
    Question,
    QuestionKind,
    Survey,
    SurveyKind,
    SurveyParticipation,
    SurveyResponse,
)
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import Programme, ProgrammeState

MAX_TEXT = 2000
NOT_OPEN = _l("This survey is not open to you.")


@dataclass(frozen=True)
class Waiting:
    """A survey phase someone may answer now."""

    survey: Survey
    programme: Programme
    phase: Phase


def open_phases(survey: Survey, user: User) -> list[Phase]:
    """The phases of ``survey`` the user may answer now: a confirmed participant, before the
    programme is over (``pre``) or once it is (feedback, ``post``)."""
    programme = survey.programme
    if programme is None or not db.session.scalar(select(Enrollment.id).where(
            Enrollment.programme_id == programme.id, Enrollment.user_id == user.id,
            Enrollment.status == EnrollmentStatus.CONFIRMED)):
        return []
    done = programme.state == ProgrammeState.COMPLETED
    if survey.kind == SurveyKind.FEEDBACK:
        return [Phase.ONCE] if done else []
    ongoing = programme.state in (ProgrammeState.REGISTRATION_OPEN,
                                  ProgrammeState.REGISTRATION_CLOSED, ProgrammeState.PUBLISHED,
                                  ProgrammeState.IN_PROGRESS)
    return [Phase.POST] if done else [Phase.PRE] if ongoing else []


def check_open(survey: Survey, user: User, phase: Phase) -> None:
    if phase not in open_phases(survey, user):
        raise DomainError(NOT_OPEN, status=403)
    if has_answered(survey, user, phase):
        raise DomainError(_l("You have already answered this survey. Thank you!"))


def has_answered(survey: Survey, user: User, phase: Phase) -> bool:
    return db.session.scalar(select(SurveyParticipation.id).where(
        SurveyParticipation.survey_id == survey.id, SurveyParticipation.user_id == user.id,
        SurveyParticipation.phase == phase)) is not None


def waiting_for(user: User) -> list[Waiting]:
    """The survey phases the user may answer now and has not, in a fixed number of queries."""
    rows = db.session.execute(
        select(Survey, Programme).join(Programme, Programme.id == Survey.programme_id)
        .join(Enrollment, Enrollment.programme_id == Programme.id)
        .where(Enrollment.user_id == user.id, Enrollment.status == EnrollmentStatus.CONFIRMED,
               Survey.questions.any())).all()
    answered = {(p.survey_id, p.phase) for p in db.session.scalars(
        select(SurveyParticipation).where(SurveyParticipation.user_id == user.id))}
    return [Waiting(survey, programme, phase) for survey, programme in rows
            for phase in open_phases(survey, user) if (survey.id, phase) not in answered]


# --- a draft -------------------------------------------------------------------------------


def _draft_key(survey: Survey, user: User, phase: Phase) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{survey.id}:{user.id}:{phase}".encode(), hashlib.sha256).hexdigest()


def draft(survey: Survey, user: User, phase: Phase, *, create: bool = False):
    """The user's unsubmitted response to this phase (made when ``create``)."""
    if survey.anonymous:
        key = _draft_key(survey, user, phase)
        found = db.session.scalar(select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.draft_key == key,
            SurveyResponse.phase == phase))
        owner = {"draft_key": key}
    else:
        found = db.session.scalar(select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == user.id,
            SurveyResponse.phase == phase))
        owner = {"user_id": user.id}
    if found is None and create:
        found = SurveyResponse(survey_id=survey.id, phase=phase, **owner)
        db.session.add(found)
        db.session.flush()
    return found


def answers_of(response: SurveyResponse | None) -> dict[int, list[Answer]]:
    given: dict[int, list[Answer]] = {}
    for answer in (response.answers if response else ()):
        given.setdefault(answer.question_id, []).append(answer)
    return given


def save_answer(survey: Survey, user: User, phase: Phase, question_id: int,
                values: list[str]) -> None:
    """Keep the answer to one question (replacing an earlier one), after checking it."""
    check_open(survey, user, phase)
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        raise DomainError(_l("This survey has no such question."), status=404)
    rows = _checked(question, values)
    response = draft(survey, user, phase, create=True)
    db.session.execute(delete(Answer).where(Answer.response_id == response.id,
                                            Answer.question_id == question.id))
    db.session.add_all(Answer(response_id=response.id, question_id=question.id, **row)
                       for row in rows)
    db.session.flush()


def _checked(question: Question, values: list[str]) -> list[dict]:
    values = [value.strip() for value in values if value.strip()]
    if question.kind == QuestionKind.TEXT:
        text = values[0] if values else ""
        if len(text) > MAX_TEXT:
            raise DomainError(_l("Please keep your answer under %(count)s characters.",
                                 count=MAX_TEXT), field="answer", status=422)
        return [{"text": text}] if text else []
    numbers = [_whole(value) for value in values]
    if question.kind == QuestionKind.RATING:
        allowed = range(question.scale_min, question.scale_max + 1)
    else:
        allowed = range(len(question.options))
    if any(number not in allowed for number in numbers) or len(set(numbers)) != len(numbers):
        raise DomainError(_l("Choose among the answers offered."), field="answer", status=422)
    if question.kind != QuestionKind.MULTIPLE and len(numbers) > 1:
        raise DomainError(_l("Choose one answer."), field="answer", status=422)
    return [{"number": number} for number in numbers]


def _whole(value: str) -> int | None:
    return int(value) if value.isascii() and value.lstrip("-").isdigit() and len(value) < 4 \
        else None


def unanswered(survey: Survey, response: SurveyResponse | None) -> list[Question]:
    """The questions that need an answer before submitting (all but free text and multiple
    choices, which may be left empty)."""
    given = answers_of(response)
    return [q for q in survey.questions if q.id not in given
            and q.kind not in (QuestionKind.TEXT, QuestionKind.MULTIPLE)]


def submit(survey: Survey, user: User, phase: Phase) -> SurveyResponse:
    """Submit the draft: once per person and phase. An anonymous response then loses the
    key that found it, and keeps no date."""
    check_open(survey, user, phase)
    response = draft(survey, user, phase)
    missing = unanswered(survey, response)
    if response is None or missing:
        raise DomainError(_l("Some questions still need an answer."), status=422)
    if survey.kind == SurveyKind.KNOWLEDGE:
        response.score = _score(survey, response)
    response.submitted = True
    if survey.anonymous:
        response.draft_key = None
    else:
        response.submitted_on = utcnow().date()
    db.session.add(SurveyParticipation(survey_id=survey.id, user_id=user.id, phase=phase))
    db.session.flush()
    return response


def _score(survey: Survey, response: SurveyResponse) -> float:
    items = [q for q in survey.questions if q.kind == QuestionKind.QUIZ]
    given = answers_of(response)
    right = sum(1 for q in items if [a.number for a in given.get(q.id, ())] == [q.correct_option])
    return right / len(items) if items else 0.0


def certificate_waits_for_feedback(programme_id: int, user_id: int) -> bool:
    """The programme asks for its feedback before its certificates are downloaded, and this
    participant has not given it."""
    survey = db.session.scalar(select(Survey).where(
        Survey.programme_id == programme_id, Survey.kind == SurveyKind.FEEDBACK,
        Survey.required_for_certificate.is_(True)))
    if survey is None:
        return False
    return db.session.scalar(select(SurveyParticipation.id).where(
        SurveyParticipation.survey_id == survey.id, SurveyParticipation.user_id == user_id,
        SurveyParticipation.phase == Phase.ONCE)) is None
