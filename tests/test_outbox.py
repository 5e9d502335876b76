"""The email outbox: written with the change, sent once, never lost when SMTP is down."""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app import mail
from app.extensions import db
from app.outbox import services as outbox
from app.outbox.models import OutboxMessage, OutboxStatus
from app.timeutil import frozen_time, utcnow
from tests import factories
from tests.support import Mailbox, csrf_token_from, free_port


def message(n: int) -> mail.Mail:
    return mail.Mail(to=f"person{n}@example.org", subject=f"Message {n}", body="Hello\n")


def test_a_rolled_back_change_sends_nothing(app, mailbox):
    outbox.enqueue(message(1))
    db.session.rollback()
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert mailbox.messages == []


def test_a_request_only_writes_the_message_and_the_sender_sends_it(app, client, post_form,
                                                                   mailbox):
    factories.sign_in(client, factories.user("ana@example.org", verified=False))
    post_form("/verify-email/resend", {}, page="/verify-email")
    assert mailbox.messages == [], "the request did not talk to the SMTP server"
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == OutboxStatus.PENDING
    assert [m["To"] for m in mailbox.to("ana@example.org")] == ["ana@example.org"]
    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT and row.attempts == 1


@pytest.fixture
def silent_smtp():
    """An SMTP server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_enrolling_answers_at_once_while_the_smtp_server_is_silent_and_mail_follows_later(
        app, server, client, mailbox, smtp_server, silent_smtp):
    """A stalled mail server costs a request nothing; once it is back, the confirmation
    leaves, exactly once."""
    server.config["MAIL_PORT"] = app.config["MAIL_PORT"] = silent_smtp
    programme = factories.open_programme(capacity=2)
    person = factories.participant("waiting.for.mail@example.org")
    factories.sign_in(client, person)
    page = client.get(f"/workshops/{programme.slug}/enroll").get_data(as_text=True)
    started = time.perf_counter()
    response = client.post(f"/workshops/{programme.slug}/enroll",
                           data={"csrf_token": csrf_token_from(page)})
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert elapsed < 2, f"enrolling took {elapsed:.1f} s"  # the SMTP timeout is 10 s
    assert mailbox.messages == []

    app.config["MAIL_SMTP_TIMEOUT"] = 0.5  # the sender gives up on the silent server soon
    assert outbox.deliver_pending() == 0
    row = db.session.scalar(select(OutboxMessage))
    db.session.refresh(row)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1) and row.last_error

    app.config["MAIL_PORT"] = smtp_server[1]  # the server is back
    with frozen_time(utcnow() + timedelta(minutes=2)):  # past the retry's backoff
        assert outbox.deliver_pending() == 1
        assert outbox.deliver_pending() == 0
    received = [m for m in mailbox.messages if m["To"] == person.email]
    assert len(received) == 1 and programme.title["en"] in received[0]["Subject"]


@pytest.mark.parametrize(("url", "fields"), [
    ("/password/forgot", {"email": "ana@example.org"}),
    ("/sign-up", {"display_name": "Ana", "email": "ana@example.org",
                  "password": "maple river lantern 42", "confirm": "maple river lantern 42",
                  "preferred_language": "en"}),
])
def test_emails_that_would_tell_whether_an_account_exists_leave_with_the_sender(
        app, client, post_form, mailbox, url, fields):
    """Sending inside the request would make it slower for addresses that have an account."""
    factories.user("ana@example.org")
    assert post_form(url, fields).status_code in (200, 302)
    assert mailbox.messages == [], "not sent by the request"
    assert [m["To"] for m in mailbox.to("ana@example.org")] == ["ana@example.org"]


@pytest.fixture
def flaky_smtp(app):
    """A real SMTP server the test can stop and start again on the same port."""
    app.config["OUTBOX_SEND_AFTER_COMMIT"] = False
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    app.config["MAIL_PORT"] = controller.port
    return handler, controller


def test_a_down_smtp_server_loses_nothing(app, flaky_smtp):
    handler, controller = flaky_smtp
    for n in range(3):
        outbox.enqueue(message(n))
    db.session.commit()
    assert outbox.deliver_pending() == 0  # the server is not running
    rows = db.session.scalars(select(OutboxMessage)).all()
    for row in rows:
        db.session.refresh(row)
    assert {(r.status, r.attempts) for r in rows} == {(OutboxStatus.PENDING, 1)}
    assert all(r.last_error for r in rows)
    assert outbox.deliver_pending() == 0, "backing off: not due again yet"

    controller.start()
    try:
        with frozen_time(utcnow() + timedelta(minutes=2)):
            assert outbox.deliver_pending() == 3
        assert sorted(m["Subject"] for m in handler.messages) == [f"Message {n}" for n in range(3)]
        with frozen_time(utcnow() + timedelta(hours=1)):
            assert outbox.deliver_pending() == 0, "sent messages are never sent again"
    finally:
        controller.stop()


def test_two_senders_never_send_a_message_twice(app, flaky_smtp, database_uri):
    from app import create_app
    from tests.support import config_for_tests

    handler, controller = flaky_smtp
    for n in range(40):
        outbox.enqueue(message(n))
    db.session.commit()
    controller.start()
    barrier = threading.Barrier(2, timeout=60)
    sent = []
    config = {**config_for_tests(database_uri, controller.port), "OUTBOX_SEND_AFTER_COMMIT": False}
    instances = [create_app(config, instance_path=app.instance_path) for _ in range(2)]

    def sender(instance):
        barrier.wait()
        with instance.app_context():
            sent.append(outbox.deliver_pending(limit=100))
            db.session.remove()
            db.engine.dispose()

    try:
        threads = [threading.Thread(target=sender, args=(i,)) for i in instances]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        controller.stop()
    subjects = [m["Subject"] for m in handler.messages]
    assert sum(sent) == 40
    assert len(subjects) == 40 and len(set(subjects)) == 40
