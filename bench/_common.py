"""Helpers shared by the benchmarks: a throw-away app and database, and timing."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.config import database_url


@contextmanager
def bench_app(postgres: bool):
    """An app on a fresh SQLite file, or on a fresh PostgreSQL database (dropped after)."""
    workdir = tempfile.mkdtemp(prefix="bench-")
    server = database_url(
        os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    name = f"bench_{uuid.uuid4().hex[:10]}"
    if postgres:
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        uri = server.rsplit("/", 1)[0] + "/" + name
    else:
        uri = f"sqlite:///{workdir}/bench.sqlite"
    app = create_app(
        {
            "APP_ENV": "testing",
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": uri,
            "MAIL_BACKEND": "console",
            "RATELIMIT_ENABLED": False,
        },
        instance_path=workdir,
    )
    try:
        with app.app_context():
            upgrade()
            yield app
            from app.extensions import db

            db.session.remove()
            db.engine.dispose()
    finally:
        if postgres:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def timed(call: Callable[[], object], repeat: int) -> dict[str, float]:
    """p50 and p95 in milliseconds over ``repeat`` calls (after two warm-up calls)."""
    for _ in range(2):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"p50": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1]}
