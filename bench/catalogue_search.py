"""Knowledge catalogue: listing versus full-text search over 5,000 published modules.

    .venv/bin/python bench/catalogue_search.py [--modules 5000] [--postgres]

Prints p50/p95 of the catalogue page (listing, a filter, two searches) through the app, and
the ratio of each to the plain listing. Search should answer within the same bounds as listing.
"""

from __future__ import annotations

import argparse
import random
from decimal import Decimal

from sqlalchemy import insert, select

from app.curriculum import search
from app.curriculum.models import Level, Module, ModuleStatus
from app.extensions import db
from app.timeutil import utcnow
from bench._common import bench_app, timed

# Domain words appear in a few percent of the modules; filler words make up the rest of a
# realistic vocabulary. "data" is in every module: the worst case for a search.
WORDS_EN = [
    "statistics", "poverty", "mobile", "phone", "privacy", "ethics", "census", "survey",
    "satellite", "imagery", "mapping", "inequality", "health", "mobility", "learning", "model",
    "sample",
]
WORDS_ES = [
    "estadística", "pobreza", "móvil", "teléfono", "privacidad", "ética", "censo", "encuesta",
    "satélite", "imágenes", "mapa", "desigualdad", "salud", "movilidad", "aprendizaje", "modelo",
    "muestra",
]


def _filler(rng, count):
    letters = "abcdefghijklmnoprstuv"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(count)]


def sentence(words, rng, length, filler):
    # one word in two hundred is a domain word: each one is in a few percent of the modules
    return (
        " ".join(
            rng.choice(words) if rng.random() < 0.005 else rng.choice(filler) for _ in range(length)
        )
        + " data"
    )


def populate(count: int) -> None:
    rng = random.Random(7)
    filler = _filler(rng, 3000)
    now = utcnow()
    rows = []
    for n in range(count):
        rows.append(
            {
                "slug": f"module-{n}",
                "title": {
                    "en": f"{sentence(WORDS_EN, rng, 4, filler)} {n}",
                    "es": sentence(WORDS_ES, rng, 4, filler),
                },
                "summary": {
                    "en": sentence(WORDS_EN, rng, 20, filler),
                    "es": sentence(WORDS_ES, rng, 20, filler),
                },
                "body": {
                    "en": sentence(WORDS_EN, rng, 150, filler),
                    "es": sentence(WORDS_ES, rng, 150, filler),
                },
                "learning_outcomes": {},
                "level": rng.choice(list(Level)),
                "duration_hours": Decimal("2"),
                "licence": "CC-BY-4.0",
                "status": ModuleStatus.PUBLISHED,
                "revision": 1,
                "published_at": now,
                "created_at": now,
                "updated_at": now,
            }
        )
    db.session.execute(insert(Module), rows)
    for module in db.session.scalars(select(Module)):
        search.index_module(
            module.id, {"title": module.title, "summary": module.summary, "body": module.body}
        )
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with bench_app(args.postgres) as app:
        populate(args.modules)
        client = app.test_client()
        pages = {
            "listing": "/knowledge/?lang=en",
            "filter level": "/knowledge/?level=advanced&lang=en",
            "search 'poverty'": "/knowledge/?q=poverty&lang=en",
            "search 'pobreza movil'": "/knowledge/?q=pobreza+movil&lang=es",
            "search 'data' (every module)": "/knowledge/?q=data&lang=en",
        }
        results = {}
        for label, url in pages.items():
            assert client.get(url).status_code == 200
            results[label] = timed(lambda url=url: client.get(url), args.repeat)
        database = "PostgreSQL" if args.postgres else "SQLite"
        print(
            f"catalogue over {args.modules} published modules on {database} "
            f"({args.repeat} requests each)"
        )
        base = results["listing"]["p50"]
        for label, figures in results.items():
            print(
                f"  {label:30s} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms"
                f"  ratio to listing {figures['p50'] / base:4.2f}"
            )


if __name__ == "__main__":
    main()
