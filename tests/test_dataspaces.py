"""The Data Space registry: public pages, staff editing, bad input, demo data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.curriculum.models import (
    Collection,
    CollectionItem,
    Curriculum,
    CurriculumItem,
    Module,
    ModuleRevision,
    Topic,
)
from app.dataspaces.models import DataSpace, Institution, Node, Partnership, TeamMembership
from app.extensions import db
from app.workshops.models import Programme
from tests import factories


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def admin(sign_in_as):
    return sign_in_as(Role.ADMIN, email="admin@example.org")


@pytest.fixture
def seeded(runner):
    result = runner.invoke(args=["seed", "demo", "--without-history"])
    assert result.exit_code == 0, result.output


def test_public_list_shows_all_seven_with_nodes_and_hosts(client, seeded):
    html = client.get("/dataspaces/?lang=en").get_data(as_text=True)
    for name in [
        "Latin America",
        "West Africa",
        "East and South Africa",
        "East Asia and Pacific",
        "Western Europe",
        "Data Space MENA",
        "North America",
    ]:
        assert name in html
    for city in [
        "Bogotá",
        "Dakar",
        "Nairobi",
        "Kigali",
        "Singapore",
        "Beirut",
        "New York City",
        "The Hague",
        "Abu Dhabi",
        "Cape Town",
    ]:
        assert city in html
    assert "Andean University of Bogotá" in html
    assert html.count('class="badge"') == 7  # one anchor per Data Space


def test_public_page_of_one_data_space_in_spanish(client, seeded):
    html = client.get("/dataspaces/latin-america?lang=es").get_data(as_text=True)
    assert "Data Space América Latina" in html
    assert "Ciudad de México" in html
    assert "Colombia" in html and "México" in html  # country names from Babel, in Spanish
    assert "America/Bogota" in html
    assert "Fundación Desarrollo Abierto" in html
    assert "Financiador" in html  # the partner's role, in Spanish


def test_unknown_data_space_is_404_translated(client):
    response = client.get("/dataspaces/atlantis?lang=fr")
    assert response.status_code == 404
    assert "Cette page n" in response.get_data(as_text=True)


def test_seed_twice_changes_nothing(app, runner):
    def snapshot():
        rows = []
        for model in (
            DataSpace,
            Node,
            Institution,
            Partnership,
            TeamMembership,
            Topic,
            Module,
            ModuleRevision,
            Curriculum,
            CurriculumItem,
            Collection,
            CollectionItem,
        ):
            for row in db.session.scalars(select(model).order_by(model.id)):
                rows.append(
                    {
                        c.name: getattr(row, c.key)
                        for c in model.__table__.columns
                        if c.name not in ("updated_at",)
                    }
                )
        return rows

    assert runner.invoke(args=["seed", "demo", "--without-history"]).exit_code == 0
    first = snapshot()  # (the whole demo, twice: test_demo.py)
    assert count(DataSpace) == 7 and count(Node) == 22
    templates = db.session.scalar(
        select(func.count()).select_from(Curriculum).where(Curriculum.is_template.is_(True)))
    assert count(Module) == 12 and templates == 2 and count(Collection) == 2
    assert count(Programme) == 16
    assert runner.invoke(args=["seed", "demo", "--without-history"]).exit_code == 0
    assert snapshot() == first


def test_seed_has_english_and_spanish_for_every_data_space_and_node(app, runner):
    runner.invoke(args=["seed", "demo", "--without-history"])
    for space in db.session.scalars(select(DataSpace)):
        assert {"en", "es"} <= set(space.name.languages), space.slug
        for node in space.nodes:
            assert {"en", "es"} <= set(node.city.languages), node.slug


def test_staff_creates_a_data_space(client, post_form, admin):
    response = post_form(
        "/dataspaces/new",
        {
            "name-en": "Data Space Andes",
            "name-es": "Data Space Andes (es)",
            "slug": "andes",
            "region": "latin-america",
            "status": "planned",
            "description-en": "A test.",
        },
    )
    assert response.status_code == 302
    space = db.session.scalar(select(DataSpace).where(DataSpace.slug == "andes"))
    assert space.name == {"en": "Data Space Andes", "es": "Data Space Andes (es)"}
    assert "Data Space Andes (es)" in client.get("/dataspaces/andes?lang=es").get_data(as_text=True)


VALID = {
    "name-en": "Data Space Andes",
    "slug": "andes",
    "region": "latin-america",
    "status": "planned",
}


@pytest.mark.parametrize(
    ("change", "message_es"),
    [
        ({"name-en": ""}, "El texto en inglés es obligatorio"),
        ({"name-en": "x" * 121}, "supera los 120 caracteres"),
        ({"slug": "Not A Slug"}, "minúsculas"),
        ({"slug": "new"}, "reservada"),
        ({"slug": "taken"}, "Otro Data Space ya usa"),
        ({"region": "atlantis"}, "inválida"),
    ],
)
def test_bad_data_space_input_is_refused_in_spanish_and_writes_nothing(
    client, post_form, admin, change, message_es
):
    factories.dataspace("taken")
    before = count(DataSpace)
    response = post_form("/dataspaces/new?lang=es", {**VALID, **change})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message_es in html
    assert count(DataSpace) == before


def test_form_post_without_csrf_token_is_refused(client, admin):
    response = client.post("/dataspaces/new?lang=pt", data=VALID)
    assert response.status_code == 400
    assert "formulário" in response.get_data(as_text=True)
    assert count(DataSpace) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "not a known IANA time zone"),
        ({"country_code": "XX"}, "Choose a country"),
        ({"slug": ""}, "This field is required"),
        ({"city-en": ""}, "The English text is required"),
    ],
)
def test_bad_node_input_is_refused(client, post_form, admin, change, message):
    space = factories.dataspace("andes")
    valid = {
        "city-en": "Quito",
        "slug": "quito",
        "country_code": "EC",
        "time_zone": "America/Guayaquil",
    }
    response = post_form(f"/dataspaces/{space.slug}/nodes/new", {**valid, **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Node) == 0


def test_a_new_anchor_takes_the_flag_from_the_old_one(client, post_form, admin):
    space = factories.dataspace("andes")
    old = factories.node(space, "bogota", is_anchor=True)
    response = post_form(
        f"/dataspaces/{space.slug}/nodes/new",
        {
            "city-en": "Quito",
            "slug": "quito",
            "country_code": "EC",
            "time_zone": "America/Guayaquil",
            "is_anchor": "y",
        },
    )
    assert response.status_code == 302
    anchors = db.session.scalars(select(Node.slug).where(Node.is_anchor.is_(True))).all()
    assert anchors == ["quito"]
    db.session.refresh(old)
    assert not old.is_anchor


def test_staff_adds_and_removes_a_partner(client, post_form, admin):
    space = factories.dataspace("andes")
    funder = factories.institution({"en": "A Foundation", "es": "Una Fundación"})
    response = post_form(
        f"/dataspaces/{space.slug}/partners/new",
        {"institution_id": str(funder.id), "role": "funder"},
    )
    assert response.status_code == 302
    again = post_form(
        f"/dataspaces/{space.slug}/partners/new",
        {"institution_id": str(funder.id), "role": "funder"},
    )
    assert again.status_code == 422
    assert count(Partnership) == 1
    partnership = db.session.scalar(select(Partnership))
    response = post_form(
        f"/dataspaces/{space.slug}/partners/{partnership.id}/delete",
        {},
        page=f"/dataspaces/{space.slug}",
    )
    assert response.status_code == 302
    assert count(Partnership) == 0


def test_staff_adds_a_team_member_at_a_node(client, post_form, admin):
    space = factories.dataspace("andes")
    node = factories.node(space, "bogota")
    response = post_form(
        f"/dataspaces/{space.slug}/team/new",
        {
            "person_name": "Ana Pérez",
            "title-en": "Coordinator",
            "title-es": "Coordinadora",
            "email": "ana@example.org",
            "node_id": str(node.id),
        },
    )
    assert response.status_code == 302
    html = client.get(f"/dataspaces/{space.slug}?lang=es").get_data(as_text=True)
    assert "Ana Pérez" in html and "Coordinadora" in html


def test_staff_creates_and_edits_an_institution(client, post_form, admin):
    response = post_form(
        "/institutions/new",
        {
            "name-en": "Statistics Office of Peru",
            "name-es": "Oficina de Estadística del Perú",
            "kind": "statistics-office",
            "country_code": "PE",
            "website": "https://stats.example.org",
        },
    )
    assert response.status_code == 302
    institution = db.session.scalar(select(Institution))
    assert institution.slug == "statistics-office-of-peru"
    bad = post_form(
        f"/institutions/{institution.id}/edit",
        {
            "name-en": "Statistics Office of Peru",
            "kind": "statistics-office",
            "website": "not a url",
        },
    )
    assert bad.status_code == 422
    db.session.refresh(institution)
    assert institution.website == "https://stats.example.org"


@pytest.mark.parametrize("url", ["/dataspaces/new", "/institutions/", "/institutions/new"])
def test_staff_pages_send_visitors_to_sign_in_and_refuse_participants(app, client, url):
    assert client.get(url).status_code == 302
    factories.sign_in(client, factories.user(role=Role.PARTICIPANT))
    assert client.get(url).status_code == 403


def test_list_page_runs_a_fixed_number_of_queries(app, client, runner):
    from tests.querycount import count_queries

    runner.invoke(args=["seed", "demo", "--without-history"])
    with count_queries(client.application) as seeded_count:
        client.get("/dataspaces/")
    extra = factories.dataspace("extra")
    for _ in range(10):
        factories.node(extra, host=factories.institution())
    with count_queries(client.application) as bigger_count:
        client.get("/dataspaces/")
    assert bigger_count.total == seeded_count.total
