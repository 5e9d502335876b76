"""Evidence of learning: feedback surveys and pre/post knowledge checks of a programme.

A programme has at most one survey of each kind. A *feedback* survey asks ratings, choices and
free text once the programme is over; it may be anonymous. A *knowledge check* is a short quiz
taken twice, before (``pre``) and after (``post``), on the same items, each drawn from a
learning outcome of the programme's modules: the difference of the two scores is the learning
gain, paired per participant (never anonymous, or it could not be paired).

Anonymity: an anonymous survey's submitted responses hold no person, a random id and the day
only; who answered (for "once" and the response rate) is kept apart in ``survey_participations``,
with no link to the response. While someone is still answering, their draft is found by a keyed
digest of (survey, person), which is erased when they submit; the response keeps no date.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, TimestampMixin, UTCDateTime, enum_column
from app.extensions import db
from app.multilingual import MultilingualColumn, MultilingualText
from app.timeutil import utcnow


class SurveyKind(LabelledEnum):
    FEEDBACK = "feedback"
    KNOWLEDGE = "knowledge"


SurveyKind.LABELS = {"feedback": _l("Feedback survey"), "knowledge": _l("Knowledge check")}


class QuestionKind(LabelledEnum):
    RATING = "rating"
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"
    QUIZ = "quiz"  # a knowledge check's item: one correct option


QuestionKind.LABELS = {
    "rating": _l("Rating scale"),
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "text": _l("Free text"),
    "quiz": _l("Knowledge item (one correct answer)"),
}


class Phase(LabelledEnum):
    ONCE = "once"  # a feedback survey
    PRE = "pre"
    POST = "post"


Phase.LABELS = {"once": _l("Feedback"), "pre": _l("Before"), "post": _l("After")}


class Survey(TimestampMixin, db.Model):
    """A programme's survey, or (``programme_id`` empty) the network's default feedback survey
    that coordinators start from."""

    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("programme_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"))
    kind: Mapped[SurveyKind] = mapped_column(enum_column(SurveyKind, "survey_kind"))
    anonymous: Mapped[bool] = mapped_column(default=False)
    required_for_certificate: Mapped[bool] = mapped_column(default=False)
    #: When the invitations (after the programme) and the reminder were queued: claimed by a
    #: conditional UPDATE, so that two schedulers send each once.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    programme = relationship("Programme")
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey", order_by="(Question.position, Question.id)",
        cascade="all, delete-orphan")

    @property
    def phases(self) -> tuple[Phase, ...]:
        return (Phase.PRE, Phase.POST) if self.kind == SurveyKind.KNOWLEDGE else (Phase.ONCE,)


class Question(db.Model):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind"))
    text: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    #: Choices (single, multiple, quiz): a list of {language: text}.
    options: Mapped[list] = mapped_column(JSON, default=list)
    #: A rating's scale, e.g. 1 to 5.
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    #: A quiz item's correct option (its index in ``options``).
    correct_option: Mapped[int | None]
    #: The module whose learning outcome a quiz item checks.
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="SET NULL"))

    survey: Mapped[Survey] = relationship(back_populates="questions")

    def option_texts(self) -> list[MultilingualText]:
        return [MultilingualText(option) for option in self.options]


def new_response_id() -> str:
    return uuid.uuid4().hex


class SurveyResponse(db.Model):
    """One person's answers to one phase of a survey (drafted, then submitted)."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "user_id", "phase"),
        UniqueConstraint("survey_id", "draft_key", "phase"),
    )

    #: Random, so that the order of responses says nothing about who gave them.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    phase: Mapped[Phase] = mapped_column(enum_column(Phase, "survey_phase"))
    #: Empty for an anonymous survey.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: An anonymous draft's keyed digest of (survey, person); erased on submission.
    draft_key: Mapped[str | None] = mapped_column(String(64))
    submitted: Mapped[bool] = mapped_column(default=False)
    #: The day it was submitted; never kept for an anonymous survey (a day with one
    #: participation would name its author).
    submitted_on: Mapped[date | None] = mapped_column(Date)
    score: Mapped[float | None]  # a knowledge check's share of correct answers, 0 to 1

    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan")


class Answer(db.Model):
    """One answer: a number (a rating, or the index of a chosen option: a multiple choice has
    one row per option chosen) or a text."""

    __tablename__ = "survey_answers"
    __table_args__ = (Index("ix_survey_answers_question", "question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[str] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id",
                                                        ondelete="CASCADE"))
    number: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)


class SurveyParticipation(db.Model):
    """That a person submitted a phase of a survey (for "once", reminders and response rates),
    kept apart from what they answered."""

    __tablename__ = "survey_participations"
    __table_args__ = (UniqueConstraint("survey_id", "user_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    phase: Mapped[Phase] = mapped_column(enum_column(Phase, "survey_phase"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
