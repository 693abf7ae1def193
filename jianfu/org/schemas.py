"""API schemas for the organisation; one per endpoint where they differ."""

from __future__ import annotations

from ninja import Schema


class UnitOut(Schema):
    id: int
    code: str
    name: str
    type: str
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
    code: str
    name: str
    type: str
    parent_code: str | None = None


class UnitUpdateIn(Schema):
    name: str | None = None
    code: str | None = None
    parent_code: str | None = None
    active: bool | None = None
    version: int | None = None


class MembershipOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    role: str


class PersonOut(Schema):
    id: int
    username: str
    name: str
    phone: str
    title: str
    is_active: bool
    memberships: list[MembershipOut]


class PersonCreateIn(Schema):
    username: str
    name: str
    phone: str = ""
    title: str = ""


class ErrorOut(Schema):
    code: str
    message: str
