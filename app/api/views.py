"""The JSON API under ``/api/v1/``: public reads, and with a personal access token a
participant's enrollments or a coordinator's rosters, attendance and reports; and, at the end,
the account pages where people make and revoke those tokens.

Views are thin: the token and the permission layer decide who may, ``services`` and the
domains' services read, ``serializers`` shape, spectree (``spec.validate``) checks what comes in
and goes out and writes the OpenAPI document. Answers to GET carry an ETag; errors are problem
details (``problems``).
"""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest

from app.api import paging, problems, schemas, serializers, services, tokens
from app.api.forms import TokenForm
from app.api.models import TokenScope
from app.api.spec import answers, document, spec
from app.attendance import services as attendance
from app.auth import permissions as can
from app.auth.permissions import verified_required
from app.certificates import issuing
from app.curriculum import services as curriculum
from app.dataspaces import services as dataspaces
from app.enrollment import changes, lists, roster
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.errors import DomainError
from app.extensions import csrf, db, limiter
from app.multilingual import CONTENT_LANGUAGES, DEFAULT_CONTENT_LANGUAGE
from app.reporting import services as reporting
from app.timeutil import utcnow
from app.views import form_error_response
from app.workshops import services as workshops

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")
csrf.exempt(bp)  # a token in a header authenticates, never a cookie: nothing to forge

TOKEN_HEADER = "Authorization"
SECURED = {"security": {"token": []}}
INVALID_TOKEN = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


# --- every request --------------------------------------------------------------------------------


def _token_key() -> str:
    return "token:" + tokens.digest(_bearer() or "")


limiter.limit(lambda: current_app.config["API_LIMIT_PER_ADDRESS"],
              key_func=get_remote_address, per_method=False)(bp)
limiter.limit(lambda: current_app.config["API_LIMIT_PER_TOKEN"], key_func=_token_key,
              exempt_when=lambda: _bearer() is None)(bp)


