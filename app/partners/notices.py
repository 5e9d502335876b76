"""The emails about an expression of interest: the submitter's confirmation, in the language
they wrote in, and the coordinators' notices, each in the reader's own language."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete

from app import mail
from app.auth.models import User
from app.extensions import db
from app.outbox import services as outbox
from app.outbox.models import OutboxMessage
from app.partners.models import Interest
from app.urls import external_url


def confirm_to_submitter(interest: Interest, erasure_token: str) -> None:
    outbox.enqueue(mail.render_mail(
        interest.contact_email, "partners/email/received", interest.language,
        interest=interest, space=interest.dataspace,
        erase_url=external_url("partners.erase", token=erasure_token)))


def tell_coordinators(interest: Interest, template: str, readers: Iterable[User],
                      **context) -> None:
    """``new_interest``, ``assigned``, ``passed`` or ``reminder``, to each reader."""
    url = external_url("partners.show", interest_id=interest.id)
    for reader in readers:
        outbox.enqueue(mail.render_mail(
            reader.email, f"partners/email/{template}", reader.preferred_language,
            interest=interest, reader=reader, interest_url=url, **context))


def forget(email: str | None) -> None:
    """The emails to an erased contact go too, sent or waiting."""
    if email:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.to == email))
