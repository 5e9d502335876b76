"""Records of the domains as the API's models, texts in the language asked for."""

from __future__ import annotations

from app.api import schemas
from app.enrollment import seats as enrollment_seats
from app.errors import DomainError
from app.multilingual import MultilingualText
from app.urls import external_url
from app.workshops.timezones import utc_to_local


def text(value: MultilingualText, language: str) -> schemas.Text:
    resolved = value.resolve(language)
    return schemas.Text.model_construct(text=resolved.text, language=resolved.language)


def institution(item, language: str) -> schemas.Institution:
    return schemas.Institution(slug=item.slug, name=text(item.name, language),
                               kind=item.kind.value, country=item.country_code,
                               website=item.website)


def dataspace(space, language: str) -> schemas.DataSpace:
    return schemas.DataSpace(
        slug=space.slug, url=external_url("dataspaces.show", slug=space.slug),
        region=space.region.value, name=text(space.name, language),
        description=text(space.description, language), status=space.status.value,
        nodes=[schemas.Node(slug=node.slug, city=text(node.city, language),
                            country=node.country_code, time_zone=node.time_zone,
                            is_anchor=node.is_anchor,
                            host=institution(node.host, language) if node.host else None)
               for node in space.nodes],
        partners=[schemas.Partner(institution=institution(partner.institution, language),
                                  role=partner.role.value, since=partner.starts_on)
                  for partner in space.partnerships])


def session(item, time_zone: str, language: str) -> schemas.Session:
    return schemas.Session(
        id=item.id, title=text(item.title, language), starts_at=item.starts_at,
        ends_at=item.ends_at,
        starts_local=utc_to_local(item.starts_at, time_zone).isoformat(),
        ends_local=utc_to_local(item.ends_at, time_zone).isoformat(), status=item.status.value)


def programme(item, language: str) -> schemas.Programme:
    try:
        enrollment_seats.check_registration_open(item)
        registration_open = True
    except DomainError:
        registration_open = False
    return schemas.Programme(
        slug=item.slug, url=external_url("workshops.programme", slug=item.slug),
        title=text(item.title, language), summary=text(item.summary, language),
        kind=item.kind.value, delivery_mode=item.delivery_mode.value,
        languages=item.languages, start_date=item.start_date, end_date=item.end_date,
        dataspace=schemas.DataSpaceRef(slug=item.dataspace.slug,
                                       name=text(item.dataspace.name, language)),
        place=schemas.Place(city=text(item.node.city, language), country=item.node.country_code,
                            venue=item.venue),
        time_zone=item.time_zone, state=item.state.value, registration_open=registration_open,
        registration_opens_at=item.registration_opens_at,
        registration_closes_at=item.registration_closes_at, capacity=item.capacity,
        seats_left=max(item.capacity - item.seats_taken, 0),
        sessions=[session(s, item.time_zone, language) for s in item.sessions])


def module_summary(item, language: str) -> schemas.ModuleSummary:
    return schemas.ModuleSummary(**_module_fields(item, language))


def module(item, language: str) -> schemas.Module:
    return schemas.Module(**_module_fields(item, language), body=text(item.body, language),
                          learning_outcomes=text(item.learning_outcomes, language),
                          revision=item.revision)


def _module_fields(item, language: str) -> dict:
    return {"slug": item.slug, "url": external_url("curriculum.module", slug=item.slug),
            "title": text(item.title, language), "summary": text(item.summary, language),
            "level": item.level.value, "duration_hours": float(item.duration_hours),
            "licence": item.licence, "topics": [topic.slug for topic in item.topics],
            "languages": item.languages, "published_at": item.published_at}


def collection_summary(item, language: str) -> schemas.CollectionSummary:
    return schemas.CollectionSummary(**_collection_fields(item, language))


def collection(item, language: str) -> schemas.Collection:
    return schemas.Collection(**_collection_fields(item, language),
                              modules=[module_summary(entry.module, language)
                                       for entry in item.items if entry.module.is_published])


def _collection_fields(item, language: str) -> dict:
    return {"slug": item.slug, "url": external_url("curriculum.collection", slug=item.slug),
            "title": text(item.title, language),
            "description": text(item.description, language),
            "dataspace": item.dataspace.slug if item.dataspace else None}


def programme_ref(item, language: str) -> schemas.ProgrammeRef:
    return schemas.ProgrammeRef(slug=item.slug,
                                url=external_url("workshops.programme", slug=item.slug),
                                title=text(item.title, language), start_date=item.start_date,
                                end_date=item.end_date)


def enrollment(item, language: str) -> schemas.Enrollment:
    return schemas.Enrollment(id=item.id, status=item.status.value,
                              programme=programme_ref(item.programme, language),
                              queue_number=item.queue_number,
                              offer_expires_at=item.offer_expires_at)


def roster_entry(item) -> schemas.RosterEntry:
    profile = item.user.profile
    return schemas.RosterEntry(
        enrollment_id=item.id, queue_number=item.queue_number, status=item.status.value,
        name=item.participant_name, email=item.user.email,
        organization=profile.organization if profile else None,
        sector=profile.sector.value if profile else None,
        country=profile.country_code if profile else None)


def report(result) -> schemas.Report:
    return schemas.Report(
        programmes=result.programmes, participants=result.participants,
        enrollments=result.enrollments, completed=result.completed, certified=result.certified,
        hours=result.hours, completion_rate=result.completion_rate,
        certification_rate=result.certification_rate,
        outside_home_region=result.outside_home_region,
        instructors_in_several_regions=result.instructors_in_several_regions,
        co_organised=result.co_organised, small_cell_threshold=result.threshold,
        breakdowns={name: [schemas.Breakdown(key=row.key, label=str(row.label), count=row.count)
                           for row in rows] for name, rows in result.breakdowns.items()})