@bp.before_request
def read_body_as_json():
    """A body must be JSON, and well formed: refused here with a problem, before anything."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if not request.is_json:
        raise problems.ApiProblem(415, "unsupported-media-type")
    try:
        request.get_json()
    except BadRequest:
        raise problems.ApiProblem(400, "malformed-json") from None


@bp.after_request
def conditional_get(response):
    response.headers["Content-Language"] = g.get("reader_language", DEFAULT_CONTENT_LANGUAGE)
    response.vary.update(("Authorization", "Accept-Language"))
    if request.method == "GET" and response.status_code == 200:
        response.headers["Cache-Control"] = "private, no-cache" if _bearer() else \
            "public, max-age=60"
        response.add_etag()
        response.make_conditional(request)
    return response


@bp.errorhandler(problems.ApiProblem)
def problem(error: problems.ApiProblem):
    db.session.rollback()
    return problems.from_exception(error)


def reader_language(query) -> str:
    g.reader_language = query.lang or request.accept_languages.best_match(
        CONTENT_LANGUAGES) or DEFAULT_CONTENT_LANGUAGE
    return g.reader_language


# --- tokens ------------------------------------------------------------------------------------


def _bearer() -> str | None:
    scheme, _, secret = request.headers.get(TOKEN_HEADER, "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def token_required(scope: TokenScope):
    """Let in a usable token of at least ``scope``; its user is ``g.api_user``."""
    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            secret = _bearer()
            token = tokens.find(secret) if secret else None
            now = utcnow()
            if token is None:
                raise problems.ApiProblem(401, "unauthenticated",
                                          headers={"WWW-Authenticate": "Bearer"})
            if token.revoked_at is not None or not token.user.is_active:
                raise problems.ApiProblem(401, "token-revoked", headers=INVALID_TOKEN)
            if now >= token.expires_at:
                raise problems.ApiProblem(401, "token-expired", headers=INVALID_TOKEN)
            if not token.scope.allows(scope):
                raise problems.ApiProblem(403, "insufficient-scope", headers={
                    "WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'})
            if not can.is_verified(token.user):
                raise problems.ApiProblem(403, "forbidden")
            if tokens.record_use(token, now):
                db.session.commit()
            g.api_user = token.user
            return view(*args, **kwargs)
        return checked
    return decorate


def _require(allowed: bool) -> None:
    if not allowed:
        raise problems.ApiProblem(403, "forbidden")


def _next_page(page: services.Page, filters: dict, **values) -> dict:
    if page.last is None:
        return {"next_cursor": None, "next": None}
    cursor = paging.encode(filters, page.last)
    arguments = {key: value for key, value in request.args.items() if key != "cursor"}
    return {"next_cursor": cursor,
            "next": url_for(request.endpoint, **values, **arguments, cursor=cursor,
                            _external=True)}


def _filters(query, *, leave=("cursor", "limit", "lang")) -> dict:
    return query.model_dump(exclude=set(leave))


# --- Data Spaces -------------------------------------------------------------------------------


@bp.get("/dataspaces")
@spec.validate(query=schemas.Query, resp=answers(schemas.DataSpaceList, statuses=()),
               tags=["Data Spaces"])
def dataspace_list(query: schemas.Query):
    """Every Data Space, with its city nodes and its partner institutions."""
    language = reader_language(query)
    return schemas.DataSpaceList(items=[serializers.dataspace(space, language)
                                        for space in services.dataspaces()])


@bp.get("/dataspaces/<slug>")
@spec.validate(query=schemas.Query, resp=answers(schemas.DataSpace), tags=["Data Spaces"])
def dataspace(slug: str, query: schemas.Query):
    """One Data Space, with its city nodes and its partner institutions."""
    language = reader_language(query)
    space = dataspaces.get_dataspace(slug)
    if space is None:
        raise problems.ApiProblem(404)
    return serializers.dataspace(space, language)


# --- programmes --------------------------------------------------------------------------------


@bp.get("/programmes")
@spec.validate(query=schemas.ProgrammeQuery, resp=answers(schemas.ProgrammePage, statuses=()),
               tags=["Programmes"])
def programme_list(query: schemas.ProgrammeQuery):
    """Public programmes with their sessions, filtered like the catalogue, a page at a time.

    Upcoming programmes come soonest first; past and all, latest first. Each page ends with a
    cursor for the next one: pages do not shift when programmes are added."""
    language = reader_language(query)
    filters = _filters(query)
    page = services.programmes(filters, paging.decode(query.cursor, filters), query.limit,
                               utcnow().date())
    return schemas.ProgrammePage(items=[serializers.programme(item, language)
                                        for item in page.items],
                                 **_next_page(page, filters))


@bp.get("/programmes/<slug>")
@spec.validate(query=schemas.Query, resp=answers(schemas.Programme), tags=["Programmes"])
def programme(slug: str, query: schemas.Query):
    """One public programme with its sessions, in UTC and in its own time zone."""
    language = reader_language(query)
    item = workshops.get_programme(slug)
    if item is None or not item.is_public:
        raise problems.ApiProblem(404)
    return serializers.programme(item, language)


# --- knowledge ---------------------------------------------------------------------------------


@bp.get("/modules")
@spec.validate(query=schemas.ModuleQuery, resp=answers(schemas.ModulePage, statuses=()),
               tags=["Knowledge"])
def module_list(query: schemas.ModuleQuery):
    """Published knowledge modules, newest first, a page at a time."""
    language = reader_language(query)
    filters = _filters(query)
    page = services.modules(filters, paging.decode(query.cursor, filters), query.limit)
    return schemas.ModulePage(items=[serializers.module_summary(item, language)
                                     for item in page.items], **_next_page(page, filters))


@bp.get("/modules/<slug>")
@spec.validate(query=schemas.Query, resp=answers(schemas.Module), tags=["Knowledge"])
def module(slug: str, query: schemas.Query):
    """One published module, its text in the language asked for or the nearest one."""
    language = reader_language(query)
    item = curriculum.get_module(slug)
    if item is None or not item.is_published:
        raise problems.ApiProblem(404)
    return serializers.module(item, language)


@bp.get("/collections")
@spec.validate(query=schemas.Query, resp=answers(schemas.CollectionList, statuses=()),
               tags=["Knowledge"])
def collection_list(query: schemas.Query):
    """The knowledge collections of the network and of each Data Space."""
    language = reader_language(query)
    return schemas.CollectionList(items=[serializers.collection_summary(item, language)
                                         for item in services.collections()])


@bp.get("/collections/<slug>")
@spec.validate(query=schemas.Query, resp=answers(schemas.Collection), tags=["Knowledge"])
def collection(slug: str, query: schemas.Query):
    """One collection with its published modules, in its order."""
    language = reader_language(query)
    item = services.collection(slug)
    if item is None:
        raise problems.ApiProblem(404)
    return serializers.collection(item, language)


# --- certificates ------------------------------------------------------------------------------


@bp.get("/certificates/<code>")
@limiter.limit("30 per minute;300 per hour")  # against guessing codes, as the page
@spec.validate(query=schemas.Query, resp=answers(schemas.CertificateRecord),
               tags=["Certificates"])
def certificate(code: str, query: schemas.Query):
    """Verify a certificate by the code printed on it: the same answer as its page."""
    reader_language(query)
    item = issuing.by_code(code)
    if item is None:
        raise problems.ApiProblem(404, detail=problems.NO_CERTIFICATE)
    return jsonify(issuing.public_record(item))


# --- the participant's own enrollments ---------------------------------------------------------


@bp.get("/me/enrollments")
@spec.validate(query=schemas.Query, resp=answers(schemas.EnrollmentList, statuses=(401, 403)),
               tags=["Your enrollments"], **SECURED)
@token_required(TokenScope.READ)
def my_enrollments(query: schemas.Query):
    """Your enrollments, most recent first."""
    language = reader_language(query)
    return schemas.EnrollmentList(items=[serializers.enrollment(item, language)
                                         for item in lists.enrollments_of(g.api_user)])


@bp.patch("/me/enrollments/<int:enrollment_id>")
@spec.validate(query=schemas.Query, json=schemas.EnrollmentChange,
               resp=answers(schemas.Enrollment, statuses=(401, 403, 404, 409, 415)),
               tags=["Your enrollments"], **SECURED)
@token_required(TokenScope.ENROLLMENT)
def change_my_enrollment(enrollment_id: int, query: schemas.Query,
                         json: schemas.EnrollmentChange):
    """Cancel one of your enrollments (the same rules as on your page: a confirmed seat only
    until the cancellation deadline)."""
    language = reader_language(query)
    item = db.session.get(Enrollment, enrollment_id)
    if item is None or item.user_id != g.api_user.id:
        raise problems.ApiProblem(404)  # someone else's enrollment does not exist for you
    changes.cancel(item)
    db.session.commit()
    return serializers.enrollment(item, language)


# --- coordinators ------------------------------------------------------------------------------


def _managed_programme(slug: str):
    item = workshops.get_programme(slug)
    if item is None:
        raise problems.ApiProblem(404)
    _require(can.can_manage_dataspace(g.api_user, item.dataspace_id))
    return item


@bp.get("/programmes/<slug>/roster")
@spec.validate(query=schemas.RosterQuery,
               resp=answers(schemas.RosterPage, statuses=(401, 403, 404)),
               tags=["Coordinators"], **SECURED)
@token_required(TokenScope.COORDINATOR)
def programme_roster(slug: str, query: schemas.RosterQuery):
    """A programme's roster in arrival order (its Data Space's coordinators)."""
    reader_language(query)
    item = _managed_programme(slug)
    filters = {"programme": item.id, **_filters(query)}
    after = paging.decode(query.cursor, filters)
    entries = roster.roster_after(item, EnrollmentStatus(query.status) if query.status else None,
                                  after[0] if after else None, query.limit + 1)
    page = services.Page(entries[:query.limit], (entries[query.limit - 1].queue_number,)
                         if len(entries) > query.limit else None)
    return schemas.RosterPage(items=[serializers.roster_entry(entry) for entry in page.items],
                              **_next_page(page, filters, slug=slug))


@bp.get("/programmes/<slug>/attendance")
@spec.validate(query=schemas.Query,
               resp=answers(schemas.Attendance, statuses=(401, 403, 404)),
               tags=["Coordinators"], **SECURED)
@token_required(TokenScope.COORDINATOR)
def programme_attendance(slug: str, query: schemas.Query):
    """A programme's attendance: every mark of every confirmed participant, and their rate."""
    language = reader_language(query)
    item = _managed_programme(slug)
    marks = attendance.programme_marks(item)
    summaries = attendance.programme_attendance(item)
    return schemas.Attendance(
        sessions=[serializers.session(s, item.time_zone, language) for s in item.sessions],
        participants=[schemas.AttendanceRow(
            enrollment_id=entry.id, name=entry.participant_name,
            marks={str(sid): mark.value for (eid, sid), mark in marks.items() if eid == entry.id},
            rate=summaries[entry.id].rate, eligible=summaries[entry.id].eligible)
            for entry in lists.confirmed(item.id)])


