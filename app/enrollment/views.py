"""Enrolling and applying, the participant's own space, and coordinators' roster tools."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from app.attendance import checkin
from app.attendance.services import summary_of
from app.auth import permissions as can
from app.auth.permissions import password_attempts_limited, verified_required
from app.enrollment import (
    changes,
    decisions,
    forms,
    lists,
    notices,
    personal_data,
    profiles,
    roster,
    seats,
)
from app.enrollment.models import Enrollment, EnrollmentStatus, ParticipantProfile, Sector
from app.errors import DomainError
from app.extensions import db
from app.urls import external_url
from app.views import (
    download_table,
    form_error_response,
    managed_programme,
    number_arg,
    whole_number,
)
from app.workshops import services as workshops
from app.workshops.models import EnrollmentMode, Programme

bp = Blueprint("enrollment", __name__, template_folder="templates")


def _public_programme(slug: str, *, light: bool = False) -> Programme:
    programme = workshops.programme_row(slug) if light else workshops.get_programme(slug)
    if programme is None or not can.can_view_programme(current_user, programme):
        abort(404)
    return programme


# --- enrolling --------------------------------------------------------------------------------


@bp.route("/workshops/<slug>/enroll", methods=["GET", "POST"])
@verified_required
def enroll(slug: str):
    programme = _public_programme(slug, light=True)
    back = url_for("workshops.programme", slug=slug)
    profile = profiles.profile_of(current_user)
    if profile is None or profile.consent_policy_version != profiles.POLICY_VERSION:
        flash(_("Please complete your profile first."), "info")
        return redirect(url_for(".profile", next=request.path))
    application = programme.enrollment_mode == EnrollmentMode.APPLICATION
    form = forms.ApplicationForm() if application else FlaskForm()
    questions = seats.questions_of(programme) if application else []
    if request.method == "GET":
        return render_template("enrollment/enroll.html", programme=programme, form=form,
                               questions=questions, answers={})
    answers = {str(q.id): request.form.get(f"answer-{q.id}", "") for q in questions}
    if not form.validate_on_submit():
        return render_template("enrollment/enroll.html", programme=programme, form=form,
                               questions=questions, answers=answers), 422
    try:
        seats.enroll(
            current_user, programme, profile=profile,
            motivation=form.motivation.data if application else None, answers=answers)
        db.session.commit()
    except DomainError as error:
        if error.field and hasattr(form, error.field):
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error.message))
            return render_template("enrollment/enroll.html", programme=programme, form=form,
                                   questions=questions, answers=answers), 422
        error.back = back
        raise
    except IntegrityError as error:  # the same person, twice at once: the database says no
        # Lazy: the message is read after the handler's rollback (it needs the reader's locale).
        raise DomainError(_l("You are already registered for this programme."),
                          back=back) from error
    return redirect(url_for(".enrolled", slug=slug))


@bp.get("/workshops/<slug>/enrolled")
@verified_required
def enrolled(slug: str):
    """Where enrolling leads: the answer, and where to go next. Light on purpose: it is the
    page hundreds of people load in the same minute when a popular programme opens."""
    enrollment = seats.enrollment_by_slug(current_user, slug) or abort(404)
    return render_template("enrollment/enrolled.html", enrollment=enrollment, slug=slug,
                           message=_status_message(enrollment))


def _status_message(enrollment: Enrollment) -> str:
    return {
        EnrollmentStatus.CONFIRMED: _("You are in: your seat is confirmed."),
        EnrollmentStatus.WAITLISTED: _("The programme is full: you are on the waiting list."),
        EnrollmentStatus.APPLIED: _("Your application was sent. We will email you the decision."),
    }.get(enrollment.status, enrollment.status.label)


@bp.route("/waitlist/leave/<token>", methods=["GET", "POST"])
def leave_waitlist(token: str):
    """From the link in the waiting-list email: no sign-in needed, the link is the key."""
    try:
        enrollment = notices.enrollment_from_leave_token(token)
    except DomainError as error:
        error.status = 404  # a link that is not (or no longer) ours
        raise
    form = FlaskForm()
    if form.validate_on_submit():
        changes.leave_waitlist(enrollment)
        db.session.commit()
        return render_template("enrollment/left.html", enrollment=enrollment)
    return render_template("enrollment/leave.html", enrollment=enrollment, form=form,
                           position=seats.Waitlist.position(enrollment))


# --- the participant's space ----------------------------------------------------------------------


@bp.get("/me/")
@verified_required
def my_space():
    return _my_space_page()


def _my_space_page(feed_url: str | None = None):
    enrollments = lists.enrollments_of(current_user)
    confirmed = [e for e in enrollments if e.status == EnrollmentStatus.CONFIRMED]
    return render_template(
        "enrollment/my_space.html", enrollments=enrollments,
        positions={e.id: seats.Waitlist.position(e) for e in enrollments
                   if e.status == EnrollmentStatus.WAITLISTED},
        codes={e.id: checkin.display_code(e) for e in confirmed},
        attendance={e.id: summary_of(e) for e in confirmed},
        profile=profiles.profile_of(current_user), action_form=FlaskForm(),
        has_feed=workshops.has_feed(current_user) or feed_url is not None, feed_url=feed_url,
        deadline=changes.cancellation_deadline,
    )


@bp.route("/me/profile", methods=["GET", "POST"])
@verified_required
def profile():
    current = profiles.profile_of(current_user)
    form = forms.ProfileForm(obj=current)
    if request.method == "GET" and current is not None:
        form.consent.data = current.consent_policy_version == profiles.POLICY_VERSION
    if form.validate_on_submit():
        try:
            profiles.save_profile(current_user, profiles.ProfileDetails(
                given_name=form.given_name.data, family_name=form.family_name.data,
                certificate_name=form.certificate_name.data,
                organization=form.organization.data, sector=form.sector.data,
                country_code=form.country_code.data, gender=form.gender.data,
                gender_self_described=form.gender_self_described.data,
                accessibility_needs=form.accessibility_needs.data, consent=form.consent.data))
        except DomainError as error:
            return form_error_response(form, error, "enrollment/profile.html")
        db.session.commit()
        flash(_("Your profile was saved."), "success")
        target = request.args.get("next", "")
        return redirect(target if target.startswith("/workshops/") else url_for(".my_space"))
    return form_error_response(form, None, "enrollment/profile.html")


def _own_enrollment(enrollment_id: int) -> Enrollment:
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.user_id != current_user.id:
        abort(404)  # someone else's enrollment does not exist for you
    return enrollment


@bp.post("/me/enrollments/<int:enrollment_id>/<action>")
@verified_required
def change_enrollment(enrollment_id: int, action: str):
    enrollment = _own_enrollment(enrollment_id)
    change = {"cancel": changes.cancel, "accept": changes.accept_offer,
              "decline": changes.decline_offer}.get(action)
    if change is None:
        abort(404)
    try:
        change(enrollment)
    except DomainError as error:
        error.back = url_for(".my_space")
        raise
    db.session.commit()
    flash({"cancel": _("Your registration is cancelled."),
           "accept": _("Your seat is confirmed."),
           "decline": _("You declined the seat; it goes to the next person.")}[action], "success")
    return redirect(url_for(".my_space"))


@bp.post("/me/calendar")
@verified_required
def renew_calendar():
    token = workshops.new_feed_token(current_user)
    db.session.commit()
    flash(_("Your private calendar address is ready. Any earlier address no longer works."),
          "success")
    return _my_space_page(
        feed_url=external_url("workshops.private_calendar", token=token))


@bp.get("/me/data.json")
@verified_required
def my_data():
    body = json.dumps(personal_data.export(current_user), ensure_ascii=False, indent=2,
                      default=str)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@bp.route("/me/delete", methods=["GET", "POST"])
@verified_required
@password_attempts_limited
def delete_account():
    form = forms.DeleteAccountForm()
    if form.validate_on_submit():
        try:
            personal_data.erase(current_user, form.password.data)
        except DomainError as error:
            return form_error_response(form, error, "enrollment/delete.html")
        db.session.commit()
        logout_user()
        flash(_("Your account and personal data were erased."), "success")
        return redirect(url_for("site.index"))
    return form_error_response(form, None, "enrollment/delete.html")


# --- coordinators ---------------------------------------------------------------------------------


def _roster_filter() -> roster.RosterFilter:
    args = request.args
    try:
        status = EnrollmentStatus(args["status"]) if args.get("status") else None
        sector = Sector(args["sector"]) if args.get("sector") else None
        page = number_arg(args.get("page"), 1)
    except ValueError:
        abort(400)
    country = (args.get("country") or "").upper() or None
    if country and (len(country) != 2 or not country.isalpha()):
        abort(400)
    return roster.RosterFilter(status=status, sector=sector, country=country, page=page)


@bp.get("/workshops/<slug>/roster")
@verified_required
def roster_page(slug: str):
    programme = managed_programme(slug)
    wanted = _roster_filter()
    result = roster.roster_page(programme, wanted)
    return render_template(
        "enrollment/roster.html", programme=programme, result=result, wanted=wanted,
        counts=lists.status_counts(programme),
        sectors=roster.breakdown(programme, ParticipantProfile.sector),
        countries=roster.breakdown(programme, ParticipantProfile.country_code),
        statuses=list(EnrollmentStatus), sector_choices=list(Sector), action_form=FlaskForm(),
        questions=seats.questions_of(programme),
    )


@bp.get("/workshops/<slug>/roster.<fmt>")
@verified_required
def roster_export(slug: str, fmt: str):
    programme = managed_programme(slug)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    header, rows = roster.export_rows(programme)
    return download_table(header, rows, fmt, f"{programme.slug}-roster")


@bp.post("/workshops/<slug>/decisions")
@verified_required
def decide(slug: str):
    """Accept, reject or waitlist the checked applications (one or many at once)."""
    programme = managed_programme(slug)
    decision = request.form.get("decision", "")
    ids = [whole_number(value) for value in request.form.getlist("enrollment")]
    if None in ids:
        abort(400)
    if decision not in decisions.Decision.ALL or not ids:
        raise DomainError(_("Choose applications and a decision."), status=422,
                          back=url_for(".roster_page", slug=slug))
    note = (request.form.get("note") or "").strip() or None  # empty: keep existing notes
    done, refused = 0, []
    for enrollment_id in ids:
        enrollment = db.session.get(Enrollment, enrollment_id)
        if enrollment is None or enrollment.programme_id != programme.id:
            raise DomainError(_("Some of these applications are not in this programme."),
                              status=422, back=url_for(".roster_page", slug=slug))
        try:
            with db.session.begin_nested():
                decisions.decide(enrollment, decision, current_user, note)
            done += 1
        except DomainError as error:
            refused.append(f"#{enrollment.queue_number}: {error.message}")
    db.session.commit()
    flash(_("%(count)d decisions recorded.", count=done), "success")
    for problem in refused:
        flash(problem, "error")
    return redirect(url_for(".roster_page", slug=slug, status="applied"))


@bp.post("/workshops/<slug>/enrollments/<int:enrollment_id>/note")
@verified_required
def save_note(slug: str, enrollment_id: int):
    programme = managed_programme(slug)
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.programme_id != programme.id:
        abort(404)
    form = forms.NoteForm()
    if not form.validate_on_submit():
        raise DomainError(_("The note is too long."), status=422)
    decisions.set_note(enrollment, form.internal_note.data or "")
    db.session.commit()
    flash(_("The note was saved."), "success")
    return redirect(url_for(".roster_page", slug=slug))


@bp.route("/workshops/<slug>/import", methods=["GET", "POST"])
@verified_required
def import_participants(slug: str):
    programme = managed_programme(slug)
    form = forms.ImportForm()
    if not form.validate_on_submit():
        return form_error_response(form, None, "enrollment/import.html", programme=programme,
                                   report=None)
    data = form.file.data.read(2 * 1024 * 1024 + 1)
    if len(data) > 2 * 1024 * 1024:
        report = roster.ImportReport(file_problem=_("The file is larger than 2 MB."))
    else:
        report = roster.check_import(programme, data)
    if not report.ok:
        db.session.rollback()
        return render_template("enrollment/import.html", programme=programme, form=form,
                               report=report), 422
    try:
        count = roster.apply_import(programme, report, current_user)
        db.session.commit()
    except DomainError as error:  # seats taken since the check: nothing was imported
        error.back = url_for(".import_participants", slug=slug)
        raise
    flash(_("%(count)d participants were invited.", count=count), "success")
    return redirect(url_for(".roster_page", slug=slug))


@bp.post("/workshops/<slug>/questions")
@verified_required
def add_question(slug: str):
    programme = managed_programme(slug)
    text = {lang: request.form.get(f"text-{lang}", "").strip()[:500]
            for lang in ("en", "es", "fr", "pt", "ar")}
    if not text["en"]:
        raise DomainError(_("Write the question in English at least."), status=422,
                          back=url_for(".roster_page", slug=slug))
    decisions.add_question(programme, text)
    db.session.commit()
    flash(_("The question was added to the application form."), "success")
    return redirect(url_for(".roster_page", slug=slug))
