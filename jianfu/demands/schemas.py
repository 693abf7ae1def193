"""API schemas for the registry; one per endpoint where they differ."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from jianfu.core.api_schemas import ErrorOut, Id, choice
from jianfu.rules.models import Severity

from .builtin_kinds import REPLACEABLE
from .models import DocumentKind, IssuedInName, Kind, LookupResult, MeetingMode, Status, TraceFrequency, TraceType

__all__ = ["ErrorOut"]  # the API's one error shape, re-exported for the routers that import it from here

# The details of kinds that later apps add (report forms, inspections) are theirs; the registry cannot import
# their choices, so it states them here and a test holds them equal to the apps' own.
REPORT_FREQUENCIES = ("once", "weekly", "monthly", "quarterly", "half_yearly", "yearly", "per_event")
MATERIAL_TYPES = ("report_set", "briefing", "ledger", "other")
INSPECTION_METHODS = ("on_site", "documents", "online", "random", "interview", "assessment")


class FindingOut(Schema):
    rule: str
    rule_version: int | None
    severity: choice(Severity)
    message: str
    fix: str
    clause: str


class DemandOut(Schema):
    id: int
    kind: choice(Kind)
    title: str
    status: choice(Status)
    issuing_unit_code: str
    issuing_unit_name: str
    occurs_on: dt.date | None
    control_number: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    burden_minutes: int


class DemandDetailOut(DemandOut):
    version: int
    revision: int | None
    char_count: int | None
    blocking: int
    warnings: int
    findings: list[FindingOut]
    targets: list[str]


class TargetIn(Schema):
    unit_code: str
    include_below: bool = False


class DocumentIn(Schema):
    issuing_unit_code: str
    title: str
    text: str
    document_kind: choice(DocumentKind)
    issued_in_name: choice(IssuedInName)
    occurs_on: dt.date
    checklist: dict[str, bool] = {}
    list_item_id: Id | None = None
    targets: list[TargetIn] = []


class MeetingIn(Schema):
    issuing_unit_code: str
    title: str
    agenda: str = ""
    occurs_on: dt.date
    city_wide: bool = False
    routine: bool = True
    starts_at: str = ""
    planned_minutes: int = Field(..., ge=1, le=24 * 60)
    mode: choice(MeetingMode)
    attendees: int = Field(..., ge=1, le=1_000_000)
    attendee_roles: str = ""
    county_leaders_attend: bool = False
    video_exemption_reason: str = ""
    speakers: int = Field(0, ge=0, le=200)
    minutes_per_speaker: int = Field(0, ge=0, le=600)
    replaceable: Literal[REPLACEABLE]
    list_item_id: Id | None = None
    targets: list[TargetIn] = []


class TraceIn(Schema):
    issuing_unit_code: str
    title: str
    details: str = ""
    occurs_on: dt.date
    trace_types: list[choice(TraceType)]
    frequency: choice(TraceFrequency)
    basis_id: Id | None = None
    basis_text: str = ""
    purpose: str = ""
    targets: list[TargetIn] = []


class FormFieldIn(Schema):
    id: Id
    required: bool = True


class ReportFormIn(Schema):
    issuing_unit_code: str
    title: str
    details: str = ""
    occurs_on: dt.date
    frequency: Literal[REPORT_FREQUENCIES]
    material_type: Literal[MATERIAL_TYPES]
    minutes_per_response: int
    responses_per_year: int | None = None
    fields: list[FormFieldIn]
    targets: list[TargetIn] = []


class InspectionIn(Schema):
    issuing_unit_code: str
    title: str
    details: str = ""
    occurs_on: dt.date
    method: Literal[INSPECTION_METHODS]
    times_per_year: int = 1
    on_site: bool = True
    months: list[int] = []
    prepares: str = ""
    why_outside_plan: str
    targets: list[TargetIn] = []


class VersionIn(Schema):
    version: int


class ReviewIn(Schema):
    version: int
    decision: Literal["approve", "return", "reject"]
    reason: str = ""
    valid_until: dt.date | None = None


class CheckIn(Schema):
    text: str
    kind: choice(DocumentKind) = DocumentKind.OTHER.value
    title: str = ""


class CheckOut(Schema):
    char_count: int
    blocking: int
    findings: list[FindingOut]


class VerifyOut(Schema):
    result: choice(LookupResult) = Field(description="valid, expired, withdrawn, not_yours (registered, but neither "
                        "addressed to nor issued by the caller's units: nothing more is said), unknown or malformed")
    number: str
    demand: DemandOut | None
    falls_on_caller: bool
    in_force: bool = Field(description="valid and already in force; false for a valid number that takes effect "
                                       "later (prepare for it) and for every other result")
    takes_effect_on: dt.date | None = Field(None, description="for a valid number not in force yet: the day it "
                                                              "takes effect")


class FigureRow(Schema):
    key: str
    label: str
    now: int
    then: int
    change: float | None


class FiguresOut(Schema):
    kind: Literal["document", "meeting"]
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    total_now: int
    total_then: int
    change: float | None
    rows: list[FigureRow]

