"""Grants: the coordinators' pages that record them, their targets and the programmes they
fund, and the public progress page a grant may publish."""

from __future__ import annotations

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
from flask_login import current_user

from app.auth import permissions as can
from app.auth.permissions import permission_required, verified_required
from app.dataspaces.services import list_dataspaces, list_institutions
from app.errors import DomainError
from app.extensions import db
from app.forms import options
from app.grants import forms, services
from app.grants.models import DeliverableStatus, Grant, GrantRole
from app.i18n import UI_LANGUAGES, language_name
from app.multilingual import CONTENT_LANGUAGES, current_language
from app.reporting import funder, iati
from app.reporting import progress as grant_progress
from app.timeutil import utcnow
from app.views import form_error_response, managed_grant

bp = Blueprint("grants", __name__, template_folder="templates")


def _scope() -> set[int] | None:
    """The Data Spaces whose grants the person sees (``None``: all, for admins)."""
    return None if can.is_admin(current_user) else set(current_user.coordinated_dataspace_ids())


@bp.get("/grants/")
@permission_required(can.is_staff)
def index():
    return render_template("grants/index.html", grants=services.list_grants(_scope()))


@bp.route("/grants/new", methods=["GET", "POST"])
@permission_required(can.is_staff)
def create():
    return _edit(None)


@bp.route("/grants/<slug>/edit", methods=["GET", "POST"])
@verified_required
def edit(slug: str):
    return _edit(managed_grant(slug))


def _edit(grant: Grant | None):
    form = forms.GrantForm(obj=grant)
    allowed = _scope()
    if allowed is not None and grant is not None:
        allowed |= grant.dataspace_ids  # a coordinator keeps the other Data Spaces already there
    form.dataspace_ids.choices = options(
        (space.id, space.name.get_text()) for space in list_dataspaces()
        if allowed is None or space.id in allowed)
    institutions = [(inst.id, inst.name.get_text()) for inst in list_institutions()]
    form.funder_ids.choices = options(institutions)
    form.partner_ids.choices = options(institutions)
    if grant is not None and not form.is_submitted():
        form.dataspace_ids.data = sorted(grant.dataspace_ids)
        form.funder_ids.data = [inst.id for inst in grant.institutions(GrantRole.FUNDER)]
        form.partner_ids.data = [inst.id for inst in grant.institutions(GrantRole.IMPLEMENTING)]
    if form.validate_on_submit():
        details = services.GrantDetails(
            title=form.title.data, description=form.description.data,
            reference=form.reference.data, starts_on=form.starts_on.data,
            ends_on=form.ends_on.data, amount=form.amount.data,
            currency=(form.currency.data or "").strip().upper() or None,
            dataspace_ids=tuple(form.dataspace_ids.data), funder_ids=tuple(form.funder_ids.data),
            partner_ids=tuple(form.partner_ids.data), public=form.public.data)
        try:
            grant = services.save_grant(grant, details, allowed_dataspace_ids=allowed)
        except DomainError as error:
            return form_error_response(form, error, "grants/form.html", grant=grant)
        db.session.commit()
        flash(_("The grant was saved."), "success")
        return redirect(url_for(".show", slug=grant.slug))
    return form_error_response(form, None, "grants/form.html", grant=grant)


@bp.get("/grants/<slug>")
@verified_required
def show(slug: str):
    grant = managed_grant(slug)
    return _grant_page(grant, forms.TargetForm(formdata=None), forms.FundForm(formdata=None))


