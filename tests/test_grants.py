"""Grants and reports: targets against what was delivered, by the counting rules written on
the page; reports whose small cells stay hidden; exports; bad input refused."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from app.auth.models import Role
from app.dataspaces.models import Region
from app.enrollment.models import Enrollment, EnrollmentStatus, Gender
from app.errors import DomainError
from app.extensions import db
from app.grants import services as grants
from app.grants.models import Grant, GrantTarget, TargetBound, TargetMeasure
from app.reporting import jobs as reporting_jobs
from app.reporting import progress as grant_progress
from app.reporting import services as reports
from app.reporting.models import BuildStatus, FunderReport
from app.timeutil import frozen_time
from app.workshops.models import ProgrammeKind, ProgrammeState
from tests import factories
from tests.pdf import pdf_text
from tests.querycount import count_queries

MEASURES = [
    grants.TargetDetails(TargetMeasure.PROGRAMMES, TargetBound.UP_TO, 10, "workshop"),
    grants.TargetDetails(TargetMeasure.COUNTRIES, TargetBound.UP_TO, 6),
    grants.TargetDetails(TargetMeasure.PARTICIPANTS, TargetBound.AT_LEAST, 4),
    grants.TargetDetails(TargetMeasure.WOMEN_SHARE, TargetBound.AT_LEAST, 50),
    grants.TargetDetails(TargetMeasure.LANGUAGES, TargetBound.AT_LEAST, 2,
                         languages=("en", "es")),
]


def _seat(programme, person) -> None:
    last = db.session.scalar(select(func.count()).select_from(Enrollment).where(
        Enrollment.programme_id == programme.id))
    db.session.add(Enrollment(programme_id=programme.id, user_id=person.id,
                              queue_number=last + 1, status=EnrollmentStatus.CONFIRMED))
    db.session.flush()


@pytest.fixture
def funded(app):
    """A grant over two Data Spaces: two workshops delivered in Colombia (one bilingual), one
    bilingual workshop to come in Senegal, one cancelled there and a draft; four people."""
    latam = factories.dataspace("latin-america")
    africa = factories.dataspace("west-africa", region=Region.WEST_AFRICA)
    bogota = factories.node(latam, "bogota", country_code="CO", time_zone="America/Bogota")
    dakar = factories.node(africa, "dakar", country_code="SN", time_zone="Africa/Dakar")
    done = factories.programme(latam, node_=bogota, start=date(2016, 4, 12),
                               languages=["en", "es"], state=ProgrammeState.COMPLETED)
    also_done = factories.programme(latam, node_=bogota, start=date(2016, 10, 4),
                                    state=ProgrammeState.COMPLETED)
    coming = factories.programme(africa, node_=dakar, start=date(2017, 5, 2),
                                 languages=["en", "es"], state=ProgrammeState.PUBLISHED)
    cancelled = factories.programme(africa, node_=dakar, start=date(2017, 3, 1),
                                    state=ProgrammeState.CANCELLED)
    draft = factories.programme(africa, node_=dakar, start=date(2017, 6, 1))
    ana = factories.participant(gender=Gender.WOMAN)
    bo = factories.participant(gender=Gender.MAN)
    cy = factories.participant(gender=Gender.WOMAN)
    dee = factories.participant(gender=Gender.MAN)
    for programme, people in ((done, [ana, bo]), (also_done, [ana, dee]),
                              (coming, [cy, dee]), (cancelled, [bo])):
        for person in people:
            _seat(programme, person)
    grant = factories.grant([latam, africa], factories.institution(), targets=MEASURES,
                            programmes=[done, also_done, coming, cancelled, draft])
    db.session.commit()
    return grant


def test_targets_count_by_the_rules_written_on_the_page(funded, client, sign_in_as):
    progress = grant_progress.progress(funded)
    counted = {item.target.measure: (item.delivered, item.planned, item.remaining)
               for item in progress.targets}
    # Two workshops delivered, one to come: the cancelled one and the draft do not count.
    assert counted[TargetMeasure.PROGRAMMES] == (2, 1, 7)
    # Colombia once (two programmes there), Senegal planned (its cancelled one does not count).
    assert counted[TargetMeasure.COUNTRIES] == (1, 1, 4)
    # Ana took part twice and counts once; Dee is trained already, so only Cy is planned.
    assert counted[TargetMeasure.PARTICIPANTS] == (3, 1, 0)
    assert counted[TargetMeasure.WOMEN_SHARE][0] == 33  # Ana among Ana, Bo and Dee
    assert counted[TargetMeasure.LANGUAGES] == (1, 1, 0)
    assert [(label, done, planned) for label, done, planned in progress.quarters
            if done or planned] == [("2016 Q2", 1, 0), ("2016 Q4", 1, 0), ("2017 Q2", 0, 1)]

    sign_in_as(Role.COORDINATOR, funded.dataspaces[0])
    page = client.get(f"/grants/{funded.slug}?lang=en").get_data(as_text=True)
    assert "How the figures are counted" in page
    assert "A country counts once" in page
    assert "<title" in page and "20% delivered, 10% planned" in page  # 2 and 1 of 10 workshops
    assert "<title" in page and "Programmes by quarter" in page  # the SVG timeline
    assert "(not counted)" in page  # the cancelled programme and the draft, listed as such


def test_a_grant_page_and_its_report_run_a_fixed_number_of_queries(funded, client, sign_in_as):
    sign_in_as(Role.ADMIN)
    pages = [f"/grants/{funded.slug}", f"/reports/grants/{funded.slug}", "/reports/"]
    with count_queries(client.application) as few:
        for url in pages:
            assert client.get(url).status_code == 200
    space = funded.dataspaces[0]
    more = [factories.programme(space, state=ProgrammeState.COMPLETED) for _ in range(6)]
    for programme in more:
        grants.fund_programme(funded, programme.id)
        for _ in range(3):
            _seat(programme, factories.participant(gender=Gender.WOMAN))
    db.session.commit()
    with count_queries(client.application) as many:
        for url in pages:
            assert client.get(url).status_code == 200
    assert many.total == few.total


def _people_of(programme, genders: list[Gender]) -> None:
    for gender in genders:
        _seat(programme, factories.participant(gender=gender, country_code="SN"))


def test_small_cells_are_hidden_so_that_totals_cannot_reveal_them(app, client, sign_in_as):
    space = factories.dataspace("west-africa", region=Region.WEST_AFRICA)
    programme = factories.programme(space, state=ProgrammeState.COMPLETED)
    _people_of(programme, [Gender.WOMAN] * 7 + [Gender.MAN] * 6 + [Gender.NON_BINARY])
    db.session.commit()
    report = reports.report(reports.Scope(frozenset({space.id})), "en")
    genders = {row.key: row.count for row in report.breakdowns["gender"]}
    # One person alone would be hidden, and could be worked out from the total (14) and the
    # others: the next smallest cell is hidden too.
    assert genders == {"woman": 7, "man": None, "non-binary": None}
    assert report.participants == 14

    sign_in_as(Role.COORDINATOR, space)
    page = client.get(f"/reports/dataspaces/{space.slug}?lang=en").get_data(as_text=True)
    assert "&lt; 5" in page and 'class="chart-hidden"' in page
    download = client.get(f"/reports/dataspaces/{space.slug}/export.csv?lang=en")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    gender_rows = {row[1]: row[2] for row in rows if row[0] == "People trained by gender"}
    assert gender_rows == {"Woman": "7", "Man": "< 5", "Non-binary": "< 5"}
    workbook = load_workbook(io.BytesIO(
        client.get(f"/reports/dataspaces/{space.slug}/export.xlsx?lang=en").data))
    cells = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    assert ["People trained by gender", "Man", "< 5"] in cells
    assert ["Figures", "People trained", 14] in cells


def test_a_report_counts_people_trained_away_from_home_and_a_period(app):
    latam = factories.dataspace("latin-america")
    africa = factories.dataspace("west-africa", region=Region.WEST_AFRICA)
    factories.node(latam, "bogota", country_code="CO")
    dakar = factories.node(africa, "dakar", country_code="SN")
    early = factories.programme(africa, node_=dakar, start=date(2016, 5, 2),
                                state=ProgrammeState.COMPLETED)
    late = factories.programme(africa, node_=dakar, start=date(2017, 5, 2),
                               state=ProgrammeState.COMPLETED, kind=ProgrammeKind.SUMMER_SCHOOL)
    for _ in range(5):
        _seat(early, factories.participant(country_code="CO"))  # from Latin America
    _seat(late, factories.participant(country_code="SN"))
    db.session.commit()
    everything = reports.report(reports.Scope(), "en")
    assert everything.programmes == 2 and everything.participants == 6
    assert everything.outside_home_region == 5
    only_2017 = reports.report(reports.Scope(starts_on=date(2017, 1, 1),
                                             ends_on=date(2017, 12, 31)), "en")
    assert only_2017.programmes == 1 and only_2017.participants == 1
    assert {row.key: row.count for row in only_2017.breakdowns["kind"]}["summer-school"] == 1


def test_a_published_grant_shows_its_progress_to_anyone_and_no_person(funded, client):
    assert client.get(f"/grants/{funded.slug}/progress").status_code == 404
    funded.public = True
    db.session.commit()
    page = client.get(f"/grants/{funded.slug}/progress?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "People trained" in html and "Ana" not in html
    assert "fund_form" not in html and "csrf_token" not in html


# --- bad input ---------------------------------------------------------------------------------


def _grant_form(space, funder, **changes) -> dict:
    form = {"title-en": "Training grant", "starts_on": "2016-01-01", "ends_on": "2017-12-31",
            "dataspace_ids": str(space.id), "funder_ids": str(funder.id), **changes}
    return {name: value for name, value in form.items() if value is not None}


@pytest.mark.parametrize(("changes", "message"), [
    ({"ends_on": "2015-12-31"}, "The grant cannot end before it starts."),
    ({"amount": "-5", "currency": "USD"}, "Enter an amount of zero or more."),
    ({"amount": "NaN", "currency": "USD"}, "Enter an amount of zero or more."),
    ({"amount": "1000", "currency": "us$"}, "three-letter code"),
    ({"amount": "1000", "currency": "dollars"}, "cannot be longer than 3 characters"),
    ({"funder_ids": None}, "Choose at least one funder."),
])
def test_a_refused_grant_says_why_and_writes_nothing(app, client, post_form, sign_in_as,
                                                     changes, message):
    space = factories.dataspace("latin-america")
    funder = factories.institution()
    db.session.commit()
    sign_in_as(Role.COORDINATOR, space)
    response = post_form("/grants/new?lang=en", _grant_form(space, funder, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Grant)) == 0


def test_a_coordinator_covers_only_their_own_data_spaces(app, client, post_form, sign_in_as):
    own = factories.dataspace("latin-america")
    other = factories.dataspace("west-africa")
    funder = factories.institution()
    db.session.commit()
    sign_in_as(Role.COORDINATOR, own)
    response = post_form("/grants/new?lang=en", _grant_form(own, funder,
                                                            dataspace_ids=str(other.id)))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Grant)) == 0
    assert post_form("/grants/new", _grant_form(own, funder)).status_code == 302


@pytest.mark.parametrize(("data", "message"), [
    ({"measure": "programmes", "bound": "up-to", "value": "1000000"},
     "Enter a number from 1 to 100,000."),
    ({"measure": "women-share", "bound": "at-least", "value": "140"},
     "A share is a percentage from 0 to 100."),
    ({"measure": "programmes", "bound": "up-to", "value": "-3"}, "Number must be at least 0."),
    ({"measure": "languages", "bound": "at-least", "value": "2"},
     "Choose the languages the programmes must be taught in."),
    ({"measure": "deliverable", "bound": "at-least"}, "Name the deliverable"),
])
def test_absurd_targets_are_refused(funded, client, post_form, sign_in_as, data, message):
    sign_in_as(Role.COORDINATOR, funded.dataspaces[0])
    before = db.session.scalar(select(func.count()).select_from(GrantTarget))
    response = post_form(f"/grants/{funded.slug}/targets?lang=en", data,
                         page=f"/grants/{funded.slug}")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(GrantTarget)) == before


def test_a_grant_funds_only_programmes_of_its_data_spaces(funded, client, post_form,
                                                         sign_in_as):
    elsewhere = factories.programme(factories.dataspace("mena"))
    db.session.commit()
    sign_in_as(Role.ADMIN)
    response = post_form(f"/grants/{funded.slug}/programmes?lang=en",
                         {"programme": str(elsewhere.id)}, page=f"/grants/{funded.slug}")
    assert response.status_code == 422
    assert "not held by a Data Space the grant covers" in response.get_data(as_text=True)
    db.session.expire_all()
    assert elsewhere.id not in {p.id for p in db.session.get(Grant, funded.id).programmes}


@pytest.mark.parametrize(("query", "message"), [
    ("colour=red", "This report has no setting called colour."),
    ("from=2017-13-01", "Give the dates of the period as year-month-day"),
    ("from=99999-01-01", "Give the dates of the period as year-month-day"),
    ("from=2018-01-01&to=2017-01-01", "The period cannot end before it starts."),
])
def test_a_report_refuses_what_it_does_not_understand(app, client, sign_in_as, query, message):
    sign_in_as(Role.ADMIN)
    for url in ("/reports/", "/reports/export.csv"):
        response = client.get(f"{url}?{query}&lang=en")
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


# --- IATI --------------------------------------------------------------------------------------

IATI_SCHEMA = Path(__file__).parent / "vendor" / "iati-2.03" / "iati-activities-schema.xsd"


def test_a_grant_is_a_valid_iati_activity_with_its_targets_as_results(funded, client,
                                                                     sign_in_as):
    from lxml import etree

    funded.amount, funded.currency = Decimal("850000"), "USD"
    funded.title = {"en": "Training grant", "es": "Beca de formación"}
    db.session.commit()
    sign_in_as(Role.COORDINATOR, funded.dataspaces[0])
    response = client.get(f"/grants/{funded.slug}/iati.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    document = etree.fromstring(response.data)
    schema = etree.XMLSchema(etree.parse(str(IATI_SCHEMA)))
    assert schema.validate(document), schema.error_log
    activity = document.find("iati-activity")
    assert activity.findtext("iati-identifier").endswith(f"-{funded.slug}")
    narratives = activity.findall("title/narrative")
    assert [(n.get("{http://www.w3.org/XML/1998/namespace}lang"), n.text) for n in narratives] \
        == [(None, "Training grant"), ("es", "Beca de formación")]
    assert activity.find("sector").attrib == {"vocabulary": "1", "code": "16062",
                                              "percentage": "100"}
    countries = {c.get("code"): c.get("percentage") for c in activity.findall("recipient-country")}
    assert countries == {"CO": "50.00", "SN": "50.00"}
    budgets = [Decimal(b.findtext("value")) for b in activity.findall("budget")]
    assert len(budgets) == 2 and sum(budgets) == Decimal("850000")  # one a year
    roles = sorted(org.get("role") for org in activity.findall("participating-org"))
    assert roles == ["1", "2"]  # the funder, and the network accountable for it
    indicators = activity.findall("result/indicator")
    assert len(indicators) == len(MEASURES)
    people = next(i for i in indicators if i.findtext("title/narrative").startswith("People"))
    assert people.find("period/target").get("value") == "4"
    assert people.find("period/actual").get("value") == "3"
    assert people.find("baseline").get("value") == "0"


def test_an_unpublished_grant_keeps_its_iati_activity_to_its_staff(funded, client):
    assert client.get(f"/grants/{funded.slug}/iati.xml").status_code == 404
    funded.public = True
    db.session.commit()
    assert client.get(f"/grants/{funded.slug}/iati.xml").status_code == 200


# --- the funder report -------------------------------------------------------------------------


def test_a_funder_report_is_built_in_the_background_once_in_its_language(funded, client,
                                                                         post_form, sign_in_as):
    sign_in_as(Role.COORDINATOR, funded.dataspaces[0])
    for _ in range(2):  # asking twice while it waits queues one report
        assert post_form(f"/grants/{funded.slug}/funder-reports", {"language": "es"},
                         page=f"/grants/{funded.slug}").status_code == 302
    page = client.get(f"/grants/{funded.slug}?lang=en").get_data(as_text=True)
    assert "Waiting to start" in page and "<progress" in page
    assert reporting_jobs.build_funder_reports() == 1
    assert reporting_jobs.build_funder_reports() == 0, "a second scheduler finds nothing to do"
    [built] = db.session.scalars(select(FunderReport)).all()
    assert built.status == BuildStatus.DONE and built.progress == 100
    download = client.get(f"/grants/{funded.slug}/funder-reports/{built.id}.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    text = pdf_text(download.data)
    assert "Metas: lo previsto y lo realizado" in text  # in the language asked for
    assert "Personas formadas" in text and "Programas por trimestre" in text
    assert "2016 Q2" in text  # the timeline's table
    assert not PdfReader(io.BytesIO(download.data)).pages[0].images, "charts are vector"


def test_a_funder_report_in_an_unknown_language_is_refused(funded, client, post_form,
                                                          sign_in_as):
    sign_in_as(Role.COORDINATOR, funded.dataspaces[0])
    response = post_form(f"/grants/{funded.slug}/funder-reports?lang=en", {"language": "xx"},
                         page=f"/grants/{funded.slug}")
    assert response.status_code == 422
    assert "Choose a language of the interface." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(FunderReport)) == 0


def test_a_programme_co_organised_by_two_data_spaces_counts_as_such(app, client):
    from app.workshops import services as workshops

    latam = factories.dataspace("latin-america")
    north = factories.dataspace("north-america", region=Region.NORTH_AMERICA)
    together = factories.programme(latam, state=ProgrammeState.COMPLETED)
    factories.programme(latam, state=ProgrammeState.COMPLETED)
    together.co_organisers = [north]
    db.session.commit()
    assert reports.report(reports.Scope(), "en").co_organised == 1
    page = client.get(f"/workshops/{together.slug}?lang=en").get_data(as_text=True)
    assert "Co-organised with" in page and "north-america" in page
    draft = factories.programme(latam)
    workshops.save_programme(draft, factories.programme_details(
        draft, co_organiser_ids=[north.id, latam.id]))  # its own Data Space is left out
    assert [space.slug for space in draft.co_organisers] == ["north-america"]
    with pytest.raises(DomainError, match=r"^Choose Data Spaces from the list\.$"):
        workshops.save_programme(draft, factories.programme_details(
            draft, co_organiser_ids=[999_999]))


def test_a_grant_funds_knowledge_modules_of_its_data_spaces(funded, client, post_form,
                                                           sign_in_as):
    author = factories.user(role=Role.INSTRUCTOR)
    network_wide = factories.module(author, title={"en": "Open data portals", "es": "Portales"})
    elsewhere = factories.module(author, dataspace_id=factories.dataspace("mena").id)
    db.session.commit()
    sign_in_as(Role.COORDINATOR, funded.dataspaces[0])
    page = f"/grants/{funded.slug}"
    assert post_form(f"{page}/modules", {"module": network_wide.slug}, page=page).status_code \
        == 302
    html = client.get(f"{page}?lang=en").get_data(as_text=True)
    assert "Open data portals" in html and "(English, Spanish)" in html
    refused = post_form(f"{page}/modules?lang=en", {"module": elsewhere.slug}, page=page)
    assert refused.status_code == 422
    assert "belongs to a Data Space the grant does not cover" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert [m.slug for m in db.session.get(Grant, funded.id).modules] == [network_wide.slug]


# --- completion, settled once --------------------------------------------------------------------

def _backfill_sql() -> str:
    import importlib.util

    path = Path(__file__).parents[1] / "migrations" / "versions" \
        / "0017_enrollment_reached_minimum.py"
    spec = importlib.util.spec_from_file_location("migration_0017", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration.BACKFILL


def test_completion_is_settled_when_a_programme_completes_as_certificates_judge_it(app):
    from sqlalchemy import text

    from app.attendance import services as attendance
    from app.attendance.models import AttendanceMark, Mark
    from app.workshops import services as workshops

    space = factories.dataspace()
    programme = factories.programme(space, start=date(2030, 3, 4), days=4,
                                    state=ProgrammeState.IN_PROGRESS)
    sessions = [factories.session(programme, starts_local=factories.wall(2030, 3, 4 + day, 9))
                for day in range(4)]
    workshops.cancel_session(sessions[3])  # never counts
    people = [factories.participant() for _ in range(4)]
    for person in people:
        _seat(programme, person)
    seats = {e.user_id: e for e in db.session.scalars(select(Enrollment).where(
        Enrollment.programme_id == programme.id))}
    marks = [
        [Mark.PRESENT, Mark.PRESENT, Mark.LATE],  # 3 of 3
        [Mark.PRESENT, Mark.EXCUSED, Mark.EXCUSED],  # 1 of 1: excused sessions do not count
        [Mark.PRESENT, Mark.PRESENT, Mark.ABSENT],  # 2 of 3: below 80 %
        [Mark.EXCUSED, Mark.EXCUSED, Mark.EXCUSED],  # nothing to count
    ]
    for person, row in zip(people, marks, strict=True):
        for session, mark in zip(sessions, row, strict=False):
            db.session.add(AttendanceMark(session_id=session.id, mark=mark,
                                          enrollment_id=seats[person.id].id))
    db.session.flush()
    assert workshops.transition(programme, ProgrammeState.COMPLETED, None)
    db.session.expire_all()
    settled = [seats[person.id].reached_minimum for person in people]
    judged = attendance.programme_attendance(programme)
    assert settled == [True, True, False, False]
    assert settled == [judged[seats[person.id].id].eligible for person in people]
    assert reports.report(reports.Scope(frozenset({space.id})), "en").completed == 2

    # A correction within the grace period settles it again.
    with frozen_time(sessions[2].ends_at + timedelta(days=1)):
        attendance.record_marks(sessions[2], {seats[people[2].id].id: Mark.PRESENT},
                                factories.user(role=Role.ADMIN))
    db.session.expire_all()
    settled = [seats[person.id].reached_minimum for person in people]
    assert settled == [True, True, True, False]

    # The migration settles programmes completed before the column existed the same way.
    db.session.execute(Enrollment.__table__.update().values(reached_minimum=None))
    db.session.execute(text(_backfill_sql()))
    db.session.expire_all()
    assert [seats[person.id].reached_minimum for person in people] == settled


def test_the_list_of_grants_runs_a_fixed_number_of_queries(app, client, sign_in_as):
    space = factories.dataspace()
    sign_in_as(Role.ADMIN)

    def grants_with_partners(count: int) -> None:
        for _ in range(count):
            made = factories.grant([space], factories.institution())
            grants.save_grant(made, grants.GrantDetails(
                title=dict(made.title), description={}, reference=None,
                starts_on=made.starts_on, ends_on=made.ends_on, amount=None, currency=None,
                dataspace_ids=(space.id,), funder_ids=(factories.institution().id,),
                partner_ids=(factories.institution().id,)), allowed_dataspace_ids=None)
        db.session.commit()

    grants_with_partners(1)
    with count_queries(client.application) as few:
        assert client.get("/grants/").status_code == 200
    grants_with_partners(6)
    with count_queries(client.application) as many:
        page = client.get("/grants/?lang=en")
    assert page.get_data(as_text=True).count("<tr>") == 8  # the heading and seven grants
    assert many.total == few.total
