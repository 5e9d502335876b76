"""The JSON API: public reads with cursors and ETags, access tokens and their scopes, the
permission layer, problem details for bad input, rate limits and constant query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.api.models import AccessToken
from app.auth.models import Role
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.extensions import db
from app.timeutil import frozen_time, utcnow
from app.workshops.models import ProgrammeState
from tests import factories
from tests.querycount import count_queries
from tests.support import csrf_token_from

PROBLEM = "application/problem+json"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def published(space=None, start=date(2030, 3, 4), **values):
    return factories.programme(space, start=start, state=ProgrammeState.PUBLISHED, **values)


def enrolled(account, programme, status=EnrollmentStatus.CONFIRMED) -> Enrollment:
    seat = Enrollment(programme_id=programme.id, user_id=account.id, queue_number=1,
                      status=status)
    db.session.add(seat)
    db.session.flush()
    return seat


# --- public reads ---------------------------------------------------------------------------


def test_programmes_come_with_sessions_in_utc_and_local_time(client):
    space = factories.dataspace()
    item = published(space, time_zone="America/Bogota", title={"en": "Big data", "es": "Datos"})
    factories.session(item, starts_local=factories.wall(2030, 3, 4, 9))

    body = client.get("/api/v1/programmes?lang=es").get_json()

    [listed] = body["items"]
    assert listed["title"] == {"text": "Datos", "language": "es"}
    assert listed["time_zone"] == "America/Bogota"
    [session] = listed["sessions"]
    assert session["starts_at"].startswith("2030-03-04T14:00:00")  # 9:00 in Bogotá is 14:00 UTC
    assert session["starts_local"] == "2030-03-04T09:00:00-05:00"
    assert listed["dataspace"]["slug"] == space.slug
    assert body["next_cursor"] is None


def test_drafts_are_not_public(client):
    draft = factories.programme(title={"en": "Draft"})
    assert client.get("/api/v1/programmes?when=all").get_json()["items"] == []
    assert client.get(f"/api/v1/programmes/{draft.slug}").status_code == 404


def test_cursor_pages_do_not_shift_when_programmes_are_added(client):
    space = factories.dataspace()
    made = [published(space, start=date(2030, 3, day)) for day in (1, 2, 3, 4, 5)]
    first = client.get("/api/v1/programmes?limit=2").get_json()
    assert [p["slug"] for p in first["items"]] == [made[0].slug, made[1].slug]

    published(space, start=date(2030, 2, 1))  # before the cursor: must not shift the next page
    second = client.get(first["next"]).get_json()
    third = client.get(f"/api/v1/programmes?limit=2&cursor={second['next_cursor']}").get_json()

    assert [p["slug"] for p in second["items"]] == [made[2].slug, made[3].slug]
    assert [p["slug"] for p in third["items"]] == [made[4].slug]
    assert third["next_cursor"] is None


def test_filters_work_like_the_catalogue(client):
    space, other = factories.dataspace(), factories.dataspace()
    mine = published(space, languages=["fr"])
    published(other, languages=["en"])
    body = client.get(f"/api/v1/programmes?dataspace={space.slug}").get_json()
    assert [p["slug"] for p in body["items"]] == [mine.slug]
    body = client.get("/api/v1/programmes?language=fr").get_json()
    assert [p["slug"] for p in body["items"]] == [mine.slug]
    assert client.get("/api/v1/programmes?dataspace=nowhere").get_json()["items"] == []


@pytest.mark.parametrize(("cursor_from", "used_with"), [
    ("?limit=1", "?limit=1&kind=workshop"),
    ("?limit=1", "?limit=1&when=all"),
])
def test_a_cursor_from_another_query_is_refused_in_the_readers_language(client, cursor_from,
                                                                        used_with):
    space = factories.dataspace()
    for day in (1, 2):
        published(space, start=date(2030, 3, day))
    cursor = client.get(f"/api/v1/programmes{cursor_from}").get_json()["next_cursor"]

    response = client.get(f"/api/v1/programmes{used_with}&cursor={cursor}&lang=es",
                          headers={"Accept-Language": "es"})

    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["type"].endswith("#problem-foreign-cursor")
    assert problem["title"] == "Este cursor pertenece a otra consulta."
    assert problem["status"] == 400 and problem["instance"] == "/api/v1/programmes"


def test_a_forged_cursor_is_refused(client):
    response = client.get("/api/v1/programmes?cursor=eyJxIjoiIn0.forged")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "cursor"


def test_every_get_has_an_etag_and_answers_304_when_unchanged(client):
    published(factories.dataspace())
    first = client.get("/api/v1/programmes")
    assert first.headers["ETag"]
    again = client.get("/api/v1/programmes", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""

    published(factories.dataspace())  # the answer changes: the old ETag no longer matches
    changed = client.get("/api/v1/programmes", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and len(changed.get_json()["items"]) == 2


def test_modules_fall_back_to_another_language(client):
    item = factories.module(title={"en": "Sampling", "es": "Muestreo"},
                            body={"en": "Text in English"})
    body = client.get(f"/api/v1/modules/{item.slug}?lang=es").get_json()
    assert body["title"] == {"text": "Muestreo", "language": "es"}
    assert body["body"] == {"text": "Text in English", "language": "en"}  # no Spanish body
    assert client.get(f"/api/v1/modules/{item.slug}",
                      headers={"Accept-Language": "es"}).get_json()["title"]["language"] == "es"
    unpublished = factories.module(publish=False)
    assert client.get(f"/api/v1/modules/{unpublished.slug}").status_code == 404


def test_collections_list_their_published_modules(client):
    from app.curriculum import services as curriculum

    shown, hidden = factories.module(), factories.module()
    collection = curriculum.save_collection(None, title={"en": "Start here"}, description={},
                                            dataspace_id=None)
    curriculum.add_to_collection(collection, shown.slug)
    body = client.get("/api/v1/collections").get_json()
    assert [c["slug"] for c in body["items"]] == [collection.slug]
    detail = client.get(f"/api/v1/collections/{collection.slug}").get_json()
    assert [m["slug"] for m in detail["modules"]] == [shown.slug]
    assert hidden.slug not in str(detail)


def test_dataspaces_come_with_nodes_and_partners(client):
    from app.dataspaces import services as registry

    space = factories.dataspace(name={"en": "West Africa"})
    factories.node(space, slug="dakar", country_code="SN")
    institution = factories.institution()
    registry.add_partnership(space, institution.id, factories.PartnerRole.FUNDER)

    body = client.get(f"/api/v1/dataspaces/{space.slug}").get_json()

    assert [node["slug"] for node in body["nodes"]] == ["dakar"]
    assert body["partners"][0]["institution"]["slug"] == institution.slug
    assert body["partners"][0]["role"] == "funder"
    assert client.get("/api/v1/dataspaces/nowhere").status_code == 404


def test_list_pages_run_the_same_number_of_queries_for_one_row_as_for_many(app, client):
    space = factories.dataspace()
    factories.session(published(space), starts_local=factories.wall(2030, 3, 4, 9))
    factories.module()
    counts = []
    for _round in range(2):
        with count_queries(client.application) as counted:
            for url in ("/api/v1/programmes?limit=100", "/api/v1/modules?limit=100",
                        "/api/v1/dataspaces", "/api/v1/collections"):
                assert client.get(url).status_code == 200
        counts.append(counted.total)
        for day in range(1, 10):
            item = published(space, start=date(2030, 4, day))
            factories.session(item, starts_local=factories.wall(2030, 4, day, 9))
            factories.module()
            factories.node(space)
    assert counts[0] == counts[1]


# --- tokens ----------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_only_its_digest_is_kept(client, sign_in_as, post_form):
    account = sign_in_as(Role.PARTICIPANT)
    response = post_form("/account/tokens", {"name": "My script", "scope": "read", "days": "30"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    secret = page.split('class="secret">')[1].split("<")[0]
    assert secret.startswith("dst_")

    stored = db.session.scalars(select(AccessToken)).one()
    assert stored.user_id == account.id and stored.name == "My script"
    assert secret not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64
    assert secret not in client.get("/account/tokens").get_data(as_text=True)
    assert client.get("/api/v1/me/enrollments", headers=bearer(secret)).status_code == 200


def test_a_token_needs_a_name_and_an_offered_lifetime(client, sign_in_as, post_form):
    sign_in_as(Role.PARTICIPANT)
    response = post_form("/account/tokens", {"name": "", "scope": "read", "days": "30"})
    assert response.status_code == 422
    response = post_form("/account/tokens", {"name": "x", "scope": "read", "days": "9999"})
    assert response.status_code == 422
    response = post_form("/account/tokens", {"name": "x", "scope": "root", "days": "30"})
    assert response.status_code == 422
    assert db.session.scalars(select(AccessToken)).all() == []


def test_a_revoked_token_is_refused(client, sign_in_as):
    account = sign_in_as(Role.PARTICIPANT)
    secret = factories.access_token(account, "read")
    token = db.session.scalars(select(AccessToken)).one()
    page = client.get("/account/tokens").get_data(as_text=True)
    response = client.post(f"/account/tokens/{token.id}/revoke",
                           data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302

    refused = client.get("/api/v1/me/enrollments", headers=bearer(secret))
    assert refused.status_code == 401 and refused.mimetype == PROBLEM
    assert refused.get_json()["type"].endswith("#problem-token-revoked")


def test_someone_elses_token_cannot_be_revoked(client, sign_in_as):
    owner = factories.participant()
    factories.access_token(owner, "read")
    token = db.session.scalars(select(AccessToken)).one()
    sign_in_as(Role.PARTICIPANT)
    page = client.get("/account/tokens").get_data(as_text=True)
    response = client.post(f"/account/tokens/{token.id}/revoke",
                           data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_an_expired_token_is_refused(client):
    secret = factories.access_token(factories.participant(), "read", days=7)
    with frozen_time(utcnow() + timedelta(days=8)):
        refused = client.get("/api/v1/me/enrollments", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.get_json()["type"].endswith("#problem-token-expired")


@pytest.mark.parametrize("header", ["Bearer dst_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz",
                                    "Bearer " + "x" * 5000])
def test_a_missing_or_unknown_token_is_refused(client, header):
    refused = client.get("/api/v1/me/enrollments", headers={"Authorization": header})
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")


# --- the participant's enrollments ----------------------------------------------------------


def _cancel(client, seat, secret, **kwargs):
    if "data" not in kwargs:
        kwargs.setdefault("json", {"status": "cancelled"})
    return client.patch(f"/api/v1/me/enrollments/{seat.id}", headers=bearer(secret), **kwargs)


def test_a_participant_reads_and_cancels_their_enrollment(client):
    account = factories.participant()
    seat = enrolled(account, factories.open_programme())
    secret = factories.access_token(account, "enrollment")

    listed = client.get("/api/v1/me/enrollments", headers=bearer(secret)).get_json()
    assert [item["id"] for item in listed["items"]] == [seat.id]

    response = _cancel(client, seat, secret)
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    db.session.refresh(seat)
    assert seat.status == EnrollmentStatus.CANCELLED


def test_a_read_only_token_cannot_cancel(client):
    account = factories.participant()
    seat = enrolled(account, factories.open_programme())
    response = _cancel(client, seat, factories.access_token(account, "read"))
    assert response.status_code == 403
    assert response.get_json()["type"].endswith("#problem-insufficient-scope")
    db.session.refresh(seat)
    assert seat.status == EnrollmentStatus.CONFIRMED


def test_someone_elses_enrollment_does_not_exist(client):
    seat = enrolled(factories.participant(), factories.open_programme())
    response = _cancel(client, seat, factories.access_token(factories.participant(),
                                                            "enrollment"))
    assert response.status_code == 404
    db.session.refresh(seat)
    assert seat.status == EnrollmentStatus.CONFIRMED


@pytest.mark.parametrize(("send", "status", "kind"), [
    ({"data": "{not json", "content_type": "application/json"}, 400, "malformed-json"),
    ({"data": "status=cancelled",
      "content_type": "application/x-www-form-urlencoded"}, 415, "unsupported-media-type"),
    ({"json": {"status": "cancelled", "reason": "x"}}, 422, "invalid-input"),
    ({"json": {"status": "confirmed"}}, 422, "invalid-input"),
    ({"data": "[\"cancelled\"]", "content_type": "application/json"}, 422, "invalid-input"),
])
def test_bad_bodies_are_refused_with_a_problem_and_change_nothing(client, send, status, kind):
    account = factories.participant()
    seat = enrolled(account, factories.open_programme())
    response = _cancel(client, seat, factories.access_token(account, "enrollment"), **send)
    assert response.status_code == status and response.mimetype == PROBLEM
    assert response.get_json()["type"].endswith(f"#problem-{kind}")
    db.session.refresh(seat)
    assert seat.status == EnrollmentStatus.CONFIRMED


def test_invalid_fields_are_named_and_translated(client):
    response = client.get("/api/v1/programmes?limit=1000&colour=red&lang=fr")
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.get_json()["errors"]}
    assert errors == {"limit": "Ce nombre est trop grand.", "colour": "Ce champ est inconnu."}


def test_a_rule_of_the_domain_answers_a_problem(client):
    account = factories.participant()
    seat = enrolled(account, factories.open_programme(), status=EnrollmentStatus.CANCELLED)
    response = _cancel(client, seat, factories.access_token(account, "enrollment"))
    assert response.status_code == 409 and response.mimetype == PROBLEM
    assert response.get_json()["detail"] == "There is nothing to cancel."


# --- coordinators --------------------------------------------------------------------------------


@pytest.fixture
def coordinated():
    space = factories.dataspace()
    item = factories.open_programme(space=space)
    factories.session(item, starts_local=factories.wall(2030, 3, 4, 9))
    people = [factories.participant() for _ in range(3)]
    for number, person in enumerate(people, start=1):
        db.session.add(Enrollment(programme_id=item.id, user_id=person.id, queue_number=number,
                                  status=EnrollmentStatus.CONFIRMED))
    db.session.flush()
    return space, item


@pytest.mark.parametrize("path", ["roster", "attendance"])
@pytest.mark.parametrize(("who", "scope", "status"), [
    ("coordinator", "coordinator", 200),
    ("coordinator", "enrollment", 403),
    ("other_coordinator", "coordinator", 403),
    ("participant", "coordinator", 403),
    ("admin", "coordinator", 200),
])
def test_rosters_and_attendance_follow_the_permission_layer(client, coordinated, path, who,
                                                            scope, status):
    space, item = coordinated
    account = {"coordinator": lambda: factories.user(role=Role.COORDINATOR, dataspace=space),
               "other_coordinator": lambda: factories.user(role=Role.COORDINATOR,
                                                           dataspace=factories.dataspace()),
               "participant": factories.participant,
               "admin": lambda: factories.user(role=Role.ADMIN)}[who]()
    response = client.get(f"/api/v1/programmes/{item.slug}/{path}",
                          headers=bearer(factories.access_token(account, scope)))
    assert response.status_code == status


def test_a_roster_pages_by_cursor_and_reads_a_fixed_number_of_queries(client, coordinated):
    space, item = coordinated
    secret = factories.access_token(factories.user(role=Role.COORDINATOR, dataspace=space))
    first = client.get(f"/api/v1/programmes/{item.slug}/roster?limit=2",
                       headers=bearer(secret)).get_json()
    second = client.get(first["next"], headers=bearer(secret)).get_json()
    assert [e["queue_number"] for e in first["items"] + second["items"]] == [1, 2, 3]
    assert second["next"] is None

    def queries() -> int:
        with count_queries(client.application) as counted:
            client.get(f"/api/v1/programmes/{item.slug}/roster?limit=100", headers=bearer(secret))
        return counted.total

    few = queries()
    for number in range(4, 14):
        db.session.add(Enrollment(programme_id=item.id, user_id=factories.participant().id,
                                  queue_number=number, status=EnrollmentStatus.CONFIRMED))
    assert queries() == few


def test_a_dataspace_report_for_its_coordinators(client, coordinated):
    space, _item = coordinated
    secret = factories.access_token(factories.user(role=Role.COORDINATOR, dataspace=space))
    report = client.get(f"/api/v1/dataspaces/{space.slug}/report?from=2020-01-01",
                        headers=bearer(secret))
    assert report.status_code == 200
    assert set(report.get_json()["breakdowns"]) >= {"country", "sector", "gender"}
    backwards = client.get(f"/api/v1/dataspaces/{space.slug}/report?from=2021-01-01"
                           "&to=2020-01-01", headers=bearer(secret))
    assert backwards.status_code == 400
    bad_day = client.get(f"/api/v1/dataspaces/{space.slug}/report?from=2021-02-30",
                         headers=bearer(secret))
    assert bad_day.status_code == 422


# --- limits, the document ------------------------------------------------------------------------


def test_calls_are_limited_per_address(client):
    client.application.config["API_LIMIT_PER_ADDRESS"] = "3 per minute"
    statuses = [client.get("/api/v1/dataspaces").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/dataspaces")
    assert refused.mimetype == PROBLEM and refused.headers.get("Retry-After")


def test_calls_are_limited_per_token_whatever_the_address(client):
    client.application.config["API_LIMIT_PER_TOKEN"] = "2 per minute"
    secret = factories.access_token(factories.participant(), "read")
    statuses = [client.get("/api/v1/me/enrollments", headers=bearer(secret),
                           environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code
                for n in range(3)]
    assert statuses == [200, 200, 429]
    other = factories.access_token(factories.participant(), "read")
    assert client.get("/api/v1/me/enrollments", headers=bearer(other)).status_code == 200


def test_the_openapi_document_describes_every_route_of_the_api(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    documented = {path.replace("{", "<").replace("}", ">") for path in document["paths"]}
    routes = {rule.rule.replace("<int:", "<") for rule in client.application.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") and not rule.rule.endswith(
                  ("/openapi.json", "/docs"))}
    assert routes == documented
    problem = document["paths"]["/api/v1/programmes"]["get"]["responses"]["422"]
    assert list(problem["content"]) == [PROBLEM]


def test_the_documentation_page_shows_every_operation(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method in operations:
            assert f"{method.upper()} {path}" in page
    assert "problem-foreign-cursor" in page


def test_making_and_revoking_tokens_is_in_the_audit_log(client):
    from app.api import tokens as token_services
    from app.audit.models import AuditEntry

    account = factories.participant()
    secret = factories.access_token(account, "enrollment")
    token_services.revoke(account, token_services.find(secret).id)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("token.%"))
                                 .order_by(AuditEntry.id)).all()
    assert [(e.action, e.details["scope"]) for e in entries] == [
        ("token.created", "enrollment"), ("token.revoked", "enrollment")]
