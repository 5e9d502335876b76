"""Who may open what: every route of the app, for every kind of actor (the table is in
``tests/access.py``); a test fails when a route of the app is missing from it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests import factories
from tests.access import ACTORS, MATRIX, SESSION_ENDERS
from tests.support import csrf_token_from
from tests.world import concrete


def outcome(response) -> str:
    location = urlsplit(response.headers.get("Location", ""))
    if response.status_code == 302 and location.path == "/sign-in":
        return "login"
    if response.status_code == 302 and location.path == "/verify-email" and location.query:
        return "verify"
    if response.status_code in (200, 302):
        return "ok"
    if response.status_code == 422:
        return "form"
    if response.status_code == 409:
        return "rule"
    return str(response.status_code)


@pytest.mark.parametrize("actor", ACTORS)
def test_access_matrix(app, client, world, actor):
    actors, values = world
    if actors[actor] is not None:
        factories.sign_in(client, actors[actor])
    token_page = client.get("/sign-up").get_data(as_text=True)
    token = csrf_token_from(token_page)
    wrong = []
    for method, pattern, outcomes, *data in MATRIX:
        if pattern in SESSION_ENDERS:
            continue  # would end the session the rest of the walk needs; tested in accounts
        url = concrete(pattern, values)
        secret = values["api_tokens"].get(actor)
        headers = {"Authorization": f"Bearer {secret}"} if secret and "/api/" in url else {}
        if method == "GET":
            response = client.get(url, headers=headers)
        elif method == "PATCH":
            response = client.patch(url, json={"status": "cancelled"}, headers=headers)
        else:
            extra = data[0] if data else {}
            form = {key: concrete(value, values) for key, value in extra.items()}
            response = client.post(url, data={"csrf_token": token, **form})
        if outcome(response) != outcomes[actor]:
            wrong.append(
                f"{method} {pattern}: expected {outcomes[actor]}, got "
                f"{response.status_code} {response.headers.get('Location', '')}"
            )
    assert not wrong, "\n".join(wrong)


def test_every_route_is_in_the_matrix(app):
    listed = {(row[0], row[1]) for row in MATRIX}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (method, rule.rule) not in listed:
                missing.append(f"{method} {rule.rule}")
    assert not missing, "add these routes to MATRIX: " + ", ".join(sorted(missing))
