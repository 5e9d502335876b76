"""The OpenAPI 3.1 document, generated from the views' own declarations by spectree.

Each view says what it reads (a pydantic model of its query or body) and what it answers
(:func:`answers`); spectree validates both and writes the document from them. Two touches are
ours: invalid input answers as problem details (:func:`problem_on_invalid_input`), and every
problem response is declared as ``application/problem+json``.
"""

from __future__ import annotations

import copy
import json

from flask import current_app
from spectree import Response as Answers
from spectree import SecurityScheme, SecuritySchemeData, SpecTree

from app.api import problems

#: The statuses every operation may answer besides its own: invalid input and too many requests.
COMMON = {"HTTP_400": problems.Problem, "HTTP_429": problems.Problem}


def problem_on_invalid_input(request, response, validation_error, _instance, _adapter):
    """spectree's hook before the view: rewrite its 422 body as problem details."""
    if validation_error is None:
        return
    body = problems.document(422, "invalid-input",
                             errors=problems.field_problems(validation_error.errors()))
    response.set_data(json.dumps(body, ensure_ascii=False))
    response.mimetype = problems.MEDIA_TYPE


spec = SpecTree(
    "flask",
    mode="strict",  # only the views that declare themselves: the API's, not the pages
    annotations=True,
    title="Data Space Training API",
    version="1.0.0",
    openapi_version="3.1.0",
    path="api/v1/spectree",  # spectree's own pages are not registered (see :func:`document`)
    before=problem_on_invalid_input,
    validation_error_model=problems.Problem,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda parent, child: child,
    security_schemes=[SecurityScheme(name="token", data=SecuritySchemeData(
        type="http", scheme="bearer",
        description="A personal access token, created on your account page."))],
    description=(
        "Programmes, Data Spaces and the knowledge catalogue of the Data Space Training "
        "network, and, with a personal access token, your enrollments or the rosters, "
        "attendance and reports of the Data Spaces you coordinate. Texts come in the language "
        "asked for (`lang`, else `Accept-Language`), falling back to another one when missing; "
        "each text says which language it is in. Errors are RFC 9457 problem details."),
)


def answers(ok=None, *, ok_status: int = 200, statuses=(404,)) -> Answers:
    """The answers of an operation: ``ok`` with ``ok_status``, and problems for ``statuses``."""
    declared = {f"HTTP_{status}": problems.Problem for status in statuses}
    return Answers(**{f"HTTP_{ok_status}": ok}, **COMMON, **declared)


def document() -> dict:
    """The document, once per process (the routes do not change while it runs)."""
    cached = current_app.extensions.get("openapi_document")
    if cached is None:
        cached = _as_problem_json(copy.deepcopy(spec.spec))
        cached["servers"] = [{"url": "/"}]
        current_app.extensions["openapi_document"] = cached
    return cached


def _as_problem_json(document: dict) -> dict:
    reference = "#/components/schemas/Problem"
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for answer in operation.get("responses", {}).values():
                content = answer.get("content", {})
                if content.get("application/json", {}).get("schema", {}).get("$ref") == reference:
                    answer["content"] = {problems.MEDIA_TYPE: content["application/json"]}
    return document
