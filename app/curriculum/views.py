"""The knowledge catalogue, module editing, collections, curricula and reading lists."""

from __future__ import annotations

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import permissions as can
from app.auth import services as accounts
from app.auth.permissions import permission_required, require, verified_required
from app.curriculum import forms, services, structured_data
from app.curriculum.models import Level, Module
from app.curriculum.uploads import check_upload
from app.dataspaces.services import list_dataspaces
from app.errors import DomainError
from app.extensions import db, talisman
from app.forms import options
from app.multilingual import CONTENT_LANGUAGES, current_language
from app.views import form_error_response, number_arg, show_refusal

bp = Blueprint("curriculum", __name__, template_folder="templates")


# --- the public catalogue ----------------------------------------------------------------


@bp.get("/knowledge/")
def catalogue():
    query = _catalogue_query()
    spaces = list_dataspaces()
    return render_template(
        "curriculum/catalogue.html",
        result=services.catalogue(query, current_language()),
        query=query,
        topics=services.list_topics(),
        levels=list(Level),
        languages=CONTENT_LANGUAGES,
        dataspaces=spaces,
        collections=services.visible_collections() if query.page == 1 else [],
    )


def _catalogue_query() -> services.CatalogueQuery:
    """Read the filters; unknown values are refused rather than silently ignored."""
    args = request.args
    level = args.get("level") or None
    if level is not None and level not in {lvl.value for lvl in Level}:
        abort(400)
    language = args.get("language") or None
    if language is not None and language not in CONTENT_LANGUAGES:
        abort(400)
    page = number_arg(args.get("page"), 1)
    dataspace_id = number_arg(args.get("dataspace"))
    topic = args.get("topic") or None
    if topic is not None and topic not in {t.slug for t in services.list_topics()}:
        abort(400)
    return services.CatalogueQuery(
        text=args.get("q", "")[:200],
        topic=topic,
        level=Level(level) if level else None,
        language=language,
        dataspace_id=dataspace_id,
        page=page,
    )


@bp.get("/knowledge/modules/<slug>")
def module(slug: str):
    item = _module_or_404(slug)
    if not can.can_view_module(current_user, item):
        abort(404)  # a draft does not exist for the public
    revision = None
    if request.args.get("revision"):
        number = number_arg(request.args["revision"])
        revision = services.get_revision(item, number) or abort(404)
    saved = can.is_verified(current_user) and services.is_saved(current_user, item)
    return render_template(
        "curriculum/module.html",
        module=item,
        revision=revision,
        saved=saved,
        action_form=forms.FlaskForm(),
        structured_data=structured_data.learning_resource(item),
    )


def _module_or_404(slug: str) -> Module:
    item = services.get_module(slug)
    if item is None:
        abort(404)
    return item


# --- writing modules ---------------------------------------------------------------------


@bp.get("/knowledge/my-modules")
@permission_required(can.can_author_modules)
def my_modules():
    managed = None if can.is_admin(current_user) else current_user.coordinated_dataspace_ids()
    return render_template(
        "curriculum/my_modules.html",
        authored=services.modules_by_author(current_user),
        managed=services.editable_modules(managed) if managed != set() else [],
    )


@bp.route("/knowledge/modules/new", methods=["GET", "POST"])
@permission_required(can.can_author_modules)
def create_module():
    return _edit_module(None)


@bp.route("/knowledge/modules/<slug>/edit", methods=["GET", "POST"])
@verified_required
def edit_module(slug: str):
    item = _module_or_404(slug)
    require(can.can_edit_module(current_user, item))
    return _edit_module(item)


