"""Scheduled job of the outbox: send what is due (each message claimed, so two senders never
send one twice)."""

from __future__ import annotations

from app.outbox.services import deliver_pending

#: Registered by the scheduler (app/site/scheduler.py); it runs every MAIL_INTERVAL_SECONDS.
JOBS = {"deliver-mail": deliver_pending}