@bp.get("/dataspaces/<slug>/report")
@spec.validate(query=schemas.ReportQuery,
               resp=answers(schemas.Report, statuses=(401, 403, 404)),
               tags=["Coordinators"], **SECURED)
@token_required(TokenScope.COORDINATOR)
def dataspace_report(slug: str, query: schemas.ReportQuery):
    """A Data Space's report for a period (as on its report page; small cells are hidden)."""
    language = reader_language(query)
    space_id = dataspaces.dataspace_id(slug)
    if space_id is None:
        raise problems.ApiProblem(404)
    _require(can.can_manage_dataspace(g.api_user, space_id))
    if query.from_ and query.to and query.to < query.from_:
        raise problems.ApiProblem(400, "invalid-input", errors=[
            {"field": "to", "message": str(problems.PERIOD_BACKWARDS)}])
    scope = reporting.Scope(frozenset({space_id}), None, query.from_, query.to)
    return serializers.report(reporting.report(scope, language))


# --- the document ------------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.get("/docs")
def docs():
    """The API's documentation, read from the same document (server-rendered: no script, no
    CDN, in the reader's language for its headings)."""
    return render_template("api/docs.html", document=document(), problem_kinds=problems.KINDS)


# --- the token pages of one's account (HTML, with CSRF like every form) -----------------------

pages = Blueprint("api_tokens", __name__, template_folder="templates")


def _context() -> dict:
    return {"tokens": tokens.tokens_of(current_user), "now": utcnow(), "action_form": FlaskForm()}


@pages.get("/account/tokens")
@verified_required
def token_list():
    return form_error_response(TokenForm(), None, "api/tokens.html", **_context())


@pages.post("/account/tokens")
@verified_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return form_error_response(form, None, "api/tokens.html", **_context())
    try:
        _token, secret = tokens.create(current_user, form.name.data, TokenScope(form.scope.data),
                                       int(form.days.data))
    except DomainError as error:
        return form_error_response(form, error, "api/tokens.html", **_context())
    db.session.commit()
    # Shown on this answer only, not after a redirect: the secret never enters the session.
    return render_template("api/tokens.html", form=TokenForm(formdata=None), secret=secret,
                           **_context())


@pages.post("/account/tokens/<int:token_id>/revoke")
@verified_required
def revoke_token(token_id: int):
    token = tokens.revoke(current_user, token_id)
    db.session.commit()
    flash(_("The token \u201c%(name)s\u201d is revoked: programs using it are refused from now on.",
            name=token.name), "success")
    return redirect(url_for(".token_list"))
