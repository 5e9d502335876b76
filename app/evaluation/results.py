"""What the surveys tell: response rates, the answers to each question, and the learning gain of
the knowledge checks, for one programme, for a Data Space, or for a report's programmes.

Everything is counted in SQL (GROUP BY) in a fixed number of statements, whatever the number
of answers. Scores are shares of correct answers (0 to 1); a *gain* is a participant's ``post``
score minus their ``pre`` score, only for people who submitted both. Groups of fewer pairs than
``REPORT_MIN_CELL`` show no value (and, as in the reports, a second one is hidden when only one
would be, so that the cohort's figures cannot give it away).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased

from app.dataspaces.models import DataSpace
from app.enrollment.models import Enrollment, EnrollmentStatus, Gender, ParticipantProfile, Sector
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
from app.i18n import country_name
from app.multilingual import MultilingualText
from app.reporting.services import NOT_GIVEN, PROFILE_COLUMNS, Row, suppress
from app.workshops.models import Programme

#: Questions whose answers are numbers (counted per value); free text is listed instead.
COUNTED = (QuestionKind.RATING, QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.QUIZ)

BREAKDOWNS = {"country": _l("Mean gain by country"), "sector": _l("Mean gain by sector"),
              "gender": _l("Mean gain by gender")}


# --- what the pages show -----------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """How many of the confirmed participants answered one phase."""

    phase: Phase
    answered: int
    confirmed: int

    @property
    def share(self) -> float | None:
        return self.answered / self.confirmed if self.confirmed else None


@dataclass(frozen=True)
class Choice:
    """One answer value of a question and how many chose it, per phase."""

    number: int
    text: MultilingualText | None  # an option's label; ``None`` for a rating's value
    counts: dict[Phase, int]
    correct: bool = False

    @property
    def caption(self) -> str:
        """A plain label (charts, exports)."""
        return self.text.get_text() if self.text is not None else str(self.number)


@dataclass
class QuestionResult:
    question: Question
    phases: tuple[Phase, ...]
    choices: list[Choice]
    respondents: dict[Phase, int]  # people who answered it, per phase
    texts: list[str] = field(default_factory=list)  # free text (only when asked for)

    def share(self, choice: Choice, phase: Phase) -> float | None:
        people = self.respondents.get(phase, 0)
        return choice.counts.get(phase, 0) / people if people else None

    def mean(self, phase: Phase) -> float | None:
        """A rating's mean answer."""
        answers = sum(choice.counts.get(phase, 0) for choice in self.choices)
        if self.question.kind != QuestionKind.RATING or not answers:
            return None
        return sum(c.number * c.counts.get(phase, 0) for c in self.choices) / answers

    def correct_share(self, phase: Phase) -> float | None:
        """A knowledge item's share of correct answers."""
        right = next((choice for choice in self.choices if choice.correct), None)
        return self.share(right, phase) if right is not None else None

    def chart(self, phase: Phase) -> list[tuple[str, int]]:
        """The bars of one phase: each answer value and how many chose it."""
        return [(choice.caption, choice.counts.get(phase, 0)) for choice in self.choices]

    def correct_chart(self) -> list[tuple[str, int | None]]:
        """The bars of a knowledge item: the percentage correct before, then after."""
        return [(phase.label, _percent(self.correct_share(phase))) for phase in self.phases]


@dataclass(frozen=True)
class GainRow:
    """One group of a breakdown: both figures ``None`` when too few pairs to show."""

    key: str
    label: str
    pairs: int | None
    mean: float | None


@dataclass
class Gain:
    """The learning gain of some knowledge checks: per participant, ``post`` minus ``pre``."""

    threshold: int
    pairs: int = 0
    mean: float | None = None
    deviation: float | None = None
    quartiles: tuple[float, float, float] | None = None
    breakdowns: dict[str, list[GainRow]] = field(
        default_factory=lambda: {name: [] for name in BREAKDOWNS})

    @property
    def shown(self) -> bool:
        return self.mean is not None

    def chart(self, name: str) -> list[tuple[str, int | None]]:
        """The bars of a breakdown: each group's mean gain in points (none when hidden)."""
        return [(row.label, None if row.mean is None else round(100 * row.mean))
                for row in self.breakdowns[name]]


