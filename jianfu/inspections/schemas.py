from __future__ import annotations

import datetime as dt

from ninja import Schema


class PlanRowOut(Schema):
    unit_code: str
    unit_name: str
    plan_id: int | None
    status: str | None
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
    method: str
    times_per_year: int
    on_site: bool
    months: list[int]
    prepares: str
    status: str
    merged_into_id: int | None
    control_number: str | None
    version: int
    targets: list[TargetOut]


class PlanOut(Schema):
    id: int
    year: int
    unit_code: str
    status: str
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
    method: str = "on_site"
    times_per_year: int = 1
    on_site: bool = True
    months: list[int] = []
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
    keep_id: int
    absorb_ids: list[int]
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
