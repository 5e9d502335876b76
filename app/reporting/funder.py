"""The funder report: a grant's progress and report as one PDF, in one language, with the
network's branding and the charts as vector graphics; built by the scheduler (``jobs.py``),
since a grant of many programmes takes a while, and kept as a stored file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from weasyprint import CSS, HTML

from app import storage
from app.certificates.rendering import fetch_nothing, font_configuration
from app.errors import DomainError
from app.evaluation import results
from app.extensions import db
from app.grants.models import Grant
from app.grants.services import get_grant
from app.i18n import UI_LANGUAGES
from app.reporting import exports, progress, services
from app.reporting.models import BuildStatus, FunderReport
from app.timeutil import utcnow

STYLESHEET = Path(__file__).parent / "templates" / "reporting" / "pdf" / "funder_report.css"


def request_report(grant: Grant, language: str, requested_by_id: int | None) -> FunderReport:
    """Queue a report; one already waiting or being built for this grant and language serves."""
    if language not in UI_LANGUAGES:
        raise DomainError(_l("Choose a language of the interface."), status=422)
    pending = db.session.scalar(select(FunderReport).where(
        FunderReport.grant_id == grant.id, FunderReport.language == language,
        FunderReport.status.in_([BuildStatus.QUEUED, BuildStatus.RUNNING])))
    if pending is not None:
        return pending
    report = FunderReport(grant_id=grant.id, language=language, requested_by_id=requested_by_id)
    db.session.add(report)
    db.session.flush()
    return report


def reports_of(grant: Grant) -> list[FunderReport]:
    return list(db.session.scalars(select(FunderReport).where(
        FunderReport.grant_id == grant.id).order_by(FunderReport.id.desc()).limit(10)))


def pdf_of(grant: Grant, report_id: int) -> bytes | None:
    report = db.session.get(FunderReport, report_id)
    if report is None or report.grant_id != grant.id or report.file_id is None:
        return None
    return storage.get(report.file_id).data


def build(report: FunderReport, step: Callable[[int], None]) -> bytes:
    """The PDF of ``report``; ``step(percent)`` says how far it has gone."""
    grant = get_grant(db.session.get(Grant, report.grant_id).slug)
    with force_locale(report.language):
        where = progress.progress(grant)
        step(25)
        scope = services.Scope(grant_id=grant.id)
        figures = services.report(scope, report.language)
        gain = results.gain_of_programmes(services.held(scope), report.language)
        step(50)
        html = render_template(
            "reporting/pdf/funder_report.html", grant=grant, progress=where, report=figures,
            figures=exports.figures(figures), today=utcnow().date(), language=report.language,
            breakdowns=[(key, str(title)) for key, title in exports.BREAKDOWNS.items()],
            gain=gain, points=results.points)
        step(75)
    fonts = font_configuration()
    stylesheet = CSS(string=STYLESHEET.read_text(), font_config=fonts, url_fetcher=fetch_nothing)
    return HTML(string=html, url_fetcher=fetch_nothing).write_pdf(stylesheets=[stylesheet],
                                                                 font_config=fonts)