def _saved(grant: Grant, message: str, section: str):
    """Commit the change, say so, and go back to its section of the grant page."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".show", slug=grant.slug) + f"#{section}")


def _target_form(form: forms.TargetForm) -> forms.TargetForm:
    form.languages.choices = [(code, language_name(code, current_language()))
                              for code in CONTENT_LANGUAGES]
    return form


def _grant_page(grant: Grant, target_form, fund_form, error: DomainError | None = None):
    fund_form.programme.choices = options(
        (p.id, f"{p.title.get_text()} ({p.start_date.isoformat()})")
        for p in services.fundable_programmes(grant))
    module_form = forms.FundModuleForm(formdata=None)
    module_form.module.choices = options(
        (m.slug, m.title.get_text()) for m in services.fundable_modules(grant))
    form = target_form if error is None or error.field != "programme" else fund_form
    return form_error_response(
        form, error, "grants/show.html", grant=grant, target_form=_target_form(target_form),
        fund_form=fund_form, module_form=module_form,
        status_form=forms.DeliverableStatusForm(formdata=None),
        deliverable_statuses=list(DeliverableStatus),
        action_form=forms.FlaskForm(), progress=grant_progress.progress(grant),
        funder_reports=funder.reports_of(grant), ui_languages=UI_LANGUAGES)


@bp.post("/grants/<slug>/targets")
@verified_required
def add_target(slug: str):
    grant = managed_grant(slug)
    form = _target_form(forms.TargetForm())
    if not form.validate_on_submit():
        return _grant_page(grant, form, forms.FundForm(formdata=None))
    try:
        services.add_target(grant, services.TargetDetails(
            measure=form.measure.data, bound=form.bound.data, value=form.value.data or 0,
            programme_kind=form.programme_kind.data or None,
            languages=tuple(form.languages.data or ()), label=form.label.data))
    except DomainError as error:
        return _grant_page(grant, form, forms.FundForm(formdata=None), error)
    return _saved(grant, _("The target was added."), "targets")


@bp.post("/grants/<slug>/targets/<int:target_id>/delete")
@verified_required
def remove_target(slug: str, target_id: int):
    grant = managed_grant(slug)
    if not forms.FlaskForm().validate_on_submit():
        abort(400)
    services.remove_target(grant, target_id)
    return _saved(grant, _("The target was removed."), "targets")


@bp.post("/grants/<slug>/targets/<int:target_id>/status")
@verified_required
def set_status(slug: str, target_id: int):
    grant = managed_grant(slug)
    form = forms.DeliverableStatusForm()
    if not form.validate_on_submit():
        raise DomainError(_("Choose a status from the list."), status=422)
    services.set_deliverable_status(grant, target_id, form.status.data)
    return _saved(grant, _("The deliverable's status was saved."), "targets")


@bp.post("/grants/<slug>/programmes")
@verified_required
def fund(slug: str):
    grant = managed_grant(slug)
    form = forms.FundForm()
    if not form.validate_on_submit():
        raise DomainError(_("Choose a programme from the list."), status=422)
    services.fund_programme(grant, form.programme.data)
    return _saved(grant, _("The grant now funds this programme."), "programmes")


@bp.post("/grants/<slug>/programmes/<int:programme_id>/delete")
@verified_required
def stop_funding(slug: str, programme_id: int):
    grant = managed_grant(slug)
    if not forms.FlaskForm().validate_on_submit():
        abort(400)
    services.stop_funding(grant, programme_id)
    return _saved(grant, _("The grant no longer funds this programme."), "programmes")


def _published_grant(slug: str) -> Grant:
    """A grant whose figures anyone may read once it publishes them; its staff always may."""
    grant = services.get_grant(slug) or abort(404)
    staff = can.is_admin(current_user) or any(
        can.can_manage_dataspace(current_user, space_id) for space_id in grant.dataspace_ids)
    if not grant.public and not staff:
        abort(404)
    return grant


@bp.get("/grants/<slug>/progress")
def public_progress(slug: str):
    """Figures only, for funders and the public, once the grant publishes them."""
    grant = _published_grant(slug)
    return render_template("grants/progress.html", grant=grant, today=utcnow().date(),
                           progress=grant_progress.progress(grant))


@bp.get("/grants/<slug>/iati.xml")
def iati_activity(slug: str):
    """The grant as an IATI 2.03 activity, for funders' systems and the IATI registry."""
    grant = _published_grant(slug)
    now = utcnow()
    body = iati.activity_xml(grant_progress.progress(grant), now.date(), now)
    response = Response(body, mimetype="application/xml")
    response.headers["Content-Disposition"] = f'inline; filename="{grant.slug}-iati.xml"'
    return response


@bp.post("/grants/<slug>/funder-reports")
@verified_required
def request_funder_report(slug: str):
    grant = managed_grant(slug)
    if not forms.FlaskForm().validate_on_submit():
        abort(400)
    funder.request_report(grant, request.form.get("language", "")[:10], current_user.id)
    return _saved(grant, _("The report is being built; this page shows how far it has gone."),
                  "funder-report")


@bp.get("/grants/<slug>/funder-reports/<int:report_id>.pdf")
@verified_required
def funder_report_pdf(slug: str, report_id: int):
    grant = managed_grant(slug)
    pdf = funder.pdf_of(grant, report_id) or abort(404)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{grant.slug}-report-{report_id}.pdf"'
    return response


@bp.post("/grants/<slug>/modules")
@verified_required
def fund_module(slug: str):
    grant = managed_grant(slug)
    form = forms.FundModuleForm()
    if not form.validate_on_submit():
        raise DomainError(_("Choose a module from the list."), status=422)
    services.fund_module(grant, form.module.data)
    return _saved(grant, _("The grant now funds this module."), "modules")


@bp.post("/grants/<slug>/modules/<int:module_id>/delete")
@verified_required
def stop_funding_module(slug: str, module_id: int):
    grant = managed_grant(slug)
    if not forms.FlaskForm().validate_on_submit():
        abort(400)
    services.stop_funding_module(grant, module_id)
    return _saved(grant, _("The grant no longer funds this module."), "modules")
