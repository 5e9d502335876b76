"""The public programme catalogue and agendas, calendars, and the pages that plan them."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth import permissions as can
from app.auth import services as accounts
from app.auth.permissions import permission_required, require, verified_required
from app.curriculum.services import list_curricula
from app.dataspaces.services import list_dataspaces, list_institutions
from app.enrollment import lists as enrollment_lists
from app.enrollment import seats as enrollment_seats
from app.errors import DomainError
from app.extensions import db
from app.forms import options
from app.i18n import country_name
from app.multilingual import CONTENT_LANGUAGES, current_language
from app.timeutil import utcnow
from app.urls import external_url
from app.views import form_error_response, managed_programme, number_arg
from app.workshops import calendars, forms, services, structured_data
from app.workshops.models import Programme, ProgrammeKind, ProgrammeState, Session
from app.workshops.timezones import utc_to_local

bp = Blueprint("workshops", __name__, template_folder="templates")


# --- public pages ------------------------------------------------------------------------------


@bp.get("/workshops/")
def catalogue():
    query = _catalogue_query()
    return render_template(
        "workshops/catalogue.html",
        query=query,
        result=services.catalogue(query, utcnow().date()),
        dataspaces=list_dataspaces(),
        kinds=list(ProgrammeKind),
        languages=CONTENT_LANGUAGES,
        countries=sorted(
            services.countries_with_programmes(),
            key=lambda code: country_name(code, current_language()),
        ),
    )


def _catalogue_query() -> services.CatalogueQuery:
    args = request.args
    kind = args.get("kind") or None
    if kind is not None and kind not in {k.value for k in ProgrammeKind}:
        abort(400)
    language = args.get("language") or None
    if language is not None and language not in CONTENT_LANGUAGES:
        abort(400)
    when = args.get("when", "upcoming")
    if when not in ("upcoming", "past", "all"):
        abort(400)
    country = (args.get("country") or "").upper() or None
    if country is not None and (len(country) != 2 or not country.isalpha()):
        abort(400)
    page = number_arg(args.get("page"), 1)
    dataspace_id = number_arg(args.get("dataspace"))
    return services.CatalogueQuery(
        dataspace_id=dataspace_id,
        country=country,
        kind=ProgrammeKind(kind) if kind else None,
        language=language,
        open_only=args.get("open") == "1",
        when=when,
        page=page,
    )


def _programme_or_404(slug: str) -> Programme:
    programme = services.get_programme(slug)
    if programme is None or not can.can_view_programme(current_user, programme):
        abort(404)
    return programme


@bp.get("/workshops/<slug>")
def programme(slug: str):
    item = _programme_or_404(slug)
    manager = can.can_manage_dataspace(current_user, item.dataspace_id)
    mine = enrollment_seats.enrollment_of(current_user, item) \
        if can.is_signed_in(current_user) else None
    registration_open = True
    try:
        enrollment_seats.check_registration_open(item)
    except DomainError:
        registration_open = False
    return render_template("workshops/programme.html", programme=item, manager=manager,
                           action_form=FlaskForm(), my_enrollment=mine,
                           registration_open=registration_open,
                           teaching=can.can_teach(current_user, item),
                           structured_data=structured_data.course(item))


@bp.get("/workshops/<slug>/calendar.ics")
def programme_calendar(slug: str):
    item = _programme_or_404(slug)
    body = calendars.calendar_for(item.sessions, item.title.get_text(), current_language())
    return _ics(body, f"{item.slug}.ics")


@bp.get("/calendar/<token>.ics")
def private_calendar(token: str):
    """A person's sessions across programmes (those they teach and those they are confirmed
    in); the address itself is the secret."""
    owner = services.feed_owner(token)
    if owner is None:
        abort(404)
    taught = services.sessions_taught_by(owner)
    attended = services.sessions_of_programmes(enrollment_lists.confirmed_programme_ids(owner))
    sessions = sorted({s.id: s for s in [*taught, *attended]}.values(), key=lambda s: s.starts_at)
    # Meeting links only reach people who may join: instructors and confirmed participants.
    language = owner.preferred_language or "en"
    with force_locale(language):  # calendar programs send no language: use the owner's
        name = _("My sessions")
    body = calendars.calendar_for(sessions, name, language, meeting_links=True)
    return _ics(body, "my-sessions.ics")


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


# --- instructors ---------------------------------------------------------------------------------


@bp.get("/workshops/my-sessions")
@permission_required(can.is_instructor)
def my_sessions():
    return _my_sessions_page()


def _my_sessions_page(feed_url: str | None = None):
    return render_template(
        "workshops/my_sessions.html",
        sessions=services.sessions_taught_by(current_user, since=utcnow()),
        has_feed=services.has_feed(current_user),
        feed_url=feed_url,
        action_form=FlaskForm(),
    )


@bp.post("/workshops/my-sessions/feed")
@permission_required(can.is_instructor)
def renew_feed():
    token = services.new_feed_token(current_user)
    db.session.commit()
    flash(
        _("Your private calendar address is ready. Any earlier address no longer works."), "success"
    )
    return _my_sessions_page(feed_url=external_url("workshops.private_calendar", token=token))


# --- coordinators: programmes --------------------------------------------------------------------


@bp.get("/workshops/manage")
@permission_required(can.can_manage_programmes)
def manage():
    scope = None if can.is_admin(current_user) else current_user.coordinated_dataspace_ids()
    return render_template("workshops/manage.html", programmes=services.managed_programmes(scope))


@bp.route("/workshops/new", methods=["GET", "POST"])
@permission_required(can.can_manage_programmes)
def create():
    return _edit_programme(None)


@bp.route("/workshops/<slug>/edit", methods=["GET", "POST"])
@verified_required
def edit(slug: str):
    item = managed_programme(slug)
    return _edit_programme(item)


def _edit_programme(item: Programme | None):
    form = forms.ProgrammeForm(obj=item)
    _programme_choices(form)
    if request.method == "GET" and item is not None:
        _fill_programme_form(form, item)
    if form.validate_on_submit():
        if not can.can_manage_dataspace(current_user, form.dataspace_id.data):
            return form_error_response(
                form,
                DomainError(
                    _("You can only plan programmes for a Data Space you coordinate."),
                    field="dataspace_id",
                ),
                "workshops/programme_form.html",
                programme=item,
            )
        try:
            item = services.save_programme(item, _programme_details(form))
        except DomainError as error:
            return form_error_response(form, error, "workshops/programme_form.html", programme=item)
        db.session.commit()
        flash(_("The programme was saved."), "success")
        return redirect(url_for(".programme", slug=item.slug))
    return form_error_response(form, None, "workshops/programme_form.html", programme=item)


def _programme_choices(form: forms.ProgrammeForm) -> None:
    spaces = list_dataspaces()
    if not can.is_admin(current_user):
        mine = current_user.coordinated_dataspace_ids()
        spaces = [space for space in spaces if space.id in mine]
    form.dataspace_id.choices = options(((s.id, s.name.get_text()) for s in spaces), blank="—")
    form.node_id.choices = options(
        (
            (node.id, f"{node.city.get_text()} ({space.name.get_text()})")
            for space in spaces
            for node in space.nodes
        ),
        blank="—",
    )
    institutions = [(i.id, i.name.get_text()) for i in list_institutions()]
    form.host_id.choices = options(institutions, blank="—")
    form.funder_ids.choices = options(institutions)
    form.co_organiser_ids.choices = options(
        (space.id, space.name.get_text()) for space in list_dataspaces())
    form.curriculum_id.choices = options(
        ((c.id, c.title.get_text()) for c in list_curricula()), blank="—"
    )
    form.instructor_ids.choices = options(
        (u.id, f"{u.display_name} <{u.email}>") for u in accounts.instructors()
    )


def _fill_programme_form(form: forms.ProgrammeForm, item: Programme) -> None:
    form.languages.data = item.languages
    form.instructor_ids.data = sorted(item.instructor_ids)
    form.funder_ids.data = [f.institution_id for f in item.funders]
    form.co_organiser_ids.data = [space.id for space in item.co_organisers]
    form.grant.data = next((f.grant for f in item.funders if f.grant), None)
    form.curriculum_id.data = item.curriculum.based_on_id if item.curriculum else None
    for name in ("registration_opens", "registration_closes"):
        instant = getattr(item, f"{name}_at")
        getattr(form, f"{name}_local").data = (
            _wall_clock(instant, item.time_zone) if instant else None
        )


def _wall_clock(instant, zone_name: str):
    """What a datetime-local input shows: the naive local time."""
    return utc_to_local(instant, zone_name).replace(tzinfo=None)


def _programme_details(form: forms.ProgrammeForm) -> services.ProgrammeDetails:
    return services.ProgrammeDetails(
        kind=form.kind.data,
        dataspace_id=form.dataspace_id.data,
        node_id=form.node_id.data,
        host_id=form.host_id.data,
        title=form.title.data,
        summary=form.summary.data,
        languages=form.languages.data,
        delivery_mode=form.delivery_mode.data,
        meeting_url=form.meeting_url.data,
        venue=form.venue.data,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        time_zone=(form.time_zone.data or "").strip() or None,
        capacity=form.capacity.data,
        registration_opens_local=form.registration_opens_local.data,
        registration_closes_local=form.registration_closes_local.data,
        enrollment_mode=form.enrollment_mode.data,
        min_attendance_percent=form.min_attendance_percent.data,
        curriculum_id=form.curriculum_id.data,
        instructor_ids=form.instructor_ids.data or [],
        funders=[(fid, form.grant.data) for fid in form.funder_ids.data or []],
        co_organiser_ids=form.co_organiser_ids.data or [],
    )


@bp.post("/workshops/<slug>/transition")
@verified_required
def change_state(slug: str):
    item = managed_programme(slug)
    wanted = request.form.get("to", "")
    if wanted not in {state.value for state in ProgrammeState}:
        abort(400)
    back = url_for(".programme", slug=slug)
    try:
        moved = services.transition(item, ProgrammeState(wanted), current_user)
    except DomainError as error:
        error.back = back
        raise
    if not moved:
        raise DomainError(
            _("Someone else changed this programme just now; look again before retrying."),
            back=back)
    db.session.commit()
    flash(_("The programme is now: %(state)s.", state=ProgrammeState(wanted).label), "success")
    return redirect(url_for(".programme", slug=slug))


# --- sessions ------------------------------------------------------------------------------------


@bp.route("/workshops/<slug>/sessions/new", methods=["GET", "POST"])
@verified_required
def create_session(slug: str):
    return _edit_session(managed_programme(slug), None)


@bp.route("/workshops/<slug>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@verified_required
def edit_session(slug: str, session_id: int):
    item = services.get_programme(slug) or abort(404)
    session = _session_of(item, session_id)
    if can.can_manage_dataspace(current_user, item.dataspace_id):
        return _edit_session(item, session)
    require(can.can_teach(current_user, session))
    return _edit_logistics(item, session)


def _session_of(item: Programme, session_id: int) -> Session:
    session = next((s for s in item.sessions if s.id == session_id), None)
    if session is None:
        abort(404)
    return session


def _edit_session(item: Programme, session: Session | None):
    form = forms.SessionForm(obj=session)
    modules = [entry.module for entry in item.curriculum.items] if item.curriculum else []
    form.module_id.choices = options(((m.id, m.title.get_text()) for m in modules), blank="—")
    form.instructor_ids.choices = options((u.id, u.display_name) for u in item.instructors)
    if request.method == "GET" and session is not None:
        form.starts_local.data = _wall_clock(session.starts_at, item.time_zone)
        form.ends_local.data = _wall_clock(session.ends_at, item.time_zone)
        form.instructor_ids.data = sorted(session.instructor_ids)
    if form.validate_on_submit():
        details = services.SessionDetails(
            title=form.title.data,
            module_id=form.module_id.data,
            starts_local=form.starts_local.data,
            ends_local=form.ends_local.data,
            room=form.room.data,
            materials=form.materials.data,
            instructor_ids=form.instructor_ids.data or [],
        )
        try:
            services.save_session(item, session, details)
        except DomainError as error:
            return form_error_response(
                form, error, "workshops/session_form.html", programme=item, session=session
            )
        db.session.commit()
        flash(_("The session was saved."), "success")
        return redirect(url_for(".programme", slug=item.slug) + "#agenda")
    return form_error_response(
        form, None, "workshops/session_form.html", programme=item, session=session
    )


def _edit_logistics(item: Programme, session: Session):
    form = forms.SessionLogisticsForm(obj=session)
    if form.validate_on_submit():
        try:
            services.update_session_logistics(
                session, room=form.room.data, materials=form.materials.data
            )
        except DomainError as error:
            return form_error_response(
                form,
                error,
                "workshops/session_form.html",
                programme=item,
                session=session,
                logistics=True,
            )
        db.session.commit()
        flash(_("The session was saved."), "success")
        return redirect(url_for(".my_sessions"))
    return form_error_response(
        form, None, "workshops/session_form.html", programme=item, session=session, logistics=True
    )


@bp.post("/workshops/<slug>/sessions/<int:session_id>/cancel")
@verified_required
def cancel_session(slug: str, session_id: int):
    item = managed_programme(slug)
    session = _session_of(item, session_id)
    try:
        services.cancel_session(session)
    except DomainError as error:
        error.back = url_for(".programme", slug=slug)
        raise
    db.session.commit()
    flash(_("The session is cancelled; calendars will show it as cancelled."), "success")
    return redirect(url_for(".programme", slug=slug) + "#agenda")
