"""The participant's personal check-in code: a signed token in a QR code, and the same code
short enough to type (``K7M2-QX9P``) when a camera fails."""

from __future__ import annotations

import io

import segno
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from app.enrollment.models import Enrollment
from app.errors import DomainError
from app.extensions import db


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="check-in")


def token(enrollment: Enrollment) -> str:
    """What the participant's QR code holds: signed, bound to the enrollment and its code."""
    return _serializer().dumps({"e": enrollment.id, "c": enrollment.checkin_code})


def display_code(enrollment: Enrollment) -> str:
    """The code to type when a camera fails: ``K7M2-QX9P``."""
    return f"{enrollment.checkin_code[:4]}-{enrollment.checkin_code[4:]}"


def qr_image(enrollment: Enrollment, kind: str, **options) -> bytes:
    """The QR code as ``kind`` ("png" for emails, "svg" for pages)."""
    buffer = io.BytesIO()
    segno.make(token(enrollment), error="m").save(buffer, kind=kind, scale=6, border=2, **options)
    return buffer.getvalue()


def enrollment_from(code: str) -> Enrollment:
    """The enrollment a scanned token or a typed code belongs to."""
    code = (code or "").strip()
    if "." in code:  # a scanned QR code: a signed token
        try:
            data = _serializer().loads(code)
        except BadSignature as error:
            raise DomainError(_l("This code is not valid.")) from error
        enrollment = db.session.get(Enrollment, data.get("e")) if isinstance(data, dict) else None
        if enrollment is None or enrollment.checkin_code != data.get("c"):
            raise DomainError(_l("This code is not valid."))
        return enrollment
    typed = "".join(ch for ch in code.upper() if ch.isalnum())
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.checkin_code == typed)) \
        if len(typed) == 8 else None
    if enrollment is None:
        raise DomainError(_l("This code is not valid."))
    return enrollment
