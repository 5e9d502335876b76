"""Certificate batch against a naive WeasyPrint render.

    .venv/bin/python -m bench.certificates [--count 200] [--rounds 2]

Issues ``count`` certificates for a completed programme, then renders their PDFs with the app's
batch (one font configuration per process, every core, what the certificates share laid out
once per renderer, PAdES signature included) and, for the same HTML drawn whole, with a naive
render (new stylesheet and font configuration for each certificate, one process, no
signature). Prints milliseconds per certificate, the ratio, and peak RSS; run it at 50 and at
200 to see that memory does not grow with the batch. The naive render runs in the same process
after the batch, so it profits from what the app changed process-wide in WeasyPrint (see
``rendering.fonts._OpenArrays``): the ratio is, if anything, understated."""

from __future__ import annotations

import argparse
import resource
import time
from datetime import date

from sqlalchemy import insert, select, update

from app.attendance.models import AttendanceMark, Mark
from app.auth.models import Role, RoleGrant, User
from app.certificates import jobs, rendering
from app.certificates.models import Certificate
from app.certificates.rendering import layout, pool
from app.dataspaces.models import DataSpace, Node, Region
from app.enrollment.models import Enrollment, EnrollmentStatus, ParticipantProfile, Sector
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import (
    DeliveryMode,
    EnrollmentMode,
    Programme,
    ProgrammeKind,
    ProgrammeState,
    Session,
)
from bench._common import bench_app

# Names vary from one participant to the next, as in a real batch (the glyphs of each name
# are embedded): five scripts, given and family names combined.
GIVEN = {"latin": ["Ana María", "José", "Zoë", "Kofi", "Łukasz", "Aïcha", "Nguyễn Thị",
                   "Sébastien"],
         "arabic": ["محمد", "فاطمة", "أحمد", "ليلى", "يوسف"],
         "cjk": ["小明", "美玲", "さくら", "민준", "伟"]}
FAMILY = {"latin": ["Pérez", "Mensah", "Øvergaard", "Diallo", "Hoa", "Nuñez", "Okonkwo", "Silva",
                    "Wiśniewska", "Ndiaye"],
          "arabic": ["الأحمد", "حداد", "الخوري", "منصور"],
          "cjk": ["王", "陳", "山田", "김", "李", "佐藤"]}


