"""Alembic: one head, an empty database upgraded gives exactly the models' schema, and it
downgrades back to nothing — on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.config import database_url
from app.database import include_in_migrations
from app.extensions import db, migrate
from tests.support import POSTGRES


@pytest.fixture
def empty_database(tmp_path):
    """A database of its own, created for this test and dropped after it."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    server = database_url(os.environ["TEST_DATABASE_URL"])
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migration_app(empty_database, tmp_path):
    app = create_app(
        {"APP_ENV": "testing", "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        yield app
        db.engine.dispose()


def test_alembic_has_a_single_head(migration_app):
    config = migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_gives_exactly_the_models_schema_and_downgrade_removes_it(migration_app):
    upgrade()
    with db.engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": include_in_migrations}
            ),
            db.metadata,
        )
    assert differences == []
    tables = set(inspect(db.engine).get_table_names())
    assert {table.name for table in db.metadata.sorted_tables} <= tables

    downgrade(revision="base")
    db.engine.dispose()
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
