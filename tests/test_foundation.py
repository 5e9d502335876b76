"""App factory, configuration, health check, security headers and interface languages."""

from __future__ import annotations

import re
import stat

import pytest

from app import create_app
from app.config import ConfigurationError
from tests import factories


@pytest.mark.parametrize(("variable", "message"), [
    ("SECRET_KEY", "SECRET_KEY"), ("PUBLIC_URL", "PUBLIC_URL"),
    ("CERTIFICATE_SIGNING_KEY", "CERTIFICATE_SIGNING_KEY"),
])
def test_production_refuses_to_start_without_its_secrets(production_env, tmp_path, variable,
                                                         message):
    production_env.delenv(variable)
    with pytest.raises(ConfigurationError, match=message):
        create_app({"APP_ENV": "production"}, instance_path=str(tmp_path))


def test_emails_sent_outside_a_request_link_to_the_public_address(app):
    from app.urls import external_url

    assert external_url("workshops.programme", slug="x") == "http://training.test/workshops/x"


def test_production_takes_its_settings_from_the_environment(production_env, tmp_path):
    monkeypatch = production_env
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.internal/training")
    monkeypatch.setenv("MAIL_SERVER", "smtp.internal")
    monkeypatch.setenv("DEFAULT_LOCALE", "es")
    app = create_app({"APP_ENV": "production"}, instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.internal/training"
    )
    assert app.config["MAIL_SERVER"] == "smtp.internal"
    assert app.config["MAIL_BACKEND"] == "smtp"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "es"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_development_generates_a_secret_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"APP_ENV": "development"}, instance_path=str(tmp_path))
    second = create_app({"APP_ENV": "development"}, instance_path=str(tmp_path))
    key_file = tmp_path / "secret_key"
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_default_database_is_sqlite_under_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"APP_ENV": "development"}, instance_path=str(tmp_path))
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/dataspace-training.sqlite"
    )


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    from sqlalchemy import text

    from app.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas are only meaningful on SQLite")
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_health_check_reports_a_working_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_check_answers_503_with_the_reason_when_the_database_is_down(tmp_path):
    broken = create_app(
        {
            "APP_ENV": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing-dir/nothing.sqlite",
        },
        instance_path=str(tmp_path),
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["database"] == "OperationalError"


def test_pages_carry_security_headers(client):
    response = client.get("/dataspaces/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/dataspaces/").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html
    assert " style=" not in html


@pytest.mark.parametrize(
    ("language", "sign_in", "heading"),
    [
        ("en", "Sign in", "Skip to content"),
        ("es", "Iniciar sesión", "Ir al contenido"),
        ("fr", "Se connecter", "Aller au contenu"),
        ("pt", "Entrar", "Pular para o conteúdo"),
    ],
)
def test_every_page_speaks_the_chosen_language(client, language, sign_in, heading):
    html = client.get(f"/?lang={language}").get_data(as_text=True)
    assert f'<html lang="{language}" dir="ltr">' in html
    assert sign_in in html
    assert heading in html


def test_chosen_language_is_remembered(client):
    client.get("/?lang=fr")
    html = client.get("/dataspaces/").get_data(as_text=True)
    assert '<html lang="fr"' in html


def test_browser_language_is_used_when_nothing_was_chosen(client):
    html = client.get("/", headers={"Accept-Language": "pt-BR,pt;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="pt"' in html


def test_unsupported_language_falls_back_to_english(client):
    html = client.get("/?lang=xx", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en"' in html


def test_signed_in_users_preference_applies_when_nothing_was_chosen(app, client):
    factories.sign_in(client, factories.user(preferred_language="es"))
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="es"' in html


def test_language_switcher_keeps_the_page(client, app):
    factories.dataspace("andes")
    html = client.get("/dataspaces/andes?lang=en").get_data(as_text=True)
    assert 'href="/dataspaces/andes?lang=es"' in html
    assert 'hreflang="pt"' in html


def test_dates_are_formatted_for_the_reader(app, client):
    from datetime import UTC, datetime

    factories.dataspace("andes", updated_at=datetime(2026, 3, 5, 12, 0, tzinfo=UTC))
    from app.extensions import db

    db.session.commit()
    assert "5 mar 2026" in client.get("/dataspaces/andes?lang=es").get_data(as_text=True)
    assert "Mar 5, 2026" in client.get("/dataspaces/andes?lang=en").get_data(as_text=True)
    assert "5 mars 2026" in client.get("/dataspaces/andes?lang=fr").get_data(as_text=True)


def test_only_jobs_commands_and_views_commit():
    """Services flush; the request, the command or the job commits once at its boundary."""
    from pathlib import Path

    app_dir = Path(__file__).resolve().parent.parent / "app"
    allowed = {"views.py", "cli.py", "jobs.py"}
    committing = sorted(str(path.relative_to(app_dir)) for path in app_dir.rglob("*.py")
                        if path.name not in allowed and "session.commit()" in path.read_text())
    assert committing == [], committing


def _make_in_a_process(path, results):
    import os

    from app.config import made_once

    results.put(made_once(path, lambda: os.urandom(4096)))


def test_an_instance_file_made_by_processes_at_once_is_one_whole_file(tmp_path):
    """The web server, the scheduler and certificate renderers start together: they must all
    read the same key, and never a half-written one."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    path = tmp_path / "instance" / "certificate-signing-key.pem"
    processes = [context.Process(target=_make_in_a_process, args=(path, results))
                 for _ in range(8)]
    for process in processes:
        process.start()
    contents = [results.get(timeout=30) for _ in processes]
    for process in processes:
        process.join()
    assert len(set(contents)) == 1 and len(contents[0]) == 4096
    assert path.read_bytes() == contents[0]
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no draft left behind"
