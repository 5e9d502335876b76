"""Outgoing email: rendering in the reader's language, and handing a message to SMTP.

Services never send mail directly: they put it in the outbox (``app.outbox``), which sends it
once the transaction that caused it has committed. ``MAIL_BACKEND=console`` prints messages
(development); ``smtp`` sends them.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

from app.i18n import text_direction


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    #: ``(filename, content type, bytes)`` triples.
    attachments: tuple = ()
    language: str | None = None
    #: The same for every attempt at one outbox message: a resent copy (its sender stopped
    #: after the server took it, before it was marked sent) is recognised as the same email.
    message_id: str | None = None


def render_mail(to: str, template: str, language: str | None, *, attachments: tuple = (),
                **context) -> Mail:
    """Render ``<template>.txt`` in ``language``; its first line is the subject."""
    language = language or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        text = render_template(f"{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    return Mail(to=to, subject=subject.strip(), body=body.strip() + "\n",
                attachments=attachments, language=language)


def _right_to_left_html(mail: Mail) -> str:
    paragraphs = "".join(f"<p>{escape(part).replace(chr(10), Markup('<br>'))}</p>"
                         for part in mail.body.strip().split("\n\n"))
    return (f'<!doctype html><html lang="{escape(mail.language)}" dir="rtl"><head>'
            f'<meta charset="utf-8"><title>{escape(mail.subject)}</title></head>'
            f'<body dir="rtl" style="text-align: right">{paragraphs}</body></html>')


def deliver(mail: Mail) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id or make_msgid(domain="dataspace-training")
    message.set_content(mail.body)
    if mail.language and text_direction(mail.language) == "rtl":
        # Plain text has no direction of its own, and mail readers guess it per paragraph
        # (a paragraph that starts with a link or a number turns left-to-right): the HTML
        # part says it once for the whole message.
        message.add_alternative(_right_to_left_html(mail), subtype="html")
    if mail.language:  # after the parts are made: they take the Content-* headers with them
        message["Content-Language"] = mail.language
    for filename, content_type, data in mail.attachments:
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    if config["MAIL_BACKEND"] == "console":
        print(f"--- email ---\n{message}\n--- end of email ---", flush=True)
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"],
                    timeout=config["MAIL_SMTP_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
