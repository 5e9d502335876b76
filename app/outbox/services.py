"""Writing messages to the outbox and sending them, at least once and never twice at once.

- :func:`enqueue` adds a message in the caller's transaction: a rolled-back change sends nothing.
- At the end of the request or job, the messages its commits wrote are sent (best effort).
- :func:`deliver_pending` (a scheduled job) sends whatever is still waiting, with retries and
  exponential backoff. A message is *claimed* before sending by a conditional UPDATE (and on
  PostgreSQL picked with ``FOR UPDATE SKIP LOCKED``), so two senders never send it at once; a
  down SMTP server only delays messages.
"""

from __future__ import annotations

import base64
import smtplib
import uuid
from datetime import timedelta

from flask import current_app, g, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import delete, event, or_, select, update

from app import mail
from app.extensions import db
from app.outbox.models import OutboxMessage, OutboxStatus
from app.timeutil import utcnow

CLAIM_FOR = timedelta(minutes=5)
MAX_ATTEMPTS = 12
BATCH = 50
_JUST_WRITTEN = "outbox_just_written"


def enqueue(message: mail.Mail, *, send_after_commit: bool = True) -> OutboxMessage:
    """Queue an email. It leaves when the request commits, or, with ``send_after_commit``
    false, with the sender job: for emails whose sending time would tell the page's visitor
    something (whether an address has an account)."""
    row = OutboxMessage(
        to=message.to, subject=message.subject[:300], body=message.body,
        language=message.language,
        attachments=[{"filename": name, "content_type": kind,
                      "data": base64.b64encode(data).decode()}
                     for name, kind, data in message.attachments])
    db.session.add(row)
    db.session.flush()
    if send_after_commit:
        db.session.info.setdefault(_JUST_WRITTEN, []).append(row.id)
    return row


def mark_sent_before(instant) -> int:
    """Count every pending message written before ``instant`` as sent then (the demo data's
    replayed history: its emails left when it happened)."""
    return db.session.execute(
        update(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING,
                                    OutboxMessage.created_at < instant)
        .values(status=OutboxStatus.SENT, sent_at=OutboxMessage.created_at)
        .execution_options(synchronize_session=False)).rowcount


def forget_recipient(_user, *, email: str, **_event) -> None:
    """``user_erased``: the emails to that address go, those sent (they held the name) and
    those still waiting (they must not leave)."""
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to == email))


@event.listens_for(Session, "after_commit")
def _remember_committed(session) -> None:
    ids = session.info.pop(_JUST_WRITTEN, [])
    if ids and has_app_context():
        g.setdefault("outbox_committed", []).extend(ids)


def send_committed(_error=None) -> None:
    """At the end of the request (or job): send what its transactions committed.

    Not inside the commit itself: the request's connection is still checked out there, and
    taking a second one per request exhausts the pool under load. Whatever fails here stays
    in the outbox for :func:`deliver_pending`.
    """
    ids = g.pop("outbox_committed", None)
    if not ids or not current_app.config.get("OUTBOX_SEND_AFTER_COMMIT", True):
        return
    db.session.remove()  # give the connection back before taking one to send
    try:
        _deliver(ids)
    except Exception:  # the scheduled sender retries whatever is left
        current_app.logger.exception("Immediate delivery failed; the sender job will retry")


@event.listens_for(Session, "after_rollback")
def _forget_just_written(session) -> None:
    session.info.pop(_JUST_WRITTEN, None)


def deliver_pending(limit: int = BATCH) -> int:
    """The scheduled job: send messages that are due. Returns how many were sent."""
    now = utcnow()
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING,
               OutboxMessage.next_attempt_at <= now,
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(connection.execute(due).scalars())
    return _deliver(ids)


def _deliver(ids: list[int]) -> int:
    sent = 0
    sender = uuid.uuid4().hex
    for message_id in ids:
        message = _claim(message_id, sender)
        if message is None:
            continue  # another sender has it, or it is already sent
        sent += _send(message, sender)
    return sent


def _claim(message_id: int, sender: str) -> OutboxMessage | None:
    """Take the message for ``sender``; at most one sender can hold it at a time."""
    now = utcnow()
    with db.engine.begin() as connection:
        taken = connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id,
                   OutboxMessage.status == OutboxStatus.PENDING,
                   or_(OutboxMessage.claimed_until.is_(None),
                       OutboxMessage.claimed_until < now))
            .values(claimed_by=sender, claimed_until=now + CLAIM_FOR)
        ).rowcount
        if taken != 1:
            return None
        row = connection.execute(
            select(OutboxMessage.to, OutboxMessage.subject, OutboxMessage.body,
                   OutboxMessage.language, OutboxMessage.attachments, OutboxMessage.attempts)
            .where(OutboxMessage.id == message_id)
        ).one()
    return OutboxMessage(id=message_id, to=row.to, subject=row.subject, body=row.body,
                         language=row.language, attachments=row.attachments or [],
                         attempts=row.attempts)


def _send(message: OutboxMessage, sender: str) -> int:
    try:
        attachments = tuple((a["filename"], a["content_type"], base64.b64decode(a["data"]))
                            for a in message.attachments)
        mail.deliver(mail.Mail(to=message.to, subject=message.subject, body=message.body,
                               attachments=attachments, language=message.language))
    except (OSError, smtplib.SMTPException) as error:
        _record_failure(message, sender, error)
        return 0
    _finish(message.id, sender, status=OutboxStatus.SENT, sent_at=utcnow(),
            attempts=message.attempts + 1, last_error=None)
    return 1


def _record_failure(message: OutboxMessage, sender: str, error: Exception) -> None:
    attempts = message.attempts + 1
    backoff = timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))
    status = OutboxStatus.FAILED if attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
    _finish(message.id, sender, status=status, attempts=attempts,
            next_attempt_at=utcnow() + backoff, last_error=f"{type(error).__name__}: {error}"[:500])


def _finish(message_id: int, sender: str, **values) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == sender)
            .values(claimed_by=None, claimed_until=None, **values)
        )
