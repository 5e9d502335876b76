"""The documented way to production: the service files, `flask doctor`, and `make run`'s
preflight, which tells a newcomer's mistakes in one line."""

from __future__ import annotations

import configparser
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app.site import preflight
from tests.support import free_port

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / name).read_text())
    return parser


def command(parser: configparser.ConfigParser, key: str = "ExecStart") -> list[str]:
    return shlex.split(parser["Service"][key])


@pytest.mark.parametrize("name", ["dataspace-training-web.service",
                                  "dataspace-training-scheduler.service"])
def test_service_files_are_complete_systemd_units(name):
    parsed = unit(name)
    assert {"Unit", "Service", "Install"} <= set(parsed.sections())
    assert parsed["Service"]["EnvironmentFile"] == "/etc/dataspace-training/environment"
    assert parsed["Install"]["WantedBy"] == "multi-user.target"
    assert Path(command(parsed)[0]).is_absolute()


def test_the_web_service_runs_gunicorn_with_several_workers_on_the_app_factory(app):
    from gunicorn.config import Config

    words = command(unit("dataspace-training-web.service"))
    assert Path(words[0]).name == "gunicorn"
    options = Config().parser().parse_args(words[1:])  # gunicorn reads them as it would
    assert options.workers >= 2 and options.args == ["app:create_app()"]


def test_the_scheduler_service_runs_the_one_scheduler_command(app):
    words = command(unit("dataspace-training-scheduler.service"))
    assert words[1:] == ["--app", "app", "scheduler", "run"]
    assert "run" in app.cli.get_command(None, "scheduler").commands
    assert "upgrade" in app.cli.get_command(None, "db").commands


def test_the_example_environment_names_only_variables_the_app_reads():
    config = (ROOT / "app" / "config.py").read_text()
    read = set(re.findall(r"(?:environ\.get|_flag)\(\s*\"([A-Z_]+)\"", config))
    example = [line.split("=", 1)[0] for line in
               (DEPLOY / "environment.example").read_text().splitlines()
               if line and not line.startswith("#")]
    assert set(example) <= read, set(example) - read
    assert {"APP_ENV", "SECRET_KEY", "DATABASE_URL", "PUBLIC_URL", "RATELIMIT_STORAGE_URI",
            "CERTIFICATE_SIGNING_KEY"} <= set(example)


# --- flask doctor ---------------------------------------------------------------------------


def test_doctor_reports_a_healthy_deployment(app, runner, smtp_server):
    app.config.update(MAIL_BACKEND="smtp")
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 0, result.output
    assert "ok    database" in result.output and "ok    SMTP server" in result.output
    assert "ok    database schema" in result.output


def test_doctor_names_what_is_missing_and_fails(app, runner):
    app.config.update(MAIL_BACKEND="smtp", MAIL_PORT=free_port(), APP_ENV="production",
                             CERTIFICATE_SIGNING_KEY=None)
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 1, result.output
    assert "FAIL  SMTP server" in result.output
    assert "FAIL  certificate signing key: not set" in result.output
    assert "warn  rate-limit storage: in memory" in result.output
    assert "Traceback" not in result.output


# --- make run's preflight -------------------------------------------------------------------


def test_a_busy_port_is_told_in_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "app.site.preflight", "--port", str(port)],
                                cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Cannot start: port {port} on 127.0.0.1 is in use by another program; stop it, or "
        f"run on another port: make run PORT={port + 1}")


def test_an_unreachable_database_is_told_in_one_line():
    url = f"postgresql://nobody:secret@127.0.0.1:{free_port()}/training"
    result = subprocess.run([sys.executable, "-m", "app.site.preflight", "--port",
                             str(free_port())], cwd=ROOT, capture_output=True, text=True,
                            env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Cannot start: the database at 127.0.0.1:")
    assert "check DATABASE_URL" in line and "secret" not in line


def test_an_instance_folder_that_cannot_be_written_is_told(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # a file where the folder should be: as good as read-only, as root
    problem = preflight.instance_problem(blocker / "instance")
    assert problem.startswith(f"the instance folder {blocker / 'instance'} cannot be written")
    assert preflight.instance_problem(tmp_path / "instance") is None
