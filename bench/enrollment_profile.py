"""Where the time of one enrollment goes: the POST, and the page it redirects to, apart.

    .venv/bin/python -m bench.enrollment_profile [--postgres] [--people 60]

Each person (signed in, profile complete) enrols once in a 30-seat programme through the Flask
test client, under cProfile and with every SQL statement timed. Prints, per request and in
milliseconds, the cost of: loading the session and the user, the CSRF check, the seat
transaction (the enrollment service), the commit, template rendering, Babel, writing the
email, waiting for the SQLite write lock, and the statements (count and time).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import time

from sqlalchemy import event

from app import create_app
from app.extensions import db
from bench._common import bench_app
from bench.enrollment_burst import PASSWORD, populate

#: Row → functions whose cumulative time it adds up (file fragment, function name).
CUMULATIVE = {
    "session and user loading": [("flask/sessions.py", "open_session"),
                                 ("flask_login/utils.py", "_get_user")],
    "CSRF check": [("flask_wtf/csrf.py", "protect")],
    "enrollment service (seat transaction)": [("app/enrollment/seats.py", "enroll")],
    "commit": [("sqlalchemy/orm/session.py", "commit")],
    "template rendering": [("flask/templating.py", "_render")],
    "writing the email (render + queue)": [("app/mail.py", "render_mail"),
                                           ("app/outbox/services.py", "enqueue_notice")],
    "waiting for the SQLite write lock": [("~", "<built-in method fcntl.flock>")],
}
#: Row → modules whose own time (tottime) it adds up.
OWN_TIME = {"Babel and Flask-Babel": ("babel/", "flask_babel/")}


def _csrf(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def _timed_statements(app) -> list[float]:
    """Every statement's duration is appended to the list returned (cleared by the caller)."""
    timings: list[float] = []

    def before(_conn, _cursor, _statement, _params, context, _many):
        context._started = time.perf_counter()

    def after(_conn, _cursor, _statement, _params, context, _many):
        timings.append(time.perf_counter() - context._started)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    return timings


def _table(stats: pstats.Stats, requests: int, wall: float, statements: list[float]) -> dict:
    rows = {}
    for label, functions in CUMULATIVE.items():
        total = 0.0
        for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
            if any(fragment in filename and name == wanted for fragment, wanted in functions):
                total += cumulative
        rows[label] = total / requests * 1000
    for label, modules in OWN_TIME.items():
        rows[label] = sum(own for (filename, _l, _n), (_cc, _nc, own, _ct, _c)
                          in stats.stats.items()
                          if any(module in filename for module in modules)) / requests * 1000
    rows["SQL statements: count"] = len(statements) / requests
    rows["SQL statements: time"] = sum(statements) / requests * 1000
    rows["whole request"] = wall / requests * 1000
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--people", type=int, default=60)
    args = parser.parse_args()
    with bench_app(args.postgres) as app:
        slug = populate(args.people, 30)
        # Requests run in their own app context, as on a server (a second app on the same
        # database): the one pushed here would share ``g`` between clients.
        server = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                             "SECRET_KEY": "bench", "APP_ENV": "testing",
                             "MAIL_BACKEND": "console", "RATELIMIT_ENABLED": False},
                            instance_path=app.instance_path)
        clients = []
        for n in range(args.people):
            client = server.test_client()
            client.post("/sign-in", data={"csrf_token": _csrf(client, "/sign-in"),
                                          "email": f"p{n}@example.org", "password": PASSWORD})
            clients.append([client, _csrf(client, f"/workshops/{slug}/enroll"), None])
        statements = _timed_statements(server)
        results = {}
        for phase in ("POST /workshops/<slug>/enroll", "GET the page it redirects to"):
            statements.clear()
            profiler = cProfile.Profile()
            wall = 0.0
            for person in clients:
                client, token, landing = person
                started = time.perf_counter()
                profiler.enable()
                if landing is None:
                    response = client.post(f"/workshops/{slug}/enroll",
                                           data={"csrf_token": token})
                else:
                    response = client.get(landing)
                profiler.disable()
                wall += time.perf_counter() - started
                assert response.status_code in (200, 302), response.status_code
                person[2] = response.headers.get("Location", landing)
            results[phase] = _table(pstats.Stats(profiler), len(clients), wall, statements)
        database = "PostgreSQL" if args.postgres else "SQLite"
        print(f"One enrollment, per request (ms; statements in number), {database}, "
              f"{args.people} people, one at a time")
        labels = list(next(iter(results.values())))
        print(f"  {'':42} " + " ".join(f"{phase[:24]:>26}" for phase in results))
        for label in labels:
            print(f"  {label:42} " + " ".join(f"{results[phase][label]:26.2f}"
                                             for phase in results))


if __name__ == "__main__":
    main()