def _edit_module(item: Module | None):
    form = forms.ModuleForm(obj=item)
    form.topics.choices = _topic_choices()
    form.dataspace_id.choices = _dataspace_choices()
    form.author_ids.choices = _author_choices()
    if request.method == "GET" and item is not None:
        form.topics.data = [t.slug for t in item.topics]
        form.author_ids.data = sorted(item.author_ids)
    if form.validate_on_submit():
        moved = item is not None and item.is_published and \
            form.dataspace_id.data != item.dataspace_id
        if moved and not can.can_publish_module(current_user, _scope(form.dataspace_id.data)):
            return form_error_response(form, DomainError(
                _("A published module moves only to a Data Space whose coordinators you are "
                  "among."), field="dataspace_id"), "curriculum/module_form.html", module=item)
        content = services.ModuleContent(
            title=form.title.data,
            summary=form.summary.data,
            body=form.body.data,
            learning_outcomes=form.learning_outcomes.data,
            level=form.level.data,
            duration_hours=form.duration_hours.data,
            licence=form.licence.data,
            topic_slugs=tuple(form.topics.data or ()),
            author_ids=tuple(form.author_ids.data or ()),
            dataspace_id=form.dataspace_id.data,
        )
        try:
            if item is None:
                item = services.create_module(content, current_user)
            else:
                services.update_module(item, content, current_user)
        except DomainError as error:
            return form_error_response(form, error, "curriculum/module_form.html", module=item)
        db.session.commit()
        flash(_("The module was saved."), "success")
        return redirect(url_for(".edit_module", slug=item.slug))
    return form_error_response(
        form,
        None,
        "curriculum/module_form.html",
        module=item,
        link_form=forms.LinkForm(formdata=None),
        file_form=forms.FileForm(formdata=None),
        action_form=forms.FlaskForm(),
    )


def _dataspace_choices() -> list:
    pairs = ((space.id, space.name.get_text()) for space in list_dataspaces())
    return options(pairs, blank=_("The whole network"))


def _scope(dataspace_id: int | None):
    """Something with a ``dataspace_id``, for the permission helpers."""
    return type("Scope", (), {"dataspace_id": dataspace_id})


def _author_choices() -> list:
    return options((u.id, f"{u.display_name} <{u.email}>") for u in accounts.instructors())


def _topic_choices() -> list:
    return options((t.slug, t.name.get_text()) for t in services.list_topics())


@bp.post("/knowledge/modules/<slug>/publish")
@verified_required
def publish_module(slug: str):
    return _change_status(slug, services.publish_module, _("The module is published."))


@bp.post("/knowledge/modules/<slug>/unpublish")
@verified_required
def unpublish_module(slug: str):
    return _change_status(slug, services.unpublish_module, _("The module is back to draft."))


def _change_status(slug: str, change, message: str):
    item = _module_or_404(slug)
    require(can.can_publish_module(current_user, item))
    change(item)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".module", slug=item.slug))


@bp.post("/knowledge/modules/<slug>/links")
@verified_required
def add_link(slug: str):
    item = _module_or_404(slug)
    require(can.can_edit_module(current_user, item))
    form = forms.LinkForm()
    if form.validate_on_submit():
        try:
            services.add_link(item, form.title.data.strip(), form.url.data.strip())
        except DomainError as error:
            return _materials_refused(item, error, link_form=form)
        db.session.commit()
        flash(_("The link was added."), "success")
        return redirect(url_for(".edit_module", slug=item.slug) + "#materials")
    return _materials_refused(item, None, link_form=form)


@bp.post("/knowledge/modules/<slug>/files")
@verified_required
def add_file(slug: str):
    item = _module_or_404(slug)
    require(can.can_edit_module(current_user, item))
    form = forms.FileForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            checked = check_upload(
                upload.filename or "",
                upload.read(current_app.config["MATERIAL_MAX_BYTES"] + 1),
                current_app.config["MATERIAL_MAX_BYTES"],
            )
            services.add_file(item, (form.title.data or "").strip(), checked)
        except DomainError as error:
            return _materials_refused(item, error, file_form=form)
        db.session.commit()
        flash(_("The file was added."), "success")
        return redirect(url_for(".edit_module", slug=item.slug) + "#materials")
    return _materials_refused(item, None, file_form=form)


def _materials_refused(item: Module, error: DomainError | None, **forms_):
    module_form = forms.ModuleForm(obj=item, formdata=None)
    module_form.topics.choices = _topic_choices()
    module_form.topics.data = [t.slug for t in item.topics]
    module_form.dataspace_id.choices = _dataspace_choices()
    module_form.author_ids.choices = _author_choices()
    module_form.author_ids.data = sorted(item.author_ids)
    context = {
        "link_form": forms.LinkForm(formdata=None),
        "file_form": forms.FileForm(formdata=None),
        **forms_,
    }
    if error is not None:
        show_refusal(next(iter(forms_.values())), error)
    html = render_template(
        "curriculum/module_form.html",
        form=module_form,
        module=item,
        action_form=forms.FlaskForm(),
        **context,
    )
    return html, 422


