"""Writing messages to the outbox and sending them, at least once and never twice at once.

- :func:`enqueue` adds a message in the caller's transaction: a rolled-back change sends nothing.
  :func:`enqueue_notice` adds one that the sender writes when it sends it (from the records it
  names, by the renderer its domain registered with :func:`register_renderer`): a request in a
  hurry (enrolling) only inserts a row.
- A request never talks to the SMTP server: a slow or silent one cannot slow a page down.
  :func:`deliver_pending` (the sender, in the scheduler process) sends what is waiting, every
  ``MAIL_INTERVAL_SECONDS`` and, on PostgreSQL, as soon as a commit announces new mail
  (``NOTIFY outbox``), with retries and exponential backoff. A message is *claimed* before
  sending by a conditional UPDATE (and on PostgreSQL picked with ``FOR UPDATE SKIP LOCKED``),
  so two senders never send it at once; a down SMTP server only delays messages.
"""

from __future__ import annotations

import base64
import dataclasses
import smtplib
import uuid
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import delete, or_, select, text, update

from app import mail
from app.extensions import db
from app.outbox.models import OutboxMessage, OutboxStatus
from app.timeutil import utcnow

MAX_ATTEMPTS = 12
BATCH = 50


def enqueue(message: mail.Mail) -> OutboxMessage:
    """Queue an email written now."""
    return _queue(OutboxMessage(
        to=message.to, subject=message.subject[:300], body=message.body,
        language=message.language,
        attachments=[{"filename": name, "content_type": kind,
                      "data": base64.b64encode(data).decode()}
                     for name, kind, data in message.attachments]))


def enqueue_notice(to: str, kind: str, **notice) -> OutboxMessage:
    """Queue an email that the sender writes: ``kind`` names the renderer (a domain's), and
    ``notice`` what it needs (record ids, a template's name), as JSON."""
    return _queue(OutboxMessage(to=to, subject="", body=None, notice={"kind": kind, **notice}))


def _queue(row: OutboxMessage) -> OutboxMessage:
    db.session.add(row)
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("NOTIFY outbox"))  # delivered at commit, and only then
    return row


#: kind → function(notice) -> Mail, registered by the domains at start-up.
_RENDERERS: dict[str, Callable[[dict], mail.Mail]] = {}


def register_renderer(kind: str, render: Callable[[dict], mail.Mail]) -> None:
    _RENDERERS[kind] = render


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
            .values(claimed_by=sender, claimed_until=now + timedelta(
                seconds=current_app.config["MAIL_CLAIM_SECONDS"]))
        ).rowcount
        if taken != 1:
            return None
        row = connection.execute(
            select(OutboxMessage.to, OutboxMessage.subject, OutboxMessage.body,
                   OutboxMessage.language, OutboxMessage.attachments, OutboxMessage.attempts,
                   OutboxMessage.notice)
            .where(OutboxMessage.id == message_id)
        ).one()
    return OutboxMessage(id=message_id, to=row.to, subject=row.subject, body=row.body,
                         language=row.language, attachments=row.attachments or [],
                         attempts=row.attempts, notice=row.notice)


def _send(message: OutboxMessage, sender: str) -> int:
    try:
        email = _written(message)
    except LookupError as error:  # what it was about is gone (erased): nothing to send
        _finish(message.id, sender, status=OutboxStatus.FAILED, attempts=message.attempts + 1,
                last_error=f"{type(error).__name__}: {error}"[:500])
        return 0
    try:
        mail.deliver(email)
    except (OSError, smtplib.SMTPException) as error:
        _record_failure(message, sender, error)
        return 0
    _finish(message.id, sender, status=OutboxStatus.SENT, sent_at=utcnow(),
            attempts=message.attempts + 1, last_error=None, subject=email.subject[:300],
            body=email.body, language=email.language)
    return 1


def _written(message: OutboxMessage) -> mail.Mail:
    """The email: as queued, or written now by its domain's renderer; its Message-ID names
    the outbox row."""
    message_id = f"<outbox-{message.id}@{urlsplit(current_app.config['PUBLIC_URL']).hostname}>"
    if message.body is None and message.notice:
        written = _RENDERERS[message.notice["kind"]](message.notice)
        return dataclasses.replace(written, message_id=message_id)
    attachments = tuple((a["filename"], a["content_type"], base64.b64decode(a["data"]))
                        for a in message.attachments)
    return mail.Mail(to=message.to, subject=message.subject, body=message.body,
                     attachments=attachments, language=message.language,
                     message_id=message_id)


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
