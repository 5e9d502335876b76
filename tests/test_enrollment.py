"""Enrollment: seats, waiting lists, applications, the participant's space, coordinators' tools."""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.enrollment import changes, decisions, jobs, profiles, seats
from app.enrollment.models import Enrollment, EnrollmentStatus, ParticipantProfile
from app.errors import DomainError
from app.extensions import db
from app.timeutil import frozen_time, utcnow
from app.workshops.models import EnrollmentMode, Programme, ProgrammeState
from tests import factories
from tests.browser import live_server
from tests.support import csrf_token_from, feed_address


def statuses(programme) -> dict:
    rows = db.session.execute(select(Enrollment.status, func.count()).where(
        Enrollment.programme_id == programme.id).group_by(Enrollment.status)).all()
    return {status.value: count for status, count in rows}


def counters(programme) -> tuple[int, int]:
    db.session.expire_all()
    fresh = db.session.get(Programme, programme.id)
    return fresh.seats_taken, fresh.waiting_count


def test_open_programme_confirms_while_seats_remain_then_waitlists(app, mailbox):
    programme = factories.open_programme(capacity=2)
    people = [factories.participant(f"p{n}@example.org", language="es") for n in range(4)]
    results = [seats.enroll(person, programme).status for person in people]
    db.session.commit()
    assert [r.value for r in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert counters(programme) == (2, 2)
    assert mailbox.to("p0@example.org")[0]["Subject"].startswith("Tu plaza está confirmada")
    waiting = mailbox.to("p3@example.org")[0].get_content()
    assert "número 2" in waiting and "/waitlist/leave/" in waiting


def _enrol_in_threads(flask_app, programme_id, user_ids):
    barrier = threading.Barrier(len(user_ids), timeout=60)
    errors = []

    def worker(user_id):
        barrier.wait()  # all start together, before any of them holds a connection
        with flask_app.app_context():
            try:
                programme = db.session.get(Programme, programme_id)
                person = db.session.get(User, user_id)
                seats.enroll(person, programme)
                db.session.commit()
            except Exception as error:
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def assert_fair(programme, capacity, total):
    rows = db.session.scalars(select(Enrollment).where(Enrollment.programme_id == programme.id)
                              .order_by(Enrollment.queue_number)).all()
    assert len(rows) == total, "nothing lost, nothing duplicated"
    assert [r.queue_number for r in rows] == list(range(1, total + 1))
    assert [r.status.value for r in rows] == ["confirmed"] * capacity + \
        ["waitlisted"] * (total - capacity), "seats in arrival order, then the waiting list"
    assert counters(programme) == (capacity, total - capacity)


def test_simultaneous_enrollments_through_the_service_never_exceed_capacity(app, server, mailbox):
    programme = factories.open_programme(capacity=5)
    people = [factories.participant(f"racer{n}@example.org") for n in range(30)]
    db.session.commit()
    errors = _enrol_in_threads(server, programme.id, [p.id for p in people])
    assert errors == []
    assert_fair(programme, capacity=5, total=30)


def signed_in_browser(base: str, person, page: str):
    """A browser of its own (cookies and all) signed in as ``person`` on the live server, and
    the CSRF token of ``page``."""
    browser = build_opener(HTTPCookieProcessor(CookieJar()))
    token = csrf_token_from(browser.open(f"{base}/sign-in").read().decode())
    browser.open(f"{base}/sign-in", urlencode({
        "csrf_token": token, "email": person.email, "password": factories.PASSWORD,
    }).encode())
    return browser, csrf_token_from(browser.open(f"{base}{page}").read().decode())


def test_simultaneous_enrollments_over_http_never_exceed_capacity(app, server, mailbox):
    server.config["SIGN_IN_LIMIT_PER_IP"] = "1000 per minute"
    programme = factories.open_programme(capacity=3)
    people = [factories.participant(f"web{n}@example.org") for n in range(15)]
    db.session.commit()
    with live_server(server) as base:
        browsers = [signed_in_browser(base, person, f"/workshops/{programme.slug}/enroll")
                    for person in people]
        barrier = threading.Barrier(len(browsers), timeout=60)
        codes = []

        def post(browser, token):
            barrier.wait()
            response = browser.open(f"{base}/workshops/{programme.slug}/enroll",
                                    urlencode({"csrf_token": token}).encode())
            codes.append(response.status)

        threads = [threading.Thread(target=post, args=pair) for pair in browsers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert codes == [200] * 15  # each followed its redirect to "My programmes"
    assert_fair(programme, capacity=3, total=15)


def test_one_person_cannot_hold_two_enrollments(app, client, post_form):
    programme = factories.open_programme(capacity=5)
    person = factories.participant("twice@example.org")
    seats.enroll(person, programme)
    db.session.commit()
    with pytest.raises(DomainError, match="already registered"):
        seats.enroll(person, programme)
    db.session.rollback()
    factories.sign_in(client, person)
    response = post_form(f"/workshops/{programme.slug}/enroll?lang=fr", {},
                         page=f"/workshops/{programme.slug}/enroll")
    assert response.status_code == 409
    assert "déjà inscrit" in response.get_data(as_text=True)
    assert statuses(programme) == {"confirmed": 1}


@pytest.mark.parametrize(("state", "shift", "message"), [
    (ProgrammeState.PUBLISHED, None, "not open"),
    (ProgrammeState.CANCELLED, None, "not open"),
    (ProgrammeState.REGISTRATION_OPEN, "before", "has not opened yet"),
    (ProgrammeState.REGISTRATION_OPEN, "after", "has closed"),
])
def test_registration_window_is_enforced_by_the_server(app, state, shift, message):
    programme = factories.programme(
        state=state, registration_opens_local=factories.wall(2030, 1, 10, 9),
        registration_closes_local=factories.wall(2030, 2, 28, 18))
    person = factories.participant()
    moment = {None: utcnow(), "before": utcnow().replace(year=2029),
              "after": utcnow().replace(year=2030, month=3, day=1)}[shift]
    with frozen_time(moment), pytest.raises(DomainError, match=message):
        seats.enroll(person, programme)
    assert statuses(programme) == {}


def test_enrolling_without_consent_sends_to_the_profile_first(app, client):
    programme = factories.open_programme()
    person = factories.user(role=Role.PARTICIPANT)
    factories.sign_in(client, person)
    response = client.get(f"/workshops/{programme.slug}/enroll")
    assert response.status_code == 302 and "/me/profile" in response.headers["Location"]


def test_profile_needs_consent_and_accepts_any_script(app, client, post_form):
    person = factories.user(role=Role.PARTICIPANT)
    factories.sign_in(client, person)
    form = {"given_name": "محمد", "family_name": "", "sector": "ngo", "country_code": "LB",
            "gender": "", "certificate_name": ""}
    refused = post_form("/me/profile?lang=es", form, page="/me/profile")
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ParticipantProfile)) == 0
    assert post_form("/me/profile", {**form, "consent": "y"}, page="/me/profile").status_code == 302
    saved = profiles.profile_of(person)
    assert saved.certificate_name == "محمد" and saved.family_name is None
    assert saved.consent_policy_version == profiles.POLICY_VERSION and saved.consent_at


