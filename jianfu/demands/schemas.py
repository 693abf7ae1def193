"""API schemas for the registry; one per endpoint where they differ."""

import datetime as dt

from ninja import Field, Schema


class FindingOut(Schema):
    rule: str
    rule_version: int | None
    severity: str
    message: str
    fix: str
    clause: str


class DemandOut(Schema):
    id: int
    kind: str
    title: str
    status: str
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
    document_kind: str
    issued_in_name: str
    occurs_on: dt.date
    checklist: dict[str, bool] = {}
    list_item_id: int | None = None
    targets: list[TargetIn] = []


class MeetingIn(Schema):
    issuing_unit_code: str
    title: str
    agenda: str = ""
    occurs_on: dt.date
    city_wide: bool = False
    routine: bool = True
    starts_at: str = ""
    planned_minutes: int
    mode: str
    attendees: int
    attendee_roles: str = ""
    county_leaders_attend: bool = False
    video_exemption_reason: str = ""
    speakers: int = 0
    minutes_per_speaker: int = 0
    replaceable: str
    list_item_id: int | None = None
    targets: list[TargetIn] = []


class TraceIn(Schema):
    issuing_unit_code: str
    title: str
    details: str = ""
    occurs_on: dt.date
    trace_types: list[str]
    frequency: str
    basis_id: int | None = None
    basis_text: str = ""
    purpose: str = ""
    targets: list[TargetIn] = []


class FormFieldIn(Schema):
    id: int
    required: bool = True


class ReportFormIn(Schema):
    issuing_unit_code: str
    title: str
    details: str = ""
    occurs_on: dt.date
    frequency: str
    material_type: str
    minutes_per_response: int
    responses_per_year: int | None = None
    fields: list[FormFieldIn]
    targets: list[TargetIn] = []


class InspectionIn(Schema):
    issuing_unit_code: str
    title: str
    details: str = ""
    occurs_on: dt.date
    method: str
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
    decision: str
    reason: str = ""
    valid_until: dt.date | None = None


class CheckIn(Schema):
    text: str
    kind: str = "other"
    title: str = ""


class CheckOut(Schema):
    char_count: int
    blocking: int
    findings: list[FindingOut]


class VerifyOut(Schema):
    result: str = Field(description="valid, expired, withdrawn, unknown or malformed")
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
    kind: str
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    total_now: int
    total_then: int
    change: float | None
    rows: list[FigureRow]


class ErrorOut(Schema):
    code: str
    message: str
