"""Reports at scale: 100,000 enrollments with attendance across 2,000 programmes.

    .venv/bin/python -m bench.reports [--enrollments 100000] [--programmes 2000] [--postgres]

Prints p50/p95 of the network report, a grant page (200 programmes) and the network report's
CSV export, through the app as an admin, and each one's ratio to the programme catalogue page
in the same run.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select, text

from app.attendance.models import AttendanceMark, Mark
from app.auth import SIGN_IN_KEY
from app.auth import services as accounts
from app.auth.models import Role, RoleGrant, User
from app.dataspaces.models import DataSpace, Institution, InstitutionKind, Node, Region
from app.enrollment.models import Enrollment, EnrollmentStatus, Gender, ParticipantProfile, Sector
from app.extensions import db
from app.grants import services as grants
from app.grants.models import TargetBound, TargetMeasure
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

COUNTRIES = {Region.LATIN_AMERICA: ["CO", "MX", "BR"], Region.WEST_AFRICA: ["SN", "GH"],
             Region.EAST_SOUTH_AFRICA: ["KE", "RW"], Region.EAST_ASIA_PACIFIC: ["SG"],
             Region.WESTERN_EUROPE: ["FR"], Region.MENA: ["LB", "AE"],
             Region.NORTH_AMERICA: ["US"]}
SESSIONS = 3


def _bulk(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(model), rows[start:start + 5000])


def populate(programmes: int, enrollments: int) -> str:
    rng = random.Random(10)
    now = utcnow()
    nodes = []
    for region, codes in COUNTRIES.items():
        space = DataSpace(slug=region.value, region=region, name={"en": region.value})
        db.session.add(space)
        db.session.flush()
        for code in codes:
            node = Node(dataspace_id=space.id, slug=code.lower(), city={"en": code},
                        country_code=code, time_zone="UTC")
            db.session.add(node)
            nodes.append(node)
    db.session.flush()
    _bulk(Programme, [{
        "slug": f"programme-{n}", "kind": rng.choice(list(ProgrammeKind)),
        "dataspace_id": node.dataspace_id, "node_id": node.id,
        "title": {"en": f"Programme {n}"}, "summary": {},
        "languages_csv": rng.choice(["en", "en,es", "fr", "en,fr", "pt", "ar,en"]),
        "delivery_mode": DeliveryMode.IN_PERSON, "start_date": start,
        "end_date": start + timedelta(days=2), "time_zone": "UTC", "capacity": 100,
        "enrollment_mode": EnrollmentMode.OPEN, "min_attendance_percent": 80,
        "state": ProgrammeState.COMPLETED if start < date(2026, 1, 1)
        else ProgrammeState.REGISTRATION_OPEN, "created_at": now, "updated_at": now}
        for n, (node, start) in enumerate(
            (rng.choice(nodes), date(2016, 1, 1) + timedelta(days=rng.randint(0, 4000)))
            for _ in range(programmes))])
    ids = list(db.session.scalars(select(Programme.id).order_by(Programme.id)))
    starts = dict(db.session.execute(select(Programme.id, Programme.start_date)).all())
    _bulk(Session, [{"programme_id": pid, "title": {"en": f"Session {k}"},
                     "starts_at": datetime.combine(starts[pid], datetime.min.time(), UTC)
                     + timedelta(days=k, hours=9),
                     "ends_at": datetime.combine(starts[pid], datetime.min.time(), UTC)
                     + timedelta(days=k, hours=12), "status": SessionStatus.SCHEDULED,
                     "created_at": now, "updated_at": now}
                    for pid in ids for k in range(SESSIONS)])
    people = enrollments // 5
    password = accounts.hash_password("bench-password-1")
    _bulk(User, [{"email": f"p{n}@example.org", "display_name": f"P{n}",
                  "password_hash": password, "email_verified_at": now, "created_at": now}
                 for n in range(people)])
    user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    codes = [code for region_codes in COUNTRIES.values() for code in region_codes]
    _bulk(ParticipantProfile, [{
        "user_id": uid, "given_name": "P", "certificate_name": "P", "sector": rng.choice(
            list(Sector)), "country_code": rng.choice(codes),
        "gender": rng.choice([Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, None]),
        "created_at": now, "updated_at": now} for uid in user_ids])
    seats, queue = set(), {}
    while len(seats) < enrollments:
        seats.add((rng.choice(ids), rng.choice(user_ids)))
    rows = []
    for pid, uid in sorted(seats):
        queue[pid] = queue.get(pid, 0) + 1
        rows.append({"programme_id": pid, "user_id": uid, "queue_number": queue[pid],
                     "status": EnrollmentStatus.CONFIRMED, "created_at": now,
                     "updated_at": now, "checkin_code": f"C{len(rows):07d}",
                     # as attendance settles it when a programme completes
                     "reached_minimum": rng.random() < 0.8 if starts[pid] < date(2026, 1, 1)
                     else None})
    _bulk(Enrollment, rows)
    sessions = {}
    for sid, pid in db.session.execute(select(Session.id, Session.programme_id)):
        sessions.setdefault(pid, []).append(sid)
    _bulk(AttendanceMark, [{"session_id": sid, "enrollment_id": eid,
                            "mark": rng.choice([Mark.PRESENT] * 5 + [Mark.ABSENT]),
                            "marked_at": now}
                           for eid, pid in db.session.execute(
                               select(Enrollment.id, Enrollment.programme_id))
                           for sid in sessions.get(pid, [])])
    funder = Institution(slug="funder", name={"en": "Funder"}, kind=InstitutionKind.FOUNDATION)
    db.session.add(funder)
    db.session.flush()
    space_ids = list(db.session.scalars(select(DataSpace.id)))
    grant = grants.save_grant(None, grants.GrantDetails(
        title={"en": "Bench grant"}, description={}, reference=None, starts_on=date(2016, 1, 1),
        ends_on=date(2027, 12, 31), amount=None, currency=None,
        dataspace_ids=tuple(space_ids), funder_ids=(funder.id,), partner_ids=()),
        allowed_dataspace_ids=None)
    for measure in (TargetMeasure.PROGRAMMES, TargetMeasure.COUNTRIES,
                    TargetMeasure.PARTICIPANTS, TargetMeasure.WOMEN_SHARE):
        grants.add_target(grant, grants.TargetDetails(measure, TargetBound.AT_LEAST, 50))
    for pid in rng.sample(ids, min(200, len(ids))):
        grants.fund_programme(grant, pid)
    db.session.commit()
    # The statistics a live database keeps (autovacuum, or SQLite's optimize): without them
    # the planner takes these freshly bulk-loaded tables for empty ones.
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return grant.slug


def _admin(client) -> None:
    admin = accounts.create_user("admin@example.org", "bench-password-1",
                                 verified_at=utcnow())
    admin.grants.append(RoleGrant(role=Role.ADMIN))
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(admin.id)
        session["_fresh"] = True
        session[SIGN_IN_KEY] = accounts.start_sign_in(admin, "bench")
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--programmes", type=int, default=2000)
    parser.add_argument("--enrollments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with bench_app(args.postgres) as app:
        began = time.perf_counter()
        slug = populate(args.programmes, args.enrollments)
        loaded = time.perf_counter() - began
        client = app.test_client()
        _admin(client)
        pages = {
            "programme catalogue": "/workshops/?when=all&lang=en",
            "network report": "/reports/?lang=en",
            "grant page (200 programmes)": f"/grants/{slug}?lang=en",
            "network report CSV": "/reports/export.csv?lang=en",
        }
        results = {}
        for label, url in pages.items():
            assert client.get(url).status_code == 200, url
            results[label] = timed(lambda url=url: client.get(url), args.repeat)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{engine}: {args.programmes} programmes, {args.enrollments} enrollments with "
          f"{SESSIONS} marks each (loaded in {loaded:.0f} s), {args.repeat} requests each")
    base = results["programme catalogue"]["p95"]
    for label, result in results.items():
        print(f"  {label:30} p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
              f"{result['p95'] / base:5.1f}x the catalogue")


if __name__ == "__main__":
    main()
