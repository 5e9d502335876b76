"""Arabic: a right-to-left interface, Babel's formats, Arabic content and search, right-to-left
emails, and input that would reorder a page (a right-to-left override in a name)."""

from __future__ import annotations

import pytest
from babel import numbers
from flask_babel import force_locale

from app.auth import services as accounts
from app.extensions import db
from app.templating import format_number
from app.workshops.models import ProgrammeState
from tests import factories

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: reverses everything after it until the paragraph ends


def test_arabic_is_an_interface_language_read_right_to_left(client):
    page = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "فضاءات البيانات" in page  # the menu, translated
    assert "العربية" in client.get("/?lang=en").get_data(as_text=True)  # offered to everyone
    english = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in english


@pytest.mark.parametrize("headers", [
    {"Accept-Language": "ar;q=abc, ,,;;"},
    {"Accept-Language": "x" * 5000},
    {"Accept-Language": "\u202e\u0000ar"},
    {"Accept-Language": "ar-EG,ar;q=0.9"},
])
def test_a_malformed_accept_language_is_never_an_error(client, headers):
    response = client.get("/", headers=headers)
    assert response.status_code == 200
    assert 'dir="' in response.get_data(as_text=True)


@pytest.mark.parametrize("asked", ["xx", "ar%00", "<script>", "a" * 300, "AR", "ar_EG"])
def test_an_unknown_lang_value_shows_a_language_we_have(client, asked):
    response = client.get(f"/dataspaces/?lang={asked}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "<script>" not in html.split("<body", 1)[0]


def test_numbers_follow_babels_locale_data(app):
    with app.test_request_context(), force_locale("ar"):
        assert format_number(1234567.5) == numbers.format_decimal(
            1234567.5, locale="ar", numbering_system="default")
    with app.test_request_context(), force_locale("fr"):
        assert format_number(1234567.5) == "1\u202f234\u202f567,5"


def test_a_right_to_left_override_in_a_title_or_name_reorders_nothing_else(client, app):
    space = factories.dataspace("mena")
    node = factories.node(space, city={"en": "Beirut"}, country_code="LB",
                          time_zone="Asia/Beirut")
    instructor = factories.user(role=factories.Role.INSTRUCTOR,
                                display_name=f"Rami {RLO}evil")
    programme = factories.programme(space, node_=node, title={"en": f"Data {RLO}School"},
                                    state=ProgrammeState.PUBLISHED, instructors=[instructor])
    db.session.commit()
    page = client.get(f"/workshops/{programme.slug}?lang=en").get_data(as_text=True)
    assert f"<bdi>Data {RLO}School</bdi>" in page
    assert f"<bdi>Rami {RLO}evil</bdi>" in page
    body = page.split("<body", 1)[1]  # the window title is the browser's, not the page's
    assert body.count(RLO) == body.count(f"{RLO}School</bdi>") + body.count(f"{RLO}evil</bdi>")


def test_arabic_content_is_shown_with_its_direction_and_the_fallback_note(client):
    module = factories.module(title={"ar": "مقدمة في البيانات الضخمة"},
                              body={"ar": "نص الوحدة."})
    db.session.commit()
    page = client.get(f"/knowledge/modules/{module.slug}?lang=en").get_data(as_text=True)
    assert '<span lang="ar" dir="rtl">مقدمة في البيانات الضخمة</span>' in page
    assert "not yet translated into English; shown in Arabic" in page


@pytest.mark.parametrize("query", [
    "التعلم الآلي",  # as typed, without short vowels
    "التَّعَلُّم",  # with them
    "اساسيات",  # a bare alef where the text has hamza
    "أساسيات",
])
def test_the_catalogue_finds_arabic_with_or_without_diacritics(client, query):
    found = factories.module(title={"ar": "أساسيات التَّعَلُّم الآلي"},
                             body={"ar": "كيف تتعلّم الحواسيب من البيانات."})
    factories.module(title={"ar": "الإحصاءات الرسمية"}, body={"ar": "مسوح الأسر."})
    db.session.commit()
    page = client.get("/knowledge/", query_string={"q": query, "lang": "ar"}).get_data(
        as_text=True)
    assert f"/knowledge/modules/{found.slug}" in page
    assert "الإحصاءات الرسمية" not in page


def test_emails_in_arabic_read_right_to_left(app, mailbox):
    person = factories.user("layla@example.org", preferred_language="ar")
    db.session.commit()
    accounts.request_password_reset(person.email)
    db.session.commit()
    message = mailbox.to("layla@example.org")[-1]
    assert message["Content-Language"] == "ar"
    html = message.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert any("\u0600" <= char <= "\u06ff" for char in message["Subject"])
    text = message.get_body(("plain",)).get_content()
    assert "/password/reset/" in text and "/password/reset/" in html


def test_emails_in_other_languages_stay_plain_text(app, mailbox):
    person = factories.user("lucia@example.org", preferred_language="es")
    db.session.commit()
    accounts.request_password_reset(person.email)
    db.session.commit()
    message = mailbox.to("lucia@example.org")[-1]
    assert message["Content-Language"] == "es"
    assert message.get_content_type() == "text/plain"


def test_an_account_can_choose_arabic(client, sign_in_as, post_form):
    account = sign_in_as()
    response = post_form("/account/language", {"preferred_language": "ar"}, page="/account")
    assert response.status_code == 302
    db.session.refresh(account)
    assert account.preferred_language == "ar"
    assert 'dir="rtl"' in client.get("/account").get_data(as_text=True)