@bp.post("/knowledge/modules/<slug>/materials/<int:material_id>/delete")
@verified_required
def remove_material(slug: str, material_id: int):
    item = _module_or_404(slug)
    require(can.can_edit_module(current_user, item))
    try:
        services.remove_material(item, material_id)
    except DomainError:
        abort(404)
    db.session.commit()
    flash(_("The material was removed."), "success")
    return redirect(url_for(".edit_module", slug=item.slug) + "#materials")


@bp.get("/knowledge/materials/<int:material_id>/download")
@talisman(content_security_policy={"default-src": "'none'", "sandbox": ""})
def download_material(material_id: int):
    found = services.material_file(material_id)
    if found is None:
        abort(404)
    material, stored = found
    # Sent as an attachment under a sandboxing policy: whatever the file holds, the browser
    # never runs it as a page of this site.
    if not can.can_view_module(current_user, material.module):
        abort(404)
    response = send_file(
        BytesIO(stored.data),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=material.file_name,
        etag=stored.sha256,
        max_age=3600,
    )
    return response


# --- reading list ------------------------------------------------------------------------


@bp.post("/knowledge/modules/<slug>/save")
@verified_required
def toggle_saved(slug: str):
    item = _module_or_404(slug)
    require(can.can_view_module(current_user, item))
    saved = services.toggle_saved(current_user, item)
    db.session.commit()
    flash(
        _("Saved to your reading list.") if saved else _("Removed from your reading list."),
        "success",
    )
    return redirect(url_for(".module", slug=item.slug))


@bp.get("/knowledge/reading-list")
@verified_required
def reading_list():
    return render_template(
        "curriculum/reading_list.html",
        entries=services.reading_list(current_user),
        action_form=forms.FlaskForm(),
    )


# --- collections -------------------------------------------------------------------------


def _collection_to_curate(slug: str):
    item = services.get_collection(slug) or abort(404)
    require(can.can_curate(current_user, item.dataspace_id))
    return item


def _curriculum_to_curate(slug: str):
    item = services.get_curriculum(slug) or abort(404)
    require(can.can_curate(current_user, item.dataspace_id))
    return item


@bp.get("/knowledge/collections/<slug>")
def collection(slug: str):
    item = services.get_collection(slug) or abort(404)
    curator = can.can_curate(current_user, item.dataspace_id)
    add_form = _add_module_form(published_only=True) if curator else None
    return render_template(
        "curriculum/collection.html",
        collection=item,
        curator=curator,
        add_form=add_form,
        action_form=forms.FlaskForm(),
    )


@bp.route("/knowledge/collections/new", methods=["GET", "POST"])
@permission_required(can.is_staff)
def create_collection():
    return _edit_list(
        None,
        forms.CollectionForm,
        services.save_collection,
        "curriculum/collection_form.html",
        ".collection",
    )


@bp.route("/knowledge/collections/<slug>/edit", methods=["GET", "POST"])
@verified_required
def edit_collection(slug: str):
    item = _collection_to_curate(slug)
    return _edit_list(
        item,
        forms.CollectionForm,
        services.save_collection,
        "curriculum/collection_form.html",
        ".collection",
    )


@bp.post("/knowledge/collections/<slug>/modules")
@verified_required
def add_to_collection(slug: str):
    item = _collection_to_curate(slug)
    return _add_module(item, services.add_to_collection, ".collection")


@bp.post("/knowledge/collections/<slug>/order")
@verified_required
def reorder_collection(slug: str):
    item = _collection_to_curate(slug)
    return _reorder(item, ".collection")


@bp.post("/knowledge/collections/<slug>/items/<int:item_id>/delete")
@verified_required
def remove_from_collection(slug: str, item_id: int):
    item = _collection_to_curate(slug)
    return _remove(item, item_id, services.remove_from_collection, ".collection")


# --- curricula ---------------------------------------------------------------------------


@bp.get("/curricula/")
@permission_required(can.can_author_modules)
def curricula():
    return render_template("curriculum/curricula.html", curricula=services.list_curricula())


@bp.get("/curricula/<slug>")
@permission_required(can.can_author_modules)
def curriculum(slug: str):
    item = services.get_curriculum(slug) or abort(404)
    curator = can.can_curate(current_user, item.dataspace_id)
    return render_template(
        "curriculum/curriculum.html",
        curriculum=item,
        curator=curator,
        add_form=_add_module_form(published_only=False) if curator else None,
        action_form=forms.FlaskForm(),
    )


