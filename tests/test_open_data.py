"""Open data in pages: schema.org JSON-LD on programme and module pages, ``/sitemap.xml`` and
``/robots.txt``.

The JSON-LD is read out of the real HTML (lxml) and checked against these shapes by
:func:`assert_shape` (each listed property must be there and satisfy its check; others may
appear, never empty):

- a programme (``app/workshops/structured_data.py``)::

    Course {@context: "https://schema.org", @type: "Course", @id, name, url, inLanguage: [code],
            provider: Organization {name, url},
            hasCourseInstance: CourseInstance {name, url, inLanguage, courseMode, startDate,
                endDate, eventStatus, eventAttendanceMode, location: [Place | VirtualLocation],
                organizer: [Organization], offers?: Offer {price: 0, category: "Free",
                availability: InStock | SoldOut, url, validFrom?, validThrough?}}}

  with startDate/endDate ISO 8601 date-times with an offset (date-only before any session);

- a module (``app/curriculum/structured_data.py``)::

    LearningResource {@context, @type: "LearningResource", @id, name, url, inLanguage: [code],
                      learningResourceType, educationalLevel: DefinedTerm {name, termCode},
                      timeRequired: "PT…", license: URL, author: [Person {name}],
                      publisher: Organization {name, url}, dateModified: date-time with offset,
                      teaches?: [text], keywords?: [text]}

- the sitemap: a sitemaps.org ``urlset``; each ``url`` has an absolute ``loc``, an optional
  ``lastmod`` with an offset, and one ``xhtml:link rel="alternate"`` per interface language
  (``?lang=xx``) plus ``x-default`` (the address itself).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from flask_login import AnonymousUserMixin
from lxml import etree, html

from app.auth.models import Role
from app.auth.permissions import can_view_module, can_view_programme
from app.curriculum import services as curriculum
from app.curriculum.models import LICENCE_URLS, LICENCES
from app.enrollment import seats
from app.extensions import db
from app.i18n import UI_LANGUAGES
from app.structured_data import duration, script_json
from app.timeutil import frozen_time
from app.workshops.models import DeliveryMode, Programme, ProgrammeState
from tests import factories
from tests.factories import wall
from tests.querycount import count_queries

SCHEMA = "https://schema.org"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
PUBLIC_URL = "http://training.test"  # tests.support.config_for_tests
LANGUAGE_CODE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


# --- shapes ------------------------------------------------------------------------------------


def _text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _absolute(value) -> bool:
    return _text(value) and urlsplit(value).scheme in ("http", "https")


def _languages(value) -> bool:
    return isinstance(value, list) and value and all(LANGUAGE_CODE.match(v) for v in value)


def _typed(name: str, shape: dict | None = None):
    return lambda value: isinstance(value, dict) and value.get("@type") == name and (
        shape is None or assert_shape(value, shape))


def _all(check):
    return lambda value: isinstance(value, list) and value and all(check(v) for v in value)


def _date_time(value) -> bool:
    return _text(value) and bool(WITH_OFFSET.match(value))


ORGANIZATION = {"name": _text, "url": _absolute}
OFFER = {"price": lambda v: v == 0, "category": lambda v: v == "Free",
         "availability": lambda v: v in (f"{SCHEMA}/InStock", f"{SCHEMA}/SoldOut"),
         "url": _absolute}
COURSE_INSTANCE = {
    "name": _text, "url": _absolute, "inLanguage": _languages,
    "courseMode": lambda v: v in ("onsite", "online", "blended"),
    "startDate": lambda v: _date_time(v) or bool(DAY.match(v)),
    "endDate": lambda v: _date_time(v) or bool(DAY.match(v)),
    "eventStatus": lambda v: v in (f"{SCHEMA}/EventScheduled", f"{SCHEMA}/EventCancelled"),
    "eventAttendanceMode": lambda v: v.startswith(SCHEMA) and v.endswith("EventAttendanceMode"),
    "location": _all(lambda v: v.get("@type") in ("Place", "VirtualLocation")),
    "organizer": _all(_typed("Organization")),
}
COURSE = {
    "@context": lambda v: v == SCHEMA, "@type": lambda v: v == "Course", "@id": _absolute,
    "name": _text, "url": _absolute, "inLanguage": _languages,
    "provider": _typed("Organization", ORGANIZATION),
    "hasCourseInstance": _typed("CourseInstance", COURSE_INSTANCE),
}
LEARNING_RESOURCE = {
    "@context": lambda v: v == SCHEMA, "@type": lambda v: v == "LearningResource",
    "@id": _absolute, "name": _text, "url": _absolute, "inLanguage": _languages,
    "learningResourceType": _text,
    "educationalLevel": _typed("DefinedTerm", {"name": _text, "termCode": _text}),
    "timeRequired": lambda v: bool(re.match(r"^PT(\d+H)?(\d+M)?$", v)) and v != "PT",
    "license": _absolute, "author": _all(_typed("Person", {"name": _text})),
    "publisher": _typed("Organization", ORGANIZATION), "dateModified": _date_time,
}


def assert_shape(data: dict, shape: dict) -> bool:
    """Every property of ``shape`` is in ``data`` and passes its check; nothing is empty."""
    for key, check in shape.items():
        assert key in data, f"{key} missing from {data}"
        assert check(data[key]), f"{key}: {data[key]!r}"
    empty = [key for key, value in data.items() if value in (None, "", [], {})]
    assert not empty, f"empty properties: {empty}"
    return True


def json_ld(client, url: str) -> list[dict]:
    """The JSON-LD blocks of the page at ``url``, as the HTML carries them."""
    response = client.get(url)
    assert response.status_code == 200
    document = html.fromstring(response.get_data(as_text=True))
    return [json.loads(script.text)
            for script in document.xpath('//script[@type="application/ld+json"]')]


def path_of(address: str) -> str:
    assert address.startswith(PUBLIC_URL), address
    parts = urlsplit(address)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- programmes --------------------------------------------------------------------------------


@pytest.fixture
def bogota():
    space = factories.dataspace("latin-america")
    return space, factories.node(space, "bogota", city={"en": "Bogotá"}, country_code="CO",
                                 time_zone="America/Bogota")


def a_programme(bogota, **values) -> Programme:
    space, node = bogota
    item = factories.programme(
        space, node_=node, title={"en": "Big data for official statistics",
                                  "es": "Big data para estadísticas oficiales"},
        languages=["en", "es"], state=values.pop("state", ProgrammeState.REGISTRATION_OPEN),
        registration_opens_local=wall(2030, 1, 10, 9), registration_closes_local=wall(
            2030, 2, 28, 18), **values)
    item.host = factories.institution({"en": "Universidad Nacional"}, country_code="CO",
                                      website="https://unal.example.org")
    item.venue = "Edificio 405"
    item.summary = {"en": "Three days of **mobile phone data**.", "es": "Tres días."}
    factories.session(item, starts_local=wall(2030, 3, 4, 9))
    factories.session(item, starts_local=wall(2030, 3, 6, 14), hours=3)
    db.session.flush()
    return item


def course_of(client, programme: Programme, query: str = "") -> dict:
    blocks = json_ld(client, f"/workshops/{programme.slug}{query}")
    assert len(blocks) == 1
    assert_shape(blocks[0], COURSE)
    return blocks[0]


def test_a_programme_page_describes_its_course_and_this_run_of_it(app, client, bogota):
    programme = a_programme(bogota)
    data = course_of(client, programme)
    instance = data["hasCourseInstance"]

    assert data["name"] == "Big data for official statistics"
    assert data["description"] == "Three days of mobile phone data.", "plain text, not Markdown"
    assert data["url"] == f"{PUBLIC_URL}/workshops/{programme.slug}"
    assert data["inLanguage"] == instance["inLanguage"] == ["en", "es"]
    # The first session's start and the last one's end, on Bogotá's clock (UTC-5).
    assert instance["startDate"] == "2030-03-04T09:00:00-05:00"
    assert instance["endDate"] == "2030-03-06T17:00:00-05:00"
    assert instance["courseMode"] == "onsite"
    assert instance["eventStatus"] == f"{SCHEMA}/EventScheduled"
    assert instance["location"] == [{
        "@type": "Place", "name": "Edificio 405",
        "address": {"@type": "PostalAddress", "addressLocality": "Bogotá",
                    "addressCountry": "CO"}}]
    space, host = instance["organizer"][0], instance["organizer"][-1]
    assert space == data["provider"]
    assert space["name"] == bogota[0].name["en"]
    assert host == {"@type": "Organization", "name": "Universidad Nacional",
                    "url": "https://unal.example.org",
                    "address": {"@type": "PostalAddress", "addressCountry": "CO"}}
    assert client.get(path_of(space["url"])).status_code == 200, "the organizer's page exists"
    assert instance["offers"] == {
        "@type": "Offer", "price": 0, "category": "Free", "availability": f"{SCHEMA}/InStock",
        "url": data["url"], "validFrom": "2030-01-10T09:00:00-05:00",
        "validThrough": "2030-02-28T18:00:00-05:00"}


def test_texts_follow_the_readers_language(app, client, bogota):
    programme = a_programme(bogota)
    data = course_of(client, programme, "?lang=es")
    assert data["name"] == "Big data para estadísticas oficiales"
    assert data["description"] == "Tres días."


def test_the_offer_is_sold_out_when_every_seat_is_taken(app, client, bogota):
    programme = a_programme(bogota, capacity=1)
    before = course_of(client, programme)["hasCourseInstance"]["offers"]
    assert before["availability"] == f"{SCHEMA}/InStock"

    with frozen_time(datetime(2030, 2, 1, tzinfo=UTC)):  # inside the registration window
        seats.enroll(factories.participant(), programme)
    after = course_of(client, programme)["hasCourseInstance"]["offers"]
    assert after["availability"] == f"{SCHEMA}/SoldOut"


@pytest.mark.parametrize(("mode", "course_mode", "places"), [
    (DeliveryMode.ONLINE, "online", ["VirtualLocation"]),
    (DeliveryMode.HYBRID, "blended", ["Place", "VirtualLocation"]),
])
def test_online_programmes_point_to_their_page_never_to_the_meeting(
        app, client, bogota, mode, course_mode, places):
    programme = a_programme(bogota, delivery_mode=mode,
                            meeting_url="https://meet.example.org/secret-room")
    data = course_of(client, programme)
    instance = data["hasCourseInstance"]
    assert instance["courseMode"] == course_mode
    assert [place["@type"] for place in instance["location"]] == places
    assert instance["location"][-1]["url"] == data["url"]
    assert "secret-room" not in json.dumps(data)


def test_a_programme_without_sessions_gives_its_days_and_a_cancelled_one_no_offer(
        app, client, bogota):
    space, node = bogota
    planned = factories.programme(space, node_=node, state=ProgrammeState.PUBLISHED)
    instance = course_of(client, planned)["hasCourseInstance"]
    assert (instance["startDate"], instance["endDate"]) == ("2030-03-04", "2030-03-06")

    cancelled = factories.programme(space, node_=node, state=ProgrammeState.CANCELLED)
    instance = course_of(client, cancelled)["hasCourseInstance"]
    assert instance["eventStatus"] == f"{SCHEMA}/EventCancelled"
    assert "offers" not in instance


def test_a_draft_is_not_described(app, client, bogota, sign_in_as):
    space, node = bogota
    draft = factories.programme(space, node_=node)
    sign_in_as(Role.COORDINATOR, space)
    assert json_ld(client, f"/workshops/{draft.slug}") == []


def test_what_people_typed_cannot_end_the_script_element(app, client, bogota):
    programme = a_programme(bogota)
    hostile = "</script><script>alert(1)</script> <!-- \u2028 &"
    programme.title = {"en": hostile}
    page = client.get(f"/workshops/{programme.slug}").get_data(as_text=True)
    head = page.split("</head>", 1)[0]
    assert head.count("<script") == 2, "timezone.js and the JSON-LD, nothing more"
    assert course_of(client, programme)["name"] == hostile


def test_script_json_escapes_what_html_would_read():
    written = script_json({"a": "</script>&<!--"})
    assert "<" not in written and ">" not in written and "&" not in written
    assert json.loads(str(written)) == {"a": "</script>&<!--"}


@pytest.mark.parametrize(("hours", "expected"), [
    (Decimal("1.5"), "PT1H30M"), (Decimal(2), "PT2H"), (Decimal("0.5"), "PT30M"),
    (Decimal(0), "PT0M"), (Decimal("40"), "PT40H"),
])
def test_durations_are_iso_8601(hours, expected):
    assert duration(hours) == expected


# --- modules -----------------------------------------------------------------------------------


def a_module(space=None, **values):
    factories.topic("mobile-phone-data", {"en": "Mobile phone data", "fr": "Données mobiles"})
    return factories.module(
        factories.user(role=Role.INSTRUCTOR, display_name="Kwame Asante"),
        title={"en": "Call records as a proxy of wealth", "fr": "Les appels comme indicateur"},
        summary={"en": "How call records map poverty."},
        learning_outcomes={"en": "- Read a call detail record\n\n* Map wealth from calls\n"},
        duration_hours="1.5", licence=values.pop("licence", "CC-BY-SA-4.0"),
        topics=["mobile-phone-data"], dataspace_id=space.id if space else None, **values)


def resource_of(client, module, query: str = "") -> dict:
    blocks = json_ld(client, f"/knowledge/modules/{module.slug}{query}")
    assert len(blocks) == 1
    assert_shape(blocks[0], LEARNING_RESOURCE)
    return blocks[0]


def test_a_module_page_describes_a_learning_resource(app, client):
    space = factories.dataspace("west-africa")
    module = a_module(space)
    data = resource_of(client, module)

    assert data["name"] == "Call records as a proxy of wealth"
    assert data["description"] == "How call records map poverty."
    assert data["url"] == f"{PUBLIC_URL}/knowledge/modules/{module.slug}"
    assert data["inLanguage"] == ["en", "fr"]
    assert data["timeRequired"] == "PT1H30M"
    assert data["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert data["educationalLevel"] == {"@type": "DefinedTerm", "name": "Introductory",
                                        "termCode": "introductory"}
    assert data["teaches"] == ["Read a call detail record", "Map wealth from calls"]
    assert data["keywords"] == ["Mobile phone data"]
    assert data["author"] == [{"@type": "Person", "name": "Kwame Asante"}]
    assert data["version"] == 1
    assert datetime.fromisoformat(data["dateModified"]).utcoffset() is not None
    publisher = data["publisher"]
    assert publisher["url"] == f"{PUBLIC_URL}/dataspaces/west-africa"
    assert client.get(path_of(publisher["url"])).status_code == 200


def test_a_network_module_is_published_by_the_network_in_the_readers_language(app, client):
    module = a_module()
    data = resource_of(client, module, "?lang=fr")
    assert data["name"] == "Les appels comme indicateur"
    assert data["keywords"] == ["Données mobiles"]
    assert data["publisher"]["url"] == f"{PUBLIC_URL}/"
    assert client.get(path_of(data["publisher"]["url"])).status_code == 200


def test_every_licence_a_module_can_carry_has_its_address():
    assert set(LICENCES) == set(LICENCE_URLS)
    assert all(url.startswith("https://creativecommons.org/") for url in LICENCE_URLS.values())


def test_a_draft_module_is_not_described(app, client):
    author = factories.user(role=Role.INSTRUCTOR)
    draft = factories.module(author, publish=False)
    factories.sign_in(client, author)
    assert json_ld(client, f"/knowledge/modules/{draft.slug}") == []


# --- sitemap and robots.txt --------------------------------------------------------------------


def sitemap(client) -> dict[str, etree._Element]:
    """The sitemap's entries by address, after checking the structure of every one."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = etree.fromstring(response.data)
    assert root.tag == f"{SITEMAP}urlset"
    entries = {}
    for url in root:
        assert url.tag == f"{SITEMAP}url"
        loc = url.findtext(f"{SITEMAP}loc")
        assert _absolute(loc) and loc.startswith(PUBLIC_URL)
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        assert lastmod is None or _date_time(lastmod)
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert all(link.get("rel") == "alternate" for link in url.findall(f"{XHTML}link"))
        assert links == {**{code: f"{loc}?lang={code}" for code in UI_LANGUAGES},
                         "x-default": loc}
        assert loc not in entries, "each page once"
        entries[loc] = url
    return entries


