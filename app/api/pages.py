"""The API's pages for people: one's access tokens (on the account), made and revoked here."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.api import tokens
from app.api.forms import TokenForm
from app.api.models import TokenScope
from app.auth.permissions import verified_required
from app.errors import DomainError
from app.extensions import db
from app.timeutil import utcnow
from app.views import form_error_response

bp = Blueprint("api_tokens", __name__, template_folder="templates")


def _context() -> dict:
    return {"tokens": tokens.tokens_of(current_user), "now": utcnow(), "action_form": FlaskForm()}


@bp.get("/account/tokens")
@verified_required
def token_list():
    return form_error_response(TokenForm(), None, "api/tokens.html", **_context())


@bp.post("/account/tokens")
@verified_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return form_error_response(form, None, "api/tokens.html", **_context())
    try:
        _token, secret = tokens.create(current_user, form.name.data, TokenScope(form.scope.data),
                                       int(form.days.data))
    except DomainError as error:
        return form_error_response(form, error, "api/tokens.html", **_context())
    db.session.commit()
    # Shown on this answer only, not after a redirect: the secret never enters the session.
    return render_template("api/tokens.html", form=TokenForm(formdata=None), secret=secret,
                           **_context())


@bp.post("/account/tokens/<int:token_id>/revoke")
@verified_required
def revoke_token(token_id: int):
    token = tokens.revoke(current_user, token_id)
    db.session.commit()
    flash(_("The token \u201c%(name)s\u201d is revoked: programs using it are refused from now on.",
            name=token.name), "success")
    return redirect(url_for(".token_list"))
