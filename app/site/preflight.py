"""Before ``make run`` starts anything: the mistakes a newcomer meets, each told in one line
with what to do, never a traceback.

    python -m app.site.preflight [--port 5000]

Checks that the instance folder can be written (the development secret key, the SQLite
database and the signing key live there), that the database answers, and that the port is free.
Exits 1 after printing the problems; ``flask --app app doctor`` checks a whole deployment.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
import tempfile
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from app.config import database_url


def instance_problem(instance: Path) -> str | None:
    try:
        instance.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=instance):
            pass
    except OSError as error:
        return (f"the instance folder {instance} cannot be written ({error.strerror}); "
                f"make it writable (chmod u+w {instance}) or run from a copy you own.")
    return None


def database_problem(url: str) -> str | None:
    if url.startswith("sqlite:"):
        return None  # a file in the instance folder, checked above
    safe = url.split("@")[-1]  # never print a password
    engine = create_engine(database_url(url), connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0][:160]
        return (f"the database at {safe} does not answer ({reason}); check DATABASE_URL, or "
                f"unset it to use SQLite.")
    finally:
        engine.dispose()
    return None


def port_problem(host: str, port: int) -> str | None:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (f"port {port} on {host} is in use by another program; stop it, or "
                        f"run on another port: make run PORT={port + 1}")
            return f"port {port} on {host} cannot be used ({error.strerror})."
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    instance = Path(Flask("app").instance_path)
    problems = [instance_problem(instance)]
    if problems[0] is None and os.environ.get("DATABASE_URL"):
        problems.append(database_problem(os.environ["DATABASE_URL"]))
    problems.append(port_problem(args.host, args.port))
    for problem in filter(None, problems):
        print(f"Cannot start: {problem}", file=sys.stderr)
    return 1 if any(problems) else 0


if __name__ == "__main__":
    sys.exit(main())