# --- the waiting list --------------------------------------------------------------------------


@pytest.fixture
def full_programme(app):
    programme = factories.open_programme(capacity=1, start=(utcnow() + timedelta(days=30)).date())
    first, second, third = (factories.participant(f"q{n}@example.org") for n in range(3))
    for person in (first, second, third):
        seats.enroll(person, programme)
    db.session.commit()
    return programme, first, second, third


def enrollment(person, programme) -> Enrollment:
    db.session.expire_all()
    return seats.enrollment_of(person, programme)


def test_a_freed_seat_is_offered_to_the_first_in_line_and_held(app, mailbox, full_programme):
    programme, first, second, _third = full_programme
    changes.cancel(enrollment(first, programme))
    db.session.commit()
    offer = enrollment(second, programme)
    assert offer.status == EnrollmentStatus.OFFERED
    assert offer.offer_expires_at - utcnow() > timedelta(hours=47)
    assert mailbox.to("q1@example.org")[-1]["Subject"].startswith("A seat is free for you")
    newcomer = factories.participant("late@example.org")
    assert seats.enroll(newcomer, programme).status == EnrollmentStatus.WAITLISTED
    changes.accept_offer(enrollment(second, programme))
    db.session.commit()
    assert enrollment(second, programme).status == EnrollmentStatus.CONFIRMED
    assert counters(programme) == (1, 2)


