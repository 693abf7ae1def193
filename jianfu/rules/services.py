"""Changing the rulebook: a change adds a version; verdicts already given keep the version they used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record
from jianfu.core.errors import ApplicationError
from jianfu.org.models import Unit
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm

from .catalogue import DEFAULT_EFFECTIVE_FROM, RULES, parse_value
from .models import RuleVersion, Severity


def _snapshot(v: RuleVersion) -> dict[str, Any]:
    return {"code": v.code, "version": v.version, "value": v.value, "severity": v.severity,
            "clause": v.source_clause, "from": v.effective_from, "to": v.effective_to,
            "scope": v.scope_unit.code if v.scope_unit_id else None}


@transaction.atomic
def rule_change(*, by, code: str, value: Any, severity: str, source_clause: str, effective_from: dt.date,
                effective_to: dt.date | None = None, scope_unit: Unit | None = None, note: str = "") -> RuleVersion:
    """Add a version of a rule for a scope; the version in force until then ends the day before."""
    if by is not None and not has_perm(by, Perm.RULES_EDIT):
        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    if code not in RULES:
        raise ApplicationError(_("Unknown rule %(code)s.") % {"code": code}, code="rule")
    if severity not in Severity.values:
        raise ApplicationError(_("Severity must be block or warn."), code="severity")
    try:
        value = parse_value(code, value)
    except (ValueError, TypeError) as exc:
        raise ApplicationError(_("The value is not valid for this rule: %(reason)s") % {"reason": exc},
                               code="value") from exc
    if not source_clause.strip():
        raise ApplicationError(_("Quote the clause of the source the rule comes from."), code="clause")
    if effective_to is not None and effective_to < effective_from:
        raise ApplicationError(_("A rule cannot end before it starts."), code="dates")
    same_scope = RuleVersion.objects.select_for_update().filter(code=code, scope_unit=scope_unit)
    last = same_scope.aggregate(m=Max("version"))["m"] or 0
    open_versions = same_scope.filter(effective_to__isnull=True)
    if open_versions.filter(effective_from__gt=effective_from).exists():
        raise ApplicationError(
            _("A version of this rule already starts after that date; choose a later start."), code="dates")
    for previous in open_versions.filter(effective_from__lte=effective_from).order_by("-version"):
        # The version in force ends the day before; one starting the same day (a same-day correction)
        # is superseded and is never in force, while findings that used it keep pointing at it.
        before = _snapshot(previous)
        previous.effective_to = effective_from - dt.timedelta(days=1)
        previous.save(update_fields=["effective_to"])
        audit_record(actor=by, action="rule.close", obj=previous, before=before, after=_snapshot(previous))
    version = RuleVersion.objects.create(
        code=code, version=last + 1, value=value, severity=severity, source_clause=source_clause.strip(),
        effective_from=effective_from, effective_to=effective_to, scope_unit=scope_unit,
        note=note.strip()[:300], created_by=by,
    )
    audit_record(actor=by, action="rule.change", obj=version, after=_snapshot(version))
    return version


@transaction.atomic
def rulebook_seed() -> int:
    """Write the source's defaults as version 1 of each city-wide rule that has none yet."""
    created = 0
    start = dt.date.fromisoformat(DEFAULT_EFFECTIVE_FROM)
    for code, rule in RULES.items():
        if RuleVersion.objects.filter(code=code, scope_unit__isnull=True).exists():
            continue
        version = RuleVersion.objects.create(code=code, version=1, value=rule.default, severity=rule.severity,
                                             source_clause=rule.clause, effective_from=start,
                                             note="seeded from the source")
        audit_record(actor=None, action="rule.seed", obj=version, after=_snapshot(version))
        created += 1
    return created