@dataclass
class SurveyResults:
    survey: Survey
    rates: list[Rate]
    questions: list[QuestionResult]
    gain: Gain | None = None


@dataclass
class ProgrammeSummary:
    """One programme on its Data Space's results page."""

    programme: Programme
    rates: list[Rate] = field(default_factory=list)
    #: The mean of its rating questions, per scale: (mean, lowest, highest, answers).
    ratings: list[tuple[float, int, int, int]] = field(default_factory=list)
    knowledge: bool = False  # whether it has a knowledge check
    gain_pairs: int = 0
    gain_mean: float | None = None  # none when too few pairs


@dataclass
class DataSpaceResults:
    dataspace: DataSpace
    programmes: list[ProgrammeSummary]
    gain: Gain


def points(value: float | None) -> float | None:
    """A score or a gain (0 to 1) as percentage points, as people read them."""
    return None if value is None else round(100 * value, 1)


def _percent(share: float | None) -> int | None:
    return None if share is None else round(100 * share)


def _threshold() -> int:
    return current_app.config["REPORT_MIN_CELL"]


# --- one programme -----------------------------------------------------------------------------


def programme_results(programme: Programme, surveys: Iterable[Survey], language: str, *,
                      free_text: bool) -> list[SurveyResults]:
    """The results of a programme's surveys (feedback first). Free text only when
    ``free_text``: instructors see counts, never what people wrote."""
    surveys = sorted(surveys, key=lambda survey: list(SurveyKind).index(survey.kind))
    ids = [survey.id for survey in surveys]
    if not ids:
        return []
    confirmed = _confirmed([programme.id]).get(programme.id, 0)
    answered = _participations(ids)
    counts = _distribution(_question_ids(surveys, COUNTED))
    respondents = _respondents(_question_ids(surveys, [QuestionKind.MULTIPLE]), counts)
    texts = _free_text(_question_ids(surveys, [QuestionKind.TEXT] if free_text else []))
    knowledge = [survey.id for survey in surveys if survey.kind == SurveyKind.KNOWLEDGE]
    return [SurveyResults(
        survey,
        [Rate(phase, answered.get((survey.id, phase), 0), confirmed) for phase in survey.phases],
        [_question(question, survey.phases, counts, respondents, texts)
         for question in survey.questions],
        gain_of(knowledge, language) if survey.kind == SurveyKind.KNOWLEDGE else None,
    ) for survey in surveys]


def _question_ids(surveys: list[Survey], kinds) -> list[int]:
    """The questions of these kinds: the queries below find answers through their index on
    the question."""
    return [q.id for survey in surveys for q in survey.questions if q.kind in kinds]


def _question(question: Question, phases, counts, respondents, texts) -> QuestionResult:
    if question.kind == QuestionKind.RATING:
        values = [(n, None) for n in range(question.scale_min, question.scale_max + 1)]
    elif question.kind in COUNTED:
        values = list(enumerate(question.option_texts()))
    else:
        values = []
    choices = [Choice(number, text, {phase: counts.get((question.id, phase, number), 0)
                                     for phase in phases},
                      correct=question.kind == QuestionKind.QUIZ
                      and number == question.correct_option)
               for number, text in values]
    return QuestionResult(question, phases, choices,
                          {phase: respondents.get((question.id, phase), 0) for phase in phases},
                          texts.get(question.id, []))


def _confirmed(programme_ids) -> dict[int, int]:
    """Confirmed participants per programme, in one query."""
    return dict(db.session.execute(
        select(Enrollment.programme_id, func.count()).where(
            Enrollment.programme_id.in_(programme_ids),
            Enrollment.status == EnrollmentStatus.CONFIRMED)
        .group_by(Enrollment.programme_id)).all())


