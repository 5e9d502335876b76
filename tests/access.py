"""The access matrix: every route of the app and, for each kind of actor, what they get.

Each row of ``MATRIX`` is one route (method and URL pattern) with the outcome for each actor.
Outcomes: ``ok`` (200, the page, or 302, a redirect after success), ``form`` (422: let in, and
the empty form we send comes back with its errors), ``rule`` (409: let in, and a rule of the
domain refuses the change in the state of the world), ``login`` (sent to sign in), ``verify``
(asked to confirm the email first), ``403``, ``404``. A 409 or 422 is never taken for ``ok``.
Later issues add their routes here; ``test_access_matrix.py`` walks it, and ``test_fuzz.py``
fuzzes every row.
"""

from __future__ import annotations

ACTORS = [
    "anonymous",
    "unverified",
    "participant",
    "instructor",
    "coordinator",
    "other_coordinator",
    "admin",
]

# Shorthands for common rows.
PUBLIC = dict.fromkeys(ACTORS, "ok")
SIGNED_IN = {"anonymous": "login", **dict.fromkeys(ACTORS[1:], "ok")}
VERIFIED = {"anonymous": "login", "unverified": "verify", **dict.fromkeys(ACTORS[2:], "ok")}
DATASPACE_STAFF = {
    "anonymous": "login",
    "unverified": "verify",
    "participant": "403",
    "instructor": "403",
    "coordinator": "ok",
    "other_coordinator": "403",
    "admin": "ok",
}
ANY_STAFF = {**DATASPACE_STAFF, "other_coordinator": "ok"}
ADMIN_ONLY = {**DATASPACE_STAFF, "coordinator": "403"}
AUTHORS = {**ANY_STAFF, "instructor": "ok"}  # instructors and staff
MODULE_EDITORS = {**DATASPACE_STAFF, "instructor": "ok"}  # the module's author and its staff
SESSION_TEAM = MODULE_EDITORS  # the session's instructor and its Data Space's staff
INSTRUCTORS = {**ADMIN_ONLY, "instructor": "ok"}
OWNER_ONLY = {"anonymous": "login", "unverified": "verify", **dict.fromkeys(ACTORS[2:], "404"),
              "participant": "ok"}  # the participant's own enrollment: others see nothing


def _let_in(outcomes: dict, answer: str, actors: tuple[str, ...]) -> dict:
    actors = actors or tuple(actor for actor, outcome in outcomes.items() if outcome == "ok")
    assert all(outcomes[actor] == "ok" for actor in actors), "only actors who are let in"
    return {**outcomes, **dict.fromkeys(actors, answer)}


def form(outcomes: dict, *actors: str) -> dict:
    """The empty form the walk sends comes back with its errors (422) to these actors (all who
    are let in, by default): the view let them in, then read the form."""
    return _let_in(outcomes, "form", actors)


def rule(outcomes: dict, *actors: str) -> dict:
    """A rule of the domain refuses what the walk sends, in the state of its world (409): the
    view let these actors in, then the service said no (already enrolled, not completed…)."""
    return _let_in(outcomes, "rule", actors)


#: A grant's figures before it publishes them: its staff only (others learn nothing, not even
#: that it exists).
PUBLISHED_GRANT = {**dict.fromkeys(ACTORS, "404"), "coordinator": "ok", "admin": "ok"}

#: The API: each actor calls with its own access token (of the widest scope), or none.
API_SIGNED = {"anonymous": "401", "unverified": "403", **dict.fromkeys(ACTORS[2:], "ok")}
API_STAFF = {**DATASPACE_STAFF, "anonymous": "401", "unverified": "403"}
API_OWNER = {**OWNER_ONLY, "anonymous": "401", "unverified": "403"}

#: Routes that end the session the walk needs: tested in test_accounts.
SESSION_ENDERS = {"/sign-out", "/account/sign-out-everywhere"}

