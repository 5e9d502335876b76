"""Surveys and knowledge checks: coordinators write them, participants answer them one
question at a time, and the results pages read them (at the end of this file)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth import permissions as can
from app.auth.permissions import verified_required
from app.errors import DomainError
from app.evaluation import forms, results, services, taking
from app.evaluation.models import Phase, Question, QuestionKind, Survey, SurveyKind
from app.extensions import db
from app.multilingual import current_language
from app.views import download_table, form_error_response, managed_dataspace, managed_programme
from app.workshops.services import get_programme

bp = Blueprint("evaluation", __name__, template_folder="templates")


# --- writing surveys (the programme's coordinators; the network's default: admins) --------------


def _managed_survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        abort(404)
    if survey.programme is None:
        can.require(can.is_admin(current_user))
    else:
        can.require(can.can_manage_dataspace(current_user, survey.programme.dataspace_id))
    return survey


def _survey_page(survey: Survey) -> str:
    if survey.programme is None:
        return url_for(".network_default")
    return url_for(".programme_surveys", slug=survey.programme.slug)


@bp.get("/evaluation/programmes/<slug>")
@verified_required
def programme_surveys(slug: str):
    programme = managed_programme(slug)
    surveys = services.surveys_of(programme)
    return render_template(
        "evaluation/programme.html", programme=programme, surveys=surveys,
        kinds=list(SurveyKind), action_form=FlaskForm(),
        settings={kind: forms.SurveySettingsForm(obj=survey) for kind, survey in surveys.items()},
        answered={kind: services.answered_question_ids(survey)
                  for kind, survey in surveys.items()},
        outcomes=services.learning_outcomes(programme))


@bp.get("/evaluation/default")
@verified_required
def network_default():
    can.require(can.is_admin(current_user))
    survey = services.network_default()
    db.session.commit()  # made the first time it is asked for
    return render_template("evaluation/default.html", survey=survey, action_form=FlaskForm())


@bp.post("/evaluation/programmes/<slug>/attach/<kind>")
@verified_required
def attach(slug: str, kind: str):
    programme = managed_programme(slug)
    try:
        wanted = SurveyKind(kind)
    except ValueError:
        abort(404)
    services.attach(programme, wanted)
    db.session.commit()
    flash(_("Added. Adapt its questions below."), "success")
    return redirect(url_for(".programme_surveys", slug=slug))


@bp.post("/evaluation/surveys/<int:survey_id>/settings")
@verified_required
def save_settings(survey_id: int):
    survey = _managed_survey(survey_id)
    form = forms.SurveySettingsForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.save_settings(survey, anonymous=form.anonymous.data,
                               required_for_certificate=form.required_for_certificate.data,
                               actor_id=current_user.id)
    except DomainError as error:
        error.back = _survey_page(survey)
        raise
    db.session.commit()
    flash(_("The settings are saved."), "success")
    return redirect(_survey_page(survey))


def _question_form(survey: Survey, question: Question | None) -> forms.QuestionForm:
    form = forms.QuestionForm(obj=question, data=None if question else {
        "kind": QuestionKind.QUIZ if survey.kind == SurveyKind.KNOWLEDGE else QuestionKind.RATING,
        "text": {"en": request.args.get("outcome", "")[:500]} if request.args.get("outcome")
        else None, "module_id": request.args.get("module", type=int)})
    allowed = ([QuestionKind.QUIZ] if survey.kind == SurveyKind.KNOWLEDGE
               else [k for k in QuestionKind if k != QuestionKind.QUIZ])
    form.kind.choices = [choice for choice in QuestionKind.choices()
                         if choice.value in {k.value for k in allowed}]
    modules = {module.id: module for module, _outcome in services.learning_outcomes(
        survey.programme)} if survey.programme else {}
    form.module_id.choices = [("", "—")] + [(str(m.id), m.title.get_text())
                                           for m in modules.values()]
    if question is not None and request.method == "GET":
        form.options.data = _options_as_lines(question)
        form.correct_option.data = (question.correct_option + 1
                                    if question.correct_option is not None else None)
    return form


def _options_as_lines(question: Question) -> dict[str, str]:
    languages = {language for option in question.options for language in option}
    return {language: "\n".join(option.get(language, "") for option in question.options)
            for language in languages}


def _options_from_lines(by_language: dict[str, str]) -> list[dict[str, str]]:
    lines = {language: [line.strip() for line in text.splitlines() if line.strip()]
             for language, text in (by_language or {}).items()}
    count = max((len(values) for values in lines.values()), default=0)
    return [{language: values[n] for language, values in lines.items() if n < len(values)}
            for n in range(count)]


def _edit_question(survey: Survey, question: Question | None):
    form = _question_form(survey, question)
    page = {"survey": survey, "question": question, "back": _survey_page(survey)}
    if form.validate_on_submit():
        details = services.QuestionDetails(
            kind=form.kind.data, text=form.text.data,
            options=_options_from_lines(form.options.data), scale_min=form.scale_min.data,
            scale_max=form.scale_max.data, correct_option=form.correct_option.data,
            module_id=form.module_id.data)
        try:
            services.save_question(survey, question, details, actor_id=current_user.id)
        except DomainError as error:
            return form_error_response(form, error, "evaluation/question.html", **page)
        db.session.commit()
        flash(_("The question is saved."), "success")
        return redirect(page["back"])
    return form_error_response(form, None, "evaluation/question.html", **page)


@bp.route("/evaluation/surveys/<int:survey_id>/questions/new", methods=["GET", "POST"])
@verified_required
def new_question(survey_id: int):
    return _edit_question(_managed_survey(survey_id), None)


@bp.route("/evaluation/surveys/<int:survey_id>/questions/<int:question_id>",
          methods=["GET", "POST"])
@verified_required
def edit_question(survey_id: int, question_id: int):
    survey = _managed_survey(survey_id)
    question = next((q for q in survey.questions if q.id == question_id), None) or abort(404)
    if question.id in services.answered_question_ids(survey):
        raise DomainError(_("This question has been answered: it can no longer change. Add a "
                            "new question instead."), back=_survey_page(survey))
    return _edit_question(survey, question)


@bp.post("/evaluation/surveys/<int:survey_id>/questions/<int:question_id>/delete")
@verified_required
def delete_question(survey_id: int, question_id: int):
    survey = _managed_survey(survey_id)
    try:
        services.remove_question(survey, question_id, actor_id=current_user.id)
    except DomainError as error:
        error.back = _survey_page(survey)
        raise
    db.session.commit()
    flash(_("The question is removed."), "success")
    return redirect(_survey_page(survey))


# --- answering (participants) ------------------------------------------------------------------


@bp.get("/me/surveys")
@verified_required
def my_surveys():
    return render_template("evaluation/mine.html", waiting=taking.waiting_for(current_user))


def _open_survey(survey_id: int, phase: str) -> tuple[Survey, Phase]:
    survey = db.session.get(Survey, survey_id)
    try:
        wanted = Phase(phase)
    except ValueError:
        abort(404)
    if survey is None or wanted not in survey.phases:
        abort(404)
    if wanted not in taking.open_phases(survey, current_user):
        abort(404)  # another programme's survey does not exist for you
    if taking.has_answered(survey, current_user, wanted):
        raise DomainError(_("You have already answered this survey. Thank you!"),
                          back=url_for(".my_surveys"))
    return survey, wanted


@bp.get("/surveys/<int:survey_id>/<phase>")
@verified_required
def take(survey_id: int, phase: str):
    """Resume where the person stopped: the first question without an answer."""
    survey, wanted = _open_survey(survey_id, phase)
    given = taking.answers_of(taking.draft(survey, current_user, wanted))
    step = next((n for n, q in enumerate(survey.questions, start=1) if q.id not in given),
                None)
    if step is None:
        return redirect(url_for(".review", survey_id=survey_id, phase=phase))
    return redirect(url_for(".question_step", survey_id=survey_id, phase=phase, step=step))


@bp.route("/surveys/<int:survey_id>/<phase>/<int:step>", methods=["GET", "POST"])
@verified_required
def question_step(survey_id: int, phase: str, step: int):
    """One question per screen: each answer is saved when the person moves on."""
    survey, wanted = _open_survey(survey_id, phase)
    if not 1 <= step <= len(survey.questions):
        abort(404)
    question = survey.questions[step - 1]
    if request.method == "POST":
        try:
            taking.save_answer(survey, current_user, wanted, question.id,
                               request.form.getlist("answer"))
        except DomainError as error:
            db.session.rollback()
            return _step_page(survey, wanted, step, error=error.message), error.status
        db.session.commit()
        if request.form.get("go") == "back" and step > 1:
            return redirect(url_for(".question_step", survey_id=survey_id, phase=phase,
                                    step=step - 1))
        if step == len(survey.questions):
            return redirect(url_for(".review", survey_id=survey_id, phase=phase))
        return redirect(url_for(".question_step", survey_id=survey_id, phase=phase,
                                step=step + 1))
    return _step_page(survey, wanted, step)


def _step_page(survey: Survey, phase: Phase, step: int, error=None):
    question = survey.questions[step - 1]
    given = taking.answers_of(taking.draft(survey, current_user, phase)).get(question.id, [])
    return render_template("evaluation/step.html", survey=survey, phase=phase, step=step,
                           question=question, error=error, form=FlaskForm(),
                           chosen={answer.number for answer in given},
                           text=next((a.text for a in given if a.text), ""))


@bp.route("/surveys/<int:survey_id>/<phase>/submit", methods=["GET", "POST"])
@verified_required
def review(survey_id: int, phase: str):
    survey, wanted = _open_survey(survey_id, phase)
    response = taking.draft(survey, current_user, wanted)
    if request.method == "POST":
        taking.submit(survey, current_user, wanted)
        db.session.commit()
        flash(_("Thank you! Your answers are in."), "success")
        return redirect(url_for(".my_surveys"))
    return render_template("evaluation/review.html", survey=survey, phase=phase,
                           given=taking.answers_of(response), form=FlaskForm(),
                           missing={q.id for q in taking.unanswered(survey, response)})


# --- results ---


def _results_of(slug: str) -> tuple:
    """The programme, whether the reader coordinates it, and its surveys' results. Its Data
    Space's coordinators and admins see everything; its instructors the counts, never what
    people wrote (a sentence can name its author to the person who taught them)."""
    programme = get_programme(slug)
    if programme is None:
        abort(404)
    coordinator = can.can_manage_dataspace(current_user, programme.dataspace_id)
    can.require(coordinator or can.can_teach(current_user, programme))
    found = results.programme_results(programme, services.surveys_of(programme).values(),
                                      current_language(), free_text=coordinator)
    return programme, coordinator, found


@bp.get("/evaluation/programmes/<slug>/results")
@verified_required
def programme_results(slug: str):
    programme, coordinator, found = _results_of(slug)
    return render_template("evaluation/results.html", programme=programme, results=found,
                           coordinator=coordinator, points=results.points,
                           breakdowns=results.BREAKDOWNS)


@bp.get("/evaluation/programmes/<slug>/results.<fmt>")
@verified_required
def programme_results_export(slug: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    programme, _coordinator, found = _results_of(slug)
    header, rows = results.table(found)
    return download_table(header, rows, fmt, f"results-{programme.slug}")


@bp.get("/evaluation/dataspaces/<slug>/results")
@verified_required
def dataspace_results(slug: str):
    space = managed_dataspace(slug)
    return render_template("evaluation/dataspace_results.html",
                           found=results.dataspace_results(space, current_language()),
                           points=results.points, breakdowns=results.BREAKDOWNS)
