"""Surveys and knowledge checks: attaching them to a programme, writing their questions, and
the rule that what was answered cannot be changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from app.audit import services as audit
from app.audit.models import AuditAction
from app.curriculum.models import Module
from app.errors import DomainError
from app.evaluation.models import (
    Answer,
    Question,
    QuestionKind,
    Survey,
    SurveyKind,
    SurveyResponse,
)
from app.extensions import db
from app.multilingual import MultilingualText
from app.workshops.models import Programme

MAX_QUESTIONS = 40
MAX_OPTIONS = 12

#: The network's default feedback survey, the first time anyone needs it.
DEFAULT_QUESTIONS = (
    (QuestionKind.RATING, {"en": "Overall, how would you rate the programme?",
                           "es": "En general, ¿cómo valora el programa?",
                           "fr": "Dans l'ensemble, comment évaluez-vous le programme ?",
                           "pt": "No geral, como você avalia o programa?",
                           "ar": "بشكل عام، كيف تقيّم البرنامج؟"}, ()),
    (QuestionKind.RATING, {"en": "How useful will it be in your work?",
                           "es": "¿Qué tan útil será en su trabajo?",
                           "fr": "Quelle sera son utilité dans votre travail ?",
                           "pt": "Quão útil será no seu trabalho?",
                           "ar": "ما مدى فائدته في عملك؟"}, ()),
    (QuestionKind.MULTIPLE, {"en": "What helped you most?", "es": "¿Qué le ayudó más?",
                             "fr": "Qu'est-ce qui vous a le plus aidé ?",
                             "pt": "O que mais ajudou você?", "ar": "ما الذي ساعدك أكثر؟"},
     ({"en": "The lectures", "es": "Las clases", "fr": "Les cours", "pt": "As aulas",
       "ar": "المحاضرات"},
      {"en": "The hands-on exercises", "es": "Los ejercicios prácticos",
       "fr": "Les exercices pratiques", "pt": "Os exercícios práticos",
       "ar": "التمارين التطبيقية"},
      {"en": "The other participants", "es": "Los demás participantes",
       "fr": "Les autres participants", "pt": "Os outros participantes",
       "ar": "المشاركون الآخرون"})),
    (QuestionKind.TEXT, {"en": "What should we improve?", "es": "¿Qué deberíamos mejorar?",
                         "fr": "Que devrions-nous améliorer ?", "pt": "O que devemos melhorar?",
                         "ar": "ما الذي ينبغي أن نحسّنه؟"}, ()),
)


@dataclass(frozen=True)
class QuestionDetails:
    kind: QuestionKind
    text: Mapping[str, str]
    options: Sequence[Mapping[str, str]] = ()
    scale_min: int = 1
    scale_max: int = 5
    correct_option: int | None = None  # 1-based, as people count
    module_id: int | None = None
    extra: dict = field(default_factory=dict)


# --- finding -------------------------------------------------------------------------------


def network_default() -> Survey:
    """The network's default feedback survey (made, with its questions, the first time)."""
    survey = db.session.scalar(select(Survey).where(Survey.programme_id.is_(None),
                                                    Survey.kind == SurveyKind.FEEDBACK))
    if survey is None:
        survey = Survey(kind=SurveyKind.FEEDBACK)
        db.session.add(survey)
        for position, (kind, text, options) in enumerate(DEFAULT_QUESTIONS):
            survey.questions.append(Question(kind=kind, text=MultilingualText(text),
                                             options=list(options), position=position))
        db.session.flush()
    return survey


def surveys_of(programme: Programme) -> dict[SurveyKind, Survey]:
    return {survey.kind: survey for survey in db.session.scalars(
        select(Survey).where(Survey.programme_id == programme.id))}


def survey_of(programme_id: int, kind: SurveyKind) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.programme_id == programme_id,
                                                  Survey.kind == kind))


def answered_question_ids(survey: Survey) -> set[int]:
    return set(db.session.scalars(
        select(Answer.question_id).distinct().join(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id)))


def has_responses(survey: Survey) -> bool:
    return db.session.scalar(select(exists().where(SurveyResponse.survey_id == survey.id)))


# --- attaching -----------------------------------------------------------------------------


def attach(programme: Programme, kind: SurveyKind) -> Survey:
    """Give the programme its feedback survey (a copy of the network's default, to adapt) or
    its knowledge check (empty: its items come from the modules' learning outcomes)."""
    if survey_of(programme.id, kind) is not None:
        raise DomainError(_l("This programme already has one."))
    survey = Survey(programme_id=programme.id, kind=kind)
    db.session.add(survey)
    if kind == SurveyKind.FEEDBACK:
        for question in network_default().questions:
            survey.questions.append(Question(
                kind=question.kind, text=question.text, options=list(question.options),
                scale_min=question.scale_min, scale_max=question.scale_max,
                position=question.position))
    db.session.flush()
    return survey