MATRIX = [
    # method, URL pattern, outcomes
    ("GET", "/", PUBLIC),
    ("GET", "/healthz", PUBLIC),
    ("GET", "/sitemap.xml", PUBLIC),
    ("GET", "/robots.txt", PUBLIC),
    ("GET", "/dataspaces/", PUBLIC),
    ("GET", "/dataspaces/<slug>", PUBLIC),
    ("GET", "/dataspaces/new", ADMIN_ONLY),
    ("POST", "/dataspaces/new", form(ADMIN_ONLY)),
    ("GET", "/dataspaces/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/edit", form(DATASPACE_STAFF)),
    ("GET", "/dataspaces/<slug>/nodes/new", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/nodes/new", form(DATASPACE_STAFF)),
    ("GET", "/dataspaces/<slug>/nodes/<int:node_id>/edit", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/nodes/<int:node_id>/edit", form(DATASPACE_STAFF)),
    ("GET", "/dataspaces/<slug>/partners/new", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/partners/new", form(DATASPACE_STAFF)),
    ("POST", "/dataspaces/<slug>/partners/<int:partnership_id>/delete", DATASPACE_STAFF),
    ("GET", "/dataspaces/<slug>/team/new", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/team/new", form(DATASPACE_STAFF)),
    ("POST", "/dataspaces/<slug>/team/<int:membership_id>/delete", DATASPACE_STAFF),
    ("GET", "/institutions/", ANY_STAFF),
    ("GET", "/institutions/new", ANY_STAFF),
    ("POST", "/institutions/new", form(ANY_STAFF)),
    ("GET", "/institutions/<int:institution_id>/edit", ANY_STAFF),
    ("POST", "/institutions/<int:institution_id>/edit", form(ANY_STAFF)),
    ("GET", "/sign-in", PUBLIC),
    ("POST", "/sign-in", form(PUBLIC)),
    ("POST", "/sign-out", PUBLIC),
    ("GET", "/sign-up", PUBLIC),
    ("POST", "/sign-up", form(PUBLIC)),
    ("GET", "/sign-up/check-email", PUBLIC),
    ("GET", "/verify-email/<token>", dict.fromkeys(ACTORS, "400")),
    ("GET", "/verify-email", SIGNED_IN),
    ("POST", "/verify-email/resend", SIGNED_IN),
    ("GET", "/password/forgot", PUBLIC),
    ("POST", "/password/forgot", form(PUBLIC)),
    ("GET", "/password/reset/<token>", dict.fromkeys(ACTORS, "400")),
    ("POST", "/password/reset/<token>", dict.fromkeys(ACTORS, "400")),
    ("GET", "/account", SIGNED_IN),
    ("POST", "/account/password", form(SIGNED_IN)),
    ("POST", "/account/language", form(SIGNED_IN)),
    ("POST", "/account/sign-out-everywhere", SIGNED_IN),
    ("GET", "/admin/users", ADMIN_ONLY),
    ("GET", "/admin/users/<int:user_id>", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>", form(ADMIN_ONLY)),
    ("POST", "/admin/users/<int:user_id>/roles/<int:grant_id>/revoke", ADMIN_ONLY),
    ("GET", "/admin/audit", ADMIN_ONLY),
    # Knowledge catalogue and curricula (the module is published, written by "instructor",
    # and belongs to the coordinator's Data Space).
    ("GET", "/knowledge/", PUBLIC),
    ("GET", "/knowledge/modules/<slug>", PUBLIC),
    ("GET", "/knowledge/materials/<int:material_id>/download", PUBLIC),
    ("GET", "/knowledge/my-modules", AUTHORS),
    ("GET", "/knowledge/modules/new", AUTHORS),
    ("POST", "/knowledge/modules/new", form(AUTHORS)),
    ("GET", "/knowledge/modules/<slug>/edit", MODULE_EDITORS),
    ("POST", "/knowledge/modules/<slug>/edit", form(MODULE_EDITORS)),
    ("POST", "/knowledge/modules/<slug>/links", form(MODULE_EDITORS)),
    ("POST", "/knowledge/modules/<slug>/files", form(MODULE_EDITORS)),
    ("POST", "/knowledge/modules/<slug>/materials/<int:material_id>/delete", MODULE_EDITORS),
    ("POST", "/knowledge/modules/<slug>/publish", rule(DATASPACE_STAFF)),
    ("POST", "/knowledge/modules/<slug>/save", VERIFIED),
    ("GET", "/knowledge/reading-list", VERIFIED),
    ("GET", "/knowledge/collections/<slug>", PUBLIC),
    ("GET", "/knowledge/collections/new", ANY_STAFF),
    ("POST", "/knowledge/collections/new", form(ANY_STAFF)),
    ("GET", "/knowledge/collections/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/knowledge/collections/<slug>/edit", form(DATASPACE_STAFF)),
    ("POST", "/knowledge/collections/<slug>/modules", form(DATASPACE_STAFF)),
    ("POST", "/knowledge/collections/<slug>/order", form(DATASPACE_STAFF)),
    ("POST", "/knowledge/collections/<slug>/items/<int:item_id>/delete", DATASPACE_STAFF),
    ("GET", "/curricula/", AUTHORS),
    ("GET", "/curricula/<slug>", AUTHORS),
    ("GET", "/curricula/new", ANY_STAFF),
    ("POST", "/curricula/new", form(ANY_STAFF)),
    ("GET", "/curricula/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/curricula/<slug>/edit", form(DATASPACE_STAFF)),
    ("POST", "/curricula/<slug>/modules", form(DATASPACE_STAFF)),
    ("POST", "/curricula/<slug>/order", form(DATASPACE_STAFF)),
    ("POST", "/curricula/<slug>/items/<int:item_id>/delete", DATASPACE_STAFF),
    ("POST", "/curricula/<slug>/clone", ANY_STAFF),
    # Programmes ("instructor" teaches the programme's session; the coordinator's Data Space
    # holds it).
    ("GET", "/workshops/", PUBLIC),
    ("GET", "/workshops/<slug>", PUBLIC),
    ("GET", "/workshops/<slug>/calendar.ics", PUBLIC),
    ("GET", "/calendar/<token>.ics", dict.fromkeys(ACTORS, "404")),
    ("GET", "/workshops/my-sessions", INSTRUCTORS),
    ("POST", "/workshops/my-sessions/feed", INSTRUCTORS),
    ("GET", "/workshops/manage", ANY_STAFF),
    ("GET", "/workshops/new", ANY_STAFF),
    ("POST", "/workshops/new", form(ANY_STAFF)),
    ("GET", "/workshops/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/edit", form(DATASPACE_STAFF)),
    ("POST", "/workshops/<slug>/transition", rule(DATASPACE_STAFF), {"to": "draft"}),
    ("GET", "/workshops/<slug>/sessions/new", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/sessions/new", form(DATASPACE_STAFF)),
    ("GET", "/workshops/<slug>/sessions/<int:session_id>/edit", SESSION_TEAM),
    ("POST", "/workshops/<slug>/sessions/<int:session_id>/edit",
     form(SESSION_TEAM, "coordinator", "admin")),
    # Enrollment: the participant's space, and the coordinators' roster of the programme.
    ("GET", "/workshops/<slug>/enroll", VERIFIED),
    ("POST", "/workshops/<slug>/enroll", rule(VERIFIED, "participant")),
    ("GET", "/waitlist/leave/<token>", dict.fromkeys(ACTORS, "404")),
    ("POST", "/waitlist/leave/<token>", dict.fromkeys(ACTORS, "404")),
    ("GET", "/me/", VERIFIED),
    ("GET", "/me/profile", VERIFIED),
    ("POST", "/me/profile", form(VERIFIED)),
    ("POST", "/me/enrollments/<int:enrollment_id>/<action>", rule(OWNER_ONLY)),
    ("POST", "/me/calendar", VERIFIED),
    ("GET", "/me/data.json", VERIFIED),
    ("GET", "/me/delete", VERIFIED),
    ("POST", "/me/delete", form(VERIFIED)),
    ("GET", "/workshops/<slug>/roster", DATASPACE_STAFF),
    ("GET", "/workshops/<slug>/roster.<fmt>", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/decisions", form(DATASPACE_STAFF)),
    ("POST", "/workshops/<slug>/enrollments/<int:enrollment_id>/note", DATASPACE_STAFF),
    ("GET", "/workshops/<slug>/import", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/import", form(DATASPACE_STAFF)),
    ("POST", "/workshops/<slug>/questions", form(DATASPACE_STAFF)),
    # Attendance: the session's instructor and the Data Space's coordinators take it.
    ("GET", "/attendance/sessions/<int:session_id>", SESSION_TEAM),
    ("POST", "/attendance/sessions/<int:session_id>", rule(SESSION_TEAM)),
    ("GET", "/attendance/sessions/<int:session_id>/check-in", SESSION_TEAM),
    ("POST", "/attendance/sessions/<int:session_id>/check-in", rule(SESSION_TEAM)),
    ("GET", "/attendance/sessions/<int:session_id>/sign-in-sheet.pdf", SESSION_TEAM),
    ("GET", "/attendance/programmes/<slug>", DATASPACE_STAFF),
    ("GET", "/attendance/programmes/<slug>/sheet.<fmt>", DATASPACE_STAFF),
    ("GET", "/me/enrollments/<int:enrollment_id>/check-in.svg", OWNER_ONLY),
    ("GET", "/workshops/<slug>/enrolled", OWNER_ONLY),
    # Certificates: anyone verifies; the Data Space's coordinators issue and revoke.
    ("GET", "/verify/<code>", dict.fromkeys(ACTORS, "404")),
    ("GET", "/api/v1/certificates/<code>", dict.fromkeys(ACTORS, "404")),
    ("GET", "/verify/<code>/badge.json", dict.fromkeys(ACTORS, "404")),
    ("GET", "/verify/<code>/certificate.pdf", dict.fromkeys(ACTORS, "404")),
    ("GET", "/certificates/public-key.pem", PUBLIC),
    ("GET", "/me/certificates", VERIFIED),
    ("GET", "/certificates/programmes/<slug>", DATASPACE_STAFF),
    ("POST", "/certificates/programmes/<slug>/issue", rule(DATASPACE_STAFF)),
    ("POST", "/certificates/programmes/<slug>/override", form(DATASPACE_STAFF),
     {"enrollment": "<enrollment_id>"}),
    ("POST", "/certificates/<int:certificate_id>/<action>", DATASPACE_STAFF,
     {"reason": "The name was misspelt"}),
    ("GET", "/certificates/templates/<slug>", DATASPACE_STAFF),
    ("POST", "/certificates/templates/<slug>", form(DATASPACE_STAFF)),
    ("GET", "/certificates/templates/<slug>/preview", DATASPACE_STAFF),
    # Grants: the coordinators of a Data Space it covers, and admins; a published grant's
    # progress page is public (this one is not published).
    ("GET", "/grants/", ANY_STAFF),
    ("GET", "/grants/new", ANY_STAFF),
    ("POST", "/grants/new", form(ANY_STAFF)),
    ("GET", "/grants/<slug>", DATASPACE_STAFF),
    ("GET", "/grants/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/grants/<slug>/edit", form(DATASPACE_STAFF)),
    ("POST", "/grants/<slug>/targets", form(DATASPACE_STAFF)),
    ("POST", "/grants/<slug>/targets/<int:target_id>/status", DATASPACE_STAFF,
     {"status": "delivered"}),
    ("POST", "/grants/<slug>/programmes", DATASPACE_STAFF, {"programme": "<programme_id>"}),
    ("POST", "/grants/<slug>/modules", DATASPACE_STAFF, {"module": "<module_slug>"}),
    ("POST", "/grants/<slug>/funder-reports", DATASPACE_STAFF, {"language": "es"}),
    ("GET", "/grants/<slug>/funder-reports/<int:report_id>.pdf", DATASPACE_STAFF),
    ("GET", "/grants/<slug>/progress", PUBLISHED_GRANT),
    ("GET", "/grants/<slug>/iati.xml", PUBLISHED_GRANT),
    # Reports: the network's for admins (coordinators see their own Data Spaces').
    ("GET", "/reports/", ANY_STAFF),
    ("GET", "/reports/export.<fmt>", ANY_STAFF),
    ("GET", "/reports/dataspaces/<slug>", DATASPACE_STAFF),
    ("GET", "/reports/dataspaces/<slug>/export.<fmt>", DATASPACE_STAFF),
    ("GET", "/reports/grants/<slug>", DATASPACE_STAFF),
    ("GET", "/reports/grants/<slug>/export.<fmt>", DATASPACE_STAFF),
    # Partners: anyone writes to a Data Space or the network; its coordinators triage.
    ("GET", "/work-with-us", PUBLIC),
    ("POST", "/work-with-us", form(PUBLIC)),
    ("GET", "/dataspaces/<slug>/work-with-us", PUBLIC),
    ("POST", "/dataspaces/<slug>/work-with-us", form(PUBLIC)),
    ("GET", "/work-with-us/sent", PUBLIC),
    ("GET", "/work-with-us/erase/<token>", dict.fromkeys(ACTORS, "404")),
    ("POST", "/work-with-us/erase/<token>", dict.fromkeys(ACTORS, "404")),
    ("GET", "/interests/", ANY_STAFF),
    ("GET", "/interests/<int:interest_id>", DATASPACE_STAFF),
    ("POST", "/interests/<int:interest_id>/status", form(DATASPACE_STAFF)),
    ("POST", "/interests/<int:interest_id>/assign", rule(DATASPACE_STAFF)),
    ("POST", "/interests/<int:interest_id>/notes", form(DATASPACE_STAFF)),
    ("POST", "/interests/<int:interest_id>/pass", form(DATASPACE_STAFF)),
    ("GET", "/interests/<int:interest_id>/convert", DATASPACE_STAFF),
    ("POST", "/interests/<int:interest_id>/convert", form(DATASPACE_STAFF)),
    # The API and the access tokens for it.
    ("GET", "/api/v1/openapi.json", PUBLIC),
    ("GET", "/api/v1/docs", PUBLIC),
    ("GET", "/api/v1/dataspaces", PUBLIC),
    ("GET", "/api/v1/dataspaces/<slug>", PUBLIC),
    ("GET", "/api/v1/programmes", PUBLIC),
    ("GET", "/api/v1/programmes/<slug>", PUBLIC),
    ("GET", "/api/v1/modules", PUBLIC),
    ("GET", "/api/v1/modules/<slug>", PUBLIC),
    ("GET", "/api/v1/collections", PUBLIC),
    ("GET", "/api/v1/collections/<slug>", PUBLIC),
    ("GET", "/api/v1/me/enrollments", API_SIGNED),
    ("GET", "/api/v1/programmes/<slug>/roster", API_STAFF),
    ("GET", "/api/v1/programmes/<slug>/attendance", API_STAFF),
    ("GET", "/api/v1/dataspaces/<slug>/report", API_STAFF),
    ("GET", "/account/tokens", VERIFIED),
    ("POST", "/account/tokens", form(VERIFIED)),
    # Surveys and knowledge checks: the programme's staff write them, its participants answer.
    ("GET", "/evaluation/programmes/<slug>", DATASPACE_STAFF),
    ("POST", "/evaluation/programmes/<slug>/attach/<kind>", DATASPACE_STAFF),
    ("GET", "/evaluation/default", ADMIN_ONLY),
    ("POST", "/evaluation/surveys/<int:survey_id>/settings", DATASPACE_STAFF),
    ("GET", "/evaluation/surveys/<int:survey_id>/questions/new", DATASPACE_STAFF),
    ("POST", "/evaluation/surveys/<int:survey_id>/questions/new", form(DATASPACE_STAFF)),
    ("GET", "/evaluation/surveys/<int:survey_id>/questions/<int:question_id>", DATASPACE_STAFF),
    ("POST", "/evaluation/surveys/<int:survey_id>/questions/<int:question_id>",
     form(DATASPACE_STAFF)),
    ("GET", "/evaluation/programmes/<slug>/results", SESSION_TEAM),
    ("GET", "/evaluation/programmes/<slug>/results.<fmt>", SESSION_TEAM),
    ("GET", "/evaluation/dataspaces/<slug>/results", DATASPACE_STAFF),
    ("GET", "/me/surveys", VERIFIED),
    ("GET", "/surveys/<int:survey_id>/<phase>", OWNER_ONLY),
    ("GET", "/surveys/<int:survey_id>/<phase>/<int:step>", OWNER_ONLY),
    ("POST", "/surveys/<int:survey_id>/<phase>/<int:step>", OWNER_ONLY),
    ("GET", "/surveys/<int:survey_id>/<phase>/submit", OWNER_ONLY),
    ("POST", "/surveys/<int:survey_id>/<phase>/submit", form(OWNER_ONLY)),
    # Last: they change what the rows above see.
    ("PATCH", "/api/v1/me/enrollments/<int:enrollment_id>", API_OWNER),
    ("POST", "/workshops/<slug>/sessions/<int:session_id>/cancel", DATASPACE_STAFF),
    ("POST", "/knowledge/modules/<slug>/unpublish", DATASPACE_STAFF),
    ("POST", "/grants/<slug>/targets/<int:target_id>/delete", DATASPACE_STAFF),
    ("POST", "/grants/<slug>/programmes/<int:programme_id>/delete", DATASPACE_STAFF),
    ("POST", "/grants/<slug>/modules/<int:module_id>/delete", DATASPACE_STAFF),
    ("POST", "/evaluation/surveys/<int:survey_id>/questions/<int:question_id>/delete",
     DATASPACE_STAFF),
    # The participant's token: revoked at the very end (the API rows above use it).
    ("POST", "/account/tokens/<int:token_id>/revoke", OWNER_ONLY),
]
