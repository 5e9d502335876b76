"""Results of surveys: what a coordinator, an instructor and a funder see of the answers given
through the real services (counts per answer, response rates, the learning gain and its
spread), small groups hidden, free text kept from instructors, and a fixed number of queries."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import insert, select

from app.auth.models import Role, User
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.evaluation import results, services, taking
from app.evaluation.models import (
    Answer,
    Phase,
    QuestionKind,
    SurveyKind,
    SurveyParticipation,
    SurveyResponse,
)
from app.extensions import db
from app.reporting import jobs as reporting_jobs
from app.reporting.models import FunderReport
from app.workshops.models import ProgrammeState
from tests import factories
from tests.pdf import pdf_text
from tests.querycount import count_queries

#: Country of each participant who answers: two groups of five and one person alone.
COUNTRIES = ["CO"] * 5 + ["KE"] * 5 + ["SN"]
#: Their knowledge check after the programme: all right (CO, SN) or one item of two (KE);
#: before it, everyone got both items wrong.
GAINS = [1.0] * 5 + [0.5] * 5 + [1.0]
RATINGS = ["5"] * 6 + ["4"] * 4 + ["2"]


def _seat(programme, person) -> None:
    db.session.add(Enrollment(programme_id=programme.id, user_id=person.id,
                              queue_number=person.id, status=EnrollmentStatus.CONFIRMED))
    db.session.flush()


def _quiz(survey, admin, text: str) -> None:
    services.save_question(survey, None, services.QuestionDetails(
        kind=QuestionKind.QUIZ, text={"en": text, "es": f"{text} (es)"},
        options=[{"en": "Wrong"}, {"en": "Right"}, {"en": "Also wrong"}], correct_option=2),
        actor_id=admin.id)


def _answer(survey, person, phase: Phase, values: list[list[str]]) -> None:
    for question, value in zip(survey.questions, values, strict=True):
        taking.save_answer(survey, person, phase, question.id, value)
    taking.submit(survey, person, phase)


@pytest.fixture
def answered(app):
    """A programme with both surveys, twelve confirmed participants, eleven who answered
    everything (the knowledge check before and after the programme, the anonymous feedback
    after)."""
    return _build(COUNTRIES, GAINS, RATINGS)


def _build(countries: list[str], gains: list[float], ratings: list[str]) -> dict:
    space = factories.dataspace()
    instructor = factories.user(role=Role.INSTRUCTOR)
    admin = factories.user(role=Role.ADMIN)
    programme = factories.programme(space, state=ProgrammeState.IN_PROGRESS,
                                    instructors=[instructor], title={"en": "Open data 101"})
    people = [factories.participant(country_code=code) for code in countries]
    for person in [*people, factories.participant()]:  # the twelfth never answers
        _seat(programme, person)
    check = services.attach(programme, SurveyKind.KNOWLEDGE)
    _quiz(check, admin, "What is open data?")
    _quiz(check, admin, "What is a licence?")
    for person in people:
        _answer(check, person, Phase.PRE, [["0"], ["2"]])
    programme.state = ProgrammeState.COMPLETED  # the programme ends
    db.session.flush()
    for person, gain in zip(people, gains, strict=True):
        _answer(check, person, Phase.POST, [["1"], ["1" if gain == 1.0 else "0"]])
    feedback = services.attach(programme, SurveyKind.FEEDBACK)
    services.save_settings(feedback, anonymous=True, required_for_certificate=False,
                           actor_id=admin.id)  # counted all the same, from no name
    for number, (person, rating) in enumerate(zip(people, ratings, strict=True)):
        helped = [["0", "1"], ["1"], []][number % 3]
        said = [f"More exercises, please ({number})"] if number < 3 else []
        _answer(feedback, person, Phase.ONCE, [[rating], ["4"], helped, said])
    db.session.commit()
    return {"space": space, "programme": programme, "instructor": instructor,
            "people": people, "check": check, "feedback": feedback}


def _page(client, answered, suffix: str = "") -> str:
    response = client.get(f"/evaluation/programmes/{answered['programme'].slug}/results"
                          f"{suffix}?lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- the numbers ---------------------------------------------------------------------------


def test_counts_per_answer_and_response_rates(app, answered):
    programme = answered["programme"]
    found = {r.survey.kind: r for r in results.programme_results(
        programme, services.surveys_of(programme).values(), "en", free_text=True)}
    feedback = found[SurveyKind.FEEDBACK]
    assert [(rate.phase, rate.answered, rate.confirmed) for rate in feedback.rates] == \
        [(Phase.ONCE, 11, 12)]
    overall, _useful, helped, wrote = feedback.questions
    assert [(c.number, c.counts[Phase.ONCE]) for c in overall.choices] == \
        [(1, 0), (2, 1), (3, 0), (4, 4), (5, 6)]
    assert overall.mean(Phase.ONCE) == pytest.approx((6 * 5 + 4 * 4 + 2) / 11)
    # a multiple choice: four people chose the first option, eight the second, of eleven
    assert [c.counts[Phase.ONCE] for c in helped.choices] == [4, 8, 0]
    assert helped.respondents[Phase.ONCE] == 8  # three left it empty
    assert sorted(wrote.texts) == [f"More exercises, please ({n})" for n in range(3)]
    check = found[SurveyKind.KNOWLEDGE]
    assert [(rate.phase, rate.answered) for rate in check.rates] == \
        [(Phase.PRE, 11), (Phase.POST, 11)]
    first, second = check.questions
    assert first.correct_share(Phase.PRE) == 0 and first.correct_share(Phase.POST) == 1
    assert second.correct_share(Phase.POST) == pytest.approx(6 / 11)
    assert [c.counts for c in second.choices if c.correct] == [{Phase.PRE: 0, Phase.POST: 6}]


def test_the_learning_gain_its_spread_and_a_small_group_hidden(app, answered):
    gain = results.gain_of([answered["check"].id], "en")
    assert gain.pairs == 11
    assert gain.mean == pytest.approx(8.5 / 11)
    mean = 8.5 / 11
    variance = (6 * (1 - mean) ** 2 + 5 * (0.5 - mean) ** 2) / 10
    assert gain.deviation == pytest.approx(variance ** 0.5)
    assert gain.quartiles == pytest.approx((0.5, 1.0, 1.0))
    countries = {row.key: row for row in gain.breakdowns["country"]}
    assert countries["SN"].pairs is None and countries["SN"].mean is None  # one person
    # hiding Senegal alone would let the cohort's figures give it away: a second group goes
    assert sum(row.pairs is None for row in countries.values()) == 2
    [shown] = [row for row in countries.values() if row.pairs is not None]
    assert shown.pairs == 5 and shown.mean == pytest.approx({"CO": 1.0, "KE": 0.5}[shown.key])
    [sector] = gain.breakdowns["sector"]  # everyone works in a statistics office
    assert sector.pairs == 11 and sector.mean == pytest.approx(mean)


def test_too_few_pairs_show_no_gain(app, answered):
    check = answered["check"]
    db.session.execute(SurveyResponse.__table__.delete().where(
        SurveyResponse.survey_id == check.id, SurveyResponse.phase == Phase.POST,
        SurveyResponse.user_id.in_([p.id for p in answered["people"][:8]])))
    gain = results.gain_of([check.id], "en")
    assert gain.pairs == 3 and not gain.shown and gain.quartiles is None
    assert all(row.mean is None for rows in gain.breakdowns.values() for row in rows)


# --- the pages -----------------------------------------------------------------------------


def test_a_coordinator_sees_the_results_with_free_text(answered, client, sign_in_as):
    sign_in_as(Role.COORDINATOR, answered["space"])
    page = _page(client, answered)
    assert "Open data 101" in page and "Overall, how would you rate the programme?" in page
    assert "92 %" in page  # 11 of 12 answered the feedback
    assert "<svg" in page and "<title" in page  # a titled chart per question
    assert "More exercises, please (0)" in page
    assert "77.3" in page and "26.1" in page  # the mean gain and its standard deviation
    assert 'class="table-scroll" tabindex="0" role="region"' in page
    assert "Download as CSV" in page


def test_an_instructor_sees_the_counts_but_never_free_text(answered, client):
    factories.sign_in(client, answered["instructor"])
    page = _page(client, answered)
    assert "Overall, how would you rate the programme?" in page and "77.3" in page
    assert "More exercises" not in page
    assert "More exercises" not in _page(client, answered, ".csv")


@pytest.mark.parametrize("who", ["other coordinator", "participant", "instructor elsewhere"])
def test_others_are_refused(answered, client, sign_in_as, who):
    if who == "other coordinator":
        sign_in_as(Role.COORDINATOR, factories.dataspace())
    elif who == "participant":
        factories.sign_in(client, answered["people"][0])
    else:
        sign_in_as(Role.INSTRUCTOR)
    slug = answered["programme"].slug
    assert client.get(f"/evaluation/programmes/{slug}/results").status_code == 403
    assert client.get(f"/evaluation/programmes/{slug}/results.csv").status_code == 403
    space = answered["space"].slug
    assert client.get(f"/evaluation/dataspaces/{space}/results").status_code == 403


def test_unknown_programmes_and_formats_are_not_found(answered, client, sign_in_as):
    sign_in_as(Role.ADMIN)
    assert client.get("/evaluation/programmes/nothing-here/results").status_code == 404
    slug = answered["programme"].slug
    assert client.get(f"/evaluation/programmes/{slug}/results.pdf").status_code == 404
    assert client.get("/evaluation/dataspaces/nowhere/results").status_code == 404


def test_the_csv_export_has_a_row_per_question_and_answer(answered, client, sign_in_as):
    sign_in_as(Role.COORDINATOR, answered["space"])
    response = client.get(f"/evaluation/programmes/{answered['programme'].slug}/results.csv"
                          "?lang=en")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Survey", "Phase", "Question", "Answer", "Count"]
    assert ["Feedback survey", "Feedback", "Overall, how would you rate the programme?", "5",
            "6"] in rows
    assert ["Knowledge check", "After", "What is a licence?", "Right (correct)", "6"] in rows
    assert ["Knowledge check", "", "Learning gain (percentage points)", "Mean gain",
            "77.3"] in rows
    assert ["Knowledge check", "", "Mean gain by country", "Senegal", "< 5"] in rows
    assert ["Feedback survey", "", "What should we improve?", "Free text",
            "More exercises, please (1)"] in rows
    xlsx = client.get(f"/evaluation/programmes/{answered['programme'].slug}/results.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_data_space_page_sums_up_each_programme(answered, client, sign_in_as):
    other = factories.programme(answered["space"], state=ProgrammeState.COMPLETED,
                                title={"en": "Surveys only"})
    services.attach(other, SurveyKind.FEEDBACK)
    factories.programme(answered["space"], title={"en": "Without surveys"})
    sign_in_as(Role.COORDINATOR, answered["space"])
    found = results.dataspace_results(answered["space"], "en")
    first, second = sorted(found.programmes, key=lambda s: s.programme.title.get_text())
    assert first.programme.title.get_text() == "Open data 101"
    assert [(r.phase, r.answered, r.confirmed) for r in first.rates] == \
        [(Phase.ONCE, 11, 12), (Phase.PRE, 11, 12), (Phase.POST, 11, 12)]
    # two rating questions of eleven answers each, on a scale of 1 to 5
    [(mean, low, high, count)] = first.ratings
    assert (low, high, count) == (1, 5, 22) and mean == pytest.approx((48 + 44) / 22)
    assert first.gain_pairs == 11 and first.gain_mean == pytest.approx(8.5 / 11)
    assert second.rates == [results.Rate(Phase.ONCE, 0, 0)] and not second.knowledge
    assert found.gain.pairs == 11
    page = client.get(f"/evaluation/dataspaces/{answered['space'].slug}/results?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Surveys only" in html and "Without surveys" not in html
    assert "77.3" in html and "Mean gain by country" in html


def test_an_instructor_has_no_data_space_results(answered, client):
    factories.sign_in(client, answered["instructor"])
    assert client.get(f"/evaluation/dataspaces/{answered['space'].slug}/results") \
        .status_code == 403


def test_the_funder_report_gives_the_learning_gain(answered, client):
    funder = factories.institution()
    grant = factories.grant([answered["space"]], funder, programmes=[answered["programme"]])
    db.session.add(FunderReport(grant_id=grant.id, language="en", requested_by_id=None))
    db.session.commit()
    assert reporting_jobs.build_funder_reports() == 1
    built = db.session.scalar(select(FunderReport))
    admin = factories.user(role=Role.ADMIN)
    factories.sign_in(client, admin)
    text = pdf_text(client.get(f"/grants/{grant.slug}/funder-reports/{built.id}.pdf").data)
    assert "Learning gain" in text and "77.3" in text


# --- a fixed number of queries -------------------------------------------------------------


def _bulk_answers(answered, people: int) -> None:
    """``people`` more feedback responses (ten answers each with their free text) and
    knowledge checks before and after, written straight into the tables."""
    feedback, check = answered["feedback"], answered["check"]
    db.session.execute(insert(User), [{
        "email": f"bulk{n}@example.org", "display_name": f"Bulk {n}", "password_hash": "x"}
        for n in range(people)])
    ids = list(db.session.scalars(select(User.id).where(User.email.like("bulk%"))))
    db.session.execute(insert(Enrollment), [{
        "programme_id": answered["programme"].id, "user_id": uid, "queue_number": 1000 + uid,
        "status": EnrollmentStatus.CONFIRMED, "checkin_code": f"B{uid:07d}"} for uid in ids])
    responses, answers, taken = [], [], []
    questions = feedback.questions
    for uid in ids:
        key = f"0{uid:031x}"  # 0: feedback, 1 and 2: before and after
        responses.append({"id": key, "survey_id": feedback.id, "phase": Phase.ONCE,
                          "submitted": True})
        answers += [{"response_id": key, "question_id": questions[n % 2].id,
                     "number": 1 + uid % 5} for n in range(8)]
        answers += [{"response_id": key, "question_id": questions[2].id, "number": 0},
                    {"response_id": key, "question_id": questions[3].id, "text": f"Text {uid}"}]
        for phase, score in ((Phase.PRE, 0.0), (Phase.POST, 0.5)):
            responses.append({"id": f"{1 + (phase == Phase.POST)}{uid:031x}",
                              "survey_id": check.id, "phase": phase, "user_id": uid,
                              "submitted": True, "score": score})
            taken.append({"survey_id": check.id, "user_id": uid, "phase": phase})
        taken.append({"survey_id": feedback.id, "user_id": uid, "phase": Phase.ONCE})
    db.session.execute(insert(SurveyResponse), responses)
    db.session.execute(insert(Answer), answers)
    db.session.execute(insert(SurveyParticipation), taken)
    db.session.commit()


def test_the_results_pages_run_as_many_queries_for_ten_or_ten_thousand_answers(
        app, client, server, sign_in_as):
    answered = _build(["CO", "SN"], [1.0, 0.5], ["5", "3"])  # eight feedback answers
    slug, space = answered["programme"].slug, answered["space"].slug
    sign_in_as(Role.COORDINATOR, answered["space"])
    pages = [f"/evaluation/programmes/{slug}/results", f"/evaluation/dataspaces/{space}/results",
             f"/evaluation/programmes/{slug}/results.csv"]

    def counts() -> list[int]:
        totals = []
        for url in pages:
            with count_queries(server) as queries:
                assert client.get(url).status_code == 200
            totals.append(queries.total)
        return totals

    few = counts()
    _bulk_answers(answered, 1000)  # 10,000 more feedback answers
    assert db.session.scalar(select(db.func.count()).select_from(Answer)) > 10_000
    assert counts() == few
    assert results.gain_of([answered["check"].id], "en").pairs == 1002
