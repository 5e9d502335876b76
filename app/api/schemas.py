"""What the API reads and answers, as pydantic models: spectree validates requests and
responses with them and writes the OpenAPI document from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["en", "es", "fr", "pt", "ar"]
Cursor = Field(None, max_length=400, description="The `next_cursor` of the previous page.")
Limit = Field(20, ge=1, le=100, description="How many items per page (at most 100).")


class Strict(BaseModel):
    """Input: an unknown field is an error, not silently ignored (a typo would otherwise
    return another result than the one asked for)."""

    model_config = ConfigDict(extra="forbid")


class Query(Strict):
    lang: Language | None = Field(
        None, description="The language of texts; else Accept-Language; else English.")


class Text(BaseModel):
    """A text in the language asked for, or in another when it is missing in that one."""

    text: str
    language: str | None = Field(description="The language the text is in; null if empty.")


# --- Data Spaces -------------------------------------------------------------------------------

class Institution(BaseModel):
    slug: str
    name: Text
    kind: str
    country: str | None
    website: str | None


class Node(BaseModel):
    slug: str
    city: Text
    country: str = Field(description="ISO 3166-1 alpha-2.")
    time_zone: str = Field(description="IANA time zone.")
    is_anchor: bool
    host: Institution | None


class Partner(BaseModel):
    institution: Institution
    role: str
    since: date | None


class DataSpace(BaseModel):
    slug: str
    url: str = Field(description="Its page.")
    region: str
    name: Text
    description: Text
    status: str
    nodes: list[Node]
    partners: list[Partner]


class DataSpaceList(BaseModel):
    items: list[DataSpace]


# --- programmes --------------------------------------------------------------------------------

class ProgrammeQuery(Query):
    dataspace: str | None = Field(None, max_length=64, description="A Data Space's slug.")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$",
                                description="The country of the node, ISO 3166-1 alpha-2.")
    kind: Literal["workshop", "seasonal-school", "summer-school"] | None = None
    language: Language | None = Field(None, description="A language it is taught in.")
    open: bool = Field(False, description="Only those whose registration is open.")
    when: Literal["upcoming", "past", "all"] = "upcoming"
    limit: int = Limit
    cursor: str | None = Cursor


class Session(BaseModel):
    id: int
    title: Text
    starts_at: datetime = Field(description="UTC.")
    ends_at: datetime = Field(description="UTC.")
    starts_local: str = Field(description="Local wall time with its offset (ISO 8601).")
    ends_local: str
    status: str


class DataSpaceRef(BaseModel):
    slug: str
    name: Text


class Place(BaseModel):
    city: Text
    country: str
    venue: str | None


class Programme(BaseModel):
    slug: str
    url: str
    title: Text
    summary: Text
    kind: str
    delivery_mode: str
    languages: list[str]
    dataspace: DataSpaceRef
    place: Place
    start_date: date
    end_date: date
    time_zone: str = Field(description="IANA time zone of its sessions.")
    state: str
    registration_open: bool
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    capacity: int
    seats_left: int
    sessions: list[Session]


class ProgrammePage(BaseModel):
    items: list[Programme]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
    next: str | None = Field(description="The address of the next page.")


# --- knowledge ---------------------------------------------------------------------------------

class ModuleQuery(Query):
    topic: str | None = Field(None, max_length=64)
    level: Literal["introductory", "intermediate", "advanced"] | None = None
    language: Language | None = Field(None, description="A language it is written in.")
    dataspace: str | None = Field(None, max_length=64)
    limit: int = Limit
    cursor: str | None = Cursor


class ModuleSummary(BaseModel):
    slug: str
    url: str
    title: Text
    summary: Text
    level: str
    duration_hours: float
    licence: str
    topics: list[str]
    languages: list[str]
    published_at: datetime | None


class Module(ModuleSummary):
    body: Text = Field(description="Markdown.")
    learning_outcomes: Text
    revision: int


class ModulePage(BaseModel):
    items: list[ModuleSummary]
    next_cursor: str | None
    next: str | None


class CollectionSummary(BaseModel):
    slug: str
    url: str
    title: Text
    description: Text
    dataspace: str | None


class Collection(CollectionSummary):
    modules: list[ModuleSummary]


class CollectionList(BaseModel):
    items: list[CollectionSummary]


# --- certificates ------------------------------------------------------------------------------

class CertificateRecord(BaseModel):
    """What anyone may see when verifying a certificate (as on its verification page)."""

    serial: str
    status: str
    name: str
    programme: Any
    dates: Any
    hours: Any
    place: Any
    issuer: Any
    issued_at: Any
    revoked_at: str | None
    revoke_reason: str | None
    replaced_by: str | None
    signature_valid: bool
    payload: Any


# --- with a token ------------------------------------------------------------------------------

class ProgrammeRef(BaseModel):
    slug: str
    url: str
    title: Text
    start_date: date
    end_date: date


class Enrollment(BaseModel):
    id: int
    status: str
    programme: ProgrammeRef
    queue_number: int
    offer_expires_at: datetime | None


class EnrollmentList(BaseModel):
    items: list[Enrollment]


class EnrollmentChange(Strict):
    status: Literal["cancelled"] = Field(description="The one change a participant may make.")


class RosterQuery(Query):
    status: Literal["applied", "confirmed", "waitlisted", "offered", "rejected", "cancelled",
                    "declined"] | None = None
    limit: int = Limit
    cursor: str | None = Cursor


class RosterEntry(BaseModel):
    enrollment_id: int
    queue_number: int
    status: str
    name: str
    email: str
    organization: str | None
    sector: str | None
    country: str | None


class RosterPage(BaseModel):
    items: list[RosterEntry]
    next_cursor: str | None
    next: str | None


class AttendanceRow(BaseModel):
    enrollment_id: int
    name: str
    marks: dict[str, str] = Field(description="Mark by session id; a session not marked is "
                                              "absent from the map.")
    rate: float | None = Field(description="Share of held sessions attended (0 to 1).")
    eligible: bool


class Attendance(BaseModel):
    sessions: list[Session]
    participants: list[AttendanceRow]


class ReportQuery(Query):
    from_: date | None = Field(None, alias="from", description="First day of the period.")
    to: date | None = Field(None, description="Last day of the period.")


class Breakdown(BaseModel):
    key: str
    label: str
    count: int | None = Field(description="Null when too small to show (small-cell rule).")


class Report(BaseModel):
    programmes: int
    participants: int
    enrollments: int
    completed: int
    certified: int
    hours: float
    completion_rate: float | None
    certification_rate: float | None
    outside_home_region: int | None
    instructors_in_several_regions: int
    co_organised: int
    small_cell_threshold: int
    breakdowns: dict[str, list[Breakdown]]
