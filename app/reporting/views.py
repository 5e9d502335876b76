"""Report pages and their exports: the network (admins) or one's own Data Spaces
(coordinators), one Data Space, one grant; each for a chosen period."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import permissions as can
from app.auth.permissions import permission_required, verified_required
from app.errors import DomainError
from app.multilingual import current_language
from app.reporting import exports, services
from app.reporting.services import Scope
from app.views import download_table, managed_dataspace, managed_grant

bp = Blueprint("reporting", __name__, template_folder="templates")

#: The query parameters a report understands; any other is refused (a typo must not silently
#: give another report than the one asked for).
PARAMETERS = {"from", "to", "lang"}


def _period() -> tuple[date | None, date | None]:
    unknown = sorted(set(request.args) - PARAMETERS)
    if unknown:
        raise DomainError(_("This report has no setting called %(names)s.",
                            names=", ".join(name[:40] for name in unknown[:3])), status=400)
    start, end = (_day(request.args.get(name, "")) for name in ("from", "to"))
    if start and end and end < start:
        raise DomainError(_("The period cannot end before it starts."), status=400)
    return start, end


def _day(value: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2200:
        raise DomainError(_("Give the dates of the period as year-month-day (2017-12-31)."),
                          status=400)
    return day


def _network_scope() -> tuple[frozenset[int] | None, str]:
    if can.is_admin(current_user):
        return None, _("The network")
    return frozenset(current_user.coordinated_dataspace_ids()), _("Your Data Spaces")


def _scopes(kind: str, slug: str | None):
    """The scope of a report page, its title, and the arguments of its own address."""
    start, end = _period()
    if kind == "network":
        spaces, title = _network_scope()
        return Scope(spaces, None, start, end), title, {}
    if kind == "dataspace":
        space = managed_dataspace(slug)
        return Scope(frozenset({space.id}), None, start, end), space.name.get_text(), \
            {"slug": slug}
    grant = managed_grant(slug)
    return Scope(None, grant.id, start, end), grant.title.get_text(), {"slug": slug}


def _page(kind: str, slug: str | None = None):
    scope, title, arguments = _scopes(kind, slug)
    report = services.report(scope, current_language())
    period = {name: day.isoformat() for name, day in (("from", scope.starts_on),
                                                        ("to", scope.ends_on)) if day}
    return render_template(
        "reporting/report.html", report=report, title=title, kind=kind, arguments=arguments,
        export_arguments={**arguments, **period},
        figures=exports.figures(report),
        breakdowns=[(key, str(heading)) for key, heading in exports.BREAKDOWNS.items()])


def _export(kind: str, fmt: str, slug: str | None = None):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    scope, title, _arguments = _scopes(kind, slug)
    report = services.report(scope, current_language())
    header, rows = exports.table(report)
    return download_table(header, rows, fmt, exports.file_name(title, scope))


@bp.get("/reports/")
@permission_required(can.is_staff)
def index():
    return _page("network")


@bp.get("/reports/export.<fmt>")
@permission_required(can.is_staff)
def export(fmt: str):
    return _export("network", fmt)


@bp.get("/reports/dataspaces/<slug>")
@verified_required
def dataspace(slug: str):
    return _page("dataspace", slug)


@bp.get("/reports/dataspaces/<slug>/export.<fmt>")
@verified_required
def dataspace_export(slug: str, fmt: str):
    return _export("dataspace", fmt, slug)


@bp.get("/reports/grants/<slug>")
@verified_required
def grant(slug: str):
    return _page("grant", slug)


@bp.get("/reports/grants/<slug>/export.<fmt>")
@verified_required
def grant_export(slug: str, fmt: str):
    return _export("grant", fmt, slug)
