"""Helpers shared by the views of every domain."""

from __future__ import annotations

from flask import render_template, request
from flask_wtf import FlaskForm

from app.domain import DomainError
from app.extensions import db


def form_error_response(form: FlaskForm, error: DomainError | None, template: str, **context):
    """Render a form page: 200 on first display, 422 when a submission was refused.

    A refused submission rolls back whatever the service had flushed, so nothing is half written.
    """
    if error is not None:
        db.session.rollback()
        field = getattr(form, error.field, None) if error.field else None
        if field is not None:
            field.errors = [*field.errors, str(error.message)]
        else:
            form.form_errors.append(str(error.message))
    refused = request.method == "POST"
    return render_template(template, form=form, **context), 422 if refused else 200
