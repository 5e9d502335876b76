"""Do sign-up and password reset answer as fast for an address with an account as without?

    .venv/bin/python -m bench.account_timing [--rounds 40] [--postgres]

Alternates requests for a known and an unknown address and prints each one's p50 and p95 and
their ratio (known / unknown): near 1.0, the answer's timing does not tell which addresses have
accounts (a ratio of 1.0 ± 0.1 is within this machine's noise).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time

from app.auth import services as accounts
from app.extensions import db
from bench._common import bench_app

_unknown = itertools.count()


def _sign_up(client, email: str) -> None:
    client.post("/sign-up", data={"display_name": "Ana", "email": email,
                                  "password": "maple river lantern 42",
                                  "confirm": "maple river lantern 42",
                                  "preferred_language": "en"})


def _forgot(client, email: str) -> None:
    client.post("/password/forgot", data={"email": email})


def measure(client, send, rounds: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {"known": [], "unknown": []}
    for _ in range(rounds):
        for kind in ("known", "unknown"):
            email = "ana@example.org" if kind == "known" else f"new{next(_unknown)}@example.org"
            start = time.perf_counter()
            send(client, email)
            samples[kind].append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with bench_app(args.postgres) as app:
        app.config["WTF_CSRF_ENABLED"] = False
        accounts.create_user("ana@example.org", "correct horse battery staple")
        db.session.commit()
        client = app.test_client()
        for name, send in (("sign-up", _sign_up), ("password reset", _forgot)):
            measure(client, send, 3)  # warm-up
            samples = measure(client, send, args.rounds)
            p50 = {kind: statistics.median(values) for kind, values in samples.items()}
            for kind, values in samples.items():
                values.sort()
                print(f"{name:15} {kind:8} p50 {p50[kind]:7.1f} ms  "
                      f"p95 {values[int(len(values) * 0.95) - 1]:7.1f} ms")
            print(f"{name:15} known/unknown p50 ratio: {p50['known'] / p50['unknown']:.2f}")


if __name__ == "__main__":
    main()
