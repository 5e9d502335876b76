"""Sign-up, sign-in, email verification, password reset and the account page."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from app.auth import SIGN_IN_KEY, forms, services
from app.auth.models import User
from app.auth.permissions import admin_required, password_attempts_limited
from app.dataspaces.services import list_dataspaces
from app.errors import DomainError
from app.extensions import db, limiter
from app.forms import options
from app.i18n import SESSION_KEY as LANGUAGE_SESSION_KEY
from app.multilingual import current_language
from app.urls import safe_next_url
from app.views import form_error_response

bp = Blueprint("auth", __name__, template_folder="templates")


def _sign_in_account_key() -> str:
    """Rate-limit key for one account, whichever address the attempts come from."""
    return "account:" + services.normalize_email(request.form.get("email", ""))[:254]


def _limit(name: str):
    return lambda: current_app.config[name]


def _start_session(user) -> None:
    token = services.start_sign_in(user, request.user_agent.string)
    db.session.commit()
    login_user(user)
    session[SIGN_IN_KEY] = token
    if user.preferred_language:  # the account's language now decides, until ?lang= says otherwise
        session.pop(LANGUAGE_SESSION_KEY, None)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_limit("SIGN_IN_LIMIT_PER_IP"), methods=["POST"])
@limiter.limit(_limit("SIGN_IN_LIMIT_PER_ACCOUNT"), methods=["POST"], key_func=_sign_in_account_key)
def sign_in():
    form = forms.SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user)  # commits a rehashed password too, if any
            return redirect(safe_next_url(request.args.get("next")) or url_for("auth.account"))
        form.form_errors.append(_("The email or password is not correct."))
    return form_error_response(form, None, "auth/sign_in.html")


@bp.post("/sign-out")
def sign_out():
    if FlaskForm().validate_on_submit():
        _end_session()
        flash(_("You are signed out."), "success")
    return redirect(url_for("site.index"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """Ends every sign-in of the account: a lost phone, a shared computer."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.end_sign_ins(current_user)
    _end_session()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for(".sign_in"))


def _end_session() -> None:
    services.end_sign_in(session.pop(SIGN_IN_KEY, None))
    db.session.commit()
    logout_user()


@bp.route("/sign-up", methods=["GET", "POST"])
@limiter.limit(_limit("SIGN_UP_LIMIT_PER_IP"), methods=["POST"])
def sign_up():
    form = forms.SignUpForm()
    if request.method == "GET":
        form.preferred_language.data = _current_language()
    if form.validate_on_submit():
        try:
            services.sign_up(
                form.email.data,
                form.password.data,
                display_name=form.display_name.data.strip(),
                language=form.preferred_language.data,
            )
        except DomainError as error:
            return form_error_response(form, error, "auth/sign_up.html")
        db.session.commit()
        return redirect(url_for(".check_email"))
    return form_error_response(form, None, "auth/sign_up.html")


@bp.get("/sign-up/check-email")
def check_email():
    return render_template("auth/check_email.html")


@bp.get("/verify-email/<token>")
def verify_email(token: str):
    try:
        user = services.verify_email(token)
    except DomainError as error:
        return render_template("auth/link_problem.html", message=error.message), 400
    db.session.commit()
    flash(_("Thank you: your email address is confirmed."), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for(".account"))
    return redirect(url_for(".sign_in"))


@bp.get("/verify-email")
@login_required
def verify_needed():
    return render_template("auth/verify_needed.html", form=FlaskForm())


@bp.post("/verify-email/resend")
@login_required
@limiter.limit("5 per hour", key_func=lambda: f"resend:{current_user.get_id()}")
def resend_verification():
    if FlaskForm().validate_on_submit() and current_user.email_verified_at is None:
        services.send_verification(current_user)
        db.session.commit()
        flash(_("We sent you a new link."), "success")
    return redirect(url_for(".verify_needed"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_limit("SIGN_UP_LIMIT_PER_IP"), methods=["POST"])
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/check_email.html", reset=True)
    return form_error_response(form, None, "auth/forgot_password.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = forms.ResetPasswordForm()
    try:
        services.read_token(token, services.RESET_PASSWORD)
    except DomainError as error:
        return render_template("auth/link_problem.html", message=error.message), 400
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except DomainError as error:
            return form_error_response(form, error, "auth/reset_password.html")
        db.session.commit()
        flash(_("Your password was changed. You can sign in with it now."), "success")
        return redirect(url_for(".sign_in"))
    return form_error_response(form, None, "auth/reset_password.html")


@bp.get("/account")
@login_required
def account():
    return _account_page()


def _account_page(password_form=None, language_form=None, status: int = 200):
    language_form = language_form or forms.LanguageForm(
        preferred_language=current_user.preferred_language or _current_language()
    )
    return render_template(
        "auth/account.html",
        password_form=password_form or forms.ChangePasswordForm(),
        language_form=language_form,
        sign_ins=services.sign_ins_of(current_user),
        this_sign_in=services.sign_in_id(session.get(SIGN_IN_KEY)),
        sign_out_form=FlaskForm(),
    ), status


@bp.post("/account/password")
@login_required
@password_attempts_limited
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data,
                                     form.password.data, keep_sign_in=session.get(SIGN_IN_KEY))
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error.message))
            return _account_page(password_form=form, status=422)
        db.session.commit()
        flash(_("Your password was changed."), "success")
        return redirect(url_for(".account"))
    return _account_page(password_form=form, status=422)


@bp.post("/account/language")
@login_required
def change_language():
    form = forms.LanguageForm()
    if form.validate_on_submit():
        services.change_language(current_user, form.preferred_language.data)
        db.session.commit()
        session[LANGUAGE_SESSION_KEY] = form.preferred_language.data
        return redirect(url_for(".account"))
    return _account_page(language_form=form, status=422)


def _current_language() -> str:
    return current_language().split("_")[0]


# --- administrators: roles and their scopes --------------------------------------------


@bp.get("/admin/users")
@admin_required
def users():
    search = request.args.get("q", "").strip()[:254]
    return render_template("auth/users.html", users=services.list_users(search), search=search)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_roles(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = _grant_form()
    if form.validate_on_submit():
        try:
            services.grant_role(user, form.role.data, form.dataspace_id.data, actor=current_user)
        except DomainError as error:
            return _user_roles_page(user, form, error)
        db.session.commit()
        flash(_("The role was granted."), "success")
        return redirect(url_for(".user_roles", user_id=user.id))
    return _user_roles_page(user, form)


@bp.post("/admin/users/<int:user_id>/roles/<int:grant_id>/revoke")
@admin_required
def revoke_role(user_id: int, grant_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = _grant_form()
    try:
        services.revoke_role(user, grant_id, actor=current_user)
    except DomainError as error:
        return _user_roles_page(user, form, error)
    db.session.commit()
    flash(_("The role was revoked."), "success")
    return redirect(url_for(".user_roles", user_id=user.id))


def _grant_form() -> forms.GrantRoleForm:
    form = forms.GrantRoleForm()
    form.dataspace_id.choices = options(
        ((space.id, space.name.get_text()) for space in list_dataspaces()), blank="—"
    )
    return form


def _user_roles_page(user: User, form: forms.GrantRoleForm, error: DomainError | None = None):
    return form_error_response(
        form, error, "auth/user_roles.html", user=user, revoke_form=FlaskForm()
    )
