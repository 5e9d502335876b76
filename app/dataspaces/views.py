"""Public Data Space pages and the staff pages that edit the registry."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import permissions as can
from app.auth.permissions import (
    can_create_dataspace,
    permission_required,
    staff_required,
    verified_required,
)
from app.curriculum import services as curriculum
from app.dataspaces import forms, services
from app.dataspaces.models import DataSpace, Institution, Node
from app.errors import DomainError
from app.extensions import db
from app.forms import options
from app.grants import services as grants
from app.timeutil import utcnow
from app.views import form_error_response, managed_dataspace
from app.workshops import services as workshops

bp = Blueprint("dataspaces", __name__, template_folder="templates")


def _dataspace_or_404(slug: str) -> DataSpace:
    space = services.get_dataspace(slug)
    if space is None:
        abort(404)
    return space


@bp.get("/dataspaces/")
def index():
    return render_template("dataspaces/index.html", dataspaces=services.list_dataspaces(),
                           shared_partners=services.partners_in_several())


@bp.get("/dataspaces/<slug>")
def show(slug: str):
    space = _dataspace_or_404(slug)
    return render_template("dataspaces/show.html", space=space, delete_form=forms.DeleteForm(),
                           partners=services.partners_by_role(space), **_front_door(space))


#: How many programmes of each kind (upcoming, past) the Data Space's page lists.
FRONT_DOOR_PROGRAMMES = 6


def _front_door(space: DataSpace) -> dict:
    """What the Data Space does, from the other domains: its programmes, the grants that fund
    it (published ones for the public; all for its staff) and its knowledge collections."""
    today = utcnow().date()
    staff = can.can_manage_dataspace(current_user, space.id)
    upcoming, past = (
        workshops.catalogue(workshops.CatalogueQuery(dataspace_id=space.id, when=when), today)
        for when in ("upcoming", "past"))
    return {
        "upcoming": upcoming.items[:FRONT_DOOR_PROGRAMMES], "upcoming_total": upcoming.total,
        "past": past.items[:FRONT_DOOR_PROGRAMMES], "past_total": past.total,
        "grants": [grant for grant in grants.list_grants({space.id}) if staff or grant.public],
        "collections": curriculum.visible_collections(space.id),
    }


@bp.route("/dataspaces/new", methods=["GET", "POST"])
@permission_required(can_create_dataspace)
def create():
    return _edit_dataspace(None)


@bp.route("/dataspaces/<slug>/edit", methods=["GET", "POST"])
@verified_required
def edit(slug: str):
    return _edit_dataspace(managed_dataspace(slug))


def _edit_dataspace(space: DataSpace | None):
    form = forms.DataSpaceForm(obj=space)
    if form.validate_on_submit():
        try:
            space = services.save_dataspace(
                space,
                slug=form.slug.data,
                region=form.region.data,
                name=form.name.data,
                description=form.description.data,
                status=form.status.data,
            )
        except DomainError as error:
            return form_error_response(form, error, "dataspaces/form.html", space=space)
        db.session.commit()
        flash(_("The Data Space was saved."), "success")
        return redirect(url_for(".show", slug=space.slug))
    return form_error_response(form, None, "dataspaces/form.html", space=space)


@bp.route("/dataspaces/<slug>/nodes/new", methods=["GET", "POST"])
@verified_required
def create_node(slug: str):
    return _edit_node(managed_dataspace(slug), None)


@bp.route("/dataspaces/<slug>/nodes/<int:node_id>/edit", methods=["GET", "POST"])
@verified_required
def edit_node(slug: str, node_id: int):
    space = managed_dataspace(slug)
    node = db.session.get(Node, node_id)
    if node is None or node.dataspace_id != space.id:
        abort(404)
    return _edit_node(space, node)


def _edit_node(space: DataSpace, node: Node | None):
    form = forms.NodeForm(obj=node)
    form.host_id.choices = _institution_choices()
    if form.validate_on_submit():
        try:
            services.save_node(
                space,
                node,
                slug=form.slug.data,
                city=form.city.data,
                country_code=form.country_code.data,
                time_zone=form.time_zone.data,
                is_anchor=form.is_anchor.data,
                host_id=form.host_id.data,
            )
        except DomainError as error:
            heading = _("Edit the node") if node else _("New node")
            return form_error_response(
                form, error, "dataspaces/simple_form.html", space=space, heading=heading
            )
        db.session.commit()
        flash(_("The node was saved."), "success")
        return redirect(url_for(".show", slug=space.slug))
    return form_error_response(
        form,
        None,
        "dataspaces/simple_form.html",
        space=space,
        heading=_("Edit the node") if node else _("New node"),
    )


@bp.route("/dataspaces/<slug>/partners/new", methods=["GET", "POST"])
@verified_required
def add_partner(slug: str):
    space = managed_dataspace(slug)
    form = forms.PartnershipForm()
    form.institution_id.choices = _institution_choices(blank=False)
    if form.validate_on_submit():
        try:
            services.add_partnership(space, form.institution_id.data, form.role.data,
                                     starts_on=form.starts_on.data,
                                     agreement_reference=form.agreement_reference.data)
        except DomainError as error:
            return form_error_response(
                form, error, "dataspaces/simple_form.html", space=space, heading=_("Add a partner")
            )
        db.session.commit()
        flash(_("The partner was added."), "success")
        return redirect(url_for(".show", slug=space.slug))
    return form_error_response(
        form, None, "dataspaces/simple_form.html", space=space, heading=_("Add a partner")
    )


@bp.post("/dataspaces/<slug>/partners/<int:partnership_id>/delete")
@verified_required
def remove_partner(slug: str, partnership_id: int):
    return _delete(slug, services.remove_partnership, partnership_id, _("The partner was removed."))


@bp.route("/dataspaces/<slug>/team/new", methods=["GET", "POST"])
@verified_required
def add_team_member(slug: str):
    space = managed_dataspace(slug)
    form = forms.TeamMemberForm()
    form.node_id.choices = options(((n.id, n.city.get_text()) for n in space.nodes), blank="—")
    if form.validate_on_submit():
        try:
            services.add_team_member(
                space,
                person_name=form.person_name.data.strip(),
                title=form.title.data,
                email=form.email.data,
                node_id=form.node_id.data,
            )
        except DomainError as error:
            return form_error_response(
                form,
                error,
                "dataspaces/simple_form.html",
                space=space,
                heading=_("Add a team member"),
            )
        db.session.commit()
        flash(_("The team member was added."), "success")
        return redirect(url_for(".show", slug=space.slug))
    return form_error_response(
        form, None, "dataspaces/simple_form.html", space=space, heading=_("Add a team member")
    )


@bp.post("/dataspaces/<slug>/team/<int:membership_id>/delete")
@verified_required
def remove_team_member(slug: str, membership_id: int):
    return _delete(
        slug, services.remove_team_member, membership_id, _("The team member was removed.")
    )


def _delete(slug: str, remove, item_id: int, done_message: str):
    space = managed_dataspace(slug)
    try:
        remove(space, item_id)
    except DomainError:
        abort(404)
    db.session.commit()
    flash(done_message, "success")
    return redirect(url_for(".show", slug=space.slug))


@bp.get("/institutions/")
@staff_required
def institutions():
    return render_template(
        "dataspaces/institutions.html", institutions=services.list_institutions()
    )


@bp.route("/institutions/new", methods=["GET", "POST"])
@staff_required
def create_institution():
    return _edit_institution(None)


@bp.route("/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_institution(institution_id: int):
    institution = db.session.get(Institution, institution_id) or abort(404)
    return _edit_institution(institution)


def _edit_institution(institution: Institution | None):
    form = forms.InstitutionForm(obj=institution)
    if form.validate_on_submit():
        services.save_institution(
            institution,
            name=form.name.data,
            kind=form.kind.data,
            country_code=form.country_code.data,
            website=form.website.data,
        )
        db.session.commit()
        flash(_("The institution was saved."), "success")
        return redirect(url_for(".institutions"))
    return form_error_response(
        form, None, "dataspaces/institution_form.html", institution=institution
    )


def _institution_choices(blank: bool = True) -> list:
    pairs = ((inst.id, inst.name.get_text()) for inst in services.list_institutions())
    return options(pairs, blank="—" if blank else None)
