"""API schemas for the organisation; one per endpoint where they differ."""

from __future__ import annotations

from ninja import Field, Schema

from jianfu.core.api_schemas import ErrorOut, choice

from .models import Role, UnitType

__all__ = ["ErrorOut", "MembershipOut", "PersonCreateIn", "PersonOut", "UnitCreateIn", "UnitDetailOut", "UnitOut",
           "UnitUpdateIn"]

UnitTypeValue = choice(UnitType)
RoleValue = choice(Role)


class UnitOut(Schema):
    id: int
    code: str
    name: str
    type: UnitTypeValue
    type_label: str
    parent_id: int | None
    parent_code: str | None
    level: int
    active: bool
    liaison_id: int | None


class UnitDetailOut(UnitOut):
    ancestors: list[str]
    children_count: int


class UnitCreateIn(Schema):
    code: str = Field(..., max_length=32, description="the official administrative-division code where one exists")
    name: str = Field(..., max_length=120)
    type: UnitTypeValue
    parent_code: str | None = Field(None, max_length=32)


class UnitUpdateIn(Schema):
    name: str | None = Field(None, max_length=120)
    code: str | None = Field(None, max_length=32)
    parent_code: str | None = Field(None, max_length=32, description="null: no parent (the top of the tree)")
    active: bool | None = None
    version: int | None = Field(None, description="the version read; a stale one is refused with 409")
    reason: str = Field("", max_length=500, description="why the unit is renamed or moved; required then, and "
                                                        "kept in the audit log")


class MembershipOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    role: RoleValue


class PersonOut(Schema):
    id: int
    username: str
    name: str
    phone: str
    title: str
    is_active: bool
    memberships: list[MembershipOut]


class PersonCreateIn(Schema):
    username: str = Field(..., max_length=64, description="letters, digits and . @ + - _")
    name: str = Field(..., max_length=60)
    phone: str = Field("", max_length=20)
    title: str = Field("", max_length=80)
