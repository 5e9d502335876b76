"""Every page of the app, as the role that uses it, in a real browser: in English and Arabic,
on a phone (390 px) and a desktop (1280 px). Each must pass axe-core (WCAG 2.1 A/AA), fit the
screen without sideways scrolling, show where the keyboard focus is, read right to left in
Arabic, and, for what participants open, weigh at most 60 KB on the wire.

The pages run in parallel pages of one browser (Playwright's async API). ``PAGES`` names the
page of every GET route; ``NOT_PAGES`` the routes that answer with something else (a file, a
redirect, JSON). A route in neither fails ``test_every_route_has_browser_coverage``, as a route
missing from the access matrix does.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import User
from app.certificates.models import Certificate
from app.enrollment import notices
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.extensions import db
from app.partners import services as partners
from app.partners.models import Interest
from tests import factories
from tests.browser import AXE, CHROMIUM, DESKTOP, LAUNCH_ARGS, PHONE, live_server, require_chromium

pytestmark = pytest.mark.browser

#: What a participant's page may weigh, everything it loads included, compressed.
PARTICIPANT_PAGE_BYTES = 60 * 1024
PASSWORD = "demo-training-2026"
ACCOUNTS = {
    "participant": "participant@example.org",
    "instructor": "instructor@example.org",
    "coordinator": "coordinator@example.org",
    "admin": "admin@example.org",
}

#: route → (role, how to reach it in the demo network). ``{name}`` parts come from
#: :func:`_records`. Participants' pages are the ones weighed.
PAGES = {
    "/": ("anonymous", "/"),
    "/dataspaces/": ("anonymous", "/dataspaces/"),
    "/dataspaces/<slug>": ("anonymous", "/dataspaces/latin-america"),
    "/dataspaces/<slug>/work-with-us": ("anonymous", "/dataspaces/mena/work-with-us"),
    "/work-with-us": ("anonymous", "/work-with-us"),
    "/work-with-us/sent": ("anonymous", "/work-with-us/sent?space=mena"),
    "/work-with-us/erase/<token>": ("anonymous", "/work-with-us/erase/{erase_token}"),
    "/sign-in": ("anonymous", "/sign-in"),
    "/sign-up": ("anonymous", "/sign-up"),
    "/sign-up/check-email": ("anonymous", "/sign-up/check-email"),
    "/password/forgot": ("anonymous", "/password/forgot"),
    "/password/reset/<token>": ("anonymous", "/password/reset/{reset_token}"),
    "/knowledge/": ("anonymous", "/knowledge/"),
    "/knowledge/modules/<slug>": ("anonymous", "/knowledge/modules/{module}"),
    "/knowledge/collections/<slug>": ("anonymous", "/knowledge/collections/{collection}"),
    "/curricula/": ("instructor", "/curricula/"),
    "/curricula/<slug>": ("instructor", "/curricula/{curriculum}"),
    "/workshops/": ("anonymous", "/workshops/"),
    "/workshops/<slug>": ("anonymous", "/workshops/{open_programme}"),
    "/verify/<code>": ("anonymous", "/verify/{certificate}"),
    "/grants/<slug>/progress": ("anonymous", "/grants/{grant}/progress"),
    "/waitlist/leave/<token>": ("anonymous", "/waitlist/leave/{leave_token}"),
    "/verify-email": ("unverified", "/verify-email"),
    "/account": ("participant", "/account"),
    "/account/tokens": ("participant", "/account/tokens"),
    "/me/surveys": ("participant", "/me/surveys"),
    "/surveys/<int:survey_id>/<phase>/<int:step>": ("participant", "/surveys/{pre_check}/pre/1"),
    "/surveys/<int:survey_id>/<phase>/submit": ("participant", "/surveys/{pre_check}/pre/submit"),
    "/evaluation/programmes/<slug>": ("coordinator", "/evaluation/programmes/{open_programme}"),
    "/evaluation/default": ("admin", "/evaluation/default"),
    "/evaluation/surveys/<int:survey_id>/questions/new":
        ("coordinator", "/evaluation/surveys/{survey}/questions/new"),
    "/evaluation/surveys/<int:survey_id>/questions/<int:question_id>":
        ("coordinator", "/evaluation/surveys/{survey}/questions/{question}"),
    "/evaluation/programmes/<slug>/results":
        ("coordinator", "/evaluation/programmes/{past_programme}/results"),
    "/evaluation/dataspaces/<slug>/results":
        ("coordinator", "/evaluation/dataspaces/latin-america/results"),
    "/api/v1/docs": ("anonymous", "/api/v1/docs"),
    "/me/": ("participant", "/me/"),
    "/me/profile": ("participant", "/me/profile"),
    "/me/delete": ("participant", "/me/delete"),
    "/me/certificates": ("participant", "/me/certificates"),
    "/workshops/<slug>/enroll": ("participant", "/workshops/{open_programme}/enroll"),
    "/workshops/<slug>/enrolled": ("participant", "/workshops/{my_programme}/enrolled"),
    "/knowledge/reading-list": ("participant", "/knowledge/reading-list"),
    "/knowledge/my-modules": ("instructor", "/knowledge/my-modules"),
    "/knowledge/modules/new": ("instructor", "/knowledge/modules/new"),
    "/knowledge/modules/<slug>/edit": ("instructor", "/knowledge/modules/{module}/edit"),
    "/workshops/my-sessions": ("instructor", "/workshops/my-sessions"),
    "/attendance/sessions/<int:session_id>": ("instructor", "/attendance/sessions/{session}"),
    "/attendance/sessions/<int:session_id>/check-in":
        ("instructor", "/attendance/sessions/{session}/check-in"),
    "/dataspaces/<slug>/edit": ("coordinator", "/dataspaces/latin-america/edit"),
    "/dataspaces/<slug>/nodes/new": ("coordinator", "/dataspaces/latin-america/nodes/new"),
    "/dataspaces/<slug>/nodes/<int:node_id>/edit":
        ("coordinator", "/dataspaces/latin-america/nodes/{node}/edit"),
    "/dataspaces/<slug>/partners/new": ("coordinator", "/dataspaces/latin-america/partners/new"),
    "/dataspaces/<slug>/team/new": ("coordinator", "/dataspaces/latin-america/team/new"),
    "/institutions/": ("coordinator", "/institutions/"),
    "/institutions/new": ("coordinator", "/institutions/new"),
    "/institutions/<int:institution_id>/edit":
        ("coordinator", "/institutions/{institution}/edit"),
    "/knowledge/collections/new": ("coordinator", "/knowledge/collections/new"),
    "/knowledge/collections/<slug>/edit":
        ("coordinator", "/knowledge/collections/{collection}/edit"),
    "/curricula/new": ("coordinator", "/curricula/new"),
    "/curricula/<slug>/edit": ("coordinator", "/curricula/{curriculum}/edit"),
    "/workshops/manage": ("coordinator", "/workshops/manage"),
    "/workshops/new": ("coordinator", "/workshops/new"),
    "/workshops/<slug>/edit": ("coordinator", "/workshops/{open_programme}/edit"),
    "/workshops/<slug>/sessions/new": ("coordinator", "/workshops/{open_programme}/sessions/new"),
    "/workshops/<slug>/sessions/<int:session_id>/edit":
        ("coordinator", "/workshops/{open_programme}/sessions/{open_session}/edit"),
    "/workshops/<slug>/roster": ("coordinator", "/workshops/{open_programme}/roster"),
    "/workshops/<slug>/import": ("coordinator", "/workshops/{open_programme}/import"),
    "/attendance/programmes/<slug>": ("coordinator", "/attendance/programmes/{past_programme}"),
    "/certificates/programmes/<slug>":
        ("coordinator", "/certificates/programmes/{past_programme}"),
    "/certificates/templates/<slug>": ("coordinator", "/certificates/templates/latin-america"),
    "/grants/": ("coordinator", "/grants/"),
    "/grants/new": ("coordinator", "/grants/new"),
    "/grants/<slug>": ("coordinator", "/grants/{grant}"),
    "/grants/<slug>/edit": ("coordinator", "/grants/{grant}/edit"),
    "/reports/": ("coordinator", "/reports/"),
    "/reports/dataspaces/<slug>": ("coordinator", "/reports/dataspaces/latin-america"),
    "/reports/grants/<slug>": ("coordinator", "/reports/grants/{grant}"),
    "/interests/": ("coordinator", "/interests/"),
    "/interests/<int:interest_id>": ("coordinator", "/interests/{interest}"),
    "/interests/<int:interest_id>/convert": ("coordinator", "/interests/{interest}/convert"),
    "/dataspaces/new": ("admin", "/dataspaces/new"),
    "/admin/users": ("admin", "/admin/users"),
    "/admin/users/<int:user_id>": ("admin", "/admin/users/{user}"),
    "/admin/audit": ("admin", "/admin/audit"),
}

#: GET routes that are not pages, and why.
NOT_PAGES = {
    "/healthz": "JSON for the load balancer",
    "/evaluation/programmes/<slug>/results.<fmt>": "CSV or XLSX",
    "/surveys/<int:survey_id>/<phase>": "redirects to the question where the person stopped",
    **dict.fromkeys((
        "/api/v1/openapi.json", "/api/v1/dataspaces", "/api/v1/dataspaces/<slug>",
        "/api/v1/programmes", "/api/v1/programmes/<slug>", "/api/v1/modules",
        "/api/v1/modules/<slug>", "/api/v1/collections", "/api/v1/collections/<slug>",
        "/api/v1/me/enrollments", "/api/v1/programmes/<slug>/roster",
        "/api/v1/programmes/<slug>/attendance", "/api/v1/dataspaces/<slug>/report",
    ), "JSON for programs"),
    "/sitemap.xml": "XML for search engines",
    "/robots.txt": "plain text for crawlers",
    "/verify-email/<token>": "confirms and redirects",
    "/knowledge/materials/<int:material_id>/download": "a file",
    "/workshops/<slug>/calendar.ics": "a calendar file",
    "/calendar/<token>.ics": "a calendar feed",
    "/me/data.json": "the participant's data, as JSON",
    "/workshops/<slug>/roster.<fmt>": "CSV or XLSX",
    "/attendance/programmes/<slug>/sheet.<fmt>": "CSV or XLSX",
    "/attendance/sessions/<int:session_id>/sign-in-sheet.pdf": "a PDF",
    "/me/enrollments/<int:enrollment_id>/check-in.svg": "an image",
    "/api/v1/certificates/<code>": "JSON",
    "/verify/<code>/badge.json": "JSON (Open Badges)",
    "/verify/<code>/certificate.pdf": "a PDF",
    "/certificates/public-key.pem": "a key",
    "/certificates/templates/<slug>/preview": "a PDF",
    "/grants/<slug>/funder-reports/<int:report_id>.pdf": "a PDF",
    "/grants/<slug>/iati.xml": "XML",
    "/reports/export.<fmt>": "CSV or XLSX",
    "/reports/dataspaces/<slug>/export.<fmt>": "CSV or XLSX",
    "/reports/grants/<slug>/export.<fmt>": "CSV or XLSX",
    "/static/<path:filename>": "static files",
}


def test_every_route_has_browser_coverage(app):
    routes = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    missing = routes - PAGES.keys() - NOT_PAGES.keys()
    assert not missing, "add these pages to PAGES (or NOT_PAGES): " + ", ".join(sorted(missing))
    assert not (PAGES.keys() | NOT_PAGES.keys()) - routes, "routes that no longer exist"


def _records() -> dict[str, str]:
    """The demo records the pages name, and tokens a page needs."""
    from app.curriculum.models import Collection, Curriculum, Module, ModuleStatus
    from app.dataspaces.models import DataSpace, Institution, Node
    from app.evaluation import services as evaluation
    from app.evaluation.models import Survey, SurveyKind
    from app.grants.models import Grant
    from app.workshops.models import Programme, ProgrammeState, Session

    latam = db.session.scalar(select(DataSpace.id).where(DataSpace.slug == "latin-america"))
    instructor = accounts.find_user(ACCOUNTS["instructor"])
    open_programme = db.session.scalars(select(Programme).where(
        Programme.dataspace_id == latam,
        Programme.state == ProgrammeState.REGISTRATION_OPEN).order_by(Programme.id)).first()
    past_programme = db.session.scalars(select(Programme).where(
        Programme.dataspace_id == latam, Programme.state == ProgrammeState.COMPLETED)
        .order_by(Programme.id)).first()
    taught = db.session.scalars(select(Session).where(
        Session.instructors.any(User.id == instructor.id)).order_by(Session.id)).first()
    participant = accounts.find_user(ACCOUNTS["participant"])
    mine = db.session.scalars(select(Programme.slug).join(
        Enrollment, Enrollment.programme_id == Programme.id)
        .where(Enrollment.user_id == participant.id).order_by(Enrollment.id)).first()
    waiting = db.session.scalars(select(Enrollment).where(
        Enrollment.status == EnrollmentStatus.WAITLISTED).order_by(Enrollment.id)).first()
    interest = db.session.scalars(select(Interest).where(
        Interest.dataspace_id == latam).order_by(Interest.id)).first()
    module = db.session.scalars(select(Module).where(
        Module.status == ModuleStatus.PUBLISHED, Module.authors.any(User.id == instructor.id))
        .order_by(Module.id)).first()
    feedback = evaluation.survey_of(open_programme.id, SurveyKind.FEEDBACK)
    pre_check = db.session.scalar(select(Survey.id).join(Programme).where(
        Programme.slug == mine, Survey.kind == SurveyKind.KNOWLEDGE))
    return {
        "survey": feedback.id,
        "question": feedback.questions[0].id,
        "pre_check": pre_check,
        "open_programme": open_programme.slug,
        "my_programme": mine,
        "open_session": open_programme.sessions[0].id,
        "past_programme": past_programme.slug,
        "session": taught.id,
        "module": module.slug,
        "collection": db.session.scalars(select(Collection.slug).where(
            Collection.dataspace_id == latam).order_by(Collection.id)).first(),
        "curriculum": db.session.scalars(select(Curriculum.slug).where(
            Curriculum.dataspace_id == latam).order_by(Curriculum.id)).first(),
        "certificate": db.session.scalars(select(Certificate.code).order_by(
            Certificate.id)).first(),
        "grant": db.session.scalars(select(Grant.slug).where(
            Grant.dataspaces.any(DataSpace.id == latam)).order_by(Grant.id)).first(),
        "node": db.session.scalars(select(Node.id).where(Node.dataspace_id == latam)
                                   .order_by(Node.id)).first(),
        "institution": db.session.scalars(select(Institution.id).order_by(
            Institution.id)).first(),
        "interest": interest.id,
        "user": accounts.find_user(ACCOUNTS["participant"]).id,
        "reset_token": accounts.make_token(accounts.find_user(ACCOUNTS["participant"]),
                                           accounts.RESET_PASSWORD),
        "leave_token": notices.leave_token(waiting),
        "erase_token": partners.erasure_token(interest),
    }


@pytest.fixture
def demo_network(server, runner):
    """The whole demo network (its history too: certificates, waiting lists), served live."""
    require_chromium()
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    unverified = factories.user("new.person@example.org", verified=False)
    db.session.commit()
    with_unverified = {**ACCOUNTS, "unverified": unverified.email}
    with live_server(server) as url:
        yield url, _records(), with_unverified


async def _signed_in_state(browser, base_url: str, email: str, password: str):
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{base_url}/sign-in")
    await page.fill("#email", email)
    await page.fill("#password", password)
    await page.locator("main button[type=submit]").click()
    await page.wait_for_load_state()
    state = await context.storage_state()
    await context.close()
    return state


async def _check(browser, base_url, state, url, role, language) -> list[str]:
    """One page in one language, on a phone and then on a desktop: what is wrong with it."""
    context = await browser.new_context(viewport=PHONE, storage_state=state)
    page = await context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    where = f"{url} [{role}, {language}]"
    address = f"{base_url}{url}{'&' if '?' in url else '?'}lang={language}"
    response = await page.goto(address)
    if response.status != 200 or page.url != address:
        await context.close()
        return [f"{where}: HTTP {response.status} at {page.url}"]
    problems = []
    direction = await page.evaluate("document.documentElement.dir")
    if direction != ("rtl" if language == "ar" else "ltr"):
        problems.append(f"{where}: dir={direction}")
    await page.evaluate(AXE.read_text())
    for viewport in (PHONE, DESKTOP):
        await page.set_viewport_size(viewport)
        problems += [f"{where} {viewport['width']} px: {problem}"
                     for problem in await _screen_problems(page, viewport)]
    problems += [f"{where}: {e}" for e in errors if "Content Security Policy" in e]
    if url.startswith("/reports/") and await page.locator("svg.chart title").count() < 2:
        problems.append(f"{where}: the breakdowns are not charts with a title")
    await context.close()
    return problems


async def _screen_problems(page, viewport) -> list[str]:
    result = await page.evaluate(AXE_RUN)
    problems = [f"axe {v['id']} {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"]]
    width = await page.evaluate("document.documentElement.scrollWidth")
    if width > viewport["width"]:
        problems.append(f"scrolls sideways ({width} px)")
    await page.keyboard.press("Tab")
    if not await page.evaluate(FOCUS_IS_VISIBLE):
        problems.append("the keyboard focus is not visible")
    return problems


AXE_RUN = """async () => await axe.run(document, {
    runOnly: ['wcag2a', 'wcag2aa'], resultTypes: ['violations']})"""
FOCUS_IS_VISIBLE = """() => {
    const focused = document.activeElement, style = getComputedStyle(focused);
    return focused !== document.body &&
        (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
         || style.boxShadow !== 'none');
}"""


async def _weight(browser, base_url, state, url, language) -> int:
    """Bytes on the wire for the page and all it loads, from an empty cache, compressed."""
    context = await browser.new_context(viewport=PHONE, storage_state=state)
    page = await context.new_page()
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(asyncio.ensure_future(
        request.sizes())))
    await page.goto(f"{base_url}{url}{'&' if '?' in url else '?'}lang={language}",
                    wait_until="networkidle")
    measured = [await size for size in sizes]
    await context.close()
    return sum(size["responseBodySize"] + size["responseHeadersSize"] for size in measured)


async def _walk(base_url: str, records: dict, emails: dict):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        states = {"anonymous": None}
        for role, email in emails.items():
            password = factories.PASSWORD if role == "unverified" else PASSWORD
            states[role] = await _signed_in_state(browser, base_url, email, password)
        slots = asyncio.Semaphore(3)  # two cores: the server renders while the browser checks

        async def limited(coroutine):
            async with slots:
                return await coroutine

        pages = [(role, path.format(**records)) for role, path in PAGES.values()]
        checks = [_check(browser, base_url, states[role], url, role, language)
                  for role, url in pages for language in ("en", "ar")]
        weights = [(url, _weight(browser, base_url, states[role], url, "ar"))
                   for role, url in pages if role in ("anonymous", "participant")]
        results = await asyncio.gather(*(limited(check) for check in checks))
        measured = await asyncio.gather(*(limited(weight) for _url, weight in weights))
        await browser.close()
    problems = [problem for found in results for problem in found]
    heaviest = max(zip(measured, (url for url, _ in weights), strict=True))
    problems += [f"{url}: {size} bytes on the wire"
                 for size, (url, _) in zip(measured, weights, strict=True)
                 if size > PARTICIPANT_PAGE_BYTES]
    return problems, len(checks) * 2, heaviest


def test_every_page_passes_in_english_and_arabic_on_a_phone_and_a_desktop(demo_network):
    base_url, records, emails = demo_network
    started = time.perf_counter()
    problems, checked, (size, url) = asyncio.run(_walk(base_url, records, emails))
    print(f"{checked} page views checked in {time.perf_counter() - started:.0f} s; "
          f"the heaviest participant page: {url}, {size} bytes")
    assert not problems, "\n".join(problems)
