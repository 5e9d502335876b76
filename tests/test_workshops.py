"""Programmes: editing, lifecycle, sessions across time zones, conflicts, catalogue, calendars."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app.auth.models import Role
from app.errors import DomainError
from app.extensions import db
from app.timeutil import frozen_time
from app.workshops import jobs, services
from app.workshops.models import Programme, ProgrammeState, Session, StateTransition
from tests import factories
from tests.factories import wall
from tests.support import feed_address


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def bogota():
    space = factories.dataspace("latin-america")
    return space, factories.node(space, "bogota", time_zone="America/Bogota", country_code="CO")


@pytest.fixture
def coordinator(sign_in_as, bogota):
    return sign_in_as(Role.COORDINATOR, bogota[0])


def programme_form(space, node, **overrides):
    return {"title-en": "Big data for official statistics",
            "title-es": "Big data para estadísticas oficiales", "kind": "workshop",
            "dataspace_id": str(space.id), "node_id": str(node.id), "languages": ["en", "es"],
            "delivery_mode": "in-person", "start_date": "2030-03-04", "end_date": "2030-03-06",
            "capacity": "25", "enrollment_mode": "open", "min_attendance_percent": "80",
            "registration_opens_local": "2030-01-10T09:00",
            "registration_closes_local": "2030-02-28T18:00", **overrides}


def test_coordinator_creates_a_bilingual_programme_in_the_nodes_time_zone(
        app, client, post_form, coordinator, bogota):
    space, node = bogota
    response = post_form("/workshops/new", programme_form(space, node))
    assert response.status_code == 302
    item = db.session.scalar(select(Programme))
    assert item.state == ProgrammeState.DRAFT
    assert item.languages == ["en", "es"]
    assert item.time_zone == "America/Bogota"
    # 09:00 in Bogotá (UTC-5) is 14:00 UTC
    assert item.registration_opens_at == datetime(2030, 1, 10, 14, 0, tzinfo=UTC)
    assert client.get(f"/workshops/{item.slug}").status_code == 200
    post_form("/sign-out", {}, page="/")
    assert client.get(f"/workshops/{item.slug}").status_code == 404, "drafts are not public"


@pytest.mark.parametrize(("change", "message"), [
    ({"end_date": "2030-03-01"}, "cannot end before it starts"),
    ({"time_zone": "Mars/Olympus"}, "not a known IANA time zone"),
    ({"capacity": "0"}, "at least one seat"),
    ({"languages": []}, "languages of instruction"),
    ({"registration_closes_local": "2030-01-01T09:00"}, "close after it opens"),
    ({"delivery_mode": "online"}, "needs a meeting link"),
    ({"start_date": "9999-12-30", "end_date": "9999-12-31"}, "between 1900 and 2200"),
    ({"registration_opens_local": "0001-01-01T00:00"}, "between 1900 and 2200"),
    ({"capacity": "²"}, "at least one seat"),
])
def test_bad_programme_input_is_refused_and_nothing_is_written(
        app, client, post_form, coordinator, bogota, change, message):
    space, node = bogota
    response = post_form("/workshops/new", programme_form(space, node, **change))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Programme) == 0


def test_a_city_of_another_data_space_is_refused(app, client, post_form, coordinator, bogota):
    space, _node = bogota
    other = factories.node(factories.dataspace("west-africa"), "dakar", time_zone="Africa/Dakar")
    response = post_form("/workshops/new", programme_form(space, other))
    assert response.status_code == 422
    assert count(Programme) == 0


def test_lifecycle_allows_only_its_transitions_and_records_them(app, client, post_form,
                                                                coordinator, bogota):
    item = factories.programme(bogota[0], node_=bogota[1])
    page = f"/workshops/{item.slug}"
    skip = post_form(f"{page}/transition", {"to": "in-progress"}, page=page)
    assert skip.status_code == 409
    for state in ("published", "registration-open", "registration-closed"):
        assert post_form(f"{page}/transition", {"to": state}, page=page).status_code == 302
    db.session.expire_all()
    steps = db.session.scalars(select(StateTransition).order_by(StateTransition.id)).all()
    assert [(s.from_state.value, s.to_state.value) for s in steps] == [
        ("draft", "published"), ("published", "registration-open"),
        ("registration-open", "registration-closed")]
    assert {s.actor_id for s in steps} == {coordinator.id}
    assert post_form(f"{page}/transition", {"to": "cancelled"}, page=page).status_code == 302
    assert post_form(f"{page}/transition", {"to": "published"}, page=page).status_code == 409
    assert post_form(f"{page}/transition", {"to": "flying"}, page=page).status_code == 400


def test_completed_programmes_cannot_be_cancelled_or_edited(app, bogota):
    item = factories.programme(bogota[0], node_=bogota[1], state=ProgrammeState.COMPLETED)
    with pytest.raises(DomainError, match="cannot go from"):
        services.transition(item, ProgrammeState.CANCELLED, actor=None)
    with pytest.raises(DomainError, match="no longer be changed"):
        factories.session(item, starts_local=wall(2030, 3, 4, 9))


def test_enrollment_mode_is_fixed_once_registration_opened(app, client, post_form, coordinator,
                                                           bogota):
    space, node = bogota
    item = factories.programme(space, node_=node, state=ProgrammeState.REGISTRATION_OPEN)
    db.session.commit()
    form = programme_form(space, node, enrollment_mode="application",
                          registration_opens_local="", registration_closes_local="")
    response = post_form(f"/workshops/{item.slug}/edit", form)
    assert response.status_code == 422
    assert "enrollment mode can no longer change" in response.get_data(as_text=True)


# --- sessions and time zones ------------------------------------------------------------------


@pytest.fixture
def new_york():
    space = factories.dataspace("north-america")
    return space, factories.node(space, "nyc", time_zone="America/New_York", country_code="US")


def test_sessions_are_stored_in_utc_across_a_daylight_saving_change(app, new_york):
    """New York leaves summer time on 1 November 2026: 10:00 is 14:00 UTC before, 15:00 after."""
    item = factories.programme(new_york[0], node_=new_york[1], start=date(2026, 10, 30), days=5)
    before = factories.session(item, starts_local=wall(2026, 10, 31, 10, 0))
    after = factories.session(item, starts_local=wall(2026, 11, 2, 10, 0))
    assert before.starts_at == datetime(2026, 10, 31, 14, 0, tzinfo=UTC)
    assert after.starts_at == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def test_agenda_shows_local_times_on_both_sides_of_the_change(app, client, new_york):
    item = factories.programme(new_york[0], node_=new_york[1], start=date(2026, 10, 30), days=5,
                               state=ProgrammeState.PUBLISHED)
    factories.session(item, starts_local=wall(2026, 10, 31, 10, 0), title={"en": "Before"})
    factories.session(item, starts_local=wall(2026, 11, 2, 10, 0), title={"en": "After"})
    html = client.get(f"/workshops/{item.slug}?lang=en").get_data(as_text=True)
    html = html.replace("\u202f", " ")  # CLDR puts a narrow no-break space before AM/PM
    assert html.count(">10:00 AM</time>") == 2
    client.set_cookie("tz", "Europe/Paris")
    html = client.get(f"/workshops/{item.slug}?lang=en").get_data(as_text=True)
    html = html.replace("\u202f", " ")
    # Paris leaves summer time on 25 October: 10:00 in New York is 15:00 in Paris on 31 October,
    # and 16:00 on 2 November.
    assert "your time:" in html
    assert "3:00 PM" in html and "4:00 PM" in html


@pytest.mark.parametrize(("local", "message"), [
    (wall(2027, 3, 14, 2, 30), "does not exist"),  # clocks jump from 02:00 to 03:00
    (wall(2026, 11, 1, 1, 30), "happens twice"),  # clocks go back from 02:00 to 01:00
])
def test_times_that_do_not_exist_or_happen_twice_are_refused(app, new_york, local, message):
    item = factories.programme(new_york[0], node_=new_york[1], start=local.date(), days=1)
    with pytest.raises(DomainError, match=message):
        factories.session(item, starts_local=local)


def test_a_session_outside_the_programme_is_refused(app, bogota):
    item = factories.programme(bogota[0], node_=bogota[1], start=date(2030, 3, 4), days=2)
    with pytest.raises(DomainError, match="outside the programme"):
        factories.session(item, starts_local=wall(2030, 3, 6, 9))
    with pytest.raises(DomainError, match="outside the programme"):
        factories.session(item, starts_local=wall(2030, 3, 5, 23), hours=2)


def test_an_instructor_cannot_be_in_two_places_at_once_across_time_zones(app, bogota):
    teacher = factories.user(role=Role.INSTRUCTOR, display_name="Ana Teacher")
    dakar_space = factories.dataspace("west-africa")
    dakar = factories.node(dakar_space, "dakar", time_zone="Africa/Dakar", country_code="SN")
    in_bogota = factories.programme(bogota[0], node_=bogota[1], instructors=[teacher])
    in_dakar = factories.programme(dakar_space, node_=dakar, instructors=[teacher])
    # 10:00-12:00 in Bogotá (UTC-5) is 15:00-17:00 UTC
    factories.session(in_bogota, starts_local=wall(2030, 3, 4, 10), instructors=[teacher])
    with pytest.raises(DomainError, match="Ana Teacher already teaches"):
        # 16:00-18:00 in Dakar (UTC) overlaps it
        factories.session(in_dakar, starts_local=wall(2030, 3, 4, 16), instructors=[teacher])
    factories.session(in_dakar, starts_local=wall(2030, 3, 4, 17), instructors=[teacher])
    assert count(Session) == 2


def test_a_room_is_booked_once_per_city(app, bogota):
    space, node = bogota
    first = factories.programme(space, node_=node)
    second = factories.programme(space, node_=node)
    factories.session(first, starts_local=wall(2030, 3, 4, 9), room="Sala 2")
    with pytest.raises(DomainError, match="Sala 2 is already booked"):
        factories.session(second, starts_local=wall(2030, 3, 4, 10), room="sala 2")
    elsewhere = factories.programme(space, node_=factories.node(space, "medellin"))
    factories.session(elsewhere, starts_local=wall(2030, 3, 4, 10), room="Sala 2")


def test_bad_session_input_through_the_form_is_refused(app, client, post_form, coordinator, bogota):
    item = factories.programme(bogota[0], node_=bogota[1])
    db.session.commit()
    response = post_form(f"/workshops/{item.slug}/sessions/new", {
        "title-en": "Opening", "starts_local": "2030-03-04T12:00",
        "ends_local": "2030-03-04T11:00"})
    assert response.status_code == 422
    assert "must end after it starts" in response.get_data(as_text=True)
    assert count(Session) == 0


# --- instructors --------------------------------------------------------------------------------


def test_instructors_edit_room_and_materials_of_their_session_only(app, client, post_form, bogota):
    teacher = factories.user(role=Role.INSTRUCTOR)
    item = factories.programme(bogota[0], node_=bogota[1], instructors=[teacher],
                               state=ProgrammeState.PUBLISHED)
    session = factories.session(item, starts_local=wall(2030, 3, 4, 9), instructors=[teacher])
    factories.sign_in(client, teacher)
    page = f"/workshops/{item.slug}/sessions/{session.id}/edit"
    response = post_form(page, {"room": "Aula 5", "materials": "Slides on the drive",
                                "starts_local": "2030-03-04T15:00"})
    assert response.status_code == 302
    db.session.refresh(session)
    assert (session.room, session.materials) == ("Aula 5", "Slides on the drive")
    assert session.starts_at == datetime(2030, 3, 4, 14, tzinfo=UTC), "times stay the coordinator's"
    assert session.sequence == 1
    assert client.get(f"/workshops/{item.slug}/edit").status_code == 403
    html = client.get("/workshops/my-sessions").get_data(as_text=True)
    assert "Aula 5" in html


# --- calendars -------------------------------------------------------------------------------


def events(body: bytes) -> dict:
    return {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_programme_calendar_keeps_uids_and_raises_sequence_on_changes(app, client, bogota):
    item = factories.programme(bogota[0], node_=bogota[1], state=ProgrammeState.PUBLISHED)
    kept = factories.session(item, starts_local=wall(2030, 3, 4, 9), title={"en": "Kept"})
    moved = factories.session(item, starts_local=wall(2030, 3, 5, 9), title={"en": "Moved"})
    dropped = factories.session(item, starts_local=wall(2030, 3, 6, 9), title={"en": "Dropped"})
    db.session.commit()
    first = client.get(f"/workshops/{item.slug}/calendar.ics")
    assert first.headers["Content-Type"].startswith("text/calendar")
    before = events(first.data)
    assert len(before) == 3
    services.save_session(item, moved, services.SessionDetails(
        title={"en": "Moved"}, module_id=None, starts_local=wall(2030, 3, 5, 11),
        ends_local=wall(2030, 3, 5, 13), room=None, materials=None, instructor_ids=[]))
    services.cancel_session(dropped)
    db.session.commit()
    after = events(client.get(f"/workshops/{item.slug}/calendar.ics").data)
    assert set(after) == set(before)
    uid = "session-{}@dataspace-training"
    assert after[uid.format(kept.uid)]["sequence"] == 0
    assert after[uid.format(moved.uid)]["sequence"] == 1
    assert after[uid.format(moved.uid)].decoded("dtstart") == datetime(2030, 3, 5, 16, tzinfo=UTC)
    assert str(after[uid.format(dropped.uid)]["status"]) == "CANCELLED"
    assert after[uid.format(dropped.uid)]["sequence"] == 1


def test_instructor_private_feed_can_be_revoked(app, client, post_form, bogota):
    teacher = factories.user(role=Role.INSTRUCTOR)
    item = factories.programme(bogota[0], node_=bogota[1], instructors=[teacher],
                               state=ProgrammeState.PUBLISHED)
    factories.session(item, starts_local=wall(2030, 3, 4, 9), instructors=[teacher])
    factories.sign_in(client, teacher)
    html = post_form("/workshops/my-sessions/feed", {}, page="/workshops/my-sessions").get_data(
        as_text=True)
    first = feed_address(html)
    assert len(events(client.get(first).data)) == 1
    post_form("/workshops/my-sessions/feed", {}, page="/workshops/my-sessions")
    assert client.get(first).status_code == 404
    assert client.get("/calendar/guessed-token.ics").status_code == 404


# --- the scheduler -----------------------------------------------------------------------------


def dated_programme(space, node, opens: datetime, closes: datetime, start: date, days: int = 2):
    return factories.programme(
        space, node_=node, start=start, days=days, state=ProgrammeState.PUBLISHED,
        registration_opens_local=opens, registration_closes_local=closes)


def test_scheduler_moves_programmes_by_their_dates(app, bogota):
    space, node = bogota
    item = dated_programme(space, node, wall(2030, 1, 10, 9), wall(2030, 2, 28, 18),
                           date(2030, 3, 4))
    db.session.commit()
    moments = [
        (datetime(2030, 1, 10, 13, 59, tzinfo=UTC), ProgrammeState.PUBLISHED),
        (datetime(2030, 1, 10, 14, 0, tzinfo=UTC), ProgrammeState.REGISTRATION_OPEN),
        (datetime(2030, 2, 28, 23, 0, tzinfo=UTC), ProgrammeState.REGISTRATION_CLOSED),
        (datetime(2030, 3, 4, 5, 0, tzinfo=UTC), ProgrammeState.IN_PROGRESS),  # midnight local
        (datetime(2030, 3, 6, 4, 59, tzinfo=UTC), ProgrammeState.IN_PROGRESS),
        (datetime(2030, 3, 6, 5, 0, tzinfo=UTC), ProgrammeState.COMPLETED),
    ]
    for moment, expected in moments:
        jobs.advance_programmes(moment)
        db.session.refresh(item)
        assert item.state == expected, moment


def test_two_schedulers_at_once_make_each_move_exactly_once(app, database_uri, bogota):
    from app import create_app
    from tests.support import config_for_tests

    space, node = bogota
    for _ in range(6):
        dated_programme(space, node, wall(2030, 1, 10, 9), wall(2030, 2, 28, 18),
                        date(2030, 3, 4))
    db.session.commit()
    barrier = threading.Barrier(2, timeout=60)
    errors = []
    instances = [create_app(config_for_tests(database_uri, 25), instance_path=app.instance_path)
                 for _ in range(2)]

    def scheduler_instance(instance, moment):
        barrier.wait()
        with instance.app_context():
            try:
                jobs.advance_programmes(moment)
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    for moment in (datetime(2030, 1, 11, tzinfo=UTC), datetime(2030, 3, 1, tzinfo=UTC)):
        threads = [threading.Thread(target=scheduler_instance, args=(instance, moment))
                   for instance in instances]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    db.session.expire_all()
    moves = db.session.execute(
        select(StateTransition.programme_id, StateTransition.to_state, func.count())
        .where(StateTransition.actor_id.is_(None),
               StateTransition.to_state.in_([ProgrammeState.REGISTRATION_OPEN,
                                             ProgrammeState.REGISTRATION_CLOSED]))
        .group_by(StateTransition.programme_id, StateTransition.to_state)).all()
    assert len(moves) == 12
    assert {row[2] for row in moves} == {1}


def test_scheduler_command_runs_the_jobs_once(app, runner, bogota):
    space, node = bogota
    item = dated_programme(space, node, wall(2020, 1, 10, 9), wall(2099, 2, 28, 18),
                           date(2099, 3, 4))
    with frozen_time(datetime(2030, 1, 1, tzinfo=UTC)):
        result = runner.invoke(args=["scheduler", "run", "--once"])
    assert result.exit_code == 0, result.output
    db.session.refresh(item)
    assert item.state == ProgrammeState.REGISTRATION_OPEN


def test_running_the_scheduler_again_changes_nothing(app, bogota):
    space, node = bogota
    dated_programme(space, node, wall(2030, 1, 10, 9), wall(2030, 2, 28, 18),
                    date(2030, 3, 4))
    db.session.commit()
    moment = datetime(2030, 1, 11, tzinfo=UTC)
    assert jobs.advance_programmes(moment) == 1
    assert jobs.advance_programmes(moment) == 0
    assert jobs.advance_programmes(moment + timedelta(seconds=1)) == 0
