"""The translation catalogs are complete and up to date with the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.i18n import UI_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = [code for code in UI_LANGUAGES if code != "en"]  # every interface language
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Extract the strings from the code as they are now."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return read_po(handle)


def _catalog(language: str):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _catalog_plurals(language: str) -> int:
    """How many plural forms the language has (Arabic six, the others two)."""
    return _catalog(language).num_plurals


def _ids(catalog) -> set:
    return {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalog
        if message.id
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_every_string_of_the_code(template, language):
    missing = _ids(template) - _ids(_catalog(language))
    assert not missing, f"run `make translations` and translate: {sorted(missing)[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_no_stale_strings(template, language):
    stale = _ids(_catalog(language)) - _ids(template)
    assert not stale, (
        f"run `make translations` to drop strings the code no longer uses: {sorted(stale)[:10]}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(language):
    problems = []
    for message in _catalog(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        plural_forms = _catalog_plurals(language) if isinstance(message.id, tuple) else 1
        if message.fuzzy or not all(strings) or len(strings) != plural_forms:
            problems.append(message.id)
    assert not problems, f"{language}: untranslated or fuzzy: {problems[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    for message in _catalog(language):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= set(PLACEHOLDER.findall(str(message.id))), (
                language,
                source,
                string,
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_are_not_copies_of_the_english(language):
    copies = [
        m.id
        for m in _catalog(language)
        if isinstance(m.id, str) and m.id and m.string == m.id and len(m.id) > 12
    ]
    assert len(copies) <= 2, f"{language}: copied rather than translated: {copies}"
