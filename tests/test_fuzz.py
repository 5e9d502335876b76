"""Hostile input on every route: no server error, and nothing written by a refused request.

For every row of the access matrix and each actor allowed through it, Hypothesis generates
requests: path parameters (huge, negative, non-ASCII, unknown slugs), query strings, and bodies
(every field the route reads, filled with any Unicode, huge numbers, impossible dates, wrong
types; sent as a form, as multipart, as JSON or as raw bytes; with duplicated fields and with a
missing or wrong CSRF token). Each response must be below 500, and a refused one (4xx) must leave
every row of every table as it was.

The fields a route reads are found by watching it: one polite request first, through a form
dictionary that records every name asked of it. A route added later is fuzzed without anyone
listing its fields, and a route missing from the access matrix fails there.

Seeded and reproducible: ``FUZZ_SEED`` (default below) and ``FUZZ_EXAMPLES`` (requests per route
and actor) choose the run; a failure prints each request to replay with curl.
"""

from __future__ import annotations

import json
import os
import shlex
import zlib
from io import BytesIO
from urllib.parse import quote, urlencode

import pytest
from flask import Request
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict

from tests import factories
from tests.access import ACTORS, MATRIX, SESSION_ENDERS
from tests.support import csrf_token_from
from tests.world import concrete, table_digests

FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "20261203"))
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))

#: Names that collide with Flask's and our own machinery, tried on every route.
SPECIAL_NAMES = ["endpoint", "_method", "_external", "_anchor", "_scheme", "lang", "page", "next",
                 "csrf_token", "slug", "q"]


# -- Which fields a route reads -------------------------------------------------------------

class _Asked:
    names: set[str] = set()


class RecordingMultiDict(ImmutableMultiDict):
    """A request's form and query dictionary that remembers every name a view asked for."""

    def __getitem__(self, key):
        _Asked.names.add(key)
        return super().__getitem__(key)

    def getlist(self, key, type=None):
        _Asked.names.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        _Asked.names.add(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    parameter_storage_class = RecordingMultiDict


def plan(actor: str) -> list[tuple[str, str]]:
    """The (method, pattern) rows this actor is fuzzed on: those it may reach; rows nobody
    reaches (tokens, codes) are fuzzed anonymously, since their parameters are the attack."""
    rows = []
    for method, pattern, outcomes, *_ in MATRIX:
        if pattern in SESSION_ENDERS:
            continue  # ends the session: fuzzed by test_signing_out_with_any_body below
        nobody = "ok" not in outcomes.values()
        if outcomes[actor] == "ok" or (nobody and actor == "anonymous"):
            rows.append((method, pattern))
    return rows


def test_every_route_is_fuzzed(app):
    fuzzed = {row for actor in ACTORS for row in plan(actor)}
    fuzzed |= {("POST", pattern) for pattern in SESSION_ENDERS}
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (method, rule.rule) not in fuzzed
    ]
    assert not missing, "no actor fuzzes these routes: " + ", ".join(sorted(missing))


# -- What the fuzzer sends -----------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
numbers = st.sampled_from(
    ["0", "-1", "1", "2147483647", "2147483648", "99999999999999999999", "1e309", "²", "١٢",
     "1.5", "NaN", "-0", "+7", " 3 ", "0x10"]
) | st.integers().map(str)
dates = st.sampled_from(
    ["0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "2026-13-01", "0000-00-00",
     "0001-01-01T00:00", "9999-12-31T23:59", "2026-06-01T25:61", "2026-06-01", "1900-01-01"]
)
huge = st.just("ß" * 5_000)  # longer than any field allows
hostile_values = st.one_of(any_text, numbers, dates, huge, st.just(""))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=6,
)
hostile_segments = st.one_of(
    any_text.filter(bool), numbers, st.just("99999999999999999999"),
    st.just("no-such-thing"), st.just("x" * 3000),
)


@st.composite
def requests(draw, method: str, pattern: str, values: dict, asked: list[str], token: str):
    url = _path(draw, pattern, values)
    names = st.sampled_from(sorted({*asked, *SPECIAL_NAMES})) | any_text
    query = draw(st.lists(st.tuples(names, hostile_values), max_size=4))
    if query:
        url += "?" + urlencode(query)
    headers = {"Accept": draw(st.sampled_from(["text/html", "application/json", "*/*"]))}
    if method == "GET":
        return {"method": method, "url": url, "headers": headers}
    fields = draw(st.lists(st.tuples(names, hostile_values), max_size=8))
    csrf = draw(st.sampled_from(["valid", "valid", "valid", "missing", "wrong", "twice"]))
    if csrf == "valid":
        fields.insert(0, ("csrf_token", token))
    elif csrf == "wrong":
        fields.insert(0, ("csrf_token", draw(any_text)))
    elif csrf == "twice":
        fields[:0] = [("csrf_token", token), ("csrf_token", draw(any_text))]
    encoding = draw(st.sampled_from(["form", "form", "multipart", "json", "raw"]))
    if encoding == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode(fields).encode()
    elif encoding == "json":
        headers["Content-Type"] = "application/json"
        body = json.dumps({name: draw(json_values) for name, _ in fields}).encode()
    elif encoding == "raw":
        headers["Content-Type"] = draw(st.sampled_from(
            ["text/plain", "application/xml", "application/octet-stream", "nonsense", ""]))
        body = draw(st.binary(max_size=200))
    else:
        return {"method": method, "url": url, "headers": headers, "multipart": fields,
                "file": draw(st.binary(max_size=300))}
    return {"method": method, "url": url, "headers": headers, "body": body}


