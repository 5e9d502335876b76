"""Feedback surveys and knowledge checks: writing them, answering them one question at a time
(saved as one goes), anonymity, invitations and reminders sent once, the certificate gate."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.evaluation import jobs, services, taking
from app.evaluation.models import (
    Answer,
    Phase,
    QuestionKind,
    SurveyKind,
    SurveyParticipation,
    SurveyResponse,
)
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.timeutil import utcnow
from app.workshops.models import ProgrammeState
from tests import factories
from tests.support import csrf_token_from
from tests.world import table_digests


def seat(person, programme):
    db.session.add(Enrollment(programme_id=programme.id, user_id=person.id,
                              status=EnrollmentStatus.CONFIRMED,
                              queue_number=programme.id * 100 + person.id))
    db.session.flush()


@pytest.fixture
def finished(app):
    """A completed programme, its feedback survey (the network's default) and a participant."""
    programme = factories.programme(state=ProgrammeState.COMPLETED)
    survey = services.attach(programme, SurveyKind.FEEDBACK)
    person = factories.participant(language="es")
    seat(person, programme)
    db.session.commit()
    return programme, survey, person


def quiz(survey, correct=1, text="Which estimate is unbiased?"):
    return services.save_question(survey, None, services.QuestionDetails(
        kind=QuestionKind.QUIZ, text={"en": text},
        options=[{"en": "The first"}, {"en": "The second"}], correct_option=correct),
        actor_id=None)


# --- writing ---------------------------------------------------------------------------------


def test_a_feedback_survey_starts_from_the_networks_default(finished):
    _programme, survey, _person = finished
    kinds = [question.kind for question in survey.questions]
    assert kinds == [QuestionKind.RATING, QuestionKind.RATING, QuestionKind.MULTIPLE,
                     QuestionKind.TEXT]
    assert survey.questions[0].text.get_text("es").startswith("En general")
    with pytest.raises(Exception, match="already has one"):
        services.attach(survey.programme, SurveyKind.FEEDBACK)


def test_a_coordinator_adds_a_question_in_several_languages(client, sign_in_as, finished):
    programme, survey, _person = finished
    sign_in_as(factories.Role.COORDINATOR, programme.dataspace)
    page = client.get(f"/evaluation/surveys/{survey.id}/questions/new")
    response = client.post(f"/evaluation/surveys/{survey.id}/questions/new", data={
        "csrf_token": csrf_token_from(page.get_data(as_text=True)), "kind": "single",
        "text-en": "Which format do you prefer?", "text-fr": "Quel format préférez-vous ?",
        "options-en": "Online\nIn person", "options-fr": "En ligne\nEn présentiel",
        "scale_min": "1", "scale_max": "5"})
    assert response.status_code == 302
    db.session.refresh(survey)
    question = survey.questions[-1]
    assert question.text.get_text("fr") == "Quel format préférez-vous ?"
    assert [option["fr"] for option in question.options] == ["En ligne", "En présentiel"]


def test_an_answered_question_cannot_change_and_changes_after_answers_are_audited(finished):
    _programme, survey, person = finished
    rating = survey.questions[0]
    taking.save_answer(survey, person, Phase.ONCE, rating.id, ["4"])
    db.session.commit()
    before = table_digests()
    details = services.QuestionDetails(kind=QuestionKind.RATING, text={"en": "Changed"})
    with pytest.raises(Exception, match="can no longer change"):
        services.save_question(survey, rating, details, actor_id=None)
    with pytest.raises(Exception, match="can no longer be removed"):
        services.remove_question(survey, rating.id, actor_id=None)
    db.session.rollback()
    assert table_digests() == before

    services.save_question(survey, None, details, actor_id=None)  # a new one: allowed, audited
    services.remove_question(survey, survey.questions[1].id, actor_id=None)  # unanswered
    changes = db.session.scalars(select(AuditEntry.details["change"].as_string())
                                 .where(AuditEntry.action == "survey.changed")).all()
    assert changes == ["question saved", "question removed"]


def test_anonymity_cannot_change_once_answers_arrived(finished):
    _programme, survey, person = finished
    taking.save_answer(survey, person, Phase.ONCE, survey.questions[0].id, ["4"])
    with pytest.raises(Exception, match="can no longer change"):
        services.save_settings(survey, anonymous=True, required_for_certificate=False,
                               actor_id=None)


def test_knowledge_items_come_from_the_modules_learning_outcomes(app):
    module = factories.module(learning_outcomes={"en": "Estimate a population\n- Read a map"})
    programme = factories.programme(state=ProgrammeState.PUBLISHED)
    from app.workshops import services as workshops

    factories.session(programme, starts_local=factories.wall(2030, 3, 4, 9))
    session = programme.sessions[0]
    session.module_id = module.id
    db.session.flush()
    assert [outcome for _m, outcome in services.learning_outcomes(
        workshops.get_programme(programme.slug))] == ["Estimate a population", "Read a map"]
    survey = services.attach(programme, SurveyKind.KNOWLEDGE)
    with pytest.raises(Exception, match="does not belong"):
        services.save_question(survey, None, services.QuestionDetails(
            kind=QuestionKind.RATING, text={"en": "x"}), actor_id=None)
    with pytest.raises(Exception, match="correct option"):
        quiz(survey, correct=3)


# --- answering --------------------------------------------------------------------------------


def test_one_question_per_screen_saved_as_one_goes(client, finished):
    _programme, survey, person = finished
    factories.sign_in(client, person)
    first = client.get(f"/surveys/{survey.id}/once")
    assert first.headers["Location"].endswith(f"/surveys/{survey.id}/once/1")
    page = client.get(f"/surveys/{survey.id}/once/1").get_data(as_text=True)
    assert "Pregunta 1 de 4" in page  # in the participant's language
    token = csrf_token_from(page)
    client.post(f"/surveys/{survey.id}/once/1", data={"csrf_token": token, "answer": "5"})
    client.post(f"/surveys/{survey.id}/once/2", data={"csrf_token": token, "answer": "4"})

    # The connection dropped here; coming back resumes at the first unanswered question.
    again = client.get(f"/surveys/{survey.id}/once")
    assert again.headers["Location"].endswith(f"/surveys/{survey.id}/once/3")
    client.post(f"/surveys/{survey.id}/once/3", data={"csrf_token": token, "answer": ["0", "2"]})
    client.post(f"/surveys/{survey.id}/once/4", data={"csrf_token": token,
                                                      "answer": "Más ejercicios"})
    sent = client.post(f"/surveys/{survey.id}/once/submit", data={"csrf_token": token})
    assert sent.status_code == 302

    response = db.session.scalars(select(SurveyResponse)).one()
    assert response.submitted and response.user_id == person.id
    numbers = db.session.scalars(select(Answer.number).where(Answer.response_id == response.id)
                                 .order_by(Answer.id)).all()
    assert numbers == [5, 4, 0, 2, None]
    twice = client.post(f"/surveys/{survey.id}/once/submit", data={"csrf_token": token})
    assert twice.status_code == 409


@pytest.mark.parametrize(("step", "answer"), [
    (1, "9"),           # outside the 1 to 5 scale
    (1, ["4", "5"]),    # two answers to a one-answer question
    (3, "7"),           # no such option
    (1, "four"),
    (4, "x" * 2001),    # oversized text
])
def test_bad_answers_are_refused_and_write_nothing(client, finished, step, answer):
    _programme, survey, person = finished
    factories.sign_in(client, person)
    page = client.get(f"/surveys/{survey.id}/once/{step}").get_data(as_text=True)
    before = table_digests()
    response = client.post(f"/surveys/{survey.id}/once/{step}",
                           data={"csrf_token": csrf_token_from(page), "answer": answer})
    assert response.status_code == 422
    assert "Elija" in response.get_data(as_text=True) or "caracteres" in \
        response.get_data(as_text=True)
    assert table_digests() == before


def test_another_programmes_survey_does_not_exist_for_you(client, finished):
    _programme, survey, _person = finished
    stranger = factories.participant()
    factories.sign_in(client, stranger)
    assert client.get(f"/surveys/{survey.id}/once/1").status_code == 404
    with pytest.raises(Exception, match="not open"):
        taking.save_answer(survey, stranger, Phase.ONCE, survey.questions[0].id, ["4"])


def test_an_anonymous_response_keeps_nothing_that_names_its_author(finished):
    _programme, survey, person = finished
    services.save_settings(survey, anonymous=True, required_for_certificate=False, actor_id=None)
    for question, value in zip(survey.questions[:2], ("5", "3"), strict=True):
        taking.save_answer(survey, person, Phase.ONCE, question.id, [value])
    taking.submit(survey, person, Phase.ONCE)
    db.session.commit()

    response = db.session.scalars(select(SurveyResponse)).one()
    assert (response.user_id, response.draft_key, response.submitted_on) == (None, None, None)
    assert db.session.scalar(select(func.count()).select_from(SurveyParticipation)) == 1
    with pytest.raises(Exception, match="already answered"):
        taking.save_answer(survey, person, Phase.ONCE, survey.questions[0].id, ["1"])


def test_a_knowledge_check_before_and_after_scores_each(finished):
    programme, _survey, person = finished
    programme.state = ProgrammeState.REGISTRATION_OPEN
    check = services.attach(programme, SurveyKind.KNOWLEDGE)
    items = [quiz(check, correct=1), quiz(check, correct=2)]
    for item in items:
        taking.save_answer(check, person, Phase.PRE, item.id, ["0"])  # first right only
    assert taking.open_phases(check, person) == [Phase.PRE]
    taking.submit(check, person, Phase.PRE)
    programme.state = ProgrammeState.COMPLETED
    for item, option in zip(items, ("0", "1"), strict=True):
        taking.save_answer(check, person, Phase.POST, item.id, [option])
    taking.submit(check, person, Phase.POST)
    scores = dict(db.session.execute(select(SurveyResponse.phase, SurveyResponse.score)).all())
    assert scores == {Phase.PRE: 0.5, Phase.POST: 1.0}


# --- invitations, reminders, certificates ------------------------------------------------------


def test_invitations_and_the_reminder_go_once_with_two_schedulers(app, database_uri, finished,
                                                                  mailbox):
    from app import create_app
    from tests.support import config_for_tests

    programme, survey, person = finished
    answered = factories.participant()
    seat(answered, programme)
    db.session.commit()
    instances = [create_app(config_for_tests(database_uri, 25), instance_path=app.instance_path)
                 for _ in range(2)]

    def both(job, when):
        barrier, counts, errors = threading.Barrier(2, timeout=60), [], []

        def scheduler(instance):
            barrier.wait()
            with instance.app_context():
                try:
                    counts.append(job(when))
                except Exception as error:  # reported below
                    errors.append(error)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=scheduler, args=(i,)) for i in instances]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        return sum(counts)

    now = utcnow()
    assert both(jobs.invite, now) == 2
    invitation = mailbox.to(person.email)
    assert len(invitation) == 1 and invitation[0]["Subject"].startswith("¿Qué tal")
    for question, value in zip(survey.questions[:2], ("5", "3"), strict=True):
        taking.save_answer(survey, answered, Phase.ONCE, question.id, [value])
    taking.submit(survey, answered, Phase.ONCE)
    db.session.commit()

    assert both(jobs.remind, now + timedelta(days=4)) == 0  # too early
    assert both(jobs.remind, now + timedelta(days=5)) == 1  # only who has not answered
    assert both(jobs.remind, now + timedelta(days=9)) == 0  # once
    assert len(mailbox.to(person.email)) == 2 and mailbox.to(answered.email)[-1][
        "Subject"].startswith(("How was", "¿Qué tal"))
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3  # 2 + 1


def test_a_certificate_can_wait_for_the_feedback(client, finished):
    from app.certificates import eligibility, issuing

    _programme, survey, person = finished
    admin = factories.user(role=factories.Role.ADMIN)
    enrollment = db.session.scalars(select(Enrollment)).one()
    eligibility.override(enrollment, "Attended", admin)
    certificate = issuing.issue(enrollment, admin)
    services.save_settings(survey, anonymous=False, required_for_certificate=True, actor_id=None)
    db.session.commit()
    assert client.get(f"/verify/{certificate.code}/certificate.pdf").status_code == 409

    for question, value in zip(survey.questions[:2], ("5", "3"), strict=True):
        taking.save_answer(survey, person, Phase.ONCE, question.id, [value])
    taking.submit(survey, person, Phase.ONCE)
    db.session.commit()
    assert client.get(f"/verify/{certificate.code}/certificate.pdf").status_code in (200, 202)
