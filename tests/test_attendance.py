"""Attendance: rosters on a phone, QR check-in, corrections and their history, rates, exports."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from app.attendance import checkin, services
from app.attendance.models import AttendanceChange, AttendanceMark, Mark
from app.auth.models import Role
from app.enrollment import jobs as enrollment_jobs
from app.enrollment import seats as enrollment_seats
from app.enrollment.models import EnrollmentStatus
from app.errors import DomainError
from app.extensions import db
from app.timeutil import frozen_time
from tests import factories


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def course(app):
    """A programme of four sessions, three confirmed participants and one on the waiting list."""
    teacher = factories.user("teacher@example.org", role=Role.INSTRUCTOR)
    programme = factories.open_programme(capacity=3, instructors=[teacher], days=4)
    sessions = [factories.session(programme, starts_local=factories.wall(2030, 3, 4 + n, 9),
                                  instructors=[teacher]) for n in range(4)]
    people = [factories.participant(f"s{n}@example.org", given_name=name)
              for n, name in enumerate(["Ana María", "Kofi", "Nguyễn Thị Hoa", "Late Comer"])]
    enrollments = [enrollment_seats.enroll(person, programme) for person in people]
    db.session.commit()
    assert enrollments[3].status == EnrollmentStatus.WAITLISTED
    return programme, sessions, enrollments, teacher


def during(session):
    return frozen_time(session.starts_at + timedelta(minutes=10))


def roster_form(enrollments, marks) -> dict:
    return {f"mark-{e.id}": mark for e, mark in zip(enrollments, marks, strict=False)}


def test_one_post_saves_the_whole_roster_and_a_resubmit_doubles_nothing(app, client, post_form,
                                                                      course):
    _programme, sessions, enrollments, teacher = course
    factories.sign_in(client, teacher)
    page = f"/attendance/sessions/{sessions[0].id}"
    form = roster_form(enrollments, ["present", "late", "absent"])
    with during(sessions[0]):
        assert post_form(page, form).status_code == 302
        assert post_form(page, form).status_code == 302  # the flaky connection sends it again
    assert count(AttendanceMark) == 3
    assert count(AttendanceChange) == 3
    with during(sessions[0]):
        post_form(page, roster_form(enrollments, ["present", "present", "absent"]))
    changes = db.session.scalars(select(AttendanceChange).order_by(AttendanceChange.id)).all()
    assert [(c.from_mark, c.to_mark) for c in changes][-1] == (Mark.LATE, Mark.PRESENT)
    assert changes[-1].changed_by_id == teacher.id


def test_mark_everyone_present_keeps_what_was_marked_otherwise(app, client, post_form, course):
    _programme, sessions, enrollments, teacher = course
    factories.sign_in(client, teacher)
    with during(sessions[0]):
        post_form(f"/attendance/sessions/{sessions[0].id}",
                  {"all_present": "1", f"mark-{enrollments[2].id}": "excused"})
    marks = services.marks_of(sessions[0])
    assert marks == {enrollments[0].id: Mark.PRESENT, enrollments[1].id: Mark.PRESENT,
                     enrollments[2].id: Mark.EXCUSED}


@pytest.mark.parametrize(("marks", "status", "message"), [
    ({"mark-{0}": "teleported"}, 422, "Elige presente"),
    ({"mark-{3}": "present"}, 409, "no son participantes confirmados"),
])
def test_bad_marks_are_refused_and_nothing_changes(app, client, post_form, course, marks,
                                                   status, message):
    _programme, sessions, enrollments, teacher = course
    factories.sign_in(client, teacher)
    form = {key.format(*[e.id for e in enrollments]): value for key, value in marks.items()}
    with during(sessions[0]):
        response = post_form(f"/attendance/sessions/{sessions[0].id}?lang=es", form)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert count(AttendanceMark) == 0


def test_marks_for_another_programmes_participants_are_refused(app, course):
    _programme, sessions, _enrollments, teacher = course
    other = factories.open_programme(capacity=2)
    stranger = enrollment_seats.enroll(factories.participant(), other)
    with during(sessions[0]), pytest.raises(DomainError, match="not confirmed participants"):
        services.record_marks(sessions[0], {stranger.id: Mark.PRESENT}, teacher)


def test_future_sessions_cannot_be_marked_and_corrections_lock_after_the_grace_period(app,
                                                                                     course):
    programme, sessions, enrollments, teacher = course
    with during(sessions[0]), pytest.raises(DomainError, match="not started"):
        services.record_marks(sessions[3], {enrollments[0].id: Mark.PRESENT}, teacher)
    lock = services.locked_after(programme)
    with frozen_time(lock - timedelta(minutes=1)):
        services.record_marks(sessions[0], {enrollments[0].id: Mark.PRESENT}, teacher)
    with frozen_time(lock + timedelta(minutes=1)), pytest.raises(DomainError, match="closed"):
        services.record_marks(sessions[0], {enrollments[0].id: Mark.ABSENT}, teacher)


# --- QR check-in ---------------------------------------------------------------------------------


def test_a_scanned_code_checks_in_only_to_the_session_under_way(app, client, course):
    _programme, sessions, enrollments, teacher = course
    token = checkin.token(enrollments[0])
    with during(sessions[1]):
        services.check_in(sessions[1], token, teacher)
        with pytest.raises(DomainError, match="Already checked in"):
            services.check_in(sessions[1], token, teacher)
        with pytest.raises(DomainError, match="under way"):
            services.check_in(sessions[2], token, teacher)  # tomorrow's session
        with pytest.raises(DomainError, match="under way"):
            services.check_in(sessions[0], token, teacher)  # yesterday's
    assert services.marks_of(sessions[1]) == {enrollments[0].id: Mark.PRESENT}
    assert services.marks_of(sessions[0]) == {} and services.marks_of(sessions[2]) == {}


def test_typed_codes_and_forged_or_foreign_codes(app, client, post_form, course):
    _programme, sessions, enrollments, teacher = course
    factories.sign_in(client, teacher)
    page = f"/attendance/sessions/{sessions[0].id}/check-in"
    typed = checkin.display_code(enrollments[1]).lower().replace("-", " ")
    forged = checkin.token(enrollments[2])[:-2] + "xx"
    other = factories.open_programme(capacity=2)
    outsider = enrollment_seats.enroll(factories.participant(), other)
    db.session.commit()
    with during(sessions[0]):
        assert post_form(page, {"code": typed}).status_code == 302
        for code in (forged, "ZZZZ-ZZZZ", checkin.token(outsider)):
            response = post_form(page + "?lang=fr", {"code": code},
                                 headers={"Accept": "application/json"})
            assert response.status_code == 409
            assert response.get_json()["ok"] is False
    assert services.marks_of(sessions[0]) == {enrollments[1].id: Mark.PRESENT}


def test_participants_see_their_own_code_only(app, client, course):
    _programme, _sessions, enrollments, _teacher = course
    owner = enrollments[0].user
    factories.sign_in(client, owner)
    page = client.get("/me/").get_data(as_text=True)
    assert checkin.display_code(enrollments[0]) in page
    svg = client.get(f"/me/enrollments/{enrollments[0].id}/check-in.svg")
    assert svg.status_code == 200 and svg.data.startswith(b"<?xml")
    assert client.get(f"/me/enrollments/{enrollments[1].id}/check-in.svg").status_code == 404


def test_the_reminder_carries_the_qr_code(app, mailbox, course):
    _programme, sessions, enrollments, _teacher = course
    assert enrollment_jobs.send_reminders(sessions[0].starts_at - timedelta(hours=2)) == 3
    [reminder] = [m for m in mailbox.to("s0@example.org") if "Tomorrow" in m["Subject"]]
    attachment = next(reminder.iter_attachments())
    assert attachment.get_content_type() == "image/png"
    assert attachment.get_content().startswith(b"\x89PNG")
    assert checkin.display_code(enrollments[0]) in reminder.get_body().get_content()


# --- rates ------------------------------------------------------------------------------------


def test_rate_counts_late_as_present_and_leaves_excused_out(app, course):
    programme, sessions, enrollments, teacher = course
    plan = [["present", "late", "excused", "present"],
            ["absent", "absent", "present", "present"],
            ["present", "present", "present", "present"]]
    for n, session in enumerate(sessions):
        with during(session):
            services.record_marks(session, {e.id: Mark(plan[i][n])
                                            for i, e in enumerate(enrollments[:3])}, teacher)
    with frozen_time(sessions[-1].ends_at + timedelta(hours=1)):
        summaries = services.programme_attendance(programme)
    first, second, third = (summaries[e.id] for e in enrollments[:3])
    assert first.rate == 1.0 and first.eligible  # 3 attended of 3 counted (one excused)
    assert second.rate == 0.5 and not second.eligible
    assert third.rate == 1.0 and third.eligible


def test_people_who_can_no_longer_reach_the_minimum_are_told_once(app, mailbox, course):
    programme, sessions, enrollments, teacher = course
    factories.user("coord@example.org", role=Role.COORDINATOR, dataspace=programme.dataspace)
    db.session.commit()
    for session in sessions[:2]:  # 80% of 4 sessions needs 4: one absence is already too many
        with during(session):
            services.record_marks(session, {enrollments[1].id: Mark.ABSENT,
                                            enrollments[0].id: Mark.PRESENT}, teacher)
    db.session.commit()
    with during(sessions[1]):  # the messages were written at that (frozen) time
        assert services.warn_out_of_reach(programme) == 0, "told once, not at every save"
        db.session.commit()
        told = {address: [m for m in mailbox.to(address) if "ttendance" in m["Subject"]]
                for address in ("s0@example.org", "s1@example.org", "s2@example.org")}
        staff = mailbox.to("coord@example.org")
    # Kofi was absent twice; Hoa was never marked, which counts as missed; Ana attended.
    assert [len(told[a]) for a in sorted(told)] == [0, 1, 1]
    assert len(staff) == 2


# --- what coordinators see and export --------------------------------------------------------


@pytest.fixture
def marked(course):
    _programme, sessions, enrollments, teacher = course
    with during(sessions[0]):
        services.record_marks(sessions[0], {enrollments[0].id: Mark.PRESENT,
                                            enrollments[1].id: Mark.LATE}, teacher)
        services.record_marks(sessions[0], {enrollments[1].id: Mark.PRESENT}, teacher)
    db.session.commit()
    return course


def test_coordinators_see_rates_and_every_change(app, client, marked):
    programme, sessions, _enrollments, _teacher = marked
    factories.sign_in(client, factories.user(role=Role.COORDINATOR,
                                              dataspace=programme.dataspace))
    with during(sessions[1]):
        html = client.get(f"/attendance/programmes/{programme.slug}?lang=en").get_data(
            as_text=True)
    assert 'Late <span class="flip">→</span> Present' in html
    assert "teacher@example.org" not in html and "Test Person" in html


def test_attendance_sheet_exports(app, client, marked):
    programme, sessions, _enrollments, _teacher = marked
    factories.sign_in(client, factories.user(role=Role.COORDINATOR,
                                              dataspace=programme.dataspace))
    body = client.get(f"/attendance/programmes/{programme.slug}/sheet.csv?lang=en").data
    lines = body.decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and "Ana María" in lines[1] and "Present" in lines[1]
    xlsx = client.get(f"/attendance/programmes/{programme.slug}/sheet.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 4 and sheet.max_column == 2 + len(sessions) + 1


def test_printable_sign_in_sheet_lists_the_confirmed_participants(app, client, course):
    _programme, sessions, _enrollments, teacher = course
    factories.sign_in(client, teacher)
    response = client.get(f"/attendance/sessions/{sessions[0].id}/sign-in-sheet.pdf?lang=fr")
    assert response.headers["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    for name in ("Ana María", "Kofi", "Nguyễn Thị Hoa"):
        assert name in text
    assert "Late Comer" not in text, "only confirmed participants"
    assert "Signature" in text


def test_instructors_of_other_sessions_cannot_take_this_attendance(app, client, course):
    _programme, sessions, _enrollments, _teacher = course
    colleague = factories.user(role=Role.INSTRUCTOR)
    factories.sign_in(client, colleague)
    assert client.get(f"/attendance/sessions/{sessions[0].id}").status_code == 403