def _participations(survey_ids) -> dict[tuple[int, Phase], int]:
    """Who submitted, per survey and phase (kept apart from the answers, so it counts the
    anonymous surveys too), in one query."""
    return {(survey_id, phase): count for survey_id, phase, count in db.session.execute(
        select(SurveyParticipation.survey_id, SurveyParticipation.phase, func.count())
        .where(SurveyParticipation.survey_id.in_(survey_ids))
        .group_by(SurveyParticipation.survey_id, SurveyParticipation.phase))}


def _submitted_answers(*columns) -> Select:
    """``columns`` of the answers of submitted responses (found through the answers' index on
    their question: the queries below name the questions)."""
    return (select(*columns).select_from(Answer)
            .join(SurveyResponse, Answer.response_id == SurveyResponse.id)
            .where(SurveyResponse.submitted.is_(True)))


def _distribution(question_ids: list[int]) -> dict[tuple[int, Phase, int], int]:
    """Submitted answers per question, phase and value, for whole surveys in one query."""
    return {(question_id, phase, number): count for question_id, phase, number, count in
            db.session.execute(
                _submitted_answers(Answer.question_id, SurveyResponse.phase, Answer.number,
                                   func.count())
                .where(Answer.question_id.in_(question_ids), Answer.number.is_not(None))
                .group_by(Answer.question_id, SurveyResponse.phase, Answer.number))}


def _respondents(multiple_ids: list[int], counts) -> dict[tuple[int, Phase], int]:
    """People who answered each question, per phase: the sum of its counts, but for a
    multiple choice (one row per option chosen), counted apart in one query."""
    people: dict[tuple[int, Phase], int] = {}
    for (question_id, phase, _number), count in counts.items():
        people[question_id, phase] = people.get((question_id, phase), 0) + count
    people.update({(question_id, phase): count for question_id, phase, count in
                   db.session.execute(
                       _submitted_answers(Answer.question_id, SurveyResponse.phase,
                                          func.count(func.distinct(Answer.response_id)))
                       .where(Answer.question_id.in_(multiple_ids))
                       .group_by(Answer.question_id, SurveyResponse.phase))})
    return people


def _free_text(question_ids: list[int]) -> dict[int, list[str]]:
    """What people wrote, per question, in one query. Anonymous responses keep no date, and
    the order of the answers' ids follows the order people answered in: listed in the order of
    the responses' random ids instead, which says nothing about who wrote what."""
    texts: dict[int, list[str]] = {}
    for question_id, text in db.session.execute(
            _submitted_answers(Answer.question_id, Answer.text)
            .where(Answer.question_id.in_(question_ids), Answer.text.is_not(None),
                   Answer.text != "")
            .order_by(Answer.question_id, SurveyResponse.id, Answer.id)):
        texts.setdefault(question_id, []).append(text)
    return texts


# --- the learning gain -------------------------------------------------------------------------


def _pairs(survey_ids) -> Select:
    """Each participant's pre and post scores (both submitted), with their profile."""
    pre, post = aliased(SurveyResponse), aliased(SurveyResponse)
    return (select(pre.score.label("pre"), post.score.label("post"), *PROFILE_COLUMNS.values())
            .select_from(pre)
            .join(post, and_(post.survey_id == pre.survey_id, post.user_id == pre.user_id,
                             post.phase == Phase.POST, post.submitted.is_(True)))
            .outerjoin(ParticipantProfile, ParticipantProfile.user_id == pre.user_id)
            .where(pre.survey_id.in_(survey_ids), pre.phase == Phase.PRE,
                   pre.submitted.is_(True), pre.score.is_not(None), post.score.is_not(None)))


