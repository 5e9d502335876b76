"""What tests share beyond fixtures: the database in use, the SMTP mailbox, free ports, the
test configuration and reading a page's CSRF token. (Tests import from here, never from
``conftest.py`` or from one another.)"""

from __future__ import annotations

import os
import re
import socket
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

from flask import has_app_context

from app.outbox.services import deliver_pending

POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))


class Mailbox:
    """Messages received by the SMTP server running inside the test process."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, _server, _session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        self.run_sender()
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def run_sender() -> None:
        """What the sender job would do: mail that the test body committed leaves now."""
        if has_app_context():
            deliver_pending()

    def last_link(self, address: str) -> str:
        body = self.to(address)[-1].get_content()
        return re.search(r"https?://\S+", body).group(0)


def free_port() -> int:
    """A free loopback port, chosen by the kernel."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def config_for_tests(uri: str, smtp_port: int) -> dict:
    return {
        "APP_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": uri,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "RATELIMIT_ENABLED": True,
        # The walks post the public forms many times from one address (floods: test_partners).
        "INTEREST_LIMIT_PER_IP": "1000 per hour",
        "INTEREST_LIMIT_PER_EMAIL": "1000 per hour",
        "API_LIMIT_PER_ADDRESS": "100000 per hour",
        "API_LIMIT_PER_TOKEN": "100000 per hour",
        "PUBLIC_URL": "http://training.test",
    }


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


def feed_address(html: str) -> str:
    """The private calendar address a page shows, as a path on the test server."""
    shown = re.search(r'class="feed-url"[^>]*>([^<]+)<', html).group(1)
    return shown.replace("http://training.test", "")
