"""Accounts: sign-up with email verification, sign-in, password reset, settings, security."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.auth import services
from app.auth.models import Role, User
from app.extensions import db
from app.timeutil import frozen_time, utcnow
from tests import factories

STRONG = "maple river lantern 42"


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_up(post_form, email="ana@example.org", password=STRONG, language="es", **extra):
    return post_form(
        "/sign-up",
        {
            "display_name": "Ana Gómez",
            "email": email,
            "password": password,
            "confirm": password,
            "preferred_language": language,
            **extra,
        },
    )


def test_sign_up_sends_a_verification_link_in_the_chosen_language(app, client, post_form, mailbox):
    response = sign_up(post_form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-up/check-email")
    user = services.find_user("ana@example.org")
    assert user.email_verified_at is None
    assert user.has_role(Role.PARTICIPANT)
    [message] = mailbox.to("ana@example.org")
    assert message["Subject"] == "Confirma tu dirección de correo electrónico"
    link = mailbox.last_link("ana@example.org")

    assert client.get(path_of(link)).status_code == 302
    db.session.refresh(user)
    assert user.email_verified_at is not None

    reused = client.get(path_of(link) + "&lang=en" if "?" in link else path_of(link) + "?lang=en")
    assert reused.status_code == 400
    assert "already been used" in reused.get_data(as_text=True)


def test_verification_link_expires_after_48_hours(app, client, post_form, mailbox):
    sign_up(post_form)
    link = path_of(mailbox.last_link("ana@example.org"))
    with frozen_time(utcnow() + timedelta(hours=49)):
        response = client.get(link + "?lang=fr")
    assert response.status_code == 400
    assert "expiré" in response.get_data(as_text=True)
    assert services.find_user("ana@example.org").email_verified_at is None


def test_a_tampered_link_is_refused(app, client, post_form, mailbox):
    sign_up(post_form)
    link = path_of(mailbox.last_link("ana@example.org"))
    response = client.get(link[:-3] + "xyz")
    assert response.status_code == 400
    assert services.find_user("ana@example.org").email_verified_at is None


def test_sign_up_with_a_known_email_reveals_nothing(app, client, post_form, mailbox):
    factories.user("ana@example.org")
    before = count_users()
    response = sign_up(post_form, language="en")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-up/check-email")
    assert count_users() == before
    assert mailbox.to("ana@example.org")[0]["Subject"] == "You already have an account"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-email"}, "Introduce una dirección de correo electrónico válida"),
        ({"confirm": "something else entirely"}, "Las dos contraseñas no coinciden"),
        ({"password": "short", "confirm": "short"}, "al menos 10 caracteres"),
        ({"password": "password123", "confirm": "password123"}, "demasiado fácil de adivinar"),
        ({"password": "qwertyuiop", "confirm": "qwertyuiop"}, "demasiado fácil de adivinar"),
        ({"display_name": ""}, "obligatorio"),
    ],
)
def test_bad_sign_up_is_refused_in_the_page_language_and_creates_nothing(
    app, client, post_form, mailbox, fields, message
):
    data = {
        "display_name": "Ana",
        "email": "ana@example.org",
        "password": STRONG,
        "confirm": STRONG,
        "preferred_language": "es",
        **fields,
    }
    response = post_form("/sign-up?lang=es", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count_users() == 0
    assert mailbox.messages == []


def test_sign_in_does_not_tell_unknown_emails_from_wrong_passwords(app, client, post_form):
    factories.user("ana@example.org")
    wrong_password = post_form(
        "/sign-in", {"email": "ana@example.org", "password": "nope nope nope"}
    )
    unknown = post_form("/sign-in", {"email": "nobody@example.org", "password": "nope nope nope"})
    assert wrong_password.status_code == unknown.status_code == 422
    assert "The email or password is not correct." in wrong_password.get_data(as_text=True)
    assert "The email or password is not correct." in unknown.get_data(as_text=True)


def test_sign_in_and_out(app, client, post_form):
    factories.user("ana@example.org")
    response = post_form(
        "/sign-in?next=/dataspaces/", {"email": "Ana@Example.org ", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dataspaces/"
    assert "ana@example.org" in client.get("/account").get_data(as_text=True)
    post_form("/sign-out", {}, page="/account")
    assert client.get("/account").status_code == 302


def test_sign_in_never_redirects_to_another_site(app, client, post_form):
    factories.user("ana@example.org")
    response = post_form(
        "/sign-in?next=https://evil.example/",
        {"email": "ana@example.org", "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/account"


def test_sign_in_is_rate_limited_per_account_across_addresses(app, client, post_form):
    factories.user("ana@example.org")
    for attempt in range(5):
        response = post_form(
            "/sign-in",
            {"email": "ana@example.org", "password": "wrong wrong"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"},
        )
        assert response.status_code == 422
    blocked = post_form(
        "/sign-in?lang=pt",
        {"email": "ana@example.org", "password": factories.PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.99"},
    )
    assert blocked.status_code == 429
    assert "Tentativas demais" in blocked.get_data(as_text=True)


def test_sign_in_is_rate_limited_per_address(app, client, post_form):
    for attempt in range(30):
        post_form("/sign-in", {"email": f"user{attempt}@example.org", "password": "wrong wrong"})
    blocked = post_form("/sign-in", {"email": "someone@example.org", "password": "wrong wrong"})
    assert blocked.status_code == 429


def test_password_reset_by_email_works_once(app, client, post_form, mailbox):
    user = factories.user("ana@example.org", preferred_language="fr")
    response = post_form("/password/forgot", {"email": "ana@example.org"})
    assert response.status_code == 200
    message = mailbox.to("ana@example.org")[-1]
    assert message["Subject"] == "Choisissez un nouveau mot de passe"
    link = path_of(mailbox.last_link("ana@example.org"))
    new = "a brand new passphrase"
    assert post_form(link, {"password": new, "confirm": new}).status_code == 302
    assert services.authenticate("ana@example.org", new).id == user.id
    assert services.authenticate("ana@example.org", factories.PASSWORD) is None
    assert client.get(link).status_code == 400


def test_password_reset_for_an_unknown_email_looks_the_same(app, client, post_form, mailbox):
    factories.user("ana@example.org")
    known = post_form("/password/forgot", {"email": "ana@example.org"}).get_data(as_text=True)
    unknown = post_form("/password/forgot", {"email": "zed@example.org"}).get_data(as_text=True)
    strip = lambda html: html.split('name="csrf_token"')[0]  # noqa: E731
    assert strip(known) == strip(unknown)
    assert len(mailbox.to("ana@example.org")) == 1
    assert len(mailbox.messages) == 1, "nothing for the unknown address"


def test_password_reset_link_expires_after_an_hour(app, client, post_form, mailbox):
    factories.user("ana@example.org")
    post_form("/password/forgot", {"email": "ana@example.org"})
    link = path_of(mailbox.last_link("ana@example.org"))
    with frozen_time(utcnow() + timedelta(minutes=61)):
        assert client.get(link).status_code == 400


def test_change_password_needs_the_current_one(app, client, post_form):
    user = factories.user("ana@example.org")
    factories.sign_in(client, user)
    new = "completely different words"
    wrong = post_form(
        "/account/password",
        {"current_password": "not mine at all", "password": new, "confirm": new},
        page="/account",
    )
    assert wrong.status_code == 422
    assert services.authenticate("ana@example.org", new) is None
    right = post_form(
        "/account/password",
        {"current_password": factories.PASSWORD, "password": new, "confirm": new},
        page="/account",
    )
    assert right.status_code == 302
    assert services.authenticate("ana@example.org", new) is not None


def test_preferred_language_drives_the_interface(app, client, post_form):
    user = factories.user("ana@example.org")
    factories.sign_in(client, user)
    post_form("/account/language", {"preferred_language": "pt"}, page="/account")
    db.session.refresh(user)
    assert user.preferred_language == "pt"
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="pt"' in html


def test_signing_in_switches_to_the_accounts_language(app, client, post_form):
    factories.user("ana@example.org", preferred_language="fr")
    client.get("/?lang=es")
    post_form("/sign-in", {"email": "ana@example.org", "password": factories.PASSWORD})
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)


def test_unverified_accounts_are_asked_to_verify_before_staff_pages(app, client):
    user = factories.user("ana@example.org", verified=False, role=Role.ADMIN)
    factories.sign_in(client, user)
    response = client.get("/institutions/")
    assert response.status_code == 302
    assert "/verify-email" in response.headers["Location"]


def test_session_cookie_is_httponly_and_samesite(app, client, post_form):
    factories.user("ana@example.org")
    response = post_form("/sign-in", {"email": "ana@example.org", "password": factories.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_cookies_are_secure(production_env, tmp_path):
    from app import create_app

    app = create_app({"APP_ENV": "production"}, instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


# --- a session ends on the server, wherever its cookie was copied ---------------------------


@pytest.fixture
def copied_session(app, server, client, post_form):
    """Ana signs in through the page; a second browser holds a copy of her session cookie."""
    user = factories.user("ana@example.org", role=Role.ADMIN)
    post_form("/sign-in", {"email": "ana@example.org", "password": factories.PASSWORD})
    thief = server.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/me/data.json").status_code == 200
    return user, thief


def _signed_out(browser) -> bool:
    response = browser.get("/me/data.json")
    return response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_signing_out_ends_the_session_for_a_copied_cookie(app, client, post_form,
                                                          copied_session):
    _user, thief = copied_session
    post_form("/sign-out", {}, page="/account")
    assert _signed_out(thief) and _signed_out(client)


def test_a_password_reset_ends_every_session(app, client, post_form, mailbox, copied_session):
    _user, thief = copied_session
    post_form("/password/forgot", {"email": "ana@example.org"})
    link = path_of(mailbox.last_link("ana@example.org"))
    assert post_form(link, {"password": STRONG, "confirm": STRONG}).status_code == 302
    assert _signed_out(thief) and _signed_out(client)


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app, client, post_form,
                                                                  copied_session):
    user, _thief = copied_session
    other = factories.user("bo@example.org")
    elsewhere = client.application.test_client()
    factories.sign_in(elsewhere, user)  # another browser of Ana's
    factories.sign_in(client.application.test_client(), other)
    response = post_form("/account/password", {"current_password": factories.PASSWORD,
                                               "password": STRONG, "confirm": STRONG},
                         page="/account")
    assert response.status_code == 302
    assert _signed_out(elsewhere)
    assert client.get("/me/data.json").status_code == 200, "the browser that changed it"
    assert len(services.sign_ins_of(other)) == 1, "nobody else's"


def test_sign_out_everywhere_from_the_account_page(app, client, post_form, copied_session):
    _user, thief = copied_session
    page = client.get("/account").get_data(as_text=True)
    assert "(this browser)" in page and "Sign out everywhere" in page
    response = post_form("/account/sign-out-everywhere", {}, page="/account")
    assert response.status_code == 302
    assert _signed_out(thief) and _signed_out(client)


def test_removing_a_role_ends_that_persons_sessions(app, client, copied_session):
    user, thief = copied_session
    admin = factories.user("root@example.org", role=Role.ADMIN)
    services.revoke_role(user, user.grants[0].id, actor=admin)
    db.session.commit()
    assert _signed_out(client) and _signed_out(thief)


def test_guessing_the_password_through_the_account_pages_is_rate_limited(app, client,
                                                                         post_form):
    user = factories.user("ana@example.org")
    factories.sign_in(client, user)
    for attempt in range(3):
        wrong = post_form("/account/password", {"current_password": f"guess {attempt}",
                                                "password": STRONG, "confirm": STRONG},
                          page="/account")
        assert wrong.status_code == 422
    for attempt in range(2):  # the delete page shares the same count
        assert post_form("/me/delete", {"password": f"guess {attempt}", "confirm": "y"}
                         ).status_code == 422
    blocked = post_form("/account/password?lang=es", {
        "current_password": factories.PASSWORD, "password": STRONG, "confirm": STRONG},
        page="/account")
    assert blocked.status_code == 429
    assert "Demasiados intentos" in blocked.get_data(as_text=True)
    assert services.authenticate("ana@example.org", STRONG) is None
    other = factories.user("bo@example.org")
    factories.sign_in(client, other)
    assert post_form("/account/password", {"current_password": "nope", "password": STRONG,
                                           "confirm": STRONG}, page="/account"
                     ).status_code == 422, "another account has its own count"
