"""The public catalogue of programmes: filters, drafts hidden, a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import insert

from app.extensions import db
from app.workshops.models import (
    DeliveryMode,
    EnrollmentMode,
    Programme,
    ProgrammeKind,
    ProgrammeState,
)
from tests import factories
from tests.querycount import count_queries

TODAY = date.today()  # noqa: DTZ011 - the catalogue compares with the server's date too


def titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/workshops/[^"]+">(?:<(?:span|bdi)[^>]*>)?([^<]+)', html)


@pytest.fixture
def programmes(app):
    latam = factories.dataspace("latin-america")
    bogota = factories.node(latam, "bogota", country_code="CO", time_zone="America/Bogota")
    africa = factories.dataspace("west-africa")
    dakar = factories.node(africa, "dakar", country_code="SN", time_zone="Africa/Dakar")
    factories.programme(latam, node_=bogota, title={"en": "Bogotá bilingual workshop"},
                        languages=["en", "es"], start=date(2031, 5, 1),
                        state=ProgrammeState.REGISTRATION_OPEN)
    factories.programme(africa, node_=dakar, title={"en": "Dakar seasonal school"},
                        languages=["fr"], kind=ProgrammeKind.SEASONAL_SCHOOL,
                        start=date(2031, 6, 1), state=ProgrammeState.PUBLISHED)
    factories.programme(latam, node_=bogota, title={"en": "Past summer school"},
                        kind=ProgrammeKind.SUMMER_SCHOOL, start=date(2017, 7, 1),
                        state=ProgrammeState.COMPLETED)
    factories.programme(latam, node_=bogota, title={"en": "Secret draft"}, start=date(2031, 1, 1))
    db.session.commit()
    return latam, africa


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["Bogotá bilingual workshop", "Dakar seasonal school"]),
    ("when=past", ["Past summer school"]),
    ("when=all&kind=summer-school", ["Past summer school"]),
    ("country=SN", ["Dakar seasonal school"]),
    ("language=es", ["Bogotá bilingual workshop"]),
    ("language=fr", ["Dakar seasonal school"]),
    ("open=1", ["Bogotá bilingual workshop"]),
    ("kind=seasonal-school", ["Dakar seasonal school"]),
])
def test_filters(client, programmes, query, expected):
    assert titles(client.get(f"/workshops/?{query}&lang=en").get_data(as_text=True)) == expected


def test_filter_by_data_space_and_drafts_never_show(client, programmes):
    latam, _ = programmes
    found = titles(client.get(f"/workshops/?dataspace={latam.id}&when=all").get_data(as_text=True))
    assert "Secret draft" not in found
    assert set(found) == {"Bogotá bilingual workshop", "Past summer school"}


@pytest.mark.parametrize("query", ["kind=retreat", "language=xx", "when=someday", "country=123",
                                   "page=x", "dataspace=abc"])
def test_unknown_filters_are_refused(client, programmes, query):
    assert client.get(f"/workshops/?{query}").status_code == 400


def add_programmes(count: int, space, node) -> None:
    rows = [{"slug": f"bulk-{count}-{n}", "kind": ProgrammeKind.WORKSHOP,
             "dataspace_id": space.id, "node_id": node.id, "title": {"en": f"Bulk {n}"},
             "summary": {}, "languages_csv": "en,es", "delivery_mode": DeliveryMode.IN_PERSON,
             "start_date": date(2031, 1, 1), "end_date": date(2031, 1, 3),
             "time_zone": node.time_zone, "capacity": 20, "enrollment_mode": EnrollmentMode.OPEN,
             "min_attendance_percent": 80, "state": ProgrammeState.PUBLISHED,
             "created_at": factories.utcnow(), "updated_at": factories.utcnow()}
            for n in range(count)]
    db.session.execute(insert(Programme), rows)
    db.session.commit()


@pytest.mark.parametrize("url", ["/workshops/", "/workshops/?language=es&country=CO",
                                 "/workshops/?when=all"])
def test_catalogue_runs_a_fixed_number_of_queries(client, app, url):
    space = factories.dataspace("latin-america")
    node = factories.node(space, "bogota", country_code="CO")
    add_programmes(10, space, node)
    with count_queries(client.application) as small:
        assert client.get(url).status_code == 200
    add_programmes(1000, space, node)
    with count_queries(client.application) as large:
        assert client.get(url).status_code == 200
    assert large.total == small.total


def test_programme_page_runs_a_fixed_number_of_queries(client, app):
    space = factories.dataspace("latin-america")
    node = factories.node(space, "bogota", country_code="CO")
    teacher = factories.user(role=factories.Role.INSTRUCTOR)
    item = factories.programme(space, node_=node, state=ProgrammeState.PUBLISHED, days=10,
                               instructors=[teacher])
    factories.session(item, starts_local=factories.wall(2030, 3, 4, 9), instructors=[teacher])
    db.session.commit()
    with count_queries(client.application) as small:
        client.get(f"/workshops/{item.slug}")
    for day in range(5, 14):
        factories.session(item, starts_local=factories.wall(2030, 3, day, 9), instructors=[teacher])
    add_programmes(1000, space, node)
    with count_queries(client.application) as large:
        client.get(f"/workshops/{item.slug}")
    assert large.total == small.total


def test_the_catalogue_pages_forward_and_back_and_a_page_past_the_end_shows_the_last(client):
    space = factories.dataspace("latin-america")
    node = factories.node(space, "bogota", country_code="CO")
    add_programmes(45, space, node)  # 20 a page: pages of 20, 20 and 5
    first = client.get("/workshops/?when=all&lang=en").get_data(as_text=True)
    assert "Page 1 of 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert len(titles(first)) == 20
    second = client.get("/workshops/?when=all&page=2&lang=en").get_data(as_text=True)
    assert "Page 2 of 3" in second and 'rel="prev"' in second and 'rel="next"' in second
    assert not set(titles(first)) & set(titles(second))
    beyond = client.get("/workshops/?when=all&page=99&lang=en").get_data(as_text=True)
    assert "Page 3 of 3" in beyond and 'rel="next"' not in beyond
    assert len(titles(beyond)) == 5
