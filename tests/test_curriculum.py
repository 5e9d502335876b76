"""Modules, revisions, materials, curricula, collections, reading lists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.curriculum import services
from app.curriculum.models import (
    Curriculum,
    CurriculumItem,
    Material,
    Module,
    ModuleRevision,
    ReadingListEntry,
)
from app.extensions import db
from app.storage import StoredFile
from tests import factories
from tests.factories import PDF


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def author(client):
    account = factories.user("author@example.org", role=Role.INSTRUCTOR)
    factories.sign_in(client, account)
    return account


def module_form(**overrides) -> dict:
    return {
        "title-en": "Mobile phone data",
        "title-es": "Datos de telefonía móvil",
        "summary-en": "Using call records.",
        "body-en": "## Why\n\nBecause.",
        "level": "introductory",
        "duration_hours": "3",
        "licence": "CC-BY-4.0",
        "dataspace_id": "",
        **overrides,
    }


def test_instructor_writes_a_draft_module(app, client, post_form, author):
    factories.topic("mobile-phone-data")
    response = post_form("/knowledge/modules/new", {**module_form(), "topics": "mobile-phone-data"})
    assert response.status_code == 302
    module = db.session.scalar(select(Module))
    assert module.slug == "mobile-phone-data"
    assert module.title == {"en": "Mobile phone data", "es": "Datos de telefonía móvil"}
    assert [t.slug for t in module.topics] == ["mobile-phone-data"]
    assert module.author_ids == {author.id}
    assert not module.is_published
    assert module.revision == 1


def test_markdown_never_lets_a_script_through(app, client):
    module = factories.module(
        body={
            "en": (
                "Hello <script>alert('x')</script> [click](javascript:alert(1)) "
                "<img src=x onerror=alert(1)> <a href='#' onclick='steal()'>a</a>\n\n**bold**"
            )
        }
    )
    html = client.get(f"/knowledge/modules/{module.slug}").get_data(as_text=True)
    body = html.split('<div class="prose">', 1)[1]
    assert "<script" not in body
    assert 'href="javascript:' not in body
    assert "onerror" not in body.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "<strong>bold</strong>" in body


def test_content_changes_raise_the_revision_and_keep_the_old_text(app, client, post_form, author):
    module = factories.module(
        author, title={"en": "Privacy"}, body={"en": "First text."}, publish=False
    )
    post_form(
        f"/knowledge/modules/{module.slug}/edit",
        module_form(**{"title-en": "Privacy", "title-es": "", "body-en": "Second text."}),
    )
    db.session.refresh(module)
    assert module.revision == 2
    post_form(
        f"/knowledge/modules/{module.slug}/edit",
        module_form(
            **{
                "title-en": "Privacy",
                "title-es": "",
                "body-en": "Second text.",
                "licence": "CC-BY-SA-4.0",
            }
        ),
    )
    db.session.refresh(module)
    assert module.revision == 2, "a licence change is not a change of what is taught"
    assert count(ModuleRevision) == 2
    old = client.get(f"/knowledge/modules/{module.slug}?revision=1").get_data(as_text=True)
    assert "First text." in old and "revision 1" in old


def test_drafts_are_invisible_to_the_public_and_to_search(app, client):
    draft = factories.module(title={"en": "Secret draft about poverty"}, publish=False)
    assert client.get(f"/knowledge/modules/{draft.slug}").status_code == 404
    assert "Secret draft" not in client.get("/knowledge/?q=poverty").get_data(as_text=True)


def test_publishing_is_for_coordinators_of_the_modules_data_space(app, client, post_form):
    own, other = factories.dataspace("own"), factories.dataspace("other")
    module = factories.module(dataspace_id=own.id, publish=False)
    factories.sign_in(client, factories.user(role=Role.COORDINATOR, dataspace=other))
    assert (
        post_form(f"/knowledge/modules/{module.slug}/publish", {}, page="/knowledge/").status_code
        == 403
    )
    factories.sign_in(client, factories.user(role=Role.COORDINATOR, dataspace=own))
    assert (
        post_form(f"/knowledge/modules/{module.slug}/publish", {}, page="/knowledge/").status_code
        == 302
    )
    db.session.refresh(module)
    assert module.is_published
    again = post_form(f"/knowledge/modules/{module.slug}/publish", {}, page="/knowledge/")
    assert again.status_code == 409


def test_instructors_edit_only_their_own_modules(app, client, post_form):
    module = factories.module(publish=False)
    factories.sign_in(client, factories.user(role=Role.INSTRUCTOR))
    assert client.get(f"/knowledge/modules/{module.slug}/edit").status_code == 403


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title-en": ""}, "The English text is required"),
        ({"duration_hours": "0"}, "Number must be between"),
        ({"level": "expert"}, "Invalid Choice"),
        ({"licence": "WTFPL"}, "Not a valid choice"),
        ({"topics": "astrology"}, "valid choice"),
        ({"dataspace_id": "999999"}, "Not a valid choice"),
    ],
)
def test_bad_module_input_is_refused_and_nothing_is_written(
    app, client, post_form, author, change, message
):
    factories.topic("mobile-phone-data")
    response = post_form("/knowledge/modules/new", module_form(**change))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Module) == 0


def test_a_pdf_is_uploaded_and_downloaded_with_safe_headers(app, client, post_form, author):
    module = factories.module(author)
    response = post_form(
        f"/knowledge/modules/{module.slug}/files",
        {"title": "Slides", "file": (__import__("io").BytesIO(PDF), "Diapositivas día 1 .pdf")},
        page=f"/knowledge/modules/{module.slug}/edit",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    material = db.session.scalar(select(Material))
    assert material.file_name == "Diapositivas_dia_1.pdf"
    download = client.get(f"/knowledge/materials/{material.id}/download")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Diapositivas_dia_1.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"MZ\x90\x00 this is a windows program", "not accepted"),
        ("setup.exe", b"MZ\x90\x00", "not accepted"),
        ("data.csv", b"a,b\x00,c", "not accepted"),
        ("page.html", b"<script>alert(1)</script>", "not accepted"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_disallowed_files_are_refused_and_nothing_is_stored(
    app, client, post_form, author, name, content, message
):
    import io

    module = factories.module(author)
    response = post_form(
        f"/knowledge/modules/{module.slug}/files",
        {"title": "x", "file": (io.BytesIO(content), name)},
        page=f"/knowledge/modules/{module.slug}/edit",
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Material) == 0 and count(StoredFile) == 0


def test_an_oversized_file_is_refused(app, client, post_form, author):
    import io

    module = factories.module(author)
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = post_form(
        f"/knowledge/modules/{module.slug}/files?lang=es",
        {"title": "x", "file": (io.BytesIO(big), "big.pdf")},
        page=f"/knowledge/modules/{module.slug}/edit",
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "10 MB" in response.get_data(as_text=True)
    assert count(StoredFile) == 0


def test_links_must_be_web_addresses(app, client, post_form, author):
    module = factories.module(author)
    bad = post_form(
        f"/knowledge/modules/{module.slug}/links",
        {"title": "x", "url": "javascript://alert(1)"},
        page=f"/knowledge/modules/{module.slug}/edit",
    )
    assert bad.status_code == 422
    good = post_form(
        f"/knowledge/modules/{module.slug}/links",
        {"title": "Dataset", "url": "https://data.example.org/cdr"},
        page=f"/knowledge/modules/{module.slug}/edit",
    )
    assert good.status_code == 302
    assert "https://data.example.org/cdr" in client.get(
        f"/knowledge/modules/{module.slug}"
    ).get_data(as_text=True)


@pytest.fixture
def curator(client):
    space = factories.dataspace("andes")
    account = factories.user(role=Role.COORDINATOR, dataspace=space)
    factories.sign_in(client, account)
    return space


def make_curriculum(space, modules) -> Curriculum:
    curriculum = services.save_curriculum(
        None, title={"en": "Big data, 3 days"}, description={}, dataspace_id=space.id
    )
    for module in modules:
        services.add_to_curriculum(curriculum, module.slug)
    return curriculum


def test_curriculum_totals_hours_and_reorders(app, client, post_form, curator):
    first = factories.module(title={"en": "First"}, duration_hours="2.5")
    second = factories.module(title={"en": "Second"}, duration_hours="4")
    curriculum = make_curriculum(curator, [first, second])
    assert curriculum.total_hours == Decimal("6.5")
    page = client.get(f"/curricula/{curriculum.slug}").get_data(as_text=True)
    assert "6.5" in page
    items = {item.module.slug: item.id for item in curriculum.items}
    response = post_form(
        f"/curricula/{curriculum.slug}/order",
        {f"position-{items['first']}": "2", f"position-{items['second']}": "1"},
        page=f"/curricula/{curriculum.slug}",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [i.module.slug for i in db.session.get(Curriculum, curriculum.id).items] == [
        "second",
        "first",
    ]


def test_reordering_with_items_of_another_curriculum_is_refused(app, client, post_form, curator):
    mine = make_curriculum(curator, [factories.module(), factories.module()])
    theirs = make_curriculum(curator, [factories.module()])
    foreign = theirs.items[0].id
    response = post_form(
        f"/curricula/{mine.slug}/order",
        {f"position-{mine.items[0].id}": "1", f"position-{foreign}": "2"},
        page=f"/curricula/{mine.slug}",
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert [i.position for i in db.session.get(Curriculum, theirs.id).items] == [0]


def test_a_clone_can_change_without_touching_the_original(app, client, post_form, curator):
    modules = [factories.module(), factories.module(), factories.module()]
    original = make_curriculum(curator, modules)
    response = post_form(
        f"/curricula/{original.slug}/clone", {}, page=f"/curricula/{original.slug}"
    )
    assert response.status_code == 302
    copy = db.session.scalar(select(Curriculum).where(Curriculum.based_on_id == original.id))
    services.remove_from_curriculum(copy, copy.items[0].id)
    db.session.commit()
    db.session.expire_all()
    assert len(db.session.get(Curriculum, original.id).items) == 3
    assert len(db.session.get(Curriculum, copy.id).items) == 2
    assert count(CurriculumItem) == 5


def test_collections_take_only_published_modules(app, client, post_form, curator):
    published = factories.module(title={"en": "Shown"})
    draft = factories.module(title={"en": "Hidden"}, publish=False)
    collection = services.save_collection(
        None, title={"en": "Start here"}, description={}, dataspace_id=curator.id
    )
    db.session.commit()
    ok = post_form(
        f"/knowledge/collections/{collection.slug}/modules",
        {"module": published.slug},
        page=f"/knowledge/collections/{collection.slug}",
    )
    assert ok.status_code == 302
    refused = post_form(
        f"/knowledge/collections/{collection.slug}/modules",
        {"module": draft.slug},
        page=f"/knowledge/collections/{collection.slug}",
    )
    assert refused.status_code == 422
    post_form("/sign-out", {}, page="/")  # the public view
    html = client.get(f"/knowledge/collections/{collection.slug}").get_data(as_text=True)
    assert "Shown" in html and "Hidden" not in html


def test_reading_list(app, client, post_form):
    module = factories.module(title={"en": "Ethics of call records"})
    reader = factories.user(role=Role.PARTICIPANT)
    factories.sign_in(client, reader)
    post_form(
        f"/knowledge/modules/{module.slug}/save", {}, page=f"/knowledge/modules/{module.slug}"
    )
    assert "Ethics of call records" in client.get("/knowledge/reading-list").get_data(as_text=True)
    post_form(
        f"/knowledge/modules/{module.slug}/save", {}, page=f"/knowledge/modules/{module.slug}"
    )
    assert count(ReadingListEntry) == 0


def test_authors_are_instructor_accounts_and_can_be_several(app, client, post_form, author):
    colleague = factories.user("colleague@example.org", role=Role.INSTRUCTOR,
                               display_name="Kwame Colleague")
    participant = factories.user(role=Role.PARTICIPANT)
    module = factories.module(author, publish=False)
    page = f"/knowledge/modules/{module.slug}/edit"
    refused = post_form(page, {**module_form(), "author_ids": [str(participant.id)]})
    assert refused.status_code == 422
    assert "valid choice" in refused.get_data(as_text=True)
    from app.errors import DomainError

    content = services.ModuleContent(
        title={"en": "x"}, summary={}, body={}, learning_outcomes={},
        level=services.Level.INTRODUCTORY, duration_hours=Decimal(1), licence="CC-BY-4.0",
        topic_slugs=(), dataspace_id=None, author_ids=(participant.id,))
    with pytest.raises(DomainError, match="instructor accounts"):
        services.update_module(module, content, author)
    db.session.rollback()
    ok = post_form(page, {**module_form(), "author_ids": [str(author.id), str(colleague.id)]})
    assert ok.status_code == 302
    db.session.refresh(module)
    assert module.author_ids == {author.id, colleague.id}
    factories.sign_in(client, colleague)
    assert client.get(page).status_code == 200, "a co-author may edit it too"