def test_declining_passes_the_seat_on(app, full_programme):
    programme, first, second, third = full_programme
    changes.cancel(enrollment(first, programme))
    changes.decline_offer(enrollment(second, programme))
    db.session.commit()
    assert enrollment(third, programme).status == EnrollmentStatus.OFFERED


def test_expired_offers_pass_on_exactly_once_with_two_instances(app, server, mailbox,
                                                                full_programme):
    programme, first, second, third = full_programme
    changes.cancel(enrollment(first, programme))
    db.session.commit()
    later = utcnow() + timedelta(hours=49)
    barrier = threading.Barrier(2, timeout=60)
    expired = []

    def instance():
        with server.app_context():
            barrier.wait()
            expired.append(jobs.expire_offers(later))
            db.session.remove()

    threads = [threading.Thread(target=instance) for _ in range(2)]
    # At that moment (for both): the offer the job makes runs from then, so the instance that
    # comes second never finds it already lapsed.
    with frozen_time(later):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(expired) == [0, 1]
    assert enrollment(second, programme).status == EnrollmentStatus.DECLINED
    assert enrollment(third, programme).status == EnrollmentStatus.OFFERED
    assert counters(programme) == (1, 0)
    with frozen_time(later):  # queued then: the sender sends it from then on
        expired_mail = [m for m in mailbox.to("q1@example.org") if "expired" in m["Subject"]]
    assert len(expired_mail) == 1


