"""API schemas for burden hours; one per endpoint where they differ."""

from __future__ import annotations

from ninja import Field, Schema

from jianfu.core.api_schemas import choice

from .models import Activity, Complexity, Estimate


class RowOut(Schema):
    key: str
    label: str
    now_hours: float
    then_hours: float
    change_percent: float | None


class OverviewOut(Schema):
    year: int
    total_hours: float
    total_hours_year_before: float
    change_percent: float | None
    real_change_hours: float
    re_estimate_hours: float
    withdrawn_hours: float
    by_issuing_unit: list[RowOut]
    by_kind: list[RowOut]
    by_month: list[RowOut]


class LedgerRowOut(Schema):
    unit_code: str
    unit_name: str
    budget_hours: float | None
    budget_source: str
    placed_hours: float
    recurring_hours: float
    over_hours: float


class LineIn(Schema):
    activity: choice(Activity)
    complexity: choice(Complexity)
    count: int = Field(1, ge=1, le=1000)


class ReEstimateIn(Schema):
    lines: list[LineIn] = Field(..., min_length=1)
    occurrences: int = Field(..., ge=1, le=366 * 24, description="times a year")
    note: str = Field(..., description="why the estimate changes; required")


class EstimateOut(Schema):
    demand_id: int
    number: int
    reason: choice(Estimate.Reason)
    units: int
    occurrences: int
    unit_minutes: int
    total_minutes: int
    lines: list[dict]


class ActivityTableOut(Schema):
    version: int
    effective_from: str
    minutes: dict[str, dict[str, int]]
