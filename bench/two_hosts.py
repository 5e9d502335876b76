"""Two app hosts and two schedulers on one PostgreSQL database, one of them killed mid-work.

    .venv/bin/python -m bench.two_hosts [--people 200] [--certificates 150]

Starts two gunicorn instances (two ports: two hosts) with Redis for rate limits, signs people
in on both and fires the enrollment burst split across them. Queues a certificate batch, starts
a first scheduler, and once it is both drawing certificates and sending the burst's emails
starts a second one and kills the first (SIGKILL: no goodbye). Then checks:

- capacity exact: confirmed = seats, everyone else waitlisted, no error;
- every email sent exactly once: every outbox row sent, and the SMTP server (in this process,
  slow on purpose) received each Message-ID. The one message the killed scheduler was sending
  may arrive twice: the server took it, but the sender died before hearing so, and SMTP allows
  no better (RFC 5321 §6.1: a sender that is not sure sends again). It then carries the same
  Message-ID, which mail systems use to drop the copy; the script counts such copies and
  allows at most that one;
- every certificate issued exactly once and its PDF drawn;
- rate limits counted across both hosts: sign-in attempts for one account, alternating hosts,
  are refused with 429 after the limit, whichever host the next one reaches.
Needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import redis
from aiosmtpd.controller import Controller
from sqlalchemy import func, insert, select

from app.attendance.models import AttendanceMark, Mark
from app.auth.models import User
from app.certificates import batches
from app.certificates.models import BatchStatus, Certificate, CertificateBatch
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.extensions import db
from app.outbox.models import OutboxMessage, OutboxStatus
from app.timeutil import utcnow
from app.workshops.models import Programme, ProgrammeState, Session
from bench._common import bench_app
from bench.enrollment_burst import PASSWORD, burst, csrf, free_port, populate

REDIS = "redis://127.0.0.1:6379/7"


class SlowSink:
    """An SMTP server that takes its time (so that mail is still leaving when a scheduler is
    killed) and remembers every Message-ID it received."""

    def __init__(self):
        self.received: Counter[str] = Counter()

    async def handle_DATA(self, _server, _session, envelope):
        time.sleep(0.03)
        for line in envelope.content.decode(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.received[line.split(":", 1)[1].strip()] += 1
                break
        return "250 OK"


def _environment(uri: str, smtp_port: int) -> dict:
    return {**os.environ, "DATABASE_URL": uri, "SECRET_KEY": "two-hosts", "APP_ENV":
            "development", "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port), "RATELIMIT_STORAGE_URI": REDIS,
            "SIGN_IN_LIMIT_PER_IP": "100000 per minute", "SIGN_IN_LIMIT_PER_ACCOUNT":
            "5 per minute", "SCHEDULER_INTERVAL_SECONDS": "1", "MAIL_INTERVAL_SECONDS": "1",
            "JOB_LEASE_SECONDS": "5", "MAIL_CLAIM_SECONDS": "5",
            "CERTIFICATE_RENDER_WORKERS": "1", "PUBLIC_URL": "http://training.test"}


def _gunicorn(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout",
         "120", "app:create_app()"], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    opener = build_opener()
    for _ in range(100):
        try:
            opener.open(f"{base}/healthz", timeout=2)
            return process, base
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def _scheduler(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "scheduler", "run"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _completed_programme(people: int) -> Programme:
    """A completed one-session programme everyone attended: a batch of certificates due."""
    template = db.session.scalar(select(Programme).where(Programme.slug == "burst"))
    start = date.today() - timedelta(days=10)  # noqa: DTZ011 - a date far from any edge
    programme = Programme(
        slug="finished", kind=template.kind, dataspace_id=template.dataspace_id,
        node_id=template.node_id, title={"en": "Finished"}, summary={}, languages_csv="en",
        delivery_mode=template.delivery_mode, start_date=start, end_date=start,
        time_zone=template.time_zone, capacity=people, enrollment_mode=template.enrollment_mode,
        min_attendance_percent=80, state=ProgrammeState.COMPLETED, seats_taken=people)
    db.session.add(programme)
    db.session.flush()
    session = Session(programme_id=programme.id, title={"en": "Day one"},
                      starts_at=utcnow() - timedelta(days=10),
                      ends_at=utcnow() - timedelta(days=10) + timedelta(hours=3))
    db.session.add(session)
    db.session.flush()
    users = db.session.scalars(select(User.id).order_by(User.id).limit(people)).all()
    db.session.execute(insert(Enrollment), [
        {"programme_id": programme.id, "user_id": user, "queue_number": n + 1,
         "status": EnrollmentStatus.CONFIRMED, "answers": {}, "created_at": utcnow(),
         "updated_at": utcnow()} for n, user in enumerate(users)])
    enrollments = db.session.scalars(select(Enrollment.id).where(
        Enrollment.programme_id == programme.id)).all()
    db.session.execute(insert(AttendanceMark), [
        {"session_id": session.id, "enrollment_id": enrollment, "mark": Mark.PRESENT,
         "marked_at": utcnow()} for enrollment in enrollments])
    db.session.commit()
    return programme


def _signed_in(base: str, n: int):
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    token = csrf(opener.open(f"{base}/sign-in").read().decode())
    opener.open(f"{base}/sign-in", urlencode(
        {"csrf_token": token, "email": f"p{n}@example.org", "password": PASSWORD}).encode())
    page = opener.open(f"{base}/workshops/burst/enroll").read().decode()
    return opener, csrf(page)


def _rate_limit_across_hosts(bases: list[str]) -> list[int]:
    """Wrong passwords for one account (one nobody signed in with yet), alternating hosts:
    the answers, in order."""
    answers = []
    for attempt in range(8):
        base = bases[attempt % 2]
        opener = build_opener(HTTPCookieProcessor(CookieJar()))
        token = csrf(opener.open(f"{base}/sign-in").read().decode())
        try:
            answers.append(opener.open(f"{base}/sign-in", urlencode(
                {"csrf_token": token, "email": "someone.else@example.org", "password": "wrong"}
            ).encode()).status)
        except HTTPError as error:
            answers.append(error.code)
    return answers


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        db.session.rollback()
        if condition():
            return
        time.sleep(0.2)
    raise SystemExit(f"FAILED: timed out waiting for {what}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=30)
    parser.add_argument("--certificates", type=int, default=150)
    args = parser.parse_args()
    redis.Redis.from_url(REDIS).flushdb()
    sink = SlowSink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    processes = []
    with bench_app(postgres=True) as app:
        populate(args.people, args.capacity)
        finished = _completed_programme(args.certificates)
        env = _environment(app.config["SQLALCHEMY_DATABASE_URI"], smtp.port)
        try:
            hosts = [_gunicorn(env) for _ in range(2)]
            processes += [process for process, _ in hosts]
            bases = [base for _, base in hosts]
            people = [_signed_in(bases[n % 2], n) for n in range(args.people)]
            seconds, results, _ = burst([
                (lambda o=opener, t=token, b=bases[n % 2]: o.open(
                    f"{b}/workshops/burst/enroll", urlencode({"csrf_token": t}).encode()).status)
                for n, (opener, token) in enumerate(people)])
            limits = _rate_limit_across_hosts(bases)
            batch = batches.request_batch(finished, db.session.get(User, 1))
            db.session.commit()
            first = _scheduler(env)
            processes.append(first)
            _wait(lambda: db.session.get(CertificateBatch, batch.id).done > 10
                  and db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                      OutboxMessage.status == OutboxStatus.SENT)) > 10,
                  120, "the first scheduler to be drawing certificates and sending mail")
            second = _scheduler(env)
            processes.append(second)
            first.send_signal(signal.SIGKILL)
            first.wait()
            killed_at = time.monotonic()
            _wait(lambda: db.session.get(CertificateBatch, batch.id).status == BatchStatus.DONE
                  and db.session.scalar(select(func.count()).select_from(Certificate).where(
                      Certificate.pdf_file_id.is_(None))) == 0
                  and db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                      OutboxMessage.status != OutboxStatus.SENT)) == 0,
                  300, "the second scheduler to finish the batch and the mail")
            recovered = time.monotonic() - killed_at
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
                    process.wait(timeout=30)
            smtp.stop()
        counts = dict(db.session.execute(
            select(Enrollment.status, func.count()).join(Programme)
            .where(Programme.slug == "burst").group_by(Enrollment.status)).all())
        rows = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        duplicates = sum(n - 1 for n in sink.received.values() if n > 1)
        certificates = db.session.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.programme_id == finished.id))
        errors = sum(1 for r in results if r != 200)
        print(f"Two hosts (gunicorn, 2 workers each), two schedulers (the first killed), "
              f"PostgreSQL, Redis rate limits; {args.people} people, {args.capacity} seats")
        print(f"  enrollment burst   {len(results) / seconds:6.1f}/s, confirmed "
              f"{counts.get(EnrollmentStatus.CONFIRMED, 0)}, waitlisted "
              f"{counts.get(EnrollmentStatus.WAITLISTED, 0)}, errors {errors}")
        print(f"  emails             {rows} queued, {len(sink.received)} distinct received, "
              f"{duplicates} received twice")
        print(f"  certificates       {certificates} issued for {args.certificates} eligible, "
              f"all drawn; the second scheduler finished {recovered:.0f} s after the kill")
        print(f"  sign-in limit      answers across hosts, in order: {limits}")
        ok = (counts.get(EnrollmentStatus.CONFIRMED, 0) == args.capacity and errors == 0
              and len(sink.received) == rows and duplicates <= 1
              and certificates == args.certificates and 429 not in limits[:5]
              and set(limits[5:]) == {429})
        if not ok:
            raise SystemExit("FAILED")
        print("  all checks passed")


if __name__ == "__main__":
    main()