def gain_of(survey_ids, language: str) -> Gain:
    """The gain of the pairs of these knowledge checks (ids, or a select of them), in one
    query. Scores take a few values (k out of n items), so the pairs are counted per pre
    score, post score and profile: a few hundred rows at most, however many people."""
    pairs = _pairs(survey_ids).subquery()
    groups = [pairs.c.pre, pairs.c.post, *(pairs.c[c.key] for c in PROFILE_COLUMNS.values())]
    rows = db.session.execute(select(*groups, func.count()).group_by(*groups)).all()
    return _gain([(post - pre, profile, count) for pre, post, *profile, count in rows],
                 language)


def _gain(weighted: list[tuple[float, tuple, int]], language: str) -> Gain:
    """The cohort's figures and breakdowns from (gain, profile, how many) rows."""
    result = Gain(_threshold())
    result.pairs = sum(count for _gain_, _profile, count in weighted)
    if result.pairs >= result.threshold and result.pairs:
        values = sorted(gain for gain, _profile, count in weighted for _ in range(count))
        result.mean = statistics.fmean(values)
        result.deviation = statistics.stdev(values) if len(values) > 1 else 0.0
        result.quartiles = tuple(statistics.quantiles(values, n=4, method="inclusive")) \
            if len(values) > 1 else (values[0],) * 3
    result.breakdowns = {name: _breakdown(weighted, position, name, language)
                         for position, name in enumerate(PROFILE_COLUMNS)}
    return result


def _breakdown(weighted, position: int, name: str, language: str) -> list[GainRow]:
    totals: dict = {}
    for gain, profile, count in weighted:
        pairs, summed = totals.get(profile[position], (0, 0.0))
        totals[profile[position]] = (pairs + count, summed + gain * count)
    rows = [Row(_key(value), _label(value, name, language), pairs)
            for value, (pairs, _summed) in totals.items()]
    hidden = {row.key for row in suppress(rows, _threshold()) if row.count is None}
    means = {_key(value): summed / pairs for value, (pairs, summed) in totals.items()}
    shown = [GainRow(row.key, row.label, None, None) if row.key in hidden
             else GainRow(row.key, row.label, row.count, means[row.key]) for row in rows]
    return sorted(shown, key=lambda row: (row.pairs is None, -(row.pairs or 0), row.label))


def _key(value) -> str:
    return "unknown" if value is None else str(getattr(value, "value", value))


def _label(value, name: str, language: str) -> str:
    if value is None:
        return str(NOT_GIVEN)
    if name == "country":
        return country_name(value, language)
    return (Sector if name == "sector" else Gender)(_key(value)).label


def gain_of_programmes(programme_ids: Select, language: str) -> Gain:
    """The gain across some programmes (a report's: a select of their ids)."""
    return gain_of(select(Survey.id).where(Survey.programme_id.in_(programme_ids),
                                           Survey.kind == SurveyKind.KNOWLEDGE), language)


# --- a Data Space ------------------------------------------------------------------------------


def dataspace_results(space: DataSpace, language: str) -> DataSpaceResults:
    """Each programme of the Data Space that has surveys (latest first): its response rates,
    its mean rating and gain; and the Data Space's gain. Six queries, however many
    programmes and answers."""
    found = db.session.execute(
        select(Programme, Survey).join(Survey, Survey.programme_id == Programme.id)
        .where(Programme.dataspace_id == space.id)
        .order_by(Programme.start_date.desc(), Programme.id, Survey.kind)).all()
    survey_ids = [survey.id for _programme, survey in found]
    if not survey_ids:
        return DataSpaceResults(space, [], Gain(_threshold()))
    confirmed = _confirmed(list({programme.id for programme, _survey in found}))
    answered = _participations(survey_ids)
    ratings, gains = _mean_ratings(survey_ids), _gain_by_survey(survey_ids)
    summaries: dict[int, ProgrammeSummary] = {}
    for programme, survey in found:
        summary = summaries.setdefault(programme.id, ProgrammeSummary(programme))
        summary.rates += [Rate(phase, answered.get((survey.id, phase), 0),
                               confirmed.get(programme.id, 0)) for phase in survey.phases]
        summary.ratings += ratings.get(survey.id, [])
        if survey.kind == SurveyKind.KNOWLEDGE:
            summary.knowledge = True
            summary.gain_pairs, summary.gain_mean = gains.get(survey.id, (0, None))
    knowledge = [survey.id for _programme, survey in found if survey.kind == SurveyKind.KNOWLEDGE]
    return DataSpaceResults(space, list(summaries.values()), gain_of(knowledge, language))


