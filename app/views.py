"""Helpers shared by the views of every domain."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm

from app import exports
from app.auth import permissions as can
from app.dataspaces.services import get_dataspace
from app.errors import DomainError
from app.extensions import db
from app.grants.services import get_grant
from app.guards import MAX_NUMBER
from app.workshops.services import get_programme


def form_error_response(form: FlaskForm, error: DomainError | None, template: str, **context):
    """Render a form page: 200 on first display, 422 when a submission was refused.

    A refused submission rolls back whatever the service had flushed, so nothing is half written.
    """
    if error is not None:
        show_refusal(form, error)
    refused = request.method == "POST"
    return render_template(template, form=form, **context), 422 if refused else 200


def show_refusal(form: FlaskForm, error: DomainError) -> None:
    """Roll back what the service had flushed, and put its message on the field it names (or
    above the form): how every form page shows a refused submission."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def download_table(header: list[str], rows: list[list], fmt: str, name: str) -> Response:
    """A table as a CSV or XLSX attachment."""
    body = exports.as_csv(header, rows) if fmt == "csv" else exports.as_xlsx(header, rows, name)
    response = Response(body, mimetype=exports.CONTENT_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def whole_number(value) -> int | None:
    """A positive whole number the database can hold, or ``None``: never an error for "²",
    "١٢" or 10^20."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_NUMBER else None


def number_arg(value: str | None, default: int | None = None) -> int | None:
    """A positive whole number from a query string, or a 400."""
    if value in (None, ""):
        return default
    number = whole_number(value)
    if number is None:
        abort(400)
    return number


def managed_programme(slug: str):
    """The programme a coordinator works on: 404 if there is none, 403 unless they manage its
    Data Space. Shared by the programme, enrollment, attendance and certificate pages."""
    programme = get_programme(slug)
    if programme is None:
        abort(404)
    can.require(can.can_manage_dataspace(current_user, programme.dataspace_id))
    return programme


def managed_dataspace(slug: str):
    """The Data Space a coordinator works on: 404 if there is none, 403 unless they manage it.
    Shared by the registry's and the certificate template's pages."""
    space = get_dataspace(slug)
    if space is None:
        abort(404)
    can.require(can.can_manage_dataspace(current_user, space.id))
    return space


def managed_grant(slug: str):
    """The grant a coordinator works on: 404 if there is none, 403 unless they manage one of
    the Data Spaces it covers. Shared by the grant and report pages."""
    grant = get_grant(slug)
    if grant is None:
        abort(404)
    can.require(can.is_admin(current_user) or any(
        can.can_manage_dataspace(current_user, space_id) for space_id in grant.dataspace_ids))
    return grant
