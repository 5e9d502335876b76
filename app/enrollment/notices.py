"""The emails about an enrollment, queued in the participant's language, and the signed link
that lets someone leave a waiting list without signing in."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app import mail
from app.attendance import checkin
from app.auth.models import User
from app.enrollment import seats
from app.enrollment.models import (
    Enrollment,
)
from app.errors import DomainError
from app.extensions import db
from app.outbox import services as outbox
from app.urls import external_url
from app.workshops.models import Programme

REMINDER_HOURS = 24


def tell(enrollment: Enrollment, template: str) -> None:
    """Queue the email about this enrollment: a row only; the sender writes it, in the
    participant's language, when it sends it (:func:`render`)."""
    user = db.session.get(User, enrollment.user_id)
    outbox.enqueue_notice(user.email, "enrollment", template=template,
                          enrollment=enrollment.id)


def render(notice: dict) -> mail.Mail:
    """The email of an enrollment notice (the outbox's renderer for ``enrollment``)."""
    enrollment = db.session.get(Enrollment, notice["enrollment"])
    if enrollment is None:
        raise LookupError(f"enrollment {notice['enrollment']} no longer exists")
    template = notice["template"]
    user = db.session.get(User, enrollment.user_id)
    programme = db.session.get(Programme, enrollment.programme_id)
    attachments = ()
    if template == "reminder":  # the check-in QR code travels with the reminder
        attachments = (("check-in.png", "image/png", checkin.qr_image(enrollment, "png")),)
    return mail.render_mail(
        user.email, f"enrollment/email/{template}", user.preferred_language,
        user=user, programme=programme, enrollment=enrollment,
        programme_url=external_url("workshops.programme", slug=programme.slug),
        space_url=external_url("enrollment.my_space"),
        leave_url=external_url("enrollment.leave_waitlist", token=leave_token(enrollment)),
        position=seats.Waitlist.position(enrollment),
        check_in_code=checkin.display_code(enrollment),
        forgot_password_url=external_url("auth.forgot_password"),
        attachments=attachments,
    )


def leave_token(enrollment: Enrollment) -> str:
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="leave-waitlist").dumps(
        {"enrollment": enrollment.id, "queue": enrollment.queue_number})


def enrollment_from_leave_token(token: str) -> Enrollment:
    from itsdangerous import BadSignature, URLSafeSerializer

    try:
        data = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="leave-waitlist").loads(
            token)
    except BadSignature as error:
        raise DomainError(_l("This link is not valid.")) from error
    enrollment = db.session.get(Enrollment, data.get("enrollment"))
    if enrollment is None or enrollment.queue_number != data.get("queue"):
        raise DomainError(_l("This link is not valid."))
    return enrollment


def claim_out_of_reach_warning(enrollment_id: int, now: datetime) -> bool:
    """Whether this caller is the one to warn the participant that the attendance minimum is
    out of reach: a conditional UPDATE, so that two scheduler instances warn once."""
    return bool(db.session.execute(
        update(Enrollment).where(Enrollment.id == enrollment_id,
                                 Enrollment.out_of_reach_notified_at.is_(None))
        .values(out_of_reach_notified_at=now)
        .execution_options(synchronize_session=False)).rowcount)
