"""The access matrix: every route of the app and, for each kind of actor, what they get.

Each row of ``MATRIX`` is one route (method and URL pattern) with the outcome for each actor.
Outcomes: ``ok`` (the page, a redirect after success, or a 422 for the empty form we send —
permission was granted), ``login`` (sent to sign in), ``verify`` (asked to confirm the email
first), ``403``, ``404``. Later issues add their routes here; ``test_access_matrix.py`` walks
it, and ``test_fuzz.py`` fuzzes every row.
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

#: Routes that end the session the walk needs: tested in test_accounts.
SESSION_ENDERS = {"/sign-out", "/account/sign-out-everywhere"}

MATRIX = [
    # method, URL pattern, outcomes
    ("GET", "/", PUBLIC),
    ("GET", "/healthz", PUBLIC),
    ("GET", "/dataspaces/", PUBLIC),
    ("GET", "/dataspaces/<slug>", PUBLIC),
    ("GET", "/dataspaces/new", ADMIN_ONLY),
    ("POST", "/dataspaces/new", ADMIN_ONLY),
    ("GET", "/dataspaces/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/edit", DATASPACE_STAFF),
    ("GET", "/dataspaces/<slug>/nodes/new", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/nodes/new", DATASPACE_STAFF),
    ("GET", "/dataspaces/<slug>/nodes/<int:node_id>/edit", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/nodes/<int:node_id>/edit", DATASPACE_STAFF),
    ("GET", "/dataspaces/<slug>/partners/new", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/partners/new", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/partners/<int:partnership_id>/delete", DATASPACE_STAFF),
    ("GET", "/dataspaces/<slug>/team/new", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/team/new", DATASPACE_STAFF),
    ("POST", "/dataspaces/<slug>/team/<int:membership_id>/delete", DATASPACE_STAFF),
    ("GET", "/institutions/", ANY_STAFF),
    ("GET", "/institutions/new", ANY_STAFF),
    ("POST", "/institutions/new", ANY_STAFF),
    ("GET", "/institutions/<int:institution_id>/edit", ANY_STAFF),
    ("POST", "/institutions/<int:institution_id>/edit", ANY_STAFF),
    ("GET", "/sign-in", PUBLIC),
    ("POST", "/sign-in", PUBLIC),
    ("POST", "/sign-out", PUBLIC),
    ("GET", "/sign-up", PUBLIC),
    ("POST", "/sign-up", PUBLIC),
    ("GET", "/sign-up/check-email", PUBLIC),
    ("GET", "/verify-email/<token>", dict.fromkeys(ACTORS, "400")),
    ("GET", "/verify-email", SIGNED_IN),
    ("POST", "/verify-email/resend", SIGNED_IN),
    ("GET", "/password/forgot", PUBLIC),
    ("POST", "/password/forgot", PUBLIC),
    ("GET", "/password/reset/<token>", dict.fromkeys(ACTORS, "400")),
    ("POST", "/password/reset/<token>", dict.fromkeys(ACTORS, "400")),
    ("GET", "/account", SIGNED_IN),
    ("POST", "/account/password", SIGNED_IN),
    ("POST", "/account/language", SIGNED_IN),
    ("POST", "/account/sign-out-everywhere", SIGNED_IN),
    ("GET", "/admin/users", ADMIN_ONLY),
    ("GET", "/admin/users/<int:user_id>", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>/roles/<int:grant_id>/revoke", ADMIN_ONLY),
    ("GET", "/admin/audit", ADMIN_ONLY),
    # Knowledge catalogue and curricula (the module is published, written by "instructor",
    # and belongs to the coordinator's Data Space).
    ("GET", "/knowledge/", PUBLIC),
    ("GET", "/knowledge/modules/<slug>", PUBLIC),
    ("GET", "/knowledge/materials/<int:material_id>/download", PUBLIC),
    ("GET", "/knowledge/my-modules", AUTHORS),
    ("GET", "/knowledge/modules/new", AUTHORS),
    ("POST", "/knowledge/modules/new", AUTHORS),
    ("GET", "/knowledge/modules/<slug>/edit", MODULE_EDITORS),
    ("POST", "/knowledge/modules/<slug>/edit", MODULE_EDITORS),
    ("POST", "/knowledge/modules/<slug>/links", MODULE_EDITORS),
    ("POST", "/knowledge/modules/<slug>/files", MODULE_EDITORS),
    ("POST", "/knowledge/modules/<slug>/materials/<int:material_id>/delete", MODULE_EDITORS),
    ("POST", "/knowledge/modules/<slug>/publish", DATASPACE_STAFF),
    ("POST", "/knowledge/modules/<slug>/save", VERIFIED),
    ("GET", "/knowledge/reading-list", VERIFIED),
    ("GET", "/knowledge/collections/<slug>", PUBLIC),
    ("GET", "/knowledge/collections/new", ANY_STAFF),
    ("POST", "/knowledge/collections/new", ANY_STAFF),
    ("GET", "/knowledge/collections/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/knowledge/collections/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/knowledge/collections/<slug>/modules", DATASPACE_STAFF),
    ("POST", "/knowledge/collections/<slug>/order", DATASPACE_STAFF),
    ("POST", "/knowledge/collections/<slug>/items/<int:item_id>/delete", DATASPACE_STAFF),
    ("GET", "/curricula/", AUTHORS),
    ("GET", "/curricula/<slug>", AUTHORS),
    ("GET", "/curricula/new", ANY_STAFF),
    ("POST", "/curricula/new", ANY_STAFF),
    ("GET", "/curricula/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/curricula/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/curricula/<slug>/modules", DATASPACE_STAFF),
    ("POST", "/curricula/<slug>/order", DATASPACE_STAFF),
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
    ("POST", "/workshops/new", ANY_STAFF),
    ("GET", "/workshops/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/edit", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/transition", DATASPACE_STAFF, {"to": "draft"}),
    ("GET", "/workshops/<slug>/sessions/new", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/sessions/new", DATASPACE_STAFF),
    ("GET", "/workshops/<slug>/sessions/<int:session_id>/edit", SESSION_TEAM),
    ("POST", "/workshops/<slug>/sessions/<int:session_id>/edit", SESSION_TEAM),
    # Enrollment: the participant's space, and the coordinators' roster of the programme.
    ("GET", "/workshops/<slug>/enroll", VERIFIED),
    ("POST", "/workshops/<slug>/enroll", VERIFIED),
    ("GET", "/waitlist/leave/<token>", dict.fromkeys(ACTORS, "404")),
    ("POST", "/waitlist/leave/<token>", dict.fromkeys(ACTORS, "404")),
    ("GET", "/me/", VERIFIED),
    ("GET", "/me/profile", VERIFIED),
    ("POST", "/me/profile", VERIFIED),
    ("POST", "/me/enrollments/<int:enrollment_id>/<action>", OWNER_ONLY),
    ("POST", "/me/calendar", VERIFIED),
    ("GET", "/me/data.json", VERIFIED),
    ("GET", "/me/delete", VERIFIED),
    ("POST", "/me/delete", VERIFIED),
    ("GET", "/workshops/<slug>/roster", DATASPACE_STAFF),
    ("GET", "/workshops/<slug>/roster.<fmt>", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/decisions", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/enrollments/<int:enrollment_id>/note", DATASPACE_STAFF),
    ("GET", "/workshops/<slug>/import", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/import", DATASPACE_STAFF),
    ("POST", "/workshops/<slug>/questions", DATASPACE_STAFF),
    # Attendance: the session's instructor and the Data Space's coordinators take it.
    ("GET", "/attendance/sessions/<int:session_id>", SESSION_TEAM),
    ("POST", "/attendance/sessions/<int:session_id>", SESSION_TEAM),
    ("GET", "/attendance/sessions/<int:session_id>/check-in", SESSION_TEAM),
    ("POST", "/attendance/sessions/<int:session_id>/check-in", SESSION_TEAM),
    ("GET", "/attendance/sessions/<int:session_id>/sign-in-sheet.pdf", SESSION_TEAM),
    ("GET", "/attendance/programmes/<slug>", DATASPACE_STAFF),
    ("GET", "/attendance/programmes/<slug>/sheet.<fmt>", DATASPACE_STAFF),
    ("GET", "/me/enrollments/<int:enrollment_id>/check-in.svg", OWNER_ONLY),
    # Certificates: anyone verifies; the Data Space's coordinators issue and revoke.
    ("GET", "/verify/<code>", dict.fromkeys(ACTORS, "404")),
    ("GET", "/api/v1/certificates/<code>", dict.fromkeys(ACTORS, "404")),
    ("GET", "/verify/<code>/badge.json", dict.fromkeys(ACTORS, "404")),
    ("GET", "/verify/<code>/certificate.pdf", dict.fromkeys(ACTORS, "404")),
    ("GET", "/certificates/public-key.pem", PUBLIC),
    ("GET", "/me/certificates", VERIFIED),
    ("GET", "/certificates/programmes/<slug>", DATASPACE_STAFF),
    ("POST", "/certificates/programmes/<slug>/issue", DATASPACE_STAFF),
    ("POST", "/certificates/programmes/<slug>/override", DATASPACE_STAFF,
     {"enrollment": "<enrollment_id>"}),
    ("POST", "/certificates/<int:certificate_id>/<action>", DATASPACE_STAFF),
    ("GET", "/certificates/templates/<slug>", DATASPACE_STAFF),
    ("POST", "/certificates/templates/<slug>", DATASPACE_STAFF),
    ("GET", "/certificates/templates/<slug>/preview", DATASPACE_STAFF),
    # Last: they change what the rows above see.
    ("POST", "/workshops/<slug>/sessions/<int:session_id>/cancel", DATASPACE_STAFF),
    ("POST", "/knowledge/modules/<slug>/unpublish", DATASPACE_STAFF),
]
