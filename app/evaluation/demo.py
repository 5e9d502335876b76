"""The demo's surveys: every programme gets the network's feedback survey and a two-item
knowledge check; the replayed history answers them (before the programme, and after it), so
that the results pages have something to show."""

from __future__ import annotations

import random

from sqlalchemy import select

from app.evaluation import services, taking
from app.evaluation.models import Phase, QuestionKind, Survey, SurveyKind
from app.extensions import db
from app.workshops.models import Programme, ProgrammeState

ITEMS = (
    ({"en": "A sample of 1,000 households estimates a rate with what margin of error, roughly?",
      "es": "Una muestra de 1.000 hogares estima una tasa con qué margen de error, más o menos?",
      "fr": "Un échantillon de 1 000 ménages estime un taux avec quelle marge d'erreur, environ ?",
      "pt": "Uma amostra de 1.000 domicílios estima uma taxa com que margem de erro, cerca de?"},
     ({"en": "About 3 points"}, {"en": "About 10 points"}, {"en": "Under 0.1 point"}), 1),
    ({"en": "Night-time light from satellites is used as a proxy for what?",
      "es": "¿La luz nocturna vista por satélite se usa como indicador de qué?",
      "fr": "La lumière nocturne vue par satellite sert d'indicateur de quoi ?",
      "pt": "A luz noturna vista por satélite é usada como indicador de quê?"},
     ({"en": "Rainfall"}, {"en": "Economic activity"}, {"en": "Air quality"}), 2),
)


def surveys_for(programme: Programme) -> tuple[Survey, Survey]:
    """The programme's feedback survey and knowledge check (made the first time)."""
    kept = services.surveys_of(programme)
    feedback = kept.get(SurveyKind.FEEDBACK) or services.attach(programme, SurveyKind.FEEDBACK)
    check = kept.get(SurveyKind.KNOWLEDGE)
    if check is None:
        check = services.attach(programme, SurveyKind.KNOWLEDGE)
        for text, options, correct in ITEMS:
            services.save_question(check, None, services.QuestionDetails(
                kind=QuestionKind.QUIZ, text=text, options=options, correct_option=correct),
                actor_id=None)
    return feedback, check


def answer_before(programme: Programme, people: list, chooser: random.Random) -> None:
    _feedback, check = surveys_for(programme)
    for person in people:
        _answer(check, person, Phase.PRE, chooser, skill=0.4)


def answer_after(programme: Programme, people: list, chooser: random.Random) -> None:
    feedback, check = surveys_for(programme)
    for person in people:
        _answer(check, person, Phase.POST, chooser, skill=0.8)
        if chooser.random() < 0.8:  # most answer the feedback survey
            _answer(feedback, person, Phase.ONCE, chooser, skill=0)


def _answer(survey: Survey, person, phase: Phase, chooser: random.Random, skill: float) -> None:
    if phase not in taking.open_phases(survey, person) or taking.has_answered(
            survey, person, phase):
        return
    for question in survey.questions:
        value = _value(question, chooser, skill)
        if value:
            taking.save_answer(survey, person, phase, question.id, value)
    taking.submit(survey, person, phase)


def _value(question, chooser: random.Random, skill: float) -> list[str]:
    if question.kind == QuestionKind.RATING:
        return [str(chooser.choice([3, 4, 4, 5, 5]))]
    if question.kind == QuestionKind.QUIZ:
        right = chooser.random() < skill
        wrong = [n for n in range(len(question.options)) if n != question.correct_option]
        return [str(question.correct_option if right else chooser.choice(wrong))]
    if question.kind == QuestionKind.MULTIPLE:
        return [str(n) for n in range(len(question.options)) if chooser.random() < 0.5]
    if question.kind == QuestionKind.SINGLE:
        return [str(chooser.randrange(len(question.options)))]
    return [chooser.choice(["", "More exercises with real data, please.",
                            "Más tiempo para los proyectos.", "Excellent instructors."])]


def load() -> None:
    """Upcoming programmes have their surveys from the start (their participants take the
    first knowledge check in their space)."""
    upcoming = db.session.scalars(select(Programme).where(Programme.state.in_(
        (ProgrammeState.PUBLISHED, ProgrammeState.REGISTRATION_OPEN))).order_by(Programme.id))
    for programme in upcoming:
        surveys_for(programme)