def name(n: int) -> str:
    script = ("latin", "latin", "latin", "arabic", "cjk")[n % 5]
    k = n // 5 * 3 + n % 5 if script == "latin" else n // 5  # the how-manieth of its script
    given, family = GIVEN[script], FAMILY[script]
    first, last = given[k % len(given)], family[k // len(given) % len(family)]
    return last + first if script == "cjk" else f"{first} {last}"


def populate(count: int) -> Programme:
    now = utcnow()
    space = DataSpace(slug="latin-america", region=Region.LATIN_AMERICA,
                      name={"en": "Data Space Latin America", "es": "Data Space América Latina"})
    db.session.add(space)
    db.session.flush()
    node = Node(dataspace_id=space.id, slug="bogota", city={"en": "Bogotá"}, country_code="CO",
                time_zone="America/Bogota", is_anchor=True)
    db.session.add(node)
    db.session.flush()
    programme = Programme(
        slug="school", kind=ProgrammeKind.SUMMER_SCHOOL, dataspace_id=space.id, node_id=node.id,
        title={"en": "Big Data Summer School", "es": "Escuela de Verano de Big Data"},
        summary={}, languages_csv="en,es", delivery_mode=DeliveryMode.IN_PERSON,
        start_date=date(2017, 7, 10), end_date=date(2017, 7, 17), time_zone="America/Bogota",
        capacity=count, enrollment_mode=EnrollmentMode.OPEN, min_attendance_percent=80,
        state=ProgrammeState.COMPLETED)
    db.session.add(programme)
    db.session.flush()
    session = Session(programme_id=programme.id, title={"en": "Opening"},
                      starts_at=now.replace(year=2017, month=7, day=10),
                      ends_at=now.replace(year=2017, month=7, day=10, hour=23))
    db.session.add(session)
    db.session.execute(insert(User), [
        {"email": f"p{n}@example.org", "display_name": name(n), "active": True,
         "created_at": now, "updated_at": now} for n in range(count)])
    ids = list(db.session.scalars(select(User.id)))
    db.session.execute(insert(RoleGrant), [{"user_id": i, "role": Role.PARTICIPANT,
                                            "created_at": now, "updated_at": now} for i in ids])
    db.session.execute(insert(ParticipantProfile), [
        {"user_id": i, "given_name": name(n), "certificate_name": name(n),
         "sector": Sector.ACADEMIA, "country_code": "CO", "created_at": now, "updated_at": now}
        for n, i in enumerate(ids)])
    db.session.execute(insert(Enrollment), [
        {"programme_id": programme.id, "user_id": i, "status": EnrollmentStatus.CONFIRMED,
         "queue_number": n + 1, "answers": {}, "created_at": now, "updated_at": now}
        for n, i in enumerate(ids)])
    db.session.flush()
    db.session.execute(insert(AttendanceMark), [
        {"session_id": session.id, "enrollment_id": e, "mark": Mark.PRESENT, "marked_at": now}
        for e in db.session.scalars(select(Enrollment.id))])
    db.session.commit()
    return programme


def naive(certificates: list[Certificate]) -> float:
    """A new stylesheet and font configuration for every certificate, in one process."""
    from weasyprint import CSS, HTML

    started = time.perf_counter()
    for certificate in certificates:
        html = layout._sandbox.from_string(rendering.TEMPLATE.read_text()).render(
            **rendering.values(certificate), layer="whole")
        fonts = rendering.font_configuration()  # the same shipped fonts, loaded afresh
        stylesheet = CSS(string=rendering.STYLESHEET.read_text(), font_config=fonts)
        HTML(string=html, url_fetcher=rendering.fetch_nothing).write_pdf(
            stylesheets=[stylesheet], font_config=fonts)
    return (time.perf_counter() - started) * 1000 / len(certificates)


def batch(programme: Programme, count: int, signed: bool = True) -> float:
    """The app's batch, from no PDF at all; unsigned, it shows how much of the gap to the naive
    render (which signs nothing) the PAdES signature makes."""
    from app.certificates import pades

    db.session.execute(update(Certificate).values(pdf_file_id=None, pdf_sha256=None))
    db.session.commit()
    sign = pades.sign
    if not signed:
        pades.sign = lambda pdf: pdf
    try:
        started = time.perf_counter()
        jobs.render_missing(programme)
        return (time.perf_counter() - started) * 1000 / count
    finally:
        pades.sign = sign


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2,
                        help="batch and naive render take turns; the best of each is kept "
                             "(this machine's speed drifts by 20%% and more)")
    args = parser.parse_args()
    with bench_app(postgres=False) as app:
        programme = populate(args.count)
        app.config["OUTBOX_SEND_AFTER_COMMIT"] = False
        jobs.issue_all(programme, None)
        certificates = list(db.session.scalars(select(Certificate)))
        # The scheduler is a long-lived process: it imports the signer and loads the fonts once
        # in its life, not once per batch.
        pool._pool_app = app
        pool._prepare()
        batch_ms = batch(programme, args.count)
        # Measured before the naive render, whose new font configurations only add up.
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        naive_ms = naive(certificates)
        for _ in range(args.rounds - 1):
            batch_ms = min(batch_ms, batch(programme, args.count))
            naive_ms = min(naive_ms, naive(certificates))
        unsigned_ms = batch(programme, args.count, signed=False)
    print(f"{args.count} certificates (A4 landscape, bilingual, QR code), "
          f"best of {args.rounds} rounds")
    print(f"  app batch     {batch_ms:6.1f} ms per certificate (every core, PAdES-signed)")
    print(f"  naive render  {naive_ms:6.1f} ms per certificate (new CSS and fonts each, unsigned)")
    print(f"  ratio         {naive_ms / batch_ms:6.2f}x faster")
    print(f"  for comparison, the app batch without its PAdES signature: {unsigned_ms:.1f} ms "
          f"({naive_ms / unsigned_ms:.2f}x)")
    print(f"  peak RSS      {own:6.0f} MB issuing process, {workers:6.0f} MB largest renderer")


if __name__ == "__main__":
    main()
