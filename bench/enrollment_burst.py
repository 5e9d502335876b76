"""200 people enrol at the same moment in a 30-seat programme, through gunicorn.

    .venv/bin/python -m bench.enrollment_burst [--postgres] [--workers 4] [--people 200]

Starts the app under gunicorn (several worker processes) on a fresh database and signs everyone
in. Then everyone enrols at once in one programme (the POST alone: the redirect is not
followed), then at once in a second one, following the redirect to the page it leads to as a
browser does. Prints for each burst confirmed, waitlisted, errors, requests per second, p50
and p95 latency, and the ratio to /healthz requests per second on the same server (measured
right after). Confirmed must be exactly the capacity and errors zero.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, build_opener, urlopen

from sqlalchemy import func, insert, select

from app.auth.models import Role, RoleGrant, User
from app.auth.services import hash_password
from app.dataspaces.models import DataSpace, Node, Region
from app.enrollment.models import Enrollment, EnrollmentStatus, ParticipantProfile, Sector
from app.enrollment.profiles import POLICY_VERSION
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import (
    DeliveryMode,
    EnrollmentMode,
    Programme,
    ProgrammeKind,
    ProgrammeState,
)
from bench._common import bench_app

PASSWORD = "burst test password"


def populate(people: int, capacity: int, slugs: tuple[str, ...] = ("burst",)) -> str:
    space = DataSpace(slug="latin-america", region=Region.LATIN_AMERICA, name={"en": "LatAm"})
    db.session.add(space)
    db.session.flush()
    node = Node(dataspace_id=space.id, slug="bogota", city={"en": "Bogotá"}, country_code="CO",
                time_zone="America/Bogota", is_anchor=True)
    db.session.add(node)
    db.session.flush()
    start = date.today() + timedelta(days=30)  # noqa: DTZ011 - a date far from any edge
    for slug in slugs:
        db.session.add(Programme(
            slug=slug, kind=ProgrammeKind.WORKSHOP, dataspace_id=space.id, node_id=node.id,
            title={"en": slug.title()}, summary={}, languages_csv="en",
            delivery_mode=DeliveryMode.IN_PERSON, start_date=start, end_date=start,
            time_zone="America/Bogota", capacity=capacity, enrollment_mode=EnrollmentMode.OPEN,
            min_attendance_percent=80, state=ProgrammeState.REGISTRATION_OPEN))
    now, password_hash = utcnow(), hash_password(PASSWORD)
    db.session.execute(insert(User), [
        {"email": f"p{n}@example.org", "display_name": f"P{n}", "password_hash": password_hash,
         "email_verified_at": now, "active": True, "created_at": now, "updated_at": now}
        for n in range(people)])
    ids = list(db.session.scalars(select(User.id)))
    db.session.execute(insert(RoleGrant), [
        {"user_id": i, "role": Role.PARTICIPANT, "created_at": now, "updated_at": now}
        for i in ids])
    db.session.execute(insert(ParticipantProfile), [
        {"user_id": i, "given_name": f"P{i}", "certificate_name": f"P{i}",
         "sector": Sector.ACADEMIA, "country_code": "CO", "consent_at": now,
         "consent_policy_version": POLICY_VERSION, "created_at": now, "updated_at": now}
        for i in ids])
    db.session.commit()
    return slugs[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_uri: str, workers: int, instance: str):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_uri, "SECRET_KEY": "bench",
           "APP_ENV": "development", "MAIL_BACKEND": "console",
           "SIGN_IN_LIMIT_PER_IP": "100000 per minute", "SIGN_IN_LIMIT_PER_ACCOUNT":
           "1000 per minute"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--timeout", "120", "app:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urlopen(f"{base}/healthz", timeout=2)
            return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def burst(calls) -> tuple[float, list, list[float]]:
    """Run every call at once (one thread each). Returns the seconds the whole burst took,
    each call's result, and each call's own seconds."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    latencies = [0.0] * len(calls)

    def run(index, call):
        barrier.wait()
        started = time.perf_counter()
        try:
            results[index] = call()
        except Exception as error:
            results[index] = error
        latencies[index] = time.perf_counter() - started

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results, latencies


class _Stay(HTTPRedirectHandler):
    """Do not follow redirects: the POST alone is measured."""

    def redirect_request(self, *_args, **_kwargs):
        return None


def _post(browser, url: str, token: str) -> int:
    try:
        return browser.open(url, urlencode({"csrf_token": token}).encode()).status
    except HTTPError as answer:  # the 302 that is not followed
        return answer.code


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * share) - 1)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=30)
    args = parser.parse_args()
    phases = {"burst-post": "POST alone", "burst-page": "POST + the page it leads to"}
    with bench_app(args.postgres) as app:
        populate(args.people, args.capacity, tuple(phases))
        uri = app.config["SQLALCHEMY_DATABASE_URI"]
        process, base = start_gunicorn(uri, args.workers, app.instance_path)
        measured = {}
        try:
            people = []
            for n in range(args.people):
                jar = CookieJar()
                browser = build_opener(HTTPCookieProcessor(jar))
                token = csrf(browser.open(f"{base}/sign-in").read().decode())
                browser.open(f"{base}/sign-in", urlencode(
                    {"csrf_token": token, "email": f"p{n}@example.org", "password": PASSWORD}
                ).encode())
                page = browser.open(f"{base}/workshops/burst-post/enroll").read().decode()
                people.append((browser, build_opener(HTTPCookieProcessor(jar), _Stay),
                               csrf(page)))
            for slug in phases:
                url = f"{base}/workshops/{slug}/enroll"
                calls = [(lambda s=stay, t=token, u=url: _post(s, u, t)) if slug == "burst-post"
                         else (lambda b=browser, t=token, u=url: _post(b, u, t))
                         for browser, stay, token in people]
                seconds, results, latencies = burst(calls)
                health_seconds, _health, _ = burst(
                    [lambda: urlopen(f"{base}/healthz").status for _ in range(args.people)])
                measured[slug] = (seconds, results, latencies, health_seconds)
        finally:
            process.terminate()
            process.wait(timeout=30)
        database = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{args.people} simultaneous enrollments, {args.capacity} seats, gunicorn "
              f"{args.workers} workers, {database}")
        failed = False
        for slug, label in phases.items():
            seconds, results, latencies, health_seconds = measured[slug]
            db.session.expire_all()
            counts = dict(db.session.execute(
                select(Enrollment.status, func.count())
                .join(Programme, Programme.id == Enrollment.programme_id)
                .where(Programme.slug == slug).group_by(Enrollment.status)).all())
            errors = sum(1 for r in results if r not in (200, 302))
            rate, health_rate = len(results) / seconds, args.people / health_seconds
            print(f"  {label}")
            print(f"    confirmed {counts.get(EnrollmentStatus.CONFIRMED, 0)}, waitlisted "
                  f"{counts.get(EnrollmentStatus.WAITLISTED, 0)}, errors {errors}")
            p50, p95 = _percentile(latencies, 0.5), _percentile(latencies, 0.95)
            print(f"    {rate:7.1f} enrollments/s ({seconds:.2f} s for the burst); "
                  f"latency p50 {p50:.0f} ms, p95 {p95:.0f} ms")
            print(f"    /healthz {health_rate:7.1f} requests/s; ratio {rate / health_rate:.3f}")
            failed |= counts.get(EnrollmentStatus.CONFIRMED, 0) != args.capacity or bool(errors)
        if failed:
            raise SystemExit("FAILED: capacity exceeded or requests failed")


if __name__ == "__main__":
    main()