def save_settings(survey: Survey, *, anonymous: bool, required_for_certificate: bool,
                  actor_id: int) -> None:
    if survey.kind == SurveyKind.KNOWLEDGE and anonymous:
        raise DomainError(_l("A knowledge check cannot be anonymous: its two scores are "
                             "paired per participant."), field="anonymous", status=422)
    if anonymous != survey.anonymous and has_responses(survey):
        raise DomainError(_l("Answers have arrived: whether the survey is anonymous can no "
                             "longer change."), field="anonymous")
    survey.anonymous = anonymous
    survey.required_for_certificate = required_for_certificate
    _audit_if_answered(survey, actor_id, "settings")
    db.session.flush()


# --- questions -----------------------------------------------------------------------------


def save_question(survey: Survey, question: Question | None, details: QuestionDetails, *,
                  actor_id: int) -> Question:
    """Add a question, or change one nobody has answered yet."""
    _check_question(survey, details)
    if question is None:
        if len(survey.questions) >= MAX_QUESTIONS:
            raise DomainError(_l("A survey has at most %(count)s questions.",
                                 count=MAX_QUESTIONS))
        question = Question(survey_id=survey.id, position=len(survey.questions))
        survey.questions.append(question)
    elif question.id in answered_question_ids(survey):
        raise DomainError(_l("This question has been answered: it can no longer change. Add a "
                             "new question instead."))
    question.kind = details.kind
    question.text = MultilingualText(details.text)
    question.options = [dict(option) for option in details.options]
    question.scale_min, question.scale_max = details.scale_min, details.scale_max
    question.correct_option = details.correct_option - 1 if details.correct_option else None
    question.module_id = details.module_id
    db.session.flush()
    _audit_if_answered(survey, actor_id, "question saved", question=question.id)
    return question


def remove_question(survey: Survey, question_id: int, *, actor_id: int) -> None:
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        raise DomainError(_l("This survey has no such question."), status=404)
    if question_id in answered_question_ids(survey):
        raise DomainError(_l("This question has been answered: it can no longer be removed."))
    survey.questions.remove(question)
    db.session.flush()
    _audit_if_answered(survey, actor_id, "question removed", question=question_id)


def _check_question(survey: Survey, details: QuestionDetails) -> None:
    allowed = ({QuestionKind.QUIZ} if survey.kind == SurveyKind.KNOWLEDGE
               else set(QuestionKind) - {QuestionKind.QUIZ})
    if details.kind not in allowed:
        raise DomainError(_l("This kind of question does not belong in this survey."),
                          field="kind", status=422)
    choices = details.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.QUIZ)
    if choices and not 2 <= len(details.options) <= MAX_OPTIONS:
        raise DomainError(_l("Give between 2 and %(count)s options, one per line.",
                             count=MAX_OPTIONS), field="options", status=422)
    if details.kind == QuestionKind.RATING and not (
            0 <= details.scale_min < details.scale_max <= 10):
        raise DomainError(_l("A scale goes from 0 or more to at most 10, its end above its "
                             "start."), field="scale_max", status=422)
    if details.kind == QuestionKind.QUIZ and not (
            details.correct_option and 1 <= details.correct_option <= len(details.options)):
        raise DomainError(_l("Give the number of the correct option."), field="correct_option",
                          status=422)


def _audit_if_answered(survey: Survey, actor_id: int, change: str, **details) -> None:
    """A change to a survey once answers have arrived is in the audit log."""
    if has_responses(survey):
        audit.record(actor_id, AuditAction.SURVEY_CHANGED, "survey", survey.id,
                     dataspace_id=survey.programme.dataspace_id if survey.programme else None,
                     change=change, **details)


# --- knowledge items from the curriculum ---------------------------------------------------


def learning_outcomes(programme: Programme) -> list[tuple[Module, str]]:
    """Each learning outcome (one per line) of the modules the programme teaches: from its
    sessions and its curriculum, in one query."""
    module_ids = {s.module_id for s in programme.sessions if s.module_id}
    if programme.curriculum:
        module_ids |= {item.module_id for item in programme.curriculum.items}
    if not module_ids:
        return []
    modules = db.session.scalars(select(Module).where(Module.id.in_(module_ids))
                                 .order_by(Module.id))
    return [(module, line.strip().lstrip("-•* ").strip()) for module in modules
            for line in module.learning_outcomes.get_text().splitlines() if line.strip()]


def answer_counts(survey_ids: Sequence[int]) -> dict[int, int]:
    """Submitted responses per survey, in one query."""
    return dict(db.session.execute(
        select(SurveyResponse.survey_id, func.count()).where(
            SurveyResponse.survey_id.in_(survey_ids), SurveyResponse.submitted.is_(True))
        .group_by(SurveyResponse.survey_id)).all())
