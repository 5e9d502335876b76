"""200 people enrol at the same moment in a 30-seat programme, through gunicorn.

    .venv/bin/python -m bench.enrollment_burst [--postgres] [--workers 4] [--people 200]

Starts the app under gunicorn (several worker processes) on a fresh database, signs everyone
in, then fires all enrollment requests at once. Prints confirmed, waitlisted, errors, requests
per second, and the ratio to /healthz requests per second on the same server. Confirmed must be
exactly the capacity and errors zero.
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
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener, urlopen

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


def populate(people: int, capacity: int) -> str:
    space = DataSpace(slug="latin-america", region=Region.LATIN_AMERICA, name={"en": "LatAm"})
    db.session.add(space)
    db.session.flush()
    node = Node(dataspace_id=space.id, slug="bogota", city={"en": "Bogotá"}, country_code="CO",
                time_zone="America/Bogota", is_anchor=True)
    db.session.add(node)
    db.session.flush()
    start = date.today() + timedelta(days=30)  # noqa: DTZ011 - a date far from any edge
    programme = Programme(
        slug="burst", kind=ProgrammeKind.WORKSHOP, dataspace_id=space.id, node_id=node.id,
        title={"en": "Burst"}, summary={}, languages_csv="en",
        delivery_mode=DeliveryMode.IN_PERSON, start_date=start, end_date=start,
        time_zone="America/Bogota", capacity=capacity, enrollment_mode=EnrollmentMode.OPEN,
        min_attendance_percent=80, state=ProgrammeState.REGISTRATION_OPEN)
    db.session.add(programme)
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
    return programme.slug


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


def burst(calls) -> tuple[float, list]:
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=30)
    args = parser.parse_args()
    with bench_app(args.postgres) as app:
        slug = populate(args.people, args.capacity)
        uri = app.config["SQLALCHEMY_DATABASE_URI"]
        process, base = start_gunicorn(uri, args.workers, app.instance_path)
        try:
            sessions = []
            for n in range(args.people):
                browser = build_opener(HTTPCookieProcessor(CookieJar()))
                token = csrf(browser.open(f"{base}/sign-in").read().decode())
                browser.open(f"{base}/sign-in", urlencode(
                    {"csrf_token": token, "email": f"p{n}@example.org", "password": PASSWORD}
                ).encode())
                page = browser.open(f"{base}/workshops/{slug}/enroll").read().decode()
                sessions.append((browser, csrf(page)))

            def enrol(browser, token):
                return lambda: browser.open(f"{base}/workshops/{slug}/enroll",
                                            urlencode({"csrf_token": token}).encode()).status

            seconds, results = burst([enrol(b, t) for b, t in sessions])
            health_seconds, health = burst(
                [lambda: urlopen(f"{base}/healthz").status for _ in range(args.people)])
        finally:
            process.terminate()
            process.wait(timeout=30)
        db.session.expire_all()
        counts = dict(db.session.execute(select(Enrollment.status, func.count())
                                         .group_by(Enrollment.status)).all())
        errors = sum(1 for r in results if r != 200)
        enrol_rps, health_rps = len(results) / seconds, len(health) / health_seconds
        database = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{args.people} simultaneous enrollments, {args.capacity} seats, gunicorn "
              f"{args.workers} workers, {database}")
        print(f"  confirmed   {counts.get(EnrollmentStatus.CONFIRMED, 0)}")
        print(f"  waitlisted  {counts.get(EnrollmentStatus.WAITLISTED, 0)}")
        print(f"  errors      {errors}")
        print(f"  enrollment  {enrol_rps:7.1f} requests/s ({seconds:.2f} s for the burst)")
        print(f"  /healthz    {health_rps:7.1f} requests/s (same concurrency)")
        print(f"  ratio       {enrol_rps / health_rps:.3f} of /healthz")
        if counts.get(EnrollmentStatus.CONFIRMED, 0) != args.capacity or errors:
            raise SystemExit("FAILED: capacity exceeded or requests failed")


if __name__ == "__main__":
    main()
