"""API schemas for report forms and the field dictionary; one per endpoint."""

from typing import Literal

from ninja import Field, Schema

from jianfu.core.api_schemas import ErrorOut, choice
from jianfu.demands.models import Status

__all__ = ["ErrorOut"]  # the API's one error shape, re-exported for the routers that import it from here
DemandStatus = choice(Status)


class FieldOut(Schema):
    id: int
    name: str
    definition: str
    unit_of_measure: str
    holder_code: str | None
    holder_name: str | None
    aliases: list[str]
    active: bool
    proposed: bool
    forms: int


class FieldFormOut(Schema):
    id: int
    control_number: str | None
    title: str
    issuing_unit_name: str
    status: DemandStatus


class FieldDetailOut(Schema):
    id: int
    name: str
    definition: str
    unit_of_measure: str
    holder_code: str | None
    holder_name: str | None
    aliases: list[str]
    notes: str
    active: bool
    proposed: bool
    forms: list[FieldFormOut]


class ReuseIn(Schema):
    names: list[str] = Field(..., min_length=1, max_length=500)


class ReuseFormOut(Schema):
    """A form the caller may not open is given by its issuing unit only: id, number, title and status are null."""

    id: int | None
    control_number: str | None
    title: str | None
    issuing_unit_name: str
    status: DemandStatus | None


class ReuseMatchOut(Schema):
    field_id: int
    field_name: str
    how: Literal["same", "alias", "similar"]
    score: float
    shared_terms: list[str]
    form: ReuseFormOut


class ReuseFieldOut(Schema):
    name: str
    collected: bool
    matches: list[ReuseMatchOut]


class ReuseMergeOut(Schema):
    form: ReuseFormOut
    covered: int
    total: int


class ReuseOut(Schema):
    threshold: float
    fields: list[ReuseFieldOut]
    merge: ReuseMergeOut | None


class MaterialCountsOut(Schema):
    report_set: int
    briefing: int
    ledger: int
    other: int
    total: int


class MaterialsRowOut(Schema):
    unit_code: str
    unit_name: str
    base_year: int | None
    baseline: MaterialCountsOut | None
    now: MaterialCountsOut
    cut_percent: float | None
    target_percent: int | None
    meets_target: bool | None


class MaterialsOut(Schema):
    year: int
    rows: list[MaterialsRowOut]

