"""What the API says about rules."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from jianfu.core.api_schemas import choice

from .models import Severity


class RuleOut(Schema):
    code: str
    version: int
    value: object
    severity: choice(Severity)
    clause: str
    effective_from: dt.date
    effective_to: dt.date | None
    scope_unit_code: str | None
