"""Journeys in a real browser: on a phone, in Spanish or Arabic, under the
Content-Security-Policy, some with the keyboard alone. Every page's accessibility and fit on
the screen is checked in test_browser_pages.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.attendance import services as attendance
from app.attendance.models import AttendanceMark, Mark
from app.auth.models import Role
from app.certificates.models import Certificate
from app.enrollment import seats as enrollment_seats
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.extensions import db
from app.timeutil import frozen_time
from app.workshops import services as workshops
from app.workshops.models import ProgrammeState
from tests import factories
from tests.browser import (
    CHROMIUM,
    DESKTOP,
    LAUNCH_ARGS,
    PHONE,
    axe_violations,
    console_errors,
    live_server,
    require_chromium,
    screenshot,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def base_url(server, runner):
    assert runner.invoke(args=["seed", "demo", "--without-history"]).exit_code == 0
    with live_server(server) as url:
        yield url


def sign_in_in_spanish(page, base_url: str, email: str) -> None:
    """A demo account (they share one password), through the sign-in form."""
    page.goto(f"{base_url}/sign-in?lang=es")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill("demo-training-2026")
    page.locator("main button[type=submit]").click()


def test_language_switcher_changes_the_page_and_is_remembered(browser, base_url):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base_url}/dataspaces/west-africa")
    page.get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Afrique de l'Ouest" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Data Spaces").first.click()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.close()


def test_staff_edits_a_name_in_two_languages_side_by_side(browser, base_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{base_url}/sign-in?lang=en")
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill("demo-training-2026")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base_url}/dataspaces/mena/edit?lang=en")
    english = page.locator("#name-en")
    spanish = page.locator("#name-es")
    assert english.bounding_box()["y"] == spanish.bounding_box()["y"]  # side by side
    assert page.locator("#name-ar").get_attribute("dir") == "rtl"
    page.locator("#name-fr").fill("Data Space Moyen-Orient et Afrique du Nord")
    page.get_by_role("button", name="Save").click()
    page.goto(f"{base_url}/dataspaces/mena?lang=fr")
    assert page.locator("h1").inner_text() == "Data Space Moyen-Orient et Afrique du Nord"
    screenshot(page, "mena-fr-desktop")
    page.close()


def test_instructor_takes_attendance_and_checks_in_on_a_phone(browser, base_url):
    """The demo instructor teaches the Nairobi seasonal school; the page works without a
    camera (the typed code), fits a phone, and passes axe."""
    page = browser.new_page(viewport=PHONE)
    errors = console_errors(page)
    sign_in_in_spanish(page, base_url, "instructor@example.org")
    page.goto(f"{base_url}/workshops/my-sessions?lang=es")
    page.locator("a", has_text="Sala y materiales").first.click()
    session_id = page.url.split("/sessions/")[1].split("/")[0]
    page.goto(f"{base_url}/attendance/sessions/{session_id}?lang=es")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "attendance-roster-390")
    page.goto(f"{base_url}/attendance/sessions/{session_id}/check-in?lang=es")
    assert axe_violations(page) == []
    page.wait_for_timeout(300)  # the module script loads the QR reader
    assert not [e for e in errors if "Content Security Policy" in e]
    screenshot(page, "check-in-390")
    page.close()


def test_coordinator_brands_the_certificates_on_a_phone(browser, base_url, tmp_path):
    """The template page fits a phone and passes axe; a misspelt field is refused with its
    reason; a logo and a wording are saved and show in the sandboxed preview."""
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (240, 80), (200, 16, 46)).save(logo)
    page = browser.new_page(viewport=PHONE)
    errors = console_errors(page)
    sign_in_in_spanish(page, base_url, "admin@example.org")
    page.goto(f"{base_url}/certificates/templates/latin-america?lang=es")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#html").fill("<p>{{ nmae }}</p>")
    page.get_by_role("button", name="Guardar").click()
    assert "un campo que no existe" in page.locator("#html-errors").inner_text()
    assert axe_violations(page) == []
    page.locator("#html").fill("")
    page.locator("#wording-es").fill("ha completado con éxito")
    page.locator("#logo").set_input_files(str(logo))
    page.get_by_role("button", name="Guardar").click()
    assert "plantilla de certificado está guardada" in page.locator("main").inner_text()
    screenshot(page, "certificate-template-390")
    page.goto(f"{base_url}/certificates/templates/latin-america/preview")
    assert page.locator("img").count() == 2, "the logo and the QR code"
    assert "ha completado con éxito" in page.locator("body").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e]
    page.close()


def _fits(page, viewport, path: str) -> None:
    assert axe_violations(page) == [], path
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{path} scrolls sideways"


def test_an_institution_writes_in_and_a_coordinator_makes_it_a_partner(browser, base_url, server):
    """On a phone, in Spanish, without a line of JavaScript of ours: the "work with us" form
    from the Data Space's page; then the coordinator's triage and conversion pages."""
    server.config["INTEREST_MIN_FILL_SECONDS"] = 1
    viewport = PHONE
    page = browser.new_page(viewport=viewport)
    errors = console_errors(page)
    page.goto(f"{base_url}/dataspaces/west-africa?lang=es")
    _fits(page, viewport, "/dataspaces/west-africa")
    page.get_by_role("link", name="Exprese su interés").click()
    _fits(page, viewport, "/dataspaces/west-africa/work-with-us")
    page.get_by_label("Organización", exact=True).fill("Dakar Open Data Collective")
    page.get_by_label("País", exact=True).select_option("SN")
    page.get_by_label("Tu nombre", exact=True).fill("Fatou Diop")
    page.get_by_label("Su correo electrónico").fill("fatou@example.org")
    page.get_by_label("Coenseñar").check()
    page.get_by_label("Su mensaje", exact=True).fill("Nous souhaitons co-enseigner à Dakar.")
    page.get_by_role("checkbox", name="Acepto").check()
    page.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
    page.locator("main button[type=submit]").click()
    assert "Gracias" in page.locator("h1").inner_text()
    _fits(page, viewport, "/work-with-us/sent")

    sign_in_in_spanish(page, base_url, "coordinator.west-africa@example.org")
    page.goto(f"{base_url}/interests/?lang=es")
    _fits(page, viewport, "/interests/")
    assert "Dakar Open Data Collective" in page.locator("main").inner_text()
    page.get_by_role("link", name="Accra Data Lab").click()  # agreed in the demo data
    _fits(page, viewport, "/interests/<id>")
    page.get_by_role("link", name="Convertir en alianza").click()
    _fits(page, viewport, "/interests/<id>/convert")
    page.get_by_label("Referencia del acuerdo").fill("MoU-WA-2026-3")
    page.locator("main button[type=submit]").click()
    assert "/dataspaces/west-africa" in page.url
    assert "Accra Data Lab" in page.locator("main").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e]
    page.close()


# Keyboard only: every step below is a key press (Tab, arrows, Enter, typing), no click.


@pytest.fixture
def live(server):
    require_chromium()
    with live_server(server) as url:
        yield url


def tab_to(page, text: str, limit: int = 80):
    """Press Tab until the focused element is the one named ``text`` (its text, value or
    label, exactly); fail if the keyboard cannot reach it or its focus is not visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        names = page.evaluate("""() => { const e = document.activeElement;
            return [e.innerText, e.value, e.getAttribute('aria-label'),
                    e.labels && e.labels[0] ? e.labels[0].innerText : null]
                   .filter(Boolean).map(name => name.trim()); }""")
        if text.strip() in names:
            assert page.evaluate(FOCUS_SHOWN), f"the focus on {text!r} is not visible"
            return
    pytest.fail(f"{text!r} cannot be reached with the Tab key")


