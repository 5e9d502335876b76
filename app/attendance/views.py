"""Instructors' rosters and check-in, coordinators' summaries and exports, participants' codes."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from weasyprint import HTML

from app.attendance import checkin, services
from app.attendance.models import Mark
from app.auth import permissions as can
from app.auth.permissions import require, verified_required
from app.enrollment import lists as enrollments
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.errors import DomainError
from app.extensions import db
from app.views import download_table, managed_programme, whole_number
from app.workshops.models import Session

bp = Blueprint("attendance", __name__, template_folder="templates")


def _session_to_take(session_id: int) -> Session:
    """The session, if the current user teaches it or coordinates its Data Space."""
    session = db.session.get(Session, session_id)
    if session is None:
        abort(404)
    require(can.can_teach(current_user, session))
    return session


@bp.route("/attendance/sessions/<int:session_id>", methods=["GET", "POST"])
@verified_required
def roster(session_id: int):
    session = _session_to_take(session_id)
    people = enrollments.confirmed(session.programme_id)
    if request.method == "POST" and FlaskForm().validate_on_submit():
        marks = _posted_marks(people)
        if marks is None:
            return _roster_page(session, people, _("Choose present, late, absent or excused."),
                                422)
        try:
            changed = services.record_marks(session, marks, current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            return _roster_page(session, people, error.message, 409)
        except IntegrityError:  # two devices saved the first marks at the same moment
            db.session.rollback()
            return _roster_page(session, people, _("Someone saved this roster at the same "
                                                   "moment; look again and resend."), 409)
        flash(_("Attendance saved (%(count)d changes).", count=changed), "success")
        return redirect(url_for(".roster", session_id=session.id))
    return _roster_page(session, people)


def _posted_marks(people: list[Enrollment]) -> dict[int, Mark] | None:
    """Every ``mark-<enrollment id>`` field; "mark all present" fills the ones left empty.
    Unknown statuses or people make the whole roster invalid (``None`` or a DomainError)."""
    marks = {}
    for key, value in request.form.items():
        if not key.startswith("mark-"):
            continue
        number = whole_number(key.removeprefix("mark-"))
        try:
            marks[number] = Mark(value)
        except ValueError:
            return None
        if number is None:
            return None
    if "all_present" in request.form:  # everyone not marked otherwise is present
        marks = {person.id: Mark.PRESENT for person in people} | marks
    return marks


def _roster_page(session: Session, people, error=None, status: int = 200):
    return render_template(
        "attendance/roster.html", session=session, programme=session.programme, people=people,
        marks=services.marks_of(session), choices=list(Mark), error=error,
        form=FlaskForm()), status


@bp.route("/attendance/sessions/<int:session_id>/check-in", methods=["GET", "POST"])
@verified_required
def check_in(session_id: int):
    session = _session_to_take(session_id)
    if request.method == "GET":
        return render_template("attendance/check_in.html", session=session,
                               programme=session.programme, form=FlaskForm())
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        enrollment = services.check_in(session, request.form.get("code", "")[:500],
                                       current_user)
        db.session.commit()
    except (DomainError, IntegrityError) as error:
        db.session.rollback()
        message = error.message if isinstance(error, DomainError) else \
            _("Already checked in to this session.")
        if wants_json:
            return jsonify(ok=False, message=str(message)), 409
        return render_template("attendance/check_in.html", session=session,
                               programme=session.programme, form=FlaskForm(),
                               error=message), 409
    message = _("%(name)s is checked in.", name=enrollment.participant_name)
    if wants_json:
        return jsonify(ok=True, message=message)
    flash(message, "success")
    return redirect(url_for(".check_in", session_id=session.id))


@bp.get("/attendance/sessions/<int:session_id>/sign-in-sheet.pdf")
@verified_required
def sign_in_sheet(session_id: int):
    session = _session_to_take(session_id)
    html = render_template("attendance/sign_in_sheet.html", session=session,
                           programme=session.programme,
                           people=enrollments.confirmed(session.programme_id))
    # Only the app's own stylesheet text is inlined; the renderer fetches nothing.
    pdf = HTML(string=html, url_fetcher=_no_fetching).write_pdf()
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="sign-in-{session.programme.slug}-{session.id}.pdf"')
    return response


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"the sign-in sheet fetches nothing ({url})")


# --- coordinators ---------------------------------------------------------------------------


@bp.get("/attendance/programmes/<slug>")
@verified_required
def summary(slug: str):
    programme = managed_programme(slug)
    return render_template(
        "attendance/summary.html", programme=programme,
        people=enrollments.confirmed(programme.id),
        summaries=services.programme_attendance(programme),
        history=services.history(programme), locked_after=services.locked_after(programme))


@bp.get("/attendance/programmes/<slug>/sheet.<fmt>")
@verified_required
def sheet(slug: str, fmt: str):
    programme = managed_programme(slug)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    header, rows = services.sheet(programme)
    return download_table(header, rows, fmt, f"{programme.slug}-attendance")


# --- participants ------------------------------------------------------------------------------


@bp.get("/me/enrollments/<int:enrollment_id>/check-in.svg")
@verified_required
def my_code(enrollment_id: int):
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.user_id != current_user.id or \
            enrollment.status != EnrollmentStatus.CONFIRMED:
        abort(404)
    image = checkin.qr_image(enrollment, "svg", title=_("My check-in code"))
    response = Response(image, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
