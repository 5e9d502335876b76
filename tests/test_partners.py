"""Partners: institutions express interest from a Data Space's page or the network's, the
coordinators triage it (pipeline, assignment, notes, hand-over, reminders) and turn an agreed
one into a partnership; contact details go when the interest lapses or its writer asks."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.dataspaces.models import Institution, InstitutionKind, PartnerRole, Partnership
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.partners import jobs
from app.partners import services as partners
from app.partners.models import Interest, InterestNote, InterestStatus
from app.timeutil import frozen_time
from app.workshops.models import ProgrammeState
from tests import factories
from tests.querycount import count_queries
from tests.support import csrf_token_from

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _form(**changes) -> dict:
    values = {
        "organisation_name": "Lagos Data Hub", "organisation_kind": "ngo",
        "country_code": "NG", "website": "https://lagos-datahub.example.org",
        "contact_name": "Ngozi Okafor", "contact_role": "Director",
        "contact_email": "ngozi@example.org", "offers": ["co-teach", "fund"],
        "message": "We would like to co-teach the data journalism track.",
        "languages": ["en", "fr"], "consent": "y", "homepage": "",
    }
    return {key: value for key, value in {**values, **changes}.items() if value is not None}


def send_interest(client, url, *, seconds=20, address="127.0.0.1", **changes):
    """Fill the form in as a person does: load it, take ``seconds``, send it."""
    with frozen_time(T0):
        page = client.get(url).get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]*)"', page).group(1)
    data = {"csrf_token": csrf_token_from(page), "started": started, **_form(**changes)}
    with frozen_time(T0 + timedelta(seconds=seconds)):
        return client.post(url, data=data, environ_base={"REMOTE_ADDR": address})


def _interests() -> int:
    return db.session.scalar(select(func.count()).select_from(Interest))


@pytest.fixture
def latam(app):
    space = factories.dataspace("latin-america", name={"en": "Data Space Latin America",
                                                       "es": "Data Space América Latina"})
    coordinator = factories.user("camila@example.org", role=Role.COORDINATOR, dataspace=space)
    db.session.commit()
    return space, coordinator


# Writing in ---------------------------------------------------------------------------------


def test_an_institution_writes_in_its_language_and_both_sides_hear_of_it(client, latam, mailbox):
    space, coordinator = latam
    coordinator.preferred_language = "es"
    db.session.commit()
    client.get("/?lang=fr")
    response = send_interest(client, f"/dataspaces/{space.slug}/work-with-us")

    assert response.status_code == 302
    assert "/work-with-us/sent" in response.headers["Location"]
    interest = db.session.scalars(select(Interest)).one()
    assert (interest.dataspace_id, interest.status, interest.language) == (
        space.id, InterestStatus.NEW, "fr")
    assert interest.offers == ["co-teach", "fund"] and interest.languages == ["en", "fr"]
    confirmation = mailbox.to("ngozi@example.org")[0]
    assert "Lagos Data Hub" in confirmation["Subject"]
    body = confirmation.get_content()
    assert "Co-enseigner" in body  # in French
    assert "/work-with-us/erase/" in body
    notice = mailbox.to("camila@example.org")[0]
    assert "Lagos Data Hub" in notice["Subject"]
    assert f"/interests/{interest.id}" in notice.get_content()
    assert "Nueva" in notice["Subject"]  # the coordinator's own language


def test_the_network_form_reaches_the_admins_and_lets_people_choose(client, latam, mailbox):
    space, _coordinator = latam
    factories.user("admin@example.org", role=Role.ADMIN)
    db.session.commit()
    page = client.get("/work-with-us").get_data(as_text=True)
    assert "Data Space Latin America" in page  # where it could go

    assert send_interest(client, "/work-with-us", dataspace_id="").status_code == 302
    assert send_interest(client, "/work-with-us", dataspace_id=str(space.id),
                         contact_email="other@example.org").status_code == 302
    to_network, to_latam = db.session.scalars(select(Interest).order_by(Interest.id)).all()
    assert to_network.dataspace_id is None and to_latam.dataspace_id == space.id
    assert len(mailbox.to("admin@example.org")) == 1  # only the one to the network
    assert len(mailbox.to("camila@example.org")) == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"consent": None}, "agree to be contacted"),
    ({"contact_email": "not-an-address"}, "valid email"),
    ({"website": "lagos data hub"}, "full web address"),
    ({"message": "x" * 4001}, "4000"),
    ({"organisation_name": "x" * 201}, "200"),
    ({"offers": None}, "at least one way"),
    ({"offers": ["take-over"]}, "not a valid choice"),
    ({"country_code": "XX"}, "country"),
    ({"dataspace_id": "999999"}, "Choose a Data Space"),
    ({"offers": ["joint-project"]}, "joint project with"),
    ({"homepage": "http://spam.example"}, "could not be sent"),
])
def test_bad_input_is_refused_clearly_and_writes_nothing(client, latam, mailbox, changes,
                                                         message):
    response = send_interest(client, "/work-with-us", **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _interests() == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_joint_project_names_another_data_space(client, latam):
    space, _coordinator = latam
    other = factories.dataspace("west-africa")
    db.session.commit()
    same = send_interest(client, f"/dataspaces/{space.slug}/work-with-us",
                         offers=["joint-project"], partner_dataspace_id=str(space.id))
    assert same.status_code == 422 and "other than the one" in same.get_data(as_text=True)
    good = send_interest(client, f"/dataspaces/{space.slug}/work-with-us",
                         offers=["joint-project"], partner_dataspace_id=str(other.id))
    assert good.status_code == 302
    assert db.session.scalars(select(Interest)).one().partner_dataspace_id == other.id


def test_a_form_sent_back_at_once_or_with_a_forged_start_is_refused(client, latam):
    too_fast = send_interest(client, "/work-with-us", seconds=1)
    assert too_fast.status_code == 422
    assert "wait a few seconds" in too_fast.get_data(as_text=True)
    page = client.get("/work-with-us").get_data(as_text=True)
    forged = client.post("/work-with-us", data={
        "csrf_token": csrf_token_from(page), "started": "0", **_form()})
    assert forged.status_code == 422
    assert _interests() == 0


def test_an_unknown_data_space_has_no_form(client):
    assert client.get("/dataspaces/atlantis/work-with-us").status_code == 404


def test_a_flood_from_one_address_is_refused_with_429_and_writes_nothing(client, server, latam):
    server.config["INTEREST_LIMIT_PER_IP"] = "5 per hour;20 per day"
    server.config["INTEREST_LIMIT_PER_EMAIL"] = "3 per day"
    answers = [send_interest(client, "/work-with-us", address="10.9.0.1",
                             contact_email=f"person{n}@example.org").status_code
               for n in range(7)]
    assert answers == [302] * 5 + [429] * 2
    assert _interests() == 5
    # One contact address from many networks is a flood too.
    answers = [send_interest(client, "/work-with-us", address=f"10.9.1.{n}",
                             contact_email="same@example.org").status_code for n in range(4)]
    assert answers == [302] * 3 + [429]
    assert _interests() == 8


# Triage -------------------------------------------------------------------------------------


@pytest.fixture
def received(latam):
    space, coordinator = latam
    colleague = factories.user("joao@example.org", role=Role.COORDINATOR, dataspace=space)
    interest = partners.submit(factories.interest_details(space), "en")
    db.session.commit()
    return interest, coordinator, colleague


def _step(client, interest, action, **data):
    page = client.get(f"/interests/{interest.id}").get_data(as_text=True)
    return client.post(f"/interests/{interest.id}/{action}",
                       data={"csrf_token": csrf_token_from(page), **data})


def test_coordinators_move_assign_and_annotate_and_the_log_keeps_it(client, received, mailbox):
    interest, coordinator, colleague = received
    factories.sign_in(client, coordinator)
    listing = client.get("/interests/").get_data(as_text=True)
    assert "Lagos Data Hub" in listing

    assert _step(client, interest, "status", status="in-conversation").status_code == 302
    assert _step(client, interest, "assign", assignee_id=str(colleague.id)).status_code == 302
    assert _step(client, interest, "notes", body="Called Ngozi: they teach in English.")\
        .status_code == 302
    db.session.refresh(interest)
    assert interest.status == InterestStatus.IN_CONVERSATION
    assert interest.assignee_id == colleague.id
    assert [note.body for note in interest.notes] == ["Called Ngozi: they teach in English."]
    assert any("Assigned to you" in m["Subject"] for m in mailbox.to("joao@example.org"))
    page = client.get(f"/interests/{interest.id}").get_data(as_text=True)
    assert "Called Ngozi" in page and "ngozi@example.org" in page
    assert "Lagos Data Hub" in client.get("/interests/?status=in-conversation").get_data(
        as_text=True)
    assert "Lagos Data Hub" not in client.get("/interests/?status=new").get_data(as_text=True)
    # Assigned to the colleague: not among "mine".
    assert "Lagos Data Hub" not in client.get("/interests/?mine=1").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.subject_type == "interest").order_by(AuditEntry.id)).all()
    assert actions == ["interest.status", "interest.assigned"]


@pytest.mark.parametrize(("action", "data", "status", "message"), [
    ("status", {"status": "partner"}, 422, "Invalid Choice"),  # forged
    ("status", {"status": "new"}, 409, "cannot become"),  # not a move of the pipeline
    ("assign", {"assignee_id": "999999"}, 422, "team"),
    ("notes", {"body": "x" * 4001}, 422, "4000"),
    ("pass", {"dataspace_id": "999999"}, 422, "Choose a Data Space"),
])
def test_forged_or_impossible_triage_is_refused_and_changes_nothing(client, received, action,
                                                                    data, status, message):
    interest, coordinator, _colleague = received
    factories.sign_in(client, coordinator)
    before = (interest.status, interest.assignee_id, interest.last_activity_at)
    response = _step(client, interest, action, **data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    db.session.refresh(interest)
    assert (interest.status, interest.assignee_id, interest.last_activity_at) == before
    assert db.session.scalar(select(func.count()).select_from(InterestNote)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.subject_type == "interest")) == 0


def test_an_interest_passed_on_starts_again_with_the_other_team(client, received, mailbox):
    interest, coordinator, _colleague = received
    africa = factories.dataspace("west-africa")
    factories.user("awa@example.org", role=Role.COORDINATOR, dataspace=africa)
    db.session.commit()
    factories.sign_in(client, coordinator)
    _step(client, interest, "status", status="in-conversation")
    response = _step(client, interest, "pass", dataspace_id=str(africa.id))
    assert response.status_code == 302 and response.headers["Location"].endswith("/interests/")
    db.session.refresh(interest)
    assert (interest.dataspace_id, interest.passed_from_id, interest.status) == (
        africa.id, coordinator.coordinated_dataspace_ids().pop(), InterestStatus.NEW)
    assert any("Passed to you" in m["Subject"] for m in mailbox.to("awa@example.org"))
    assert client.get(f"/interests/{interest.id}").status_code == 403  # no longer theirs


# Converting ---------------------------------------------------------------------------------


def _agreed(interest, coordinator):
    partners.move(interest, InterestStatus.AGREED, coordinator)
    db.session.commit()


def test_an_agreed_interest_becomes_a_partnership_merged_with_the_registry(client, received):
    interest, coordinator, _colleague = received
    known = factories.institution({"en": "Lagos Data-Hub", "fr": "Pôle de données de Lagos"},
                                  website="http://www.lagos-datahub.example.org/")
    unrelated = factories.institution({"en": "Lagos Business School"})
    _agreed(interest, coordinator)
    factories.sign_in(client, coordinator)
    page = client.get(f"/interests/{interest.id}/convert").get_data(as_text=True)
    assert "Merge with Lagos Data-Hub" in page and "Lagos Business School" not in page
    assert re.search(r'<option selected value="academic">', page)  # co-teaching: academic

    response = client.post(f"/interests/{interest.id}/convert", data={
        "csrf_token": csrf_token_from(page), "institution_id": str(known.id),
        "role": "academic", "starts_on": "2026-07-01", "agreement_reference": "MoU-2026-07"})
    assert response.status_code == 302
    partnership = db.session.scalars(select(Partnership)).one()
    assert (partnership.institution_id, partnership.role, partnership.starts_on,
            partnership.agreement_reference) == (known.id, PartnerRole.ACADEMIC,
                                                 date(2026, 7, 1), "MoU-2026-07")
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 2
    assert unrelated.id != partnership.institution_id
    assert "Lagos Data-Hub" in client.get("/dataspaces/latin-america").get_data(as_text=True)

    twice = client.post(f"/interests/{interest.id}/convert", data={
        "csrf_token": csrf_token_from(page), "institution_id": "0", "role": "funder",
        "starts_on": "2026-07-01"})
    assert twice.status_code == 422
    assert "already became a partnership" in twice.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Partnership)) == 1
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 2
    converted = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "interest.converted")).one()
    assert converted.details["role"] == "academic"


def test_without_a_match_the_institution_is_made_from_the_form(received):
    interest, coordinator, _colleague = received
    _agreed(interest, coordinator)
    assert partners.matching_institutions(interest) == []
    partners.convert(interest, partners.Conversion(None, PartnerRole.FUNDER, date(2026, 7, 1),
                                                   None), coordinator)
    made = interest.institution
    assert (made.name.get_text("en"), made.kind, made.country_code, made.website) == (
        "Lagos Data Hub", InstitutionKind.NGO, "NG", "https://lagos-datahub.example.org")


def test_only_an_agreed_interest_can_be_converted(client, received):
    interest, coordinator, _colleague = received
    factories.sign_in(client, coordinator)
    page = client.get(f"/interests/{interest.id}/convert").get_data(as_text=True)
    response = client.post(f"/interests/{interest.id}/convert", data={
        "csrf_token": csrf_token_from(page), "institution_id": "0", "role": "funder",
        "starts_on": "2026-07-01"})
    assert response.status_code == 422
    assert "Only an agreed interest" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 0


# Reminders and erasure ----------------------------------------------------------------------


def test_quiet_interests_are_reminded_once_by_two_schedulers(app, database_uri, received):
    from app import create_app
    from tests.support import config_for_tests

    interest, coordinator, _colleague = received
    for _ in range(4):
        partners.submit(factories.interest_details(received[0].dataspace), "en")
    db.session.commit()
    later = interest.last_activity_at + timedelta(days=15)
    instances = [create_app(config_for_tests(database_uri, 25), instance_path=app.instance_path)
                 for _ in range(2)]
    barrier = threading.Barrier(2, timeout=60)
    errors, counts = [], []

    def scheduler(instance):
        barrier.wait()
        with instance.app_context():
            try:
                counts.append(jobs.remind_untouched(later))
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=scheduler, args=(instance,)) for instance in instances]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(counts) == 5
    reminders = db.session.scalars(select(OutboxMessage.to).where(
        OutboxMessage.subject.like("Waiting for an answer%"))).all()
    # Nobody is assigned: each of the five goes to both coordinators, once.
    assert sorted(reminders) == ["camila@example.org"] * 5 + ["joao@example.org"] * 5
    assert jobs.remind_untouched(later + timedelta(days=1)) == 0  # still quiet: not again
    with frozen_time(later + timedelta(days=1)):
        partners.add_note(interest, "Answered.", coordinator)
    db.session.commit()
    assert jobs.remind_untouched(later + timedelta(days=14)) == 0  # touched 14 days ago
    assert jobs.remind_untouched(later + timedelta(days=30)) == 1  # quiet again: only it


def test_lapsed_interests_lose_their_contact_details_and_partners_keep_them(app, received):
    interest, coordinator, _colleague = received
    space = interest.dataspace
    months_later = interest.last_activity_at + timedelta(days=731)
    with frozen_time(months_later - timedelta(days=300)):
        recent = partners.submit(factories.interest_details(space, contact_email="r@x.org"), "en")
    with frozen_time(T0):
        became_partner = partners.submit(factories.interest_details(space), "en")
        partners.move(became_partner, InterestStatus.AGREED, coordinator)
        partners.convert(became_partner, partners.Conversion(
            None, PartnerRole.FUNDER, date(2026, 7, 1), None), coordinator)
    partners.add_note(interest, "Spoke on the phone.", coordinator)
    db.session.commit()

    assert jobs.erase_lapsed(months_later) == 1  # the recent one and the partner's stay
    db.session.refresh(interest)
    assert (interest.contact_name, interest.contact_email, interest.message) == (None,) * 3
    assert interest.notes == [] and interest.organisation_name == "Lagos Data Hub"
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.to == "ngozi@example.org")) == 0
    db.session.refresh(recent)
    db.session.refresh(became_partner)
    assert recent.contact_email == "r@x.org"
    assert became_partner.contact_email == "ngozi@example.org"
    assert jobs.erase_lapsed(months_later) == 0  # once


def test_the_retention_period_is_a_setting(app, received):
    interest = received[0]
    app.config["INTEREST_RETENTION_MONTHS"] = 1
    assert jobs.erase_lapsed(interest.last_activity_at + timedelta(days=20)) == 0
    assert jobs.erase_lapsed(interest.last_activity_at + timedelta(days=40)) == 1


def test_the_writer_erases_their_details_from_the_confirmation_email(client, latam, mailbox):
    space, _coordinator = latam
    send_interest(client, f"/dataspaces/{space.slug}/work-with-us")
    link = re.search(r"https?://\S+/work-with-us/erase/\S+",
                     mailbox.to("ngozi@example.org")[0].get_content()).group(0)
    path = link.split("training.test", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "Lagos Data Hub" in page.get_data(as_text=True)
    assert db.session.scalars(select(Interest)).one().contact_email == "ngozi@example.org"

    done = client.post(path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert done.status_code == 200 and "erased" in done.get_data(as_text=True)
    interest = db.session.scalars(select(Interest)).one()
    assert interest.erased_at is not None and interest.contact_email is None
    assert db.session.scalars(select(AuditEntry.action)).all()[-1] == "interest.erased"
    assert client.get(path[:-3] + "abc").status_code == 404  # a forged link


# The front door -----------------------------------------------------------------------------


def test_the_data_space_page_is_its_front_door(client, latam):
    space, _coordinator = latam
    host = factories.institution({"en": "Universidad Andina"})
    factories.node(space, "bogota", is_anchor=True, host_id=host.id,
                   city={"en": "Bogotá"})
    funder = factories.institution({"en": "Open Development Foundation"}, website="https://odf.example.org")
    from app.dataspaces import services as registry
    registry.add_partnership(space, funder.id, PartnerRole.FUNDER, starts_on=date(2016, 1, 1))
    registry.add_team_member(space, person_name="Camila Rojas", title={"en": "Coordinator"},
                             email=None, node_id=None)
    node = space.nodes[0]
    factories.programme(space, node_=node, title={"en": "Summer school 2030"},
                        start=date(2030, 7, 1), state=ProgrammeState.PUBLISHED)
    factories.programme(space, node_=node, title={"en": "Workshop 2016"},
                        start=date(2016, 4, 1), state=ProgrammeState.COMPLETED)
    factories.programme(space, node_=node, title={"en": "A draft"}, start=date(2030, 9, 1))
    factories.grant([space], funder, public=True)
    hidden = factories.grant([space], funder, public=False)
    from app.curriculum import services as curriculum
    curriculum.save_collection(None, title={"en": "Official statistics reading list"},
                               description={}, dataspace_id=space.id)
    db.session.commit()

    page = client.get(f"/dataspaces/{space.slug}").get_data(as_text=True)
    for expected in ("Camila Rojas", "Hosted by Universidad Andina", "Funder",
                     "Open Development Foundation", "Summer school 2030", "Workshop 2016",
                     "Official statistics reading list", f"/dataspaces/{space.slug}/work-with-us",
                     "/progress"):
        assert expected in page, expected
    assert "A draft" not in page
    assert f"/grants/{hidden.slug}/progress" not in page


def test_the_network_page_shows_partners_of_several_data_spaces(client, latam):
    space, _coordinator = latam
    africa = factories.dataspace("west-africa")
    shared = factories.institution({"en": "Global Statistics Partnership"})
    single = factories.institution({"en": "Only Here University"})
    from app.dataspaces import services as registry
    registry.add_partnership(space, shared.id, PartnerRole.ACADEMIC)
    registry.add_partnership(africa, shared.id, PartnerRole.FUNDER)
    registry.add_partnership(space, single.id, PartnerRole.ACADEMIC)
    registry.add_partnership(space, single.id, PartnerRole.FUNDER)  # two roles, one Data Space
    db.session.commit()
    page = client.get("/dataspaces/").get_data(as_text=True)
    section = page.split("Partners in several Data Spaces", 1)[1]
    assert "Global Statistics Partnership" in section
    assert "Only Here University" not in section
    assert "/work-with-us" in section


def test_the_interests_list_costs_the_same_queries_for_one_or_many(server, client, latam):
    space, coordinator = latam
    factories.sign_in(client, coordinator)
    counted_last = []

    def queries() -> int:
        with count_queries(server) as counted:
            assert client.get("/interests/").status_code == 200
        counted_last[:] = counted.statements
        return len(counted.statements)

    first = partners.submit(factories.interest_details(space), "en")
    partners.assign(first, coordinator.id, coordinator)
    db.session.commit()
    one = queries()
    for number in range(9):
        interest = partners.submit(factories.interest_details(
            space, organisation_name=f"Org {number}"), "en")
        partners.assign(interest, coordinator.id, coordinator)
    db.session.commit()
    many = queries()
    assert many == one, "\n".join(s[:160] for s in counted_last)
