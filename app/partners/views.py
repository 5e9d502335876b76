"""The public "work with us" form, the submitter's erasure link, and the coordinators' triage
of expressions of interest."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import permissions as can
from app.auth.permissions import permission_required, verified_required
from app.dataspaces.services import get_dataspace, list_dataspaces
from app.errors import DomainError
from app.extensions import db, limiter
from app.forms import options
from app.i18n import language_name
from app.multilingual import CONTENT_LANGUAGES, current_language
from app.partners import forms, services
from app.partners.models import Interest, InterestStatus
from app.timeutil import utcnow
from app.views import form_error_response, show_refusal

bp = Blueprint("partners", __name__, template_folder="templates")


def _contact_email_key() -> str:
    """Rate-limit key for one contact address, whichever network the requests come from."""
    return "interest:" + request.form.get("contact_email", "").strip().lower()[:254]


# One budget for both forms (the network's and each Data Space's).
_per_address = limiter.shared_limit(lambda: current_app.config["INTEREST_LIMIT_PER_IP"],
                                    scope="interest-ip", methods=["POST"])
_per_contact = limiter.shared_limit(lambda: current_app.config["INTEREST_LIMIT_PER_EMAIL"],
                                    scope="interest-email", methods=["POST"],
                                    key_func=_contact_email_key)


# The public side ---------------------------------------------------------------------------


@bp.route("/work-with-us", methods=["GET", "POST"])
@_per_address
@_per_contact
def network_form():
    return _interest_form(None)


@bp.route("/dataspaces/<slug>/work-with-us", methods=["GET", "POST"])
@_per_address
@_per_contact
def dataspace_form(slug: str):
    space = get_dataspace(slug) or abort(404)
    return _interest_form(space)


def _interest_form(space):
    form = forms.InterestForm()
    spaces = [(other.id, other.name.get_text()) for other in list_dataspaces()]
    if space is None:
        form.dataspace_id.choices = options(spaces, blank=_("Not sure: the whole network"))
    else:
        del form.dataspace_id  # the page says where it goes
    form.partner_dataspace_id.choices = options(spaces, blank="—")
    form.languages.choices = [(code, language_name(code, current_language()))
                              for code in CONTENT_LANGUAGES]
    if not form.is_submitted():
        form.started.data = services.fill_token()
        form.languages.data = [current_language()]
    if form.validate_on_submit():
        if form.homepage.data or services.filled_too_fast(form.started.data):
            form.form_errors.append(_("Your message could not be sent yet. Please check it, "
                                      "wait a few seconds and send it again."))
            form.started.data = services.fill_token()
            return form_error_response(form, None, "partners/interest_form.html", space=space)
        try:
            services.submit(_details(form, space), current_language())
        except DomainError as error:
            return form_error_response(form, error, "partners/interest_form.html", space=space)
        db.session.commit()
        return redirect(url_for(".sent", space=space.slug if space else None))
    return form_error_response(form, None, "partners/interest_form.html", space=space)


def _details(form: forms.InterestForm, space) -> services.InterestDetails:
    return services.InterestDetails(
        dataspace_id=space.id if space else form.dataspace_id.data,
        organisation_name=form.organisation_name.data,
        organisation_kind=form.organisation_kind.data,
        country_code=form.country_code.data,
        website=form.website.data,
        contact_name=form.contact_name.data,
        contact_role=form.contact_role.data,
        contact_email=form.contact_email.data,
        offers=form.offers.data,
        partner_dataspace_id=form.partner_dataspace_id.data,
        message=form.message.data,
        languages=form.languages.data,
    )


@bp.get("/work-with-us/sent")
def sent():
    space = get_dataspace(request.args.get("space", ""))
    return render_template("partners/sent.html", space=space)


@bp.route("/work-with-us/erase/<token>", methods=["GET", "POST"])
def erase(token: str):
    """The link in the confirmation email: a page that asks, and a button that erases."""
    try:
        interest = services.interest_from_erasure_token(token)
    except DomainError:
        abort(404)
    form = forms.EraseForm()
    if form.validate_on_submit():
        services.erase_contact(interest, reason="asked by the contact person")
        db.session.commit()
        return render_template("partners/erased.html")
    return render_template("partners/erase.html", form=form, interest=interest)


# The coordinators' side --------------------------------------------------------------------


def _scope() -> set[int] | None:
    """The Data Spaces whose interests the person triages (``None``: all, for admins)."""
    return None if can.is_admin(current_user) else set(current_user.coordinated_dataspace_ids())


def _managed_interest(interest_id: int) -> Interest:
    interest = services.get_interest(interest_id) or abort(404)
    can.require(can.can_manage_dataspace(current_user, interest.dataspace_id))
    return interest


@bp.get("/interests/")
@permission_required(can.is_staff)
def index():
    status = request.args.get("status") or None
    if status is not None and status not in {member.value for member in InterestStatus}:
        abort(400)
    mine = request.args.get("mine") == "1"
    scope = _scope()
    interests = services.interests_for(
        scope, status=InterestStatus(status) if status else None,
        assignee_id=current_user.id if mine else None)
    return render_template("partners/index.html", interests=interests, status=status, mine=mine,
                           counts=services.counts_by_status(scope))


@bp.get("/interests/<int:interest_id>")
@verified_required
def show(interest_id: int):
    interest = _managed_interest(interest_id)
    return _show(interest, **_triage_forms(interest))


def _triage_forms(interest: Interest) -> dict:
    status_form = forms.StatusForm()
    status_form.status.choices = [(status.value, status.label) for status in
                                  services.NEXT_STATUSES[interest.status]]
    assign_form = forms.AssignForm(assignee_id=interest.assignee_id)
    assign_form.assignee_id.choices = options(
        ((user.id, user.display_name or user.email) for user in services.team_of(interest)),
        blank=_("Nobody"))
    pass_form = forms.PassForm()
    pass_form.dataspace_id.choices = options(
        (space.id, space.name.get_text()) for space in list_dataspaces()
        if space.id != interest.dataspace_id)
    return {"status_form": status_form, "assign_form": assign_form, "pass_form": pass_form,
            "note_form": forms.NoteForm()}


def _show(interest: Interest, status: int = 200, **triage):
    return render_template("partners/show.html", interest=interest,
                           matches=services.matching_institutions(interest), **triage), status


def _step(interest_id: int, form_class, act, done: str, field: str):
    """One triage step: read its form, act, commit; or show the page with what was refused."""
    interest = _managed_interest(interest_id)
    triage = _triage_forms(interest)
    form = form_class()  # any status is a choice here: the service explains a move it refuses
    if not form.validate_on_submit():
        triage[field] = form
        return _show(interest, 422, **triage)
    try:
        act(interest, form)
    except DomainError as error:
        show_refusal(form, error)
        triage[field] = form
        return _show(services.get_interest(interest_id), error.status, **triage)
    db.session.commit()
    flash(done, "success")
    if not can.can_manage_dataspace(current_user, interest.dataspace_id):
        return redirect(url_for(".index"))  # passed to a Data Space the person does not manage
    return redirect(url_for(".show", interest_id=interest_id))


@bp.post("/interests/<int:interest_id>/status")
@verified_required
def move(interest_id: int):
    return _step(interest_id, forms.StatusForm,
                 lambda interest, form: services.move(interest, form.status.data, current_user),
                 _("The interest moved on."), "status_form")


@bp.post("/interests/<int:interest_id>/assign")
@verified_required
def assign(interest_id: int):
    return _step(interest_id, forms.AssignForm,
                 lambda interest, form: services.assign(interest, form.assignee_id.data,
                                                        current_user),
                 _("The assignment was saved."), "assign_form")


@bp.post("/interests/<int:interest_id>/notes")
@verified_required
def add_note(interest_id: int):
    return _step(interest_id, forms.NoteForm,
                 lambda interest, form: services.add_note(interest, form.body.data,
                                                          current_user),
                 _("The note was added."), "note_form")


@bp.post("/interests/<int:interest_id>/pass")
@verified_required
def pass_on(interest_id: int):
    return _step(interest_id, forms.PassForm,
                 lambda interest, form: services.pass_to(interest, form.dataspace_id.data,
                                                         current_user),
                 _("The interest was passed on."), "pass_form")


@bp.route("/interests/<int:interest_id>/convert", methods=["GET", "POST"])
@verified_required
def convert(interest_id: int):
    interest = _managed_interest(interest_id)
    matches = services.matching_institutions(interest)
    form = forms.ConvertForm()
    form.institution_id.choices = [
        *((match.id, _("Merge with %(name)s", name=match.name.get_text())) for match in matches),
        (0, _("Add %(name)s to the registry", name=interest.organisation_name))]
    if not form.is_submitted():
        form.institution_id.data = matches[0].id if matches else 0
        form.role.data = services.suggested_role(interest)
        form.starts_on.data = utcnow().date()
    if form.validate_on_submit():
        conversion = services.Conversion(
            institution_id=form.institution_id.data or None, role=form.role.data,
            starts_on=form.starts_on.data, agreement_reference=form.agreement_reference.data)
        try:
            services.convert(interest, conversion, current_user)
        except DomainError as error:
            return form_error_response(form, error, "partners/convert.html", interest=interest)
        db.session.commit()
        flash(_("%(name)s is now a partner.", name=interest.organisation_name), "success")
        return redirect(url_for("dataspaces.show", slug=interest.dataspace.slug))
    return form_error_response(form, None, "partners/convert.html", interest=interest)