def _path(draw, pattern: str, values: dict) -> str:
    """The route's URL with the world's values, some swapped for hostile ones."""
    for name in [part.split(">")[0] for part in pattern.split("<")[1:]]:
        if draw(st.booleans()):
            pattern = pattern.replace(f"<{name}>", quote(draw(hostile_segments), safe=""), 1)
    return concrete(pattern, values)


def send(client, request: dict):
    if "multipart" in request:
        data = list(request["multipart"])
        data.append(("file", (BytesIO(request["file"]), "fuzz.bin")))
        from werkzeug.datastructures import MultiDict

        return client.open(request["url"], method=request["method"], data=MultiDict(data),
                           headers=request["headers"], content_type="multipart/form-data")
    return client.open(request["url"], method=request["method"], data=request.get("body"),
                       headers=request["headers"])


def replay(actor: str, request: dict) -> str:
    """The request as a curl command against ``make run``, signed in as ``actor``."""
    words = ["curl", "-i", "-X", request["method"], f"http://127.0.0.1:5000{request['url']}"]
    for key, value in request["headers"].items():
        words += ["-H", f"{key}: {value}"]
    body = request.get("body")
    if body is not None:
        try:
            words += ["--data-binary", body.decode()]
        except UnicodeDecodeError:
            words += ["--data-binary", f"<bytes {body!r}>"]
    for name, value in request.get("multipart", ()):
        words += ["-F", f"{name}={value}"]
    return f"[as {actor}, FUZZ_SEED={FUZZ_SEED}] {shlex.join(words)}"


# -- What must hold ------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("actor", ACTORS)
def test_no_input_reaches_a_server_error(app, server, client, world, actor):
    actors, values = world
    server.request_class = RecordingRequest
    failures: list[str] = []
    for method, pattern in plan(actor):
        failures += fuzz_route(client, actors[actor], actor, method, pattern, values)
    assert not failures, "\n".join(failures)


def fuzz_route(client, account, actor, method, pattern, values) -> list[str]:
    def sign_in() -> bool:
        return account is not None and factories.sign_in(client, account)

    sign_in()
    token = csrf_token_from(client.get("/sign-up").get_data(as_text=True))
    _Asked.names = set()  # one polite request shows which fields the route reads
    polite = urlencode({"csrf_token": token}).encode() if method == "POST" else None
    send(client, {"method": method, "url": concrete(pattern, values), "headers": {},
                  "body": polite})
    asked = sorted(_Asked.names)
    failures: list[str] = []
    state = {"digests": table_digests()}

    @seed(FUZZ_SEED + zlib.crc32(f"{actor} {method} {pattern}".encode()))
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one_request(data):
        request = data.draw(requests(method, pattern, values, asked, token))
        if sign_in():  # the previous request ended the session: its new sign-in is no write
            state["digests"] = table_digests()
        try:
            status = send(client, request).status_code
        except Exception as error:
            status = f"500 ({type(error).__name__}: {str(error)[:120]})"
        after = table_digests()
        if isinstance(status, str) or status >= 500:
            failures.append(f"{status} on {method} {pattern}: " + replay(actor, request))
        elif status >= 400:
            changed = [name for name, digest in after.items()
                       if state["digests"].get(name) != digest]
            if changed:
                failures.append(f"{status} on {method} {pattern} wrote to "
                                f"{', '.join(changed)}: " + replay(actor, request))
        state["digests"] = after

    one_request()
    return failures


@pytest.mark.parametrize("path", sorted(SESSION_ENDERS))
def test_signing_out_with_any_body(client, world, path):
    """Left out of the walk above (they end the session): any body still signs out or is
    refused, never a 500."""
    actors, _values = world
    for body, content_type in [(b"{}", "application/json"), (b"\xff\xfe", "text/plain"),
                               (b"csrf_token=x&csrf_token=y", None), (b"", None)]:
        factories.sign_in(client, actors["participant"])
        response = client.post(path, data=body, content_type=content_type)
        assert response.status_code < 500
