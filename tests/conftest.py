"""Fixtures: a real database (SQLite by default, PostgreSQL with TEST_DATABASE_URL), emptied
after every test, and the usual ``app``/``client``/``runner``."""

from __future__ import annotations

import os

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.config import database_url
from app.extensions import db
from tests.support import POSTGRES, Mailbox, config_for_tests, csrf_token_from, free_port

pytest_plugins = ["tests.world"]  # the world of the access matrix and the fuzzer


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port, for the whole session."""
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    handler, _port = smtp_server
    handler.messages.clear()
    return handler


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    """The database the suite runs against, with a fresh schema built from the models."""
    if POSTGRES:
        uri = database_url(os.environ["TEST_DATABASE_URL"])
        engine = create_engine(uri)
        with engine.begin() as connection:  # start from nothing, whatever an earlier run left
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        uri = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    instance = str(tmp_path_factory.mktemp("instance"))
    app = create_app(config_for_tests(uri, 25), instance_path=instance)
    with app.app_context():
        upgrade()  # the schema the migrations build, as in production
        db.engine.dispose()
    return uri


@pytest.fixture
def app(database_uri, smtp_server, tmp_path):
    """The app whose context the test body runs in (factories, services, queries)."""
    config = config_for_tests(database_uri, smtp_server[1])
    app = create_app(config, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def server(database_uri, smtp_server, tmp_path, app):
    """A second app instance on the same database, serving the test client's requests.

    Requests then run in their own app context and database session, as on a real server,
    instead of sharing the test body's session (Flask reuses a pushed context of the same app).
    """
    config = config_for_tests(database_uri, smtp_server[1])
    server = create_app(config, instance_path=str(tmp_path / "instance"))
    yield server
    with server.app_context():
        db.engine.dispose()


def _empty_all_tables() -> None:
    names = [table.name for table in reversed(db.metadata.sorted_tables)] + ["module_search"]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            listed = ", ".join(f'"{name}"' for name in names)
            connection.execute(text(f"TRUNCATE {listed} RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                connection.execute(text(f'DELETE FROM "{name}"'))


class _ServerClient(FlaskClient):
    """Commits what the test body wrote before each request and forgets it after, so the
    test reads back what the server really stored."""

    def open(self, *args, **kwargs):
        db.session.commit()
        try:
            return super().open(*args, **kwargs)
        finally:
            db.session.expire_all()


@pytest.fixture
def client(server):
    server.test_client_class = _ServerClient
    return server.test_client()


@pytest.fixture
def runner(server):
    runner = server.test_cli_runner()
    invoke = runner.invoke

    def committed_invoke(*args, **kwargs):
        db.session.commit()
        try:
            return invoke(*args, **kwargs)
        finally:
            db.session.expire_all()

    runner.invoke = committed_invoke
    return runner


@pytest.fixture
def sign_in_as(client):
    """``sign_in_as(Role.COORDINATOR, dataspace)``: a new account with that role (scoped to
    the Data Space), signed in on the test client."""
    from app.auth.models import Role
    from tests import factories

    def sign_in(role=Role.PARTICIPANT, dataspace=None, email=None):
        account = factories.user(email, role=role, dataspace=dataspace)
        factories.sign_in(client, account)
        return account

    return sign_in


@pytest.fixture
def post_form(client):
    """POST a form the way a browser does: load the page first, send its CSRF token back."""

    def post(url: str, data: dict, *, page: str | None = None, **kwargs):
        token = csrf_token_from(client.get(page or url).get_data(as_text=True))
        return client.post(url, data={"csrf_token": token, **data}, **kwargs)

    return post


@pytest.fixture
def production_env(monkeypatch):
    """What production requires from the environment (each test removes what it checks)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("PUBLIC_URL", "https://training.example.org")
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", key)
    return monkeypatch