def test_the_sitemap_lists_the_public_pages_and_nothing_else(app, client, bogota):
    space, node = bogota
    public = a_programme(bogota)
    draft = factories.programme(space, node_=node)
    published = a_module(space)
    unpublished = factories.module(title={"en": "Withdrawn"})
    curriculum.unpublish_module(unpublished)
    hidden_draft = factories.module(publish=False)
    collection = curriculum.save_collection(None, title={"en": "Essentials"}, description={},
                                            dataspace_id=space.id)
    plan = curriculum.save_curriculum(None, title={"en": "Plan"}, description={},
                                      dataspace_id=space.id)
    funder = factories.institution()
    open_grant = factories.grant([space], funder, public=True)
    private_grant = factories.grant([space], funder)
    db.session.commit()

    entries = sitemap(client)
    listed = {path_of(loc) for loc in entries}
    assert {"/", "/dataspaces/", f"/dataspaces/{space.slug}", "/workshops/",
            f"/workshops/{public.slug}", "/knowledge/", f"/knowledge/modules/{published.slug}",
            f"/knowledge/collections/{collection.slug}", f"/grants/{open_grant.slug}/progress",
            "/work-with-us"} == listed
    for absent in (f"/workshops/{draft.slug}", f"/knowledge/modules/{unpublished.slug}",
                   f"/knowledge/modules/{hidden_draft.slug}", f"/curricula/{plan.slug}",
                   f"/grants/{private_grant.slug}/progress"):
        assert absent not in listed
    programme_entry = entries[f"{PUBLIC_URL}/workshops/{public.slug}"]
    assert programme_entry.findtext(f"{SITEMAP}lastmod") == \
        public.updated_at.isoformat(timespec="seconds")
    assert entries[f"{PUBLIC_URL}/workshops/"].findtext(f"{SITEMAP}lastmod") == \
        public.updated_at.isoformat(timespec="seconds"), "a list changes with its latest record"
    for loc in entries:
        assert client.get(path_of(loc)).status_code == 200, f"{loc} opens without an account"


