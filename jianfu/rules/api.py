"""The rulebook in the API (read only; changes go through the rulebook page)."""

from django.utils import timezone
from ninja import Router

from .schemas import RuleOut
from .selectors import rulebook_current

router = Router(tags=["rulebook"])


@router.get("/", response=list[RuleOut], summary="The rules in force today")
def current_rules(request):
    return [{"code": v.code, "version": v.version, "value": v.value, "severity": v.severity,
             "clause": v.source_clause, "effective_from": v.effective_from, "effective_to": v.effective_to,
             "scope_unit_code": v.scope_unit.code if v.scope_unit_id else None}
            for v in rulebook_current(on=timezone.localdate())]
