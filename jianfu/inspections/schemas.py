"""API schemas for the annual inspection plans; one per endpoint where they differ."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from jianfu.core.api_schemas import Id, choice

from .models import InspectionPlan, Method, PlanItem

MethodValue = choice(Method)
PlanStatus = choice(InspectionPlan.Status)
ItemStatus = choice(PlanItem.Status)
Month = Annotated[int, Field(ge=1, le=12)]


class PlanRowOut(Schema):
    unit_code: str
    unit_name: str
    plan_id: int | None
    status: PlanStatus | None
    items: int
    cap: int | None
    over_cap: int
    previous_year_items: int | None
    change_percent: float | None


class TargetOut(Schema):
    unit_code: str
    include_below: bool


class PlanItemOut(Schema):
    id: int
    title: str
    description: str
    proposing_unit_code: str
    method: MethodValue
    times_per_year: int
    on_site: bool
    months: list[int]
    prepares: str
    status: ItemStatus
    merged_into_id: int | None
    control_number: str | None
    version: int
    targets: list[TargetOut]


class PlanOut(Schema):
    id: int
    year: int
    unit_code: str
    status: PlanStatus
    version: int
    cap: int | None
    items_counted: int | None
    items: list[PlanItemOut]


class ItemTargetIn(Schema):
    unit_code: str
    include_below: bool = True


class PlanItemIn(Schema):
    proposing_unit_code: str
    title: str
    description: str = ""
    method: MethodValue = Method.ON_SITE.value
    times_per_year: int = Field(1, ge=1, le=366)
    on_site: bool = True
    months: list[Month] = []
    prepares: str = ""
    targets: list[ItemTargetIn]


class LinkOut(Schema):
    a: int
    b: int
    similarity: float
    shared_terms: list[str]
    shared_unit_codes: list[str]
    shared_quarters: list[int]


class OverlapOut(Schema):
    item_ids: list[int]
    suggested_keep_id: int
    links: list[LinkOut]


class MergeIn(Schema):
    keep_id: Id
    absorb_ids: list[Id]
    title: str = ""
    reason: str = ""


class PlanVersionIn(Schema):
    version: int


class OneOffIn(Schema):
    approver_username: str
    approved_on: dt.date
    reason: str


class OneOffOut(Schema):
    demand_id: int
    approver_username: str
    approved_on: dt.date
    reason: str