def _mean_ratings(survey_ids) -> dict[int, list[tuple[float, int, int, int]]]:
    """The mean of the rating questions per survey and scale (1 to 5 and 0 to 10 are not
    averaged together), in one query."""
    scale = (Question.scale_min, Question.scale_max)
    rows = db.session.execute(
        _submitted_answers(Question.survey_id, *scale, func.avg(Answer.number), func.count())
        .join(Question, Question.id == Answer.question_id)
        .where(Question.survey_id.in_(survey_ids), Question.kind == QuestionKind.RATING)
        .group_by(Question.survey_id, *scale).order_by(*scale))
    means: dict[int, list] = {}
    for survey_id, low, high, mean, count in rows:
        means.setdefault(survey_id, []).append((float(mean), low, high, count))
    return means


def _gain_by_survey(survey_ids) -> dict[int, tuple[int, float | None]]:
    """Pairs and mean gain per knowledge check, in one query; too few pairs show no mean."""
    pre, post = aliased(SurveyResponse), aliased(SurveyResponse)
    rows = db.session.execute(
        select(pre.survey_id, func.count(), func.avg(post.score - pre.score))
        .join(post, and_(post.survey_id == pre.survey_id, post.user_id == pre.user_id,
                         post.phase == Phase.POST, post.submitted.is_(True)))
        .where(pre.survey_id.in_(survey_ids), pre.phase == Phase.PRE, pre.submitted.is_(True))
        .group_by(pre.survey_id))
    threshold = _threshold()
    return {survey_id: (pairs, float(mean) if pairs >= threshold else None)
            for survey_id, pairs, mean in rows}


# --- the export --------------------------------------------------------------------------------


def table(results: list[SurveyResults]) -> tuple[list[str], list[list]]:
    """One row per question and answer value (and per phase of a knowledge check), then the
    gain, then what people wrote (when the results hold it)."""
    header = [_("Survey"), _("Phase"), _("Question"), _("Answer"), _("Count")]
    wrote, correct = _("Free text"), _("correct")  # once, not once per row
    rows: list[list] = []
    for survey in results:
        kind = survey.survey.kind.label
        rows += [[kind, rate.phase.label, _("Response rate"), _("Answered"), rate.answered]
                 for rate in survey.rates]
        for item in survey.questions:
            question = item.question.text.get_text()
            rows += [[kind, phase.label, question, choice.caption
                      + (f" ({correct})" if choice.correct else ""),
                      choice.counts.get(phase, 0)]
                     for phase in item.phases for choice in item.choices]
            rows += [[kind, "", question, wrote, text] for text in item.texts]
        if survey.gain is not None:
            rows += _gain_rows(kind, survey.gain)
    return header, rows


def _gain_rows(kind: str, gain: Gain) -> list[list]:
    hidden = f"< {gain.threshold}"

    def shown(value):
        return hidden if value is None else points(value)

    title = _("Learning gain (percentage points)")
    rows = [[kind, "", title, _("Pairs (before and after)"), gain.pairs],
            [kind, "", title, _("Mean gain"), shown(gain.mean)],
            [kind, "", title, _("Standard deviation"), shown(gain.deviation)]]
    for label, position in ((_("First quartile"), 0), (_("Median"), 1),
                            (_("Third quartile"), 2)):
        rows.append([kind, "", title, label,
                     shown(gain.quartiles[position] if gain.quartiles else None)])
    for name, heading in BREAKDOWNS.items():
        rows += [[kind, "", str(heading), row.label, shown(row.mean)]
                 for row in gain.breakdowns[name]]
    return rows
