from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm

from app.auth import forms, services
from app.extensions import db
from app.urls import safe_next_url

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = forms.SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()  # a rehashed password, if any
            login_user(user)
            return redirect(safe_next_url(request.args.get("next")) or url_for("core.index"))
        form.form_errors.append(_("The email or password is not correct."))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    if FlaskForm().validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(url_for("core.index"))
