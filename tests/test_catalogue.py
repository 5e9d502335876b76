"""The public knowledge catalogue: search, filters, paging, and a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import insert

from app.curriculum.models import Level, Module, ModuleStatus, module_topics
from app.extensions import db
from app.timeutil import utcnow
from tests import factories
from tests.querycount import count_queries


@pytest.fixture
def library(app):
    space = factories.dataspace("andes")
    factories.topic("mobile-phone-data")
    factories.topic("privacy-and-ethics")
    factories.module(
        title={
            "en": "Mobile phone data for poverty mapping",
            "es": "Datos de telefonía móvil para mapear la pobreza",
        },
        summary={
            "en": "Call records as a proxy of wealth.",
            "es": "Registros de llamadas como indicador de riqueza.",
        },
        topics=["mobile-phone-data"],
        level=Level.INTERMEDIATE,
        dataspace_id=space.id,
    )
    factories.module(
        title={"en": "Privacy and ethics of big data", "fr": "Vie privée et éthique des données"},
        body={"en": "Anonymization, consent and statistics."},
        topics=["privacy-and-ethics"],
        level=Level.INTRODUCTORY,
    )
    factories.module(
        title={
            "en": "Official statistics with satellite imagery",
            "pt": "Estatísticas oficiais com imagens de satélite",
        },
        level=Level.ADVANCED,
    )
    factories.module(title={"en": "Unpublished draft on statistics"}, publish=False)
    db.session.commit()
    return space


def titles(html: str) -> list[str]:
    import re

    return re.findall(
        r'<h3><a href="/knowledge/modules/[^"]+">(?:<(?:span|bdi)[^>]*>)?([^<]+)', html)


def test_lists_published_modules_only(client, library):
    found = titles(client.get("/knowledge/?lang=en").get_data(as_text=True))
    assert len(found) == 3
    assert not any("draft" in title for title in found)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pobreza", "Datos de telefonía móvil para mapear la pobreza"),
        ("telefonia", "Datos de telefonía móvil para mapear la pobreza"),  # accents do not matter
        ("statist", "Official statistics with satellite imagery"),  # a prefix finds the word
        ("consent", "Privacy and ethics of big data"),  # the body is searched too
    ],
)
def test_search_finds_words_in_any_language(client, library, query, expected):
    found = titles(client.get(f"/knowledge/?q={query}&lang=es").get_data(as_text=True))
    assert expected in found


def test_search_ignores_operators_and_finds_nothing_for_nonsense(client, library):
    html = client.get('/knowledge/?q="OR* NEAR(:-)&lang=en').get_data(as_text=True)
    assert titles(html) == []
    assert client.get("/knowledge/?q=zzzqqq").status_code == 200


def test_search_ranks_the_readers_language_first(client, app):
    factories.module(title={"en": "Statistics in English"})
    factories.module(title={"en": "Statistics", "fr": "Statistiques en français"})
    db.session.commit()
    found = titles(client.get("/knowledge/?q=statisti&lang=fr").get_data(as_text=True))
    assert found[0] == "Statistiques en français"


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("topic=mobile-phone-data", 1),
        ("level=introductory", 1),
        ("language=pt", 1),
        ("language=es", 1),
        ("topic=privacy-and-ethics&q=statistics", 1),
    ],
)
def test_filters(client, library, query, count):
    assert len(titles(client.get(f"/knowledge/?{query}").get_data(as_text=True))) == count


def test_filter_by_data_space(client, library):
    html = client.get(f"/knowledge/?dataspace={library.id}&lang=en").get_data(as_text=True)
    assert titles(html) == ["Mobile phone data for poverty mapping"]


@pytest.mark.parametrize(
    "query", ["topic=astrology", "level=expert", "language=xx", "page=two", "dataspace=abc"]
)
def test_unknown_filters_are_refused_with_400(client, library, query):
    response = client.get(f"/knowledge/?{query}&lang=es")
    assert response.status_code == 400


def test_module_page_says_which_languages_it_is_in(client, library):
    html = client.get("/knowledge/modules/privacy-and-ethics-of-big-data?lang=fr").get_data(
        as_text=True
    )
    assert "Vie privée et éthique des données" in html
    assert "anglais, français" in html


def add_published_modules(count: int) -> None:
    topic = factories.topic(f"topic-{count}")
    rows = [
        {
            "slug": f"bulk-{count}-{n}",
            "title": {"en": f"Bulk module {n}"},
            "summary": {},
            "body": {},
            "learning_outcomes": {},
            "level": Level.INTRODUCTORY,
            "duration_hours": Decimal("2"),
            "licence": "CC-BY-4.0",
            "status": ModuleStatus.PUBLISHED,
            "revision": 1,
            "published_at": utcnow(),
            "created_at": utcnow(),
            "updated_at": utcnow(),
        }
        for n in range(count)
    ]
    db.session.execute(insert(Module), rows)
    ids = db.session.scalars(db.select(Module.id).where(Module.slug.startswith(f"bulk-{count}-")))
    db.session.execute(insert(module_topics), [{"module_id": i, "topic_id": topic.id} for i in ids])
    db.session.commit()


@pytest.mark.parametrize(
    "url", ["/knowledge/", "/knowledge/?level=introductory", "/knowledge/?q=bulk"]
)
def test_catalogue_runs_a_fixed_number_of_queries(client, app, url):
    add_published_modules(10)
    with count_queries(client.application) as small:
        assert client.get(url).status_code == 200
    add_published_modules(1000)
    with count_queries(client.application) as large:
        assert client.get(url).status_code == 200
    assert large.total == small.total


def test_module_page_runs_a_fixed_number_of_queries(client, app):
    first = factories.module(topics=[factories.topic("a").slug])
    db.session.commit()
    with count_queries(client.application) as small:
        client.get(f"/knowledge/modules/{first.slug}")
    add_published_modules(1000)
    with count_queries(client.application) as large:
        client.get(f"/knowledge/modules/{first.slug}")
    assert large.total == small.total