FOCUS_SHOWN = """() => { const style = getComputedStyle(document.activeElement);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
        || style.boxShadow !== 'none'; }"""


def sign_in_by_keyboard(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/sign-in?lang=ar")
    tab_to(page, "البريد الإلكتروني")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(factories.PASSWORD)
    press_and_wait(page, "Enter")


def press_and_wait(page, key: str) -> None:
    """A key that submits a form or follows a link: wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_a_participant_enrols_with_the_keyboard_alone_in_arabic(browser, live):
    person = factories.participant("keyboard@example.org")
    programme = factories.open_programme(title={"en": "Data for cities"})
    db.session.commit()
    page = browser.new_page(viewport=PHONE)
    sign_in_by_keyboard(page, live, person.email)
    page.goto(f"{live}/workshops/{programme.slug}?lang=ar")
    tab_to(page, page.locator("main a.button").inner_text())  # "Enrol", in Arabic
    press_and_wait(page, "Enter")
    tab_to(page, page.locator("main form button[type=submit]").inner_text())
    press_and_wait(page, "Enter")
    db.session.expire_all()
    seat = db.session.scalars(select(Enrollment).where(Enrollment.user_id == person.id)).one()
    assert seat.status == EnrollmentStatus.CONFIRMED
    page.close()


def test_an_instructor_takes_attendance_with_the_keyboard_alone(browser, live):
    teacher = factories.user("teacher@example.org", role=Role.INSTRUCTOR)
    programme = factories.open_programme(instructors=[teacher])
    session = factories.session(programme, starts_local=factories.wall(2030, 3, 4, 9),
                                instructors=[teacher])
    seat = enrollment_seats.enroll(factories.participant(given_name="Ana"), programme)
    db.session.commit()
    page = browser.new_page(viewport=PHONE)
    with frozen_time(session.starts_at + timedelta(minutes=10)):
        sign_in_by_keyboard(page, live, teacher.email)
        page.goto(f"{live}/attendance/sessions/{session.id}?lang=ar")
        tab_to(page, page.locator("fieldset label.mark-choice").first.inner_text())
        before = page.evaluate("document.activeElement.value")
        page.keyboard.press("ArrowDown")  # the next mark of the group
        marked = page.evaluate("document.activeElement.value")
        assert marked != before
        tab_to(page, page.locator("main form button[type=submit]").last.inner_text())
        press_and_wait(page, "Enter")
    db.session.expire_all()
    recorded = db.session.scalars(select(AttendanceMark.mark).where(
        AttendanceMark.enrollment_id == seat.id)).one()
    assert recorded.value == marked
    page.close()


def test_a_coordinator_issues_a_certificate_with_the_keyboard_alone(browser, live):
    teacher = factories.user(role=Role.INSTRUCTOR)
    programme = factories.open_programme(instructors=[teacher], days=1)
    session = factories.session(programme, starts_local=factories.wall(2030, 3, 4, 9),
                                instructors=[teacher])
    seat = enrollment_seats.enroll(factories.participant(given_name="Ana María"), programme)
    with frozen_time(session.starts_at + timedelta(minutes=5)):
        attendance.record_marks(session, {seat.id: Mark.PRESENT}, teacher)
    for state in (ProgrammeState.REGISTRATION_CLOSED, ProgrammeState.IN_PROGRESS,
                  ProgrammeState.COMPLETED):
        workshops.transition(programme, state, None)
    coordinator = factories.user("coord@example.org", role=Role.COORDINATOR,
                                 dataspace=programme.dataspace)
    db.session.commit()
    page = browser.new_page(viewport=PHONE)
    sign_in_by_keyboard(page, live, coordinator.email)
    page.goto(f"{live}/certificates/programmes/{programme.slug}?lang=ar")
    issue = page.locator("main table form button[type=submit]").first.inner_text()
    tab_to(page, issue)
    press_and_wait(page, "Enter")
    db.session.expire_all()
    assert db.session.scalars(select(Certificate).where(
        Certificate.enrollment_id == seat.id)).one().revoked_at is None
    page.close()


def test_a_participant_answers_a_knowledge_check_on_a_phone_through_a_dropped_connection(
        browser, base_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = console_errors(page)
    sign_in_in_spanish(page, base_url, "participant@example.org")
    page.goto(f"{base_url}/me/surveys?lang=es")
    page.locator("main ul a").first.click()
    assert "Pregunta 1 de 2" in page.content()
    assert page.locator("main fieldset").count() == 1  # one question per screen
    _fits(page, PHONE, page.url)
    page.get_by_role("radio").nth(1).check()
    page.locator("button[value=next]").click()
    assert "Pregunta 2 de 2" in page.content()

    context.set_offline(True)  # the connection drops while answering the second question
    page.get_by_role("radio").nth(0).check()
    page.locator("button[value=next]").click(no_wait_after=True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.wait_for_url("**/submit", timeout=3000)
    context.set_offline(False)

    page.goto(f"{base_url}/me/surveys")  # back later: it goes on where it stopped
    page.locator("main ul a").first.click()
    assert "Pregunta 2 de 2" in page.content()
    page.get_by_role("radio").nth(0).check()
    page.locator("button[value=next]").click()
    page.locator("main form button[type=submit]").click()
    assert "Gracias" in page.content()
    assert "No hay encuestas" in page.content() or page.locator("main ul a").count() == 0
    assert errors == []
    context.close()
