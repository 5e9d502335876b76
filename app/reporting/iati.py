"""A grant as an IATI 2.03 activity (https://iatistandard.org): who funds and implements it,
its dates, countries, sector, budget and, for each target, a result indicator with its
baseline, target and actual value. Built with the standard library; the tests validate it
against the official 2.03 activity schema."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from flask_babel import force_locale

from app.dataspaces.models import InstitutionKind
from app.grants.models import Grant, GrantRole, TargetMeasure
from app.multilingual import MultilingualText
from app.reporting.progress import GrantProgress, TargetProgress

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: IATI codelists: OrganisationType, OrganisationRole, ActivityStatus, ActivityDateType.
ORGANISATION_TYPE = {
    InstitutionKind.UNIVERSITY: "80", InstitutionKind.RESEARCH_CENTRE: "80",
    InstitutionKind.STATISTICS_OFFICE: "10", InstitutionKind.GOVERNMENT: "10",
    InstitutionKind.NGO: "22", InstitutionKind.INTERNATIONAL: "40",
    InstitutionKind.FOUNDATION: "60", InstitutionKind.COMPANY: "70", InstitutionKind.OTHER: "90",
}
ROLE = {GrantRole.FUNDER: "1", GrantRole.IMPLEMENTING: "4"}
ACCOUNTABLE = "2"
PIPELINE, IMPLEMENTATION, CLOSED = "1", "2", "4"
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
#: DAC 5-digit sector: statistical capacity building.
STATISTICAL_CAPACITY_BUILDING = "16062"
OUTPUT = "1"
UNIT, PERCENTAGE = "1", "2"


def activity_xml(progress: GrantProgress, today: date, now: datetime) -> bytes:
    grant = progress.grant
    root = ET.Element("iati-activities", {"version": "2.03",
                                          "generated-datetime": now.isoformat(timespec="seconds")})
    activity = ET.SubElement(root, "iati-activity", {
        "last-updated-datetime": grant.updated_at.isoformat(timespec="seconds"),
        XML_LANG: "en", **({"default-currency": grant.currency} if grant.currency else {})})
    reporting = current_app.config["IATI_ORGANISATION"]
    ET.SubElement(activity, "iati-identifier").text = f"{reporting['ref']}-{grant.slug}"
    _org(activity, "reporting-org", {"ref": reporting["ref"], "type": reporting["type"]},
         {"en": reporting["name"]})
    _narratives(ET.SubElement(activity, "title"), grant.title)
    _narratives(ET.SubElement(activity, "description", {"type": "1"}),
                grant.description or grant.title)
    _participants(activity, grant, reporting)
    ET.SubElement(activity, "activity-status", {"code": _status(grant, today)})
    for kind, day in _dates(grant, today):
        ET.SubElement(activity, "activity-date", {"type": kind, "iso-date": day.isoformat()})
    for code, share in _countries(progress):
        ET.SubElement(activity, "recipient-country", {"code": code, "percentage": share})
    ET.SubElement(activity, "sector", {"vocabulary": "1", "code": STATISTICAL_CAPACITY_BUILDING,
                                       "percentage": "100"})
    _budgets(activity, grant)
    for item in progress.targets:
        _result(activity, grant, item)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _narratives(parent: ET.Element, text: MultilingualText | dict) -> None:
    for language, value in MultilingualText(text).items():
        attributes = {} if language == "en" else {XML_LANG: language}
        ET.SubElement(parent, "narrative", attributes).text = value


def _org(parent, tag: str, attributes: dict, name) -> ET.Element:
    org = ET.SubElement(parent, tag, attributes)
    _narratives(org, name)
    return org


def _participants(activity, grant: Grant, reporting: dict) -> None:
    for partner in grant.partners:
        _org(activity, "participating-org",
             {"role": ROLE[partner.role],
              "type": ORGANISATION_TYPE.get(partner.institution.kind, "90")},
             partner.institution.name)
    _org(activity, "participating-org", {"ref": reporting["ref"], "role": ACCOUNTABLE,
                                         "type": reporting["type"]}, {"en": reporting["name"]})


def _status(grant: Grant, today: date) -> str:
    if today < grant.starts_on:
        return PIPELINE
    return CLOSED if today > grant.ends_on else IMPLEMENTATION


def _dates(grant: Grant, today: date):
    yield PLANNED_START, grant.starts_on
    if today >= grant.starts_on:
        yield ACTUAL_START, grant.starts_on
    yield PLANNED_END, grant.ends_on
    if today > grant.ends_on:
        yield ACTUAL_END, grant.ends_on


def _countries(progress: GrantProgress) -> list[tuple[str, str]]:
    """The countries of the grant's programmes, sharing 100% (the last takes the rounding)."""
    codes = sorted({programme.node.country_code for programme in progress.programmes})
    if not codes:
        return []
    share = (Decimal(100) / len(codes)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    shares = [share] * (len(codes) - 1) + [Decimal(100) - share * (len(codes) - 1)]
    return [(code, str(value)) for code, value in zip(codes, shares, strict=True)]


def _budgets(activity, grant: Grant) -> None:
    """The amount, split by calendar year in proportion to the days (IATI wants budget periods
    of a year at most)."""
    if grant.amount is None:
        return
    total_days = (grant.ends_on - grant.starts_on).days + 1
    spans = []
    for year in range(grant.starts_on.year, grant.ends_on.year + 1):
        start, end = max(grant.starts_on, date(year, 1, 1)), min(grant.ends_on, date(year, 12, 31))
        spans.append((start, end))
    amounts = [(grant.amount * ((end - start).days + 1) / total_days).quantize(Decimal("0.01"))
               for start, end in spans]
    amounts[-1] = grant.amount - sum(amounts[:-1])
    for (start, end), amount in zip(spans, amounts, strict=True):
        budget = ET.SubElement(activity, "budget", {"type": "1", "status": "1"})
        ET.SubElement(budget, "period-start", {"iso-date": start.isoformat()})
        ET.SubElement(budget, "period-end", {"iso-date": end.isoformat()})
        ET.SubElement(budget, "value", {"currency": grant.currency,
                                        "value-date": grant.starts_on.isoformat()}).text = \
            str(amount)


def _result(activity, grant: Grant, item: TargetProgress) -> None:
    target = item.target
    with force_locale("en"):
        title = str(target.label.get_text("en")) if target.measure == TargetMeasure.DELIVERABLE \
            else f"{target.measure.label}: {target.bound.label} {target.value}"
    result = ET.SubElement(activity, "result", {"type": OUTPUT})
    _narratives(ET.SubElement(result, "title"), {"en": title})
    measure = PERCENTAGE if target.measure == TargetMeasure.WOMEN_SHARE else UNIT
    indicator = ET.SubElement(result, "indicator", {"measure": measure, "ascending": "1"})
    _narratives(ET.SubElement(indicator, "title"), {"en": title})
    ET.SubElement(indicator, "baseline", {"year": str(grant.starts_on.year),
                                          "iso-date": grant.starts_on.isoformat(), "value": "0"})
    period = ET.SubElement(indicator, "period")
    ET.SubElement(period, "period-start", {"iso-date": grant.starts_on.isoformat()})
    ET.SubElement(period, "period-end", {"iso-date": grant.ends_on.isoformat()})
    ET.SubElement(period, "target", {"value": str(target.value)})
    ET.SubElement(period, "actual", {"value": str(item.delivered)})
