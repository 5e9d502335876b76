"""Survey results at scale: a programme of 1,000 participants who each answered a feedback
survey of ten questions (10,000 answers) and a knowledge check of five items before and after,
in a Data Space of ten such programmes (the nine others with 100 participants each).

    .venv/bin/python -m bench.evaluation [--participants 1000] [--others 9] [--postgres]

Prints p50/p95 of the programme's results page, its CSV export and the Data Space's results
page, through the app as an admin, and each one's ratio to /healthz in the same run.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from sqlalchemy import select, text

from app.auth.models import User
from app.dataspaces.models import DataSpace, Node, Region
from app.enrollment.models import Enrollment, EnrollmentStatus, Gender, ParticipantProfile, Sector
from app.evaluation import services
from app.evaluation.models import (
    Answer,
    Phase,
    QuestionKind,
    Survey,
    SurveyKind,
    SurveyParticipation,
    SurveyResponse,
)
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
from bench.reports import _admin, _bulk

QUIZ_ITEMS = 5
EXTRA_RATINGS = 6  # with the four default questions, ten
COUNTRIES = ["CO", "MX", "BR", "AR", "PE", "CL", "SN", "KE"]


def _surveys(programme: Programme) -> tuple[Survey, Survey]:
    """Its feedback survey (the default four questions and six more ratings) and its
    knowledge check, written through the services as a coordinator would."""
    feedback = services.attach(programme, SurveyKind.FEEDBACK)
    for n in range(EXTRA_RATINGS):
        services.save_question(feedback, None, services.QuestionDetails(
            kind=QuestionKind.RATING, text={"en": f"Rate part {n + 1}"}), actor_id=0)
    check = services.attach(programme, SurveyKind.KNOWLEDGE)
    for n in range(QUIZ_ITEMS):
        services.save_question(check, None, services.QuestionDetails(
            kind=QuestionKind.QUIZ, text={"en": f"Item {n + 1}"},
            options=[{"en": "A"}, {"en": "B"}, {"en": "C"}], correct_option=2), actor_id=0)
    return feedback, check


def _people(count: int, first: int, rng: random.Random) -> list[int]:
    now = utcnow()
    _bulk(User, [{"email": f"p{n}@example.org", "display_name": f"P{n}", "password_hash": "x",
                  "email_verified_at": now, "created_at": now}
                 for n in range(first, first + count)])
    ids = list(db.session.scalars(select(User.id).order_by(User.id.desc()).limit(count)))
    _bulk(ParticipantProfile, [{
        "user_id": uid, "given_name": "P", "certificate_name": "P",
        "sector": rng.choice(list(Sector)), "country_code": rng.choice(COUNTRIES),
        "gender": rng.choice([Gender.WOMAN, Gender.MAN, None]), "created_at": now,
        "updated_at": now} for uid in ids])
    return ids


def _answers(programme: Programme, people: list[int], rng: random.Random) -> None:
    """Everyone confirmed answered both surveys: bulk inserts of what the services write."""
    feedback, check = _surveys(programme)
    now = utcnow()
    _bulk(Enrollment, [{"programme_id": programme.id, "user_id": uid, "queue_number": n + 1,
                        "status": EnrollmentStatus.CONFIRMED, "checkin_code": f"E{uid:09d}",
                        "created_at": now, "updated_at": now}
                       for n, uid in enumerate(people)])
    responses, answers, taken = [], [], []
    for uid in people:
        key = f"0{programme.id:07x}{uid:024x}"  # 0: feedback, 1 and 2: before and after
        responses.append({"id": key, "survey_id": feedback.id, "phase": Phase.ONCE,
                          "submitted": True})
        taken.append({"survey_id": feedback.id, "user_id": uid, "phase": Phase.ONCE,
                      "at": now})
        for question in feedback.questions:
            if question.kind == QuestionKind.RATING:
                answers.append({"response_id": key, "question_id": question.id,
                                "number": rng.randint(question.scale_min, question.scale_max)})
            elif question.kind == QuestionKind.TEXT:
                answers.append({"response_id": key, "question_id": question.id,
                                "text": f"Suggestion {uid}"})
            else:
                answers.append({"response_id": key, "question_id": question.id,
                                "number": rng.randrange(len(question.options))})
        for phase, odds in ((Phase.PRE, 0.4), (Phase.POST, 0.7)):
            key = f"{1 + (phase == Phase.POST)}{programme.id:07x}{uid:024x}"
            right = [rng.random() < odds for _ in check.questions]
            responses.append({"id": key, "survey_id": check.id, "phase": phase,
                              "user_id": uid, "submitted": True,
                              "submitted_on": date(2026, 1, 1), "score": sum(right) / len(right)})
            taken.append({"survey_id": check.id, "user_id": uid, "phase": phase, "at": now})
            answers += [{"response_id": key, "question_id": question.id,
                         "number": question.correct_option if ok else 0}
                        for question, ok in zip(check.questions, right, strict=True)]
    _bulk(SurveyResponse, responses)
    _bulk(Answer, answers)
    _bulk(SurveyParticipation, taken)


def populate(participants: int, others: int) -> tuple[str, str, int]:
    rng = random.Random(19)
    now = utcnow()
    space = DataSpace(slug="latin-america", region=Region.LATIN_AMERICA,
                      name={"en": "Latin America"})
    db.session.add(space)
    db.session.flush()
    node = Node(dataspace_id=space.id, slug="bogota", city={"en": "Bogotá"}, country_code="CO",
                time_zone="America/Bogota")
    db.session.add(node)
    db.session.flush()
    _bulk(Programme, [{
        "slug": f"programme-{n}", "kind": ProgrammeKind.WORKSHOP, "dataspace_id": space.id,
        "node_id": node.id, "title": {"en": f"Programme {n}"}, "summary": {},
        "languages_csv": "en", "delivery_mode": DeliveryMode.IN_PERSON,
        "start_date": date(2025, 1, 6) + timedelta(days=30 * n),
        "end_date": date(2025, 1, 8) + timedelta(days=30 * n), "time_zone": "UTC",
        "capacity": participants, "enrollment_mode": EnrollmentMode.OPEN,
        "min_attendance_percent": 80, "state": ProgrammeState.COMPLETED, "created_at": now,
        "updated_at": now} for n in range(others + 1)])
    programmes = list(db.session.scalars(select(Programme).order_by(Programme.id)))
    first = 0
    for number, programme in enumerate(programmes):
        size = participants if number == 0 else max(participants // 10, 1)
        _answers(programme, _people(size, first, rng), rng)
        first += size
    db.session.commit()
    db.session.execute(text("ANALYZE"))  # as a live database keeps its statistics
    db.session.commit()
    count = db.session.scalar(select(db.func.count()).select_from(Answer).join(
        SurveyResponse).where(SurveyResponse.survey_id.in_(
            select(Survey.id).where(Survey.programme_id == programmes[0].id))))
    return programmes[0].slug, space.slug, count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--others", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with bench_app(args.postgres) as app:
        began = time.perf_counter()
        programme, space, answers = populate(args.participants, args.others)
        loaded = time.perf_counter() - began
        client = app.test_client()
        _admin(client)
        pages = {
            "/healthz": "/healthz",
            "programme results": f"/evaluation/programmes/{programme}/results?lang=en",
            "programme results CSV": f"/evaluation/programmes/{programme}/results.csv?lang=en",
            "Data Space results": f"/evaluation/dataspaces/{space}/results?lang=en",
        }
        results = {}
        for label, url in pages.items():
            assert client.get(url).status_code == 200, url
            results[label] = timed(lambda url=url: client.get(url), args.repeat)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{engine}: one programme of {args.participants} participants ({answers} answers, "
          f"feedback and knowledge check) among {args.others + 1} programmes of one Data "
          f"Space (loaded in {loaded:.0f} s), {args.repeat} requests each")
    base = results["/healthz"]["p95"]
    for label, result in results.items():
        print(f"  {label:24} p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
              f"{result['p95'] / base:6.1f}x /healthz")


if __name__ == "__main__":
    main()
