"""Fixtures: a real database (SQLite by default, PostgreSQL with TEST_DATABASE_URL), emptied
after every test, and the usual ``app``/``client``/``runner``."""

from __future__ import annotations

import os
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from app import create_app
from app.config import database_url
from app.extensions import db

POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))


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
    app = create_app(_test_config(uri), instance_path=str(tmp_path_factory.mktemp("instance")))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return uri


def _test_config(uri: str) -> dict:
    return {
        "APP_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": uri,
        "MAIL_BACKEND": "console",
        "RATELIMIT_ENABLED": True,
    }


@pytest.fixture
def app(database_uri, tmp_path):
    """The app whose context the test body runs in (factories, services, queries)."""
    app = create_app(_test_config(database_uri), instance_path=str(tmp_path / "instance"))
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def server(database_uri, tmp_path, app):
    """A second app instance on the same database, serving the test client's requests.

    Requests then run in their own app context and database session, as on a real server,
    instead of sharing the test body's session (Flask reuses a pushed context of the same app).
    """
    server = create_app(_test_config(database_uri), instance_path=str(tmp_path / "instance"))
    yield server
    with server.app_context():
        db.engine.dispose()


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


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


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def post_form(client):
    """POST a form the way a browser does: load the page first, send its CSRF token back."""

    def post(url: str, data: dict, *, page: str | None = None, **kwargs):
        token = csrf_token_from(client.get(page or url).get_data(as_text=True))
        return client.post(url, data={"csrf_token": token, **data}, **kwargs)

    return post
