"""The API at the size of a busy network: 1,000 programmes with 3 sessions each, 300 modules.

    .venv/bin/python -m bench.api [--postgres] [--programmes 1000] [--repeat 50]

Prints p50/p95 of the programme list (100 per page: its first page and a page reached by
cursor) and of one module, through the app in process, each with its ratio to /healthz in the
same run, and the statements each runs (the same whatever the number of rows).
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from sqlalchemy import insert, select

from app.curriculum.models import Level, Module, ModuleStatus
from app.dataspaces.models import DataSpace, Node, Region
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import (
    DeliveryMode,
    EnrollmentMode,
    Programme,
    ProgrammeKind,
    ProgrammeState,
    Session,
    SessionStatus,
)
from bench._common import bench_app, timed
from tests.querycount import count_queries

SESSIONS = 3


def populate(programmes: int, modules: int) -> str:
    space = DataSpace(slug="latin-america", region=Region.LATIN_AMERICA, name={"en": "LatAm"})
    db.session.add(space)
    db.session.flush()
    node = Node(dataspace_id=space.id, slug="bogota", city={"en": "Bogotá", "es": "Bogotá"},
                country_code="CO", time_zone="America/Bogota", is_anchor=True)
    db.session.add(node)
    db.session.flush()
    now, first = utcnow(), date.today() + timedelta(days=10)  # noqa: DTZ011 - upcoming
    db.session.execute(insert(Programme), [{
        "slug": f"programme-{n}", "kind": ProgrammeKind.WORKSHOP, "dataspace_id": space.id,
        "node_id": node.id, "title": {"en": f"Programme {n}", "es": f"Programa {n}"},
        "summary": {"en": "A week of big data for development."}, "languages_csv": "en,es",
        "delivery_mode": DeliveryMode.IN_PERSON, "start_date": first + timedelta(days=n % 300),
        "end_date": first + timedelta(days=n % 300 + 2), "time_zone": "America/Bogota",
        "capacity": 30, "enrollment_mode": EnrollmentMode.OPEN, "min_attendance_percent": 80,
        "state": ProgrammeState.REGISTRATION_OPEN, "created_at": now, "updated_at": now}
        for n in range(programmes)])
    rows = db.session.execute(select(Programme.id, Programme.start_date)).all()
    db.session.execute(insert(Session), [{
        "programme_id": pid, "title": {"en": f"Day {day + 1}"},
        "starts_at": now.replace(hour=14, minute=0, second=0, microsecond=0)
        + timedelta(days=(start - first).days + 10 + day),
        "ends_at": now.replace(hour=16, minute=0, second=0, microsecond=0)
        + timedelta(days=(start - first).days + 10 + day),
        "status": SessionStatus.SCHEDULED, "sequence": 0, "created_at": now, "updated_at": now,
        "uid": f"{pid}-{day}"} for pid, start in rows for day in range(SESSIONS)])
    db.session.execute(insert(Module), [{
        "slug": f"module-{n}", "title": {"en": f"Module {n}", "es": f"Módulo {n}"},
        "summary": {"en": "Sampling with satellite images."},
        "body": {"en": "Text. " * 400, "es": "Texto. " * 400},
        "learning_outcomes": {"en": "Estimate a population."}, "level": Level.INTRODUCTORY,
        "duration_hours": Decimal("2"), "licence": "CC-BY-4.0",
        "status": ModuleStatus.PUBLISHED, "revision": 1, "published_at": now,
        "created_at": now, "updated_at": now} for n in range(modules)])
    db.session.commit()
    return "module-1"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--programmes", type=int, default=1000)
    parser.add_argument("--modules", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    with bench_app(args.postgres) as app:
        module = populate(args.programmes, args.modules)
        client = app.test_client()
        first = client.get("/api/v1/programmes?limit=100").get_json()
        urls = {
            "programmes, first page of 100": "/api/v1/programmes?limit=100",
            "programmes, a page by cursor": _path(first["next"]),
            f"module ({module})": f"/api/v1/modules/{module}?lang=es",
            "/healthz": "/healthz",
        }
        results, statements = {}, {}
        for label, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            with count_queries(app) as counted:
                client.get(url)
            statements[label] = counted.total
            results[label] = timed(lambda url=url: client.get(url), args.repeat)
        database = "PostgreSQL" if args.postgres else "SQLite"
        base = results["/healthz"]["p50"]
        print(f"{database}: {args.programmes} programmes x {SESSIONS} sessions, "
              f"{args.modules} modules, {args.repeat} calls each")
        print(f"{'':34} {'p50 ms':>8} {'p95 ms':>8} {'÷ healthz':>10} {'statements':>11}")
        for label, figures in results.items():
            print(f"{label:34} {figures['p50']:8.1f} {figures['p95']:8.1f} "
                  f"{figures['p50'] / base:10.1f} {statements[label]:11}")


if __name__ == "__main__":
    main()