def test_the_sitemap_applies_the_pages_rules_for_an_anonymous_reader(app, client, bogota):
    space, node = bogota
    programmes = [factories.programme(space, node_=node, state=state) for state in ProgrammeState]
    modules = [factories.module(), factories.module(publish=False)]
    db.session.commit()
    anonymous = AnonymousUserMixin()
    listed = {path_of(loc) for loc in sitemap(client)}
    for programme in programmes:
        expected = can_view_programme(anonymous, programme)
        assert (f"/workshops/{programme.slug}" in listed) == expected, programme.state
    for module in modules:
        expected = can_view_module(anonymous, module)
        assert (f"/knowledge/modules/{module.slug}" in listed) == expected, module.status


def test_the_sitemap_runs_a_fixed_number_of_queries(app, client, bogota):
    a_programme(bogota)
    factories.module()
    db.session.commit()
    with count_queries(client.application) as one:
        assert client.get("/sitemap.xml").status_code == 200
    space, node = bogota
    for _ in range(9):
        factories.programme(space, node_=node, state=ProgrammeState.PUBLISHED)
        factories.module(dataspace_id=factories.dataspace().id)
    db.session.commit()
    with count_queries(client.application) as ten:
        response = client.get("/sitemap.xml")
    assert len(sitemap(client)) > 20 and response.status_code == 200
    assert ten.total == one.total


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert f"Sitemap: {PUBLIC_URL}/sitemap.xml" in response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in response.get_data(as_text=True)