@bp.route("/curricula/new", methods=["GET", "POST"])
@permission_required(can.is_staff)
def create_curriculum():
    return _edit_list(
        None,
        forms.CurriculumForm,
        services.save_curriculum,
        "curriculum/curriculum_form.html",
        ".curriculum",
    )


@bp.route("/curricula/<slug>/edit", methods=["GET", "POST"])
@verified_required
def edit_curriculum(slug: str):
    item = _curriculum_to_curate(slug)
    return _edit_list(
        item,
        forms.CurriculumForm,
        services.save_curriculum,
        "curriculum/curriculum_form.html",
        ".curriculum",
    )


@bp.post("/curricula/<slug>/modules")
@verified_required
def add_to_curriculum(slug: str):
    item = _curriculum_to_curate(slug)
    return _add_module(item, services.add_to_curriculum, ".curriculum")


@bp.post("/curricula/<slug>/order")
@verified_required
def reorder_curriculum(slug: str):
    item = _curriculum_to_curate(slug)
    return _reorder(item, ".curriculum")


@bp.post("/curricula/<slug>/items/<int:item_id>/delete")
@verified_required
def remove_from_curriculum(slug: str, item_id: int):
    item = _curriculum_to_curate(slug)
    return _remove(item, item_id, services.remove_from_curriculum, ".curriculum")


@bp.post("/curricula/<slug>/clone")
@permission_required(can.is_staff)
def clone_curriculum(slug: str):
    source = services.get_curriculum(slug) or abort(404)
    # The copy belongs where the person can work on it: the source's Data Space if they
    # curate it, else the first Data Space they coordinate (admins: the source's).
    target = source.dataspace_id
    if not can.can_curate(current_user, target):
        target = min(current_user.coordinated_dataspace_ids(), default=None)
    copy = services.clone_curriculum(source, dataspace_id=target)
    db.session.commit()
    flash(_("This is your copy: change it freely, the original stays as it was."), "success")
    return redirect(url_for(".curriculum", slug=copy.slug))


# --- shared by collections and curricula --------------------------------------------------


def _edit_list(item, form_class, save, template: str, show_endpoint: str):
    form = form_class(obj=item)
    form.dataspace_id.choices = _dataspace_choices()
    if form.validate_on_submit():
        if not can.can_curate(current_user, form.dataspace_id.data):
            return form_error_response(
                form,
                DomainError(
                    _("You can only choose a Data Space you coordinate."), field="dataspace_id"
                ),
                template,
                item=item,
            )
        item = save(
            item,
            title=form.title.data,
            description=form.description.data,
            dataspace_id=form.dataspace_id.data,
        )
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(show_endpoint, slug=item.slug))
    return form_error_response(form, None, template, item=item)


def _add_module_form(published_only: bool) -> forms.AddModuleForm:
    form = forms.AddModuleForm(formdata=None)
    modules = services.editable_modules(None)
    form.module.choices = options(
        ((m.slug, m.title.get_text()) for m in modules if m.is_published or not published_only),
        blank="—",
    )
    return form


def _add_module(item, add, show_endpoint: str):
    form = forms.AddModuleForm()
    form.module.choices = []
    back = url_for(show_endpoint, slug=item.slug)
    if not form.validate_on_submit():
        raise DomainError(_("Choose a module from the list."), status=422, back=back)
    try:
        add(item, form.module.data)
    except DomainError as error:
        error.status, error.back = 422, back
        raise
    db.session.commit()
    flash(_("The module was added."), "success")
    return redirect(url_for(show_endpoint, slug=item.slug))


def _reorder(item, show_endpoint: str):
    """Positions come as ``position-<item id>=<number>``; the items are put in that order."""
    back = url_for(show_endpoint, slug=item.slug)
    try:
        positions = {
            int(key.removeprefix("position-")): float(value)
            for key, value in request.form.items()
            if key.startswith("position-")
        }
    except ValueError as error:
        raise DomainError(_("Positions must be numbers."), status=422, back=back) from error
    try:
        services.reorder(item.items, sorted(positions, key=lambda item_id: positions[item_id]))
    except DomainError as error:
        error.status, error.back = 422, back
        raise
    db.session.commit()
    flash(_("The new order is saved."), "success")
    return redirect(url_for(show_endpoint, slug=item.slug))


def _remove(item, item_id: int, remove, show_endpoint: str):
    try:
        remove(item, item_id)
    except DomainError:
        abort(404)
    db.session.commit()
    flash(_("The module was removed from the list."), "success")
    return redirect(url_for(show_endpoint, slug=item.slug))


