"""Programme catalogue and programme page at 1,000 programmes.

    .venv/bin/python -m bench.workshops_catalogue [--programmes 1000] [--postgres]

Prints p50/p95 of /workshops/ (three filter sets) and of one programme page, through the app,
and each one's ratio to /healthz on the same app.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta

from sqlalchemy import insert

from app.dataspaces.models import DataSpace, Node, Region
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import (
    DeliveryMode,
    EnrollmentMode,
    Programme,
    ProgrammeKind,
    ProgrammeState,
)
from bench._common import bench_app, timed


def populate(count: int) -> str:
    rng = random.Random(3)
    space = DataSpace(slug="latin-america", region=Region.LATIN_AMERICA,
                      name={"en": "Data Space Latin America"})
    db.session.add(space)
    db.session.flush()
    nodes = [Node(dataspace_id=space.id, slug=f"city-{n}", city={"en": f"City {n}"},
                  country_code=code, time_zone="America/Bogota")
             for n, code in enumerate(["CO", "MX", "BR", "PE"])]
    db.session.add_all(nodes)
    db.session.flush()
    now = utcnow()
    rows = []
    for n in range(count):
        start = date(2016, 1, 1) + timedelta(days=rng.randint(0, 6000))
        rows.append({
            "slug": f"programme-{n}", "kind": rng.choice(list(ProgrammeKind)),
            "dataspace_id": space.id, "node_id": rng.choice(nodes).id,
            "title": {"en": f"Programme {n}", "es": f"Programa {n}"}, "summary": {},
            "languages_csv": rng.choice(["en", "en,es", "es", "fr,en", "pt"]),
            "delivery_mode": DeliveryMode.IN_PERSON, "start_date": start,
            "end_date": start + timedelta(days=rng.randint(0, 9)), "time_zone": "America/Bogota",
            "capacity": 30, "enrollment_mode": EnrollmentMode.OPEN, "min_attendance_percent": 80,
            "state": rng.choice([ProgrammeState.PUBLISHED, ProgrammeState.REGISTRATION_OPEN,
                                 ProgrammeState.COMPLETED]),
            "created_at": now, "updated_at": now,
        })
    db.session.execute(insert(Programme), rows)
    db.session.commit()
    return "programme-0"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--programmes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with bench_app(args.postgres) as app:
        slug = populate(args.programmes)
        client = app.test_client()
        pages = {
            "/healthz": "/healthz",
            "catalogue (upcoming)": "/workshops/?lang=en",
            "catalogue (all, page 3)": "/workshops/?when=all&page=3&lang=en",
            "catalogue (es, CO, open)": "/workshops/?language=es&country=CO&open=1&lang=en",
            "programme page": f"/workshops/{slug}?lang=en",
        }
        results = {}
        for label, url in pages.items():
            assert client.get(url).status_code == 200, url
            results[label] = timed(lambda url=url: client.get(url), args.repeat)
        database = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{args.programmes} programmes on {database} ({args.repeat} requests each, "
              "in-process test client)")
        base = results["/healthz"]["p50"]
        for label, figures in results.items():
            print(f"  {label:26s} p50 {figures['p50']:6.1f} ms  p95 {figures['p95']:6.1f} ms"
                  f"  ratio to /healthz {figures['p50'] / base:5.1f}")


if __name__ == "__main__":
    main()
