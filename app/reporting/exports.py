"""A report as one table (CSV, XLSX): its figures, then each breakdown; a small cell stays
hidden ("< 5") in the file as on the page."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.reporting.services import Report, Scope
from app.text import slug_base

BREAKDOWNS = {
    "country": _l("People trained by country"),
    "sector": _l("People trained by sector"),
    "gender": _l("People trained by gender"),
    "kind": _l("Programmes held by kind"),
    "language": _l("Programmes held by language"),
    "dataspace": _l("Programmes held by Data Space"),
}


def figures(report: Report) -> list[tuple[str, object]]:
    """The headline figures, labelled, in the order the page shows them."""
    def rate(value):
        return "" if value is None else f"{round(100 * value)} %"

    return [
        (_("Programmes held"), report.programmes),
        (_("People trained"), report.participants),
        (_("Participations"), report.enrollments),
        (_("Completion rate"), rate(report.completion_rate)),
        (_("Certification rate"), rate(report.certification_rate)),
        (_("Hours of training delivered"), report.hours),
        (_("People trained outside their home region"), hidden(report.outside_home_region,
                                                                report.threshold)),
        (_("Instructors who taught in several regions"), report.instructors_in_several_regions),
        (_("Programmes co-organised by several Data Spaces"), report.co_organised),
    ]


def hidden(count: int | None, threshold: int) -> object:
    return f"< {threshold}" if count is None else count


def table(report: Report) -> tuple[list[str], list[list]]:
    header = [_("Section"), _("Item"), _("Value")]
    rows = [[_("Figures"), label, value] for label, value in figures(report)]
    for key, title in BREAKDOWNS.items():
        rows += [[str(title), row.label, hidden(row.count, report.threshold)]
                 for row in report.breakdowns[key]]
    return header, rows


def file_name(title: str, scope: Scope) -> str:
    period = "-".join(day.isoformat() for day in (scope.starts_on, scope.ends_on) if day)
    return "report-" + slug_base({"en": title}, "report") + (f"-{period}" if period else "")
