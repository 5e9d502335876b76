"""The hostile requests of the bad-input report, each answered by the one mechanism that now
refuses it (``app/guards.py``, ``app/templating.this_page``, ``app/forms``), and the 500 page.

The fuzzer (``test_fuzz.py``) covers every route; these pin the reported cases down by name.
"""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.dataspaces.models import Institution
from app.extensions import db
from app.guards import MAX_NUMBER
from tests import factories
from tests.support import csrf_token_from
from tests.world import concrete

TOO_LARGE = "99999999999999999999"

NUMBERED_PAGES = [
    "/admin/users/<n>",
    "/attendance/sessions/<n>",
    "/attendance/sessions/<n>/check-in",
    "/attendance/sessions/<n>/sign-in-sheet.pdf",
    "/knowledge/materials/<n>/download",
    "/me/enrollments/<n>/check-in.svg",
    "/institutions/<n>/edit",
    "/dataspaces/<slug>/nodes/<n>/edit",
]


@pytest.mark.parametrize("number", [TOO_LARGE, str(MAX_NUMBER + 1)])
@pytest.mark.parametrize("pattern", NUMBERED_PAGES)
def test_a_number_larger_than_the_database_holds_is_a_404(client, world, pattern, number):
    actors, values = world
    factories.sign_in(client, actors["admin"])
    response = client.get(concrete(pattern, values).replace("<n>", number))
    assert response.status_code == 404


def test_the_largest_number_the_database_holds_is_looked_up(client, world):
    actors, _values = world
    factories.sign_in(client, actors["admin"])
    assert client.get(f"/admin/users/{MAX_NUMBER}").status_code == 404  # looked up, not found


@pytest.mark.parametrize("query", ["endpoint=x", "_method=POST", "_external=1", "_anchor=top",
                                   "slug=other", "lang=xx&lang=es"])
@pytest.mark.parametrize("path", ["/", "/workshops/", "/knowledge/", "/dataspaces/"])
def test_query_parameters_named_like_url_for_arguments_are_kept_not_obeyed(client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert f'href="{path}?' in response.get_data(as_text=True)  # the switcher's links


def test_the_language_switcher_keeps_the_page_and_its_filters(client):
    page = client.get("/workshops/?country=CO&endpoint=x").get_data(as_text=True)
    assert 'href="/workshops/?country=CO&amp;endpoint=x&amp;lang=es"' in page


def _institutions() -> int:
    return db.session.scalar(select(func.count()).select_from(Institution))


@pytest.mark.parametrize("body", [
    {"name-en": {"nested": 1}, "kind": "university"},
    {"name-en": 12, "kind": True},
    {"name-en": ["a", "b"], "kind": None},
])
def test_a_form_sent_as_json_is_refused_before_the_form_reads_it(client, world, body):
    actors, _values = world
    factories.sign_in(client, actors["admin"])
    token = csrf_token_from(client.get("/institutions/new").get_data(as_text=True))
    response = client.post("/institutions/new?lang=es", data=json.dumps(body),
                           headers={"X-CSRFToken": token}, content_type="application/json")
    assert response.status_code == 415
    assert "formulario" in response.get_data(as_text=True)  # the message, in Spanish
    assert _institutions() == 1  # the world's one, nothing more


def test_a_multipart_field_without_a_name_is_refused(client, world):
    actors, _values = world
    factories.sign_in(client, actors["admin"])
    token = csrf_token_from(client.get("/institutions/new").get_data(as_text=True))
    body = (
        "--b\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + token + "\r\n"
        "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n"
    )
    response = client.post("/institutions/new", data=body,
                           content_type="multipart/form-data; boundary=b")
    assert response.status_code == 400
    assert _institutions() == 1


@pytest.mark.parametrize("value", ["²", "١٢", TOO_LARGE, "-1"])
def test_an_id_in_a_form_that_is_no_number_of_ours_is_refused(client, world, value):
    actors, values = world
    factories.sign_in(client, actors["coordinator"])
    slug = values["slugs"]["/workshops/"]
    token = csrf_token_from(client.get(f"/workshops/{slug}/roster").get_data(as_text=True))
    decided = client.post(f"/workshops/{slug}/decisions",
                          data={"csrf_token": token, "decision": "reject", "enrollment": value})
    overridden = client.post(f"/certificates/programmes/{slug}/override",
                             data={"csrf_token": token, "enrollment": value, "reason": "x"})
    assert decided.status_code == 400
    assert overridden.status_code == 404


@pytest.fixture
def failing_server(server):
    """The server with one route that fails, added before its first request."""

    def broken():
        raise RuntimeError("secret detail: /srv/app/config.py line 12")

    server.add_url_rule("/broken-for-test", "broken_for_test", broken)
    return server


def test_a_server_error_is_translated_leaks_nothing_and_is_logged_once_with_its_reference(
        failing_server, client, caplog):
    with caplog.at_level(logging.ERROR, logger=failing_server.logger.name):
        response = client.get("/broken-for-test?lang=fr")
    page = response.get_data(as_text=True)
    reference = response.headers["X-Request-ID"]
    assert response.status_code == 500
    assert "Un problème est survenu de notre côté" in page
    assert reference in page
    assert "secret detail" not in page and "Traceback" not in page
    logged = [record for record in caplog.records if reference in record.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info[0] is RuntimeError


def test_a_server_error_answers_json_with_its_reference(failing_server, client):
    response = client.get("/broken-for-test", headers={"Accept": "application/json",
                                                       "X-Request-ID": "proxy-given-0001"})
    assert response.status_code == 500
    assert response.get_json()["request_id"] == "proxy-given-0001"
    assert "secret" not in response.get_data(as_text=True)


def test_a_refused_request_shows_no_reference(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert 'class="request-id"' not in response.get_data(as_text=True)


def test_staff_forms_still_accept_what_browsers_send(client, world):
    """The guard lets both form encodings through (urlencoded and multipart)."""
    _actors, _values = world
    factories.sign_in(client, factories.user(role=Role.ADMIN))
    token = csrf_token_from(client.get("/institutions/new").get_data(as_text=True))
    fields = {"csrf_token": token, "name-en": "A university in Kigali", "kind": "university",
              "country_code": "RW"}
    assert client.post("/institutions/new", data=fields).status_code == 302
    fields["name-en"] = "A statistics office in Dakar"
    assert client.post("/institutions/new", data=fields,
                       content_type="multipart/form-data").status_code == 302
    assert _institutions() == 3


def test_a_refused_change_is_answered_one_way_with_a_way_back(client, world):
    """Every refusal a service raises goes through the one DomainError handler: its status,
    its translated message, a link back, and nothing written."""
    from tests.world import table_digests

    actors, values = world
    factories.sign_in(client, actors["coordinator"])
    page = f"/workshops/{values['slugs']['/workshops/']}"
    token = csrf_token_from(client.get(f"{page}/edit").get_data(as_text=True))
    before = table_digests()
    response = client.post(f"{page}/transition?lang=fr", data={"csrf_token": token,
                                                              "to": "completed"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "ne peut pas passer" in html  # "cannot go from … to …", in French
    assert f'href="{page}">' in html  # the way back to the programme
    assert table_digests() == before
    module = f"/knowledge/modules/{values['slugs']['/knowledge/modules/']}"
    again = client.post(f"{module}/publish", data={"csrf_token": token},
                        headers={"Referer": f"http://localhost{module}"})  # already published
    assert again.status_code == 409
    assert f'href="{module}">' in again.get_data(as_text=True), "back where they came from"