def test_a_cancel_racing_an_accept_of_the_same_offer_has_one_outcome(app, server,
                                                                    full_programme):
    """The participant accepts the offer in one tab and cancels in another, at once: one of
    the two happens, the other is refused with a clear message, and the seat counts stay
    right (never two seats for one)."""
    programme, first, second, third = full_programme
    changes.cancel(enrollment(first, programme))
    db.session.commit()
    offer_id = enrollment(second, programme).id
    barrier = threading.Barrier(2, timeout=60)
    outcomes = {}

    def tab(action):
        with server.app_context():
            offer = db.session.get(Enrollment, offer_id)
            barrier.wait()
            try:
                action(offer)
                db.session.commit()
                outcomes[action.__name__] = "done"
            except DomainError as refusal:
                db.session.rollback()
                outcomes[action.__name__] = str(refusal.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tab, args=(action,))
               for action in (changes.accept_offer, changes.cancel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["This registration changed meanwhile; please look "
                                         "again.", "done"]
    if outcomes["accept_offer"] == "done":
        assert enrollment(second, programme).status == EnrollmentStatus.CONFIRMED
        assert enrollment(third, programme).status == EnrollmentStatus.WAITLISTED
        assert counters(programme) == (1, 1)
    else:
        assert enrollment(second, programme).status == EnrollmentStatus.CANCELLED
        assert enrollment(third, programme).status == EnrollmentStatus.OFFERED
        assert counters(programme) == (1, 0)


def test_raising_the_capacity_offers_seats_to_the_waiting_list(app, full_programme):
    from app.workshops import services as workshops

    programme, _first, second, third = full_programme
    details = factories.programme_details(programme, capacity=3)
    workshops.save_programme(programme, details)
    db.session.commit()
    assert enrollment(second, programme).status == EnrollmentStatus.OFFERED
    assert enrollment(third, programme).status == EnrollmentStatus.OFFERED


def test_capacity_cannot_drop_below_the_seats_held_and_says_what_holds_them(app):
    from app.workshops import services as workshops

    programme = factories.open_programme(capacity=2)
    held = [seats.enroll(factories.participant(f"s{n}@example.org"), programme)
            for n in range(3)]
    changes.cancel(held[0])  # the third person now holds an offer, not a confirmed seat
    assert [s.status.value for s in held] == ["cancelled", "confirmed", "offered"]
    with pytest.raises(DomainError, match=r"^2 seats are held \(by confirmed participants and "
                                          r"open seat offers\)"):
        workshops.save_programme(programme, factories.programme_details(programme, capacity=1))


def test_waitlisted_people_see_their_position_and_leave_from_the_email(app, client, mailbox,
                                                                       full_programme):
    programme, _first, _second, third = full_programme
    factories.sign_in(client, third)
    assert "number 2 in line" in client.get("/me/?lang=en").get_data(as_text=True)
    link = next(line for line in mailbox.to("q2@example.org")[0].get_content().splitlines()
            if "/waitlist/leave/" in line).replace("http://training.test", "")
    page = client.get(link).get_data(as_text=True)
    client.post(link, data={"csrf_token": csrf_token_from(page)})
    assert enrollment(third, programme).status == EnrollmentStatus.CANCELLED
    assert counters(programme) == (1, 1)
    assert client.get(link[:-4] + "abcd").status_code == 404


def test_cancellation_deadline_is_enforced(app, full_programme):
    programme, first, *_ = full_programme
    deadline = changes.cancellation_deadline(programme)
    with frozen_time(deadline + timedelta(minutes=1)), pytest.raises(DomainError,
                                                                       match="deadline"):
        changes.cancel(enrollment(first, programme))


# --- applications --------------------------------------------------------------------------------


@pytest.fixture
def by_application(app):
    programme = factories.open_programme(capacity=1, enrollment_mode=EnrollmentMode.APPLICATION)
    question = decisions.add_question(programme, {"en": "What data do you work with?",
                                                 "es": "¿Con qué datos trabajas?"})
    db.session.commit()
    return programme, question


def test_applications_need_a_motivation_of_reasonable_length(app, client, post_form,
                                                             by_application):
    programme, question = by_application
    factories.sign_in(client, factories.participant())
    page = f"/workshops/{programme.slug}/enroll"
    for motivation in ("", "x" * 5001):
        response = post_form(page, {"motivation": motivation, f"answer-{question.id}": "CDR"})
        assert response.status_code == 422
    too_long = post_form(page, {"motivation": "I analyse census data.",
                                f"answer-{question.id}": "x" * 2001})
    assert too_long.status_code in (409, 422)
    assert statuses(programme) == {}
    ok = post_form(page, {"motivation": "I analyse census data.",
                          f"answer-{question.id}": "Call detail records"})
    assert ok.status_code == 302
    saved = db.session.scalar(select(Enrollment))
    assert saved.status == EnrollmentStatus.APPLIED
    assert saved.answers == {str(question.id): "Call detail records"}


def test_coordinators_decide_in_bulk_and_applicants_hear_in_their_language(
        app, client, post_form, mailbox, by_application):
    programme, _ = by_application
    people = [factories.participant(f"a{n}@example.org", language=lang)
              for n, lang in enumerate(["fr", "pt", "es"])]
    for person in people:
        seats.enroll(person, programme, motivation="Because.", answers={})
    db.session.commit()
    coordinator = factories.user(role=Role.COORDINATOR, dataspace=programme.dataspace)
    factories.sign_in(client, coordinator)
    ids = [str(enrollment(p, programme).id) for p in people]
    roster = f"/workshops/{programme.slug}/roster"
    post_form(f"/workshops/{programme.slug}/decisions",
              {"enrollment": ids[:1], "decision": "accept", "note": "Strong profile"}, page=roster)
    post_form(f"/workshops/{programme.slug}/decisions",
              {"enrollment": ids[1:], "decision": "waitlist"}, page=roster)
    db.session.expire_all()
    assert [enrollment(p, programme).status.value for p in people] == [
        "confirmed", "waitlisted", "waitlisted"]
    assert enrollment(people[0], programme).internal_note == "Strong profile"
    subjects = {address: [m["Subject"] for m in mailbox.to(address)]
                for address in ("a0@example.org", "a1@example.org")}
    assert any(s.startswith("Votre candidature a été acceptée") for s in subjects["a0@example.org"])
    assert any("espera" in s for s in subjects["a1@example.org"])
    refused = post_form(f"/workshops/{programme.slug}/decisions",
                        {"enrollment": ["999999"], "decision": "reject"}, page=roster)
    assert refused.status_code == 422


# --- the participant's space ----------------------------------------------------------------


def test_my_data_download_and_account_deletion(app, client, post_form, full_programme):
    programme, first, second, _third = full_programme
    factories.sign_in(client, first)
    data = client.get("/me/data.json").get_json()
    assert data["account"]["email"] == "q0@example.org"
    assert data["enrollments"][0]["status"] == "confirmed"
    bad = post_form("/me/delete", {"password": "wrong password", "confirm": "y"},
                    page="/me/delete")
    assert bad.status_code == 422
    ok = post_form("/me/delete", {"password": factories.PASSWORD, "confirm": "y"},
                   page="/me/delete")
    assert ok.status_code == 302
    db.session.expire_all()
    gone = db.session.get(User, first.id)
    assert gone.email.endswith("@deleted.invalid") and not gone.active
    assert profiles.profile_of(gone).certificate_name == "—"
    assert profiles.profile_of(gone).country_code == "CO", "aggregates stay right"
    assert enrollment(second, programme).status == EnrollmentStatus.OFFERED, "the seat moved on"


def test_participants_only_touch_their_own_enrollments(app, client, post_form, full_programme):
    programme, first, second, _ = full_programme
    factories.sign_in(client, second)
    theirs = enrollment(first, programme)
    response = post_form(f"/me/enrollments/{theirs.id}/cancel", {}, page="/me/")
    assert response.status_code == 404
    assert enrollment(first, programme).status == EnrollmentStatus.CONFIRMED


def test_private_calendar_gives_meeting_links_to_confirmed_participants(app, client, post_form):
    from app.workshops.models import DeliveryMode

    programme = factories.open_programme(capacity=1, delivery_mode=DeliveryMode.ONLINE,
                                         meeting_url="https://meet.example.org/room")
    factories.session(programme, starts_local=factories.wall(2030, 3, 4, 9))
    person = factories.participant()
    seats.enroll(person, programme)
    db.session.commit()
    factories.sign_in(client, person)
    html = post_form("/me/calendar", {}, page="/me/").get_data(as_text=True)
    feed = feed_address(html)
    body = client.get(feed).get_data(as_text=True)
    assert "meet.example.org/room" in body
    page = client.get(f"/workshops/{programme.slug}").get_data(as_text=True)
    assert "https://meet.example.org/room" in page
    factories.sign_in(client, factories.participant())
    assert "https://meet.example.org/room" not in client.get(
        f"/workshops/{programme.slug}").get_data(as_text=True)


def test_reminders_go_once_before_the_first_session(app, mailbox):
    programme = factories.open_programme(capacity=2)
    factories.session(programme, starts_local=factories.wall(2030, 3, 4, 9))
    person = factories.participant("soon@example.org")
    seats.enroll(person, programme)
    db.session.commit()
    first_session = programme.sessions[0].starts_at
    assert jobs.send_reminders(first_session - timedelta(hours=30)) == 0
    assert jobs.send_reminders(first_session - timedelta(hours=20)) == 1
    assert jobs.send_reminders(first_session - timedelta(hours=19)) == 0
    assert len([m for m in mailbox.to("soon@example.org") if "Tomorrow" in m["Subject"]]) == 1


# --- coordinators' roster -------------------------------------------------------------------------


@pytest.fixture
def coordinator_of(sign_in_as):
    return lambda programme: sign_in_as(Role.COORDINATOR, programme.dataspace)


def test_roster_filters_counts_and_exports(app, client, coordinator_of, full_programme):
    programme = full_programme[0]
    coordinator_of(programme)
    html = client.get(f"/workshops/{programme.slug}/roster?status=waitlisted&lang=en").get_data(
        as_text=True)
    assert "q1@example.org" in html and "q0@example.org" not in html
    assert "1 of 1 seats taken, 2 waiting." in html
    csv_body = client.get(f"/workshops/{programme.slug}/roster.csv").data.decode("utf-8-sig")
    assert csv_body.splitlines()[0].startswith("Arrival,Status")
    assert len(csv_body.splitlines()) == 4
    xlsx = client.get(f"/workshops/{programme.slug}/roster.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 4 and sheet["F2"].value == "q0@example.org"
    assert client.get(f"/workshops/{programme.slug}/roster?status=nonsense").status_code == 400


def test_roster_runs_a_fixed_number_of_queries(app, client, coordinator_of):
    from sqlalchemy import insert

    from tests.querycount import count_queries

    programme = factories.open_programme(capacity=10_000)
    coordinator_of(programme)

    def add(count, start):
        users = [{"email": f"bulk{start + n}@example.org", "display_name": "Bulk",
                  "active": True, "created_at": utcnow(), "updated_at": utcnow()}
                 for n in range(count)]
        db.session.execute(insert(User), users)
        ids = db.session.scalars(select(User.id).where(User.email.like("bulk%"))
                                 .order_by(User.id)).all()[start:]
        db.session.execute(insert(Enrollment), [
            {"programme_id": programme.id, "user_id": uid, "status": EnrollmentStatus.CONFIRMED,
             "queue_number": start + n + 1, "answers": {}, "created_at": utcnow(),
             "updated_at": utcnow()} for n, uid in enumerate(ids)])
        db.session.commit()

    add(10, 0)
    with count_queries(client.application) as small:
        assert client.get(f"/workshops/{programme.slug}/roster").status_code == 200
    add(4990, 10)
    with count_queries(client.application) as large:
        assert client.get(f"/workshops/{programme.slug}/roster").status_code == 200
    assert large.total == small.total


def csv_file(text: str):
    return (io.BytesIO(text.encode("utf-8")), "people.csv")


def test_csv_import_invites_everyone_or_nobody(app, client, post_form, mailbox, coordinator_of):
    programme = factories.open_programme(capacity=5)
    coordinator_of(programme)
    page = f"/workshops/{programme.slug}/import"
    bad = ("email,given_name,family_name,sector,country,language\n"
           "ok@example.org,Ana,Pérez,ngo,CO,es\n"
           "not-an-email,Bo,,ngo,CO,\n"
           "ok@example.org,Ana,Again,nowhere,XX,tlh\n")
    response = post_form(page, {"file": csv_file(bad)}, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "invalid email address" in html and "appears twice" in html and "unknown sector" in html
    assert "<td>3</td>" in html and "<td>4</td>" in html
    assert statuses(programme) == {} and mailbox.messages == []
    good = ("email,given_name,family_name,sector,country,language\n"
            "ok@example.org,Ana,Pérez,ngo,CO,es\nbo@example.org,Bo,,academia,SN,fr\n")
    assert post_form(page, {"file": csv_file(good)},
                     content_type="multipart/form-data").status_code == 302
    assert statuses(programme) == {"confirmed": 2}
    assert mailbox.to("bo@example.org")[0]["Subject"].startswith("Vous êtes invité")


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", b"name\nAna\n", b""])
def test_malformed_csv_is_refused(app, client, post_form, coordinator_of, content):
    programme = factories.open_programme()
    coordinator_of(programme)
    response = post_form(f"/workshops/{programme.slug}/import",
                         {"file": (io.BytesIO(content), "x.csv")},
                         content_type="multipart/form-data")
    assert response.status_code == 422


def test_the_leave_link_never_cancels_a_confirmed_seat(app, client, mailbox, full_programme):
    programme, first, second, _third = full_programme
    link = next(line for line in mailbox.to("q1@example.org")[0].get_content().splitlines()
                if "/waitlist/leave/" in line).replace("http://training.test", "")
    changes.cancel(enrollment(first, programme))
    changes.accept_offer(enrollment(second, programme))
    db.session.commit()
    assert "Cancel" not in client.get(link).get_data(as_text=True)
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    response = client.post(link, data={"csrf_token": token})  # a hand-made POST
    assert response.status_code == 409
    assert enrollment(second, programme).status == EnrollmentStatus.CONFIRMED


def test_bulk_decisions_keep_existing_notes(app, client, post_form, by_application):
    programme, _ = by_application
    person = factories.participant()
    applied = seats.enroll(person, programme, motivation="Because.", answers={})
    decisions.set_note(applied, "Needs a visa letter")
    db.session.commit()
    factories.sign_in(client, factories.user(role=Role.COORDINATOR,
                                              dataspace=programme.dataspace))
    post_form(f"/workshops/{programme.slug}/decisions",
              {"enrollment": [str(applied.id)], "decision": "accept", "note": ""},
              page=f"/workshops/{programme.slug}/roster")
    assert enrollment(person, programme).internal_note == "Needs a visa letter"


@pytest.mark.parametrize(
    "query", ["page=²", "page=100000000000000000000", "dataspace=99999999999999"])
def test_absurd_numbers_in_addresses_are_refused_with_400(app, client, query):
    assert client.get(f"/workshops/?{query}").status_code == 400
    assert client.get(f"/knowledge/?{query}").status_code == 400


# --- a refused bulk form writes nothing -----------------------------------------------------


def _outbox_size() -> int:
    from app.outbox.models import OutboxMessage

    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


@pytest.mark.parametrize("second", ["foreign", "99999999999999999999", "²"])
def test_a_refused_bulk_decision_decides_nothing_and_emails_no_one(
        app, client, post_form, by_application, second):
    programme, _ = by_application
    applied = seats.enroll(factories.participant(), programme, motivation="Because.",
                              answers={})
    foreign = seats.enroll(factories.participant(), factories.open_programme())
    db.session.commit()
    factories.sign_in(client, factories.user(role=Role.COORDINATOR,
                                              dataspace=programme.dataspace))
    emails = _outbox_size()
    ids = [str(applied.id), str(foreign.id) if second == "foreign" else second]
    response = post_form(f"/workshops/{programme.slug}/decisions",
                         {"enrollment": ids, "decision": "reject"},
                         page=f"/workshops/{programme.slug}/roster")
    assert response.status_code in (400, 422)
    db.session.expire_all()
    assert db.session.get(Enrollment, applied.id).status == EnrollmentStatus.APPLIED
    assert _outbox_size() == emails


def test_a_savepoint_before_the_first_write_commits_nothing_by_itself(app, server):
    """The mechanism under the bulk forms: a savepoint released, then the request refused."""
    from app.dataspaces.models import Institution, InstitutionKind

    with server.app_context():
        with db.session.begin_nested():
            db.session.add(Institution(slug="savepoint-test", name={"en": "Savepoint"},
                                       kind=InstitutionKind.UNIVERSITY))
        db.session.rollback()
        db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 0


def test_exports_quote_formulas_and_leave_empty_cells_empty(app):
    import csv

    from app import exports

    row = ["", None, "=HYPERLINK(\"http://x\")", "-1+2", "@SUM(A1)", "\tcmd", "Ana-María", 7]
    text = exports.as_csv(["a"] * len(row), [row]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "", "", "'=HYPERLINK(\"http://x\")", "'-1+2", "'@SUM(A1)", "'\tcmd", "Ana-María", "7"]
    sheet = load_workbook(io.BytesIO(exports.as_xlsx(["a"] * len(row), [row], "t"))).active
    assert [cell.value for cell in sheet[2]][:3] == [None, None, "'=HYPERLINK(\"http://x\")"]


def test_an_erased_account_leaves_its_email_in_no_message_and_no_audit_entry(
        app, client, post_form, mailbox):
    from app.audit.models import AuditEntry
    from app.auth import services as accounts
    from app.outbox.models import OutboxMessage

    person = factories.participant("erase.me@example.org", given_name="Zoë")
    admin = factories.user("root@example.org", role=Role.ADMIN)
    grant = accounts.grant_role(person, Role.INSTRUCTOR, None, actor=admin)
    accounts.revoke_role(person, grant.id, actor=admin)
    seats.enroll(person, factories.open_programme())  # a confirmation email, pending
    db.session.commit()
    assert _outbox_size() >= 1
    factories.sign_in(client, person)
    assert post_form("/me/delete", {"password": factories.PASSWORD, "confirm": "y"}
                     ).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to == "erase.me@example.org")).all() == []
    logged = " ".join(str(entry.details) for entry in db.session.scalars(select(AuditEntry)))
    assert "role.revoked" in {e.action for e in db.session.scalars(select(AuditEntry))}
    assert "erase.me@example.org" not in logged
    assert mailbox.to("erase.me@example.org") == [], "what was waiting never leaves"


@pytest.mark.parametrize("mode", [EnrollmentMode.OPEN, EnrollmentMode.APPLICATION])
def test_a_first_enrollment_sent_several_times_at_once_gives_one_seat_and_no_error(
        app, server, mailbox, mode):
    """A double (or sextuple) click on a slow connection: one enrollment, and every request
    answers with a page, not a server error."""
    from urllib.error import HTTPError

    server.config["SIGN_IN_LIMIT_PER_IP"] = "1000 per minute"
    programme = factories.open_programme(capacity=3, enrollment_mode=mode)
    person = factories.participant("double@example.org")
    db.session.commit()
    with live_server(server) as base:
        browser, token = signed_in_browser(base, person, f"/workshops/{programme.slug}/enroll")
        body = urlencode({"csrf_token": token, "motivation": "Census work."})
        barrier = threading.Barrier(6, timeout=60)
        codes = []

        def post():
            barrier.wait()
            try:
                codes.append(browser.open(f"{base}/workshops/{programme.slug}/enroll",
                                          body.encode()).status)
            except HTTPError as error:
                codes.append(error.code)

        threads = [threading.Thread(target=post) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert all(code < 500 for code in codes), codes
    assert codes.count(200) >= 1
    assert statuses(programme) in ({"confirmed": 1}, {"applied": 1})


def test_a_csv_import_offers_existing_accounts_a_seat_and_leaves_their_profile_alone(
        app, client, post_form, mailbox, coordinator_of):
    programme = factories.open_programme(capacity=5)
    coordinator_of(programme)
    admin = factories.user("boss@example.org", role=Role.ADMIN)  # no profile
    member = factories.participant("member@example.org", given_name="Amara")
    db.session.commit()
    rows = ("email,given_name,family_name,sector,country,language\n"
            "boss@example.org,Mallory,Fake,ngo,CO,es\n"
            "member@example.org,Renamed,Person,ngo,SN,fr\n"
            "new@example.org,Nuevo,Pérez,academia,CO,es\n")
    response = post_form(f"/workshops/{programme.slug}/import", {"file": csv_file(rows)},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    assert profiles.profile_of(admin) is None
    assert profiles.profile_of(member).given_name == "Amara"
    assert enrollment(admin, programme).status == EnrollmentStatus.OFFERED
    assert enrollment(member, programme).status == EnrollmentStatus.OFFERED
    newcomer = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert enrollment(newcomer, programme).status == EnrollmentStatus.CONFIRMED
    assert profiles.profile_of(newcomer).given_name == "Nuevo"
    assert mailbox.to("boss@example.org")[0]["Subject"].startswith("A seat is free for you")


def test_every_domain_erases_its_own_rows_of_an_erased_account(app, client, post_form):
    """Erasing sends ``user_erased``; curriculum, workshops, auth, outbox and audit each
    answer for their rows."""
    from app.auth.models import RoleGrant, SignIn
    from app.curriculum import services as curriculum
    from app.workshops import services as workshops
    from app.workshops.models import CalendarFeed

    person = factories.participant("gone@example.org")
    curriculum.toggle_saved(person, factories.module())
    workshops.new_feed_token(person)
    db.session.commit()
    factories.sign_in(client, person)
    assert post_form("/me/delete", {"password": factories.PASSWORD, "confirm": "y"}
                     ).status_code == 302
    db.session.expire_all()
    assert curriculum.reading_list(person) == []
    for model in (CalendarFeed, RoleGrant, SignIn):
        assert db.session.scalars(select(model).where(model.user_id == person.id)).all() == []
    assert person.email == f"deleted-{person.id}@deleted.invalid" and not person.active
