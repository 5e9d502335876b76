"""Verifying certificates (anyone), issuing and revoking them (coordinators), and finding
one's own (participants)."""

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

from app.auth.permissions import verified_required
from app.certificates import badges, batches, design, eligibility, issuing, rendering, signing
from app.certificates.forms import CertificateTemplateForm
from app.certificates.models import Certificate
from app.enrollment.models import Enrollment
from app.errors import DomainError, render_error
from app.evaluation import taking as evaluation
from app.extensions import db, limiter, talisman
from app.views import form_error_response, managed_dataspace, managed_programme, whole_number

bp = Blueprint("certificates", __name__, template_folder="templates")
LOOKUP_LIMIT = "30 per minute;300 per hour"  # against enumeration of codes


@bp.get("/verify/<code>")
@limiter.limit(LOOKUP_LIMIT)
def verify(code: str):
    certificate = issuing.by_code(code)
    if certificate is None:
        return render_template("certificates/verify.html", record=None), 404
    return render_template("certificates/verify.html", record=issuing.public_record(certificate),
                           code=code)


@bp.get("/verify/<code>/badge.json")
@limiter.limit(LOOKUP_LIMIT)
def badge(code: str):
    """The certificate as an Open Badges 3.0 credential, to keep in a wallet or a CV."""
    certificate = issuing.by_code(code)
    if certificate is None or not certificate.is_valid:
        abort(404)
    response = jsonify(badges.credential(certificate))
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.serial}.json"'
    return response


@bp.get("/verify/<code>/certificate.pdf")
@limiter.limit(LOOKUP_LIMIT)
def pdf(code: str):
    certificate = issuing.by_code(code)
    if certificate is None:
        abort(404)
    if certificate.user_id and evaluation.certificate_waits_for_feedback(
            certificate.programme_id, certificate.user_id):
        raise DomainError(_("This certificate can be downloaded once its holder has answered "
                            "the programme's feedback survey."), status=409,
                          back=url_for("evaluation.my_surveys"))
    body = issuing.stored_pdf(certificate)
    if body is None:  # rendered by the scheduler process within a minute of issuing
        response = Response(_("The PDF of this certificate is being prepared. Please try again "
                              "in a minute."), status=202, mimetype="text/plain")
        response.headers["Retry-After"] = "60"
        return response
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{certificate.serial}.pdf"'
    return response


@bp.get("/certificates/public-key.pem")
def public_key():
    response = Response(signing.public_key_pem(), mimetype="application/x-pem-file")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/me/certificates")
@verified_required
def mine():
    return render_template("certificates/mine.html", certificates=issuing.of_user(current_user))


@bp.get("/certificates/programmes/<slug>")
@verified_required
def programme(slug: str):
    item = managed_programme(slug)
    return _programme_page(item)


def _programme_page(item, error=None, status: int = 200):
    return render_template(
        "certificates/programme.html",
        programme=item,
        candidates=eligibility.candidates(item),
        certificates=issuing.of_programme(item),
        form=FlaskForm(),
        batch=batches.latest_batch(item),
        error=error,
    ), status


@bp.post("/certificates/programmes/<slug>/issue")
@verified_required
def issue(slug: str):
    item = managed_programme(slug)
    try:
        if request.form.get("enrollment"):
            enrollment = _enrollment_of(item, request.form["enrollment"])
            issuing.issue(enrollment, current_user)
            db.session.commit()
            flash(_("%(count)d certificates issued.", count=1), "success")
        else:  # the scheduler process renders them; the page shows the progress
            batches.request_batch(item, current_user)
            db.session.commit()
            flash(_("The certificates are being issued; this page shows the progress."),
                  "success")
    except DomainError as error:
        db.session.rollback()
        return _programme_page(item, error.message, 409)
    return redirect(url_for(".programme", slug=slug))


@bp.post("/certificates/programmes/<slug>/override")
@verified_required
def override(slug: str):
    item = managed_programme(slug)
    enrollment = _enrollment_of(item, request.form.get("enrollment", ""))
    try:
        eligibility.override(enrollment, request.form.get("reason", ""), current_user)
    except DomainError as error:
        db.session.rollback()
        return _programme_page(item, error.message, 422)
    db.session.commit()
    flash(_("The exception is recorded."), "success")
    return redirect(url_for(".programme", slug=slug))


def _enrollment_of(item, value: str) -> Enrollment:
    number = whole_number(value)
    enrollment = db.session.get(Enrollment, number) if number else None
    if enrollment is None or enrollment.programme_id != item.id:
        abort(404)
    return enrollment


@bp.post("/certificates/<int:certificate_id>/<action>")
@verified_required
def change(certificate_id: int, action: str):
    certificate = db.session.get(Certificate, certificate_id) or abort(404)
    item = managed_programme(certificate.programme.slug)
    if action not in ("revoke", "reissue"):
        abort(404)
    try:
        if action == "revoke":
            issuing.revoke(certificate, request.form.get("reason", ""), current_user)
        else:
            issuing.reissue(certificate, current_user)
    except DomainError as error:
        db.session.rollback()
        return _programme_page(item, error.message, 409)
    db.session.commit()
    flash(
        _("The certificate was revoked.")
        if action == "revoke"
        else _("A corrected certificate was issued."),
        "success",
    )
    return redirect(url_for(".programme", slug=item.slug))


# --- each Data Space's template ------------------------------------------------------------


def _upload(field) -> design.Upload | None:
    data = field.data
    if not data or not getattr(data, "filename", ""):
        return None
    return design.Upload(data.filename, data.read(design.MAX_IMAGE_BYTES + 1))


@bp.route("/certificates/templates/<slug>", methods=["GET", "POST"])
@verified_required
def template(slug: str):
    space = managed_dataspace(slug)
    saved = design.template_of(space)
    form = CertificateTemplateForm(obj=saved)
    if saved is None and not form.is_submitted():
        form.colour.data = rendering.DEFAULT_COLOUR
    error = None
    if form.validate_on_submit():
        try:
            design.save_template(
                space, current_user, colour=form.colour.data, wording=form.wording.data,
                signatory_name=form.signatory_name.data or "",
                signatory_title=form.signatory_title.data, html=form.html.data or "",
                css=form.css.data or "", logo=_upload(form.logo),
                signature=_upload(form.signature), remove_logo=form.remove_logo.data,
                remove_signature=form.remove_signature.data)
        except DomainError as refused:
            error = refused
        else:
            db.session.commit()
            flash(_("The certificate template is saved. Certificates issued from now on use "
                    "it."), "success")
            return redirect(url_for(".template", slug=slug))
    return form_error_response(form, error, "certificates/template.html", space=space,
                               saved=saved, default_html=rendering.default_html(),
                               default_css=rendering.default_css())


@bp.get("/certificates/templates/<slug>/preview")
@verified_required
@talisman(content_security_policy={"default-src": "'none'", "img-src": "data:",
                                   "style-src": "'unsafe-inline'", "sandbox": ""})
def template_preview(slug: str):
    """The saved template with a sample certificate, as a page the browser shows in a
    sandbox: whatever the template holds, it runs no script and loads nothing."""
    space = managed_dataspace(slug)
    try:
        return Response(design.preview(space), mimetype="text/html")
    except DomainError as error:
        return render_error(422, error.message)
