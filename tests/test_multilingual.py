"""Multilingual text: storage, fallback chain, forms and the missing-translation note."""

from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.dataspaces.forms import DataSpaceForm
from app.dataspaces.models import DataSpace
from app.extensions import db
from app.multilingual import MultilingualText, fallback_chain
from tests import factories


def test_resolves_requested_language_then_english_then_any():
    text = MultilingualText({"es": "Hola", "en": "Hello", "fr": "Bonjour"})
    assert text.get_text("es") == "Hola"
    assert text.get_text("pt") == "Hello"
    only_french = MultilingualText({"fr": "Bonjour"})
    assert only_french.resolve("es").text == "Bonjour"
    assert only_french.resolve("es").language == "fr"
    assert only_french.resolve("es").is_fallback


def test_regional_locale_falls_back_to_its_language():
    assert fallback_chain("pt_BR")[:3] == ["pt_BR", "pt", "en"]
    assert MultilingualText({"pt": "Olá", "en": "Hi"}).get_text("pt_BR") == "Olá"


def test_blank_values_are_not_translations():
    text = MultilingualText({"en": "Name", "es": "   ", "fr": ""})
    assert text.languages == ["en"]
    assert text.resolve("es").is_fallback


def test_arabic_fallback_is_marked_right_to_left():
    assert MultilingualText({"ar": "بيروت"}).resolve("en").direction == "rtl"


def test_round_trips_through_the_database(app):
    space = factories.dataspace(name={"en": "Data Space", "es": "Espacio", "ar": "فضاء"})
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(select(DataSpace).where(DataSpace.id == space.id))
    assert stored.name == {"en": "Data Space", "es": "Espacio", "ar": "فضاء"}
    assert stored.name.languages == ["en", "es", "ar"]


def test_form_reads_each_language_from_its_own_input(app):
    with app.test_request_context(method="POST"):
        form = DataSpaceForm(
            formdata=MultiDict(
                {"name-en": "Data Space Andes", "name-es": "Espacio Andes", "name-fr": ""}
            ),
            meta={"csrf": False},
        )
        assert form.name.data == {"en": "Data Space Andes", "es": "Espacio Andes"}


def test_edit_page_shows_the_languages_side_by_side(app, client):
    admin = factories.user(role=factories.Role.ADMIN)
    factories.dataspace("andes", name={"en": "Andes", "es": "Andes (es)"})
    factories.sign_in(client, admin)
    html = client.get("/dataspaces/andes/edit").get_data(as_text=True)
    for lang in ("en", "es", "fr", "pt", "ar"):
        assert f'name="name-{lang}"' in html
    assert 'value="Andes (es)"' in html
    assert re.search(r'name="name-ar" lang="ar"\s+dir="rtl"', html), "Arabic is typed right to left"
    assert 'dir="rtl"' in html


def test_page_says_when_a_translation_is_missing(app, client):
    factories.dataspace("only-english", name={"en": "Only English"})
    html = client.get("/dataspaces/only-english?lang=fr").get_data(as_text=True)
    assert '<span lang="en" dir="ltr">Only English</span>' in html
    assert "pas encore traduit" in html
    html = client.get("/dataspaces/only-english?lang=en").get_data(as_text=True)
    assert "not yet translated" not in html
