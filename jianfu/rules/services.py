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
from .models import RuleVersion, Severity, TraceBasis


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


def _basis_snapshot(b: TraceBasis) -> dict[str, Any]:
    return {"name": b.name, "higher_rule": b.higher_rule, "description": b.description, "active": b.active,
            "from": b.effective_from, "to": b.effective_to}


def _basis_clean(*, name: str, higher_rule: str, effective_from: dt.date | None,
                 effective_to: dt.date | None, exclude_pk: int | None = None) -> tuple[str, str]:
    name, higher_rule = (name or "").strip(), (higher_rule or "").strip()
    if not name:
        raise ApplicationError(_("Name the matter the higher rule covers."), code="name")
    if not higher_rule:
        raise ApplicationError(_("Cite the higher rule that requires the traces."), code="higher_rule")
    if effective_from is None:
        raise ApplicationError(_("Give the date from which the entry applies."), code="dates")
    if effective_to is not None and effective_to < effective_from:
        raise ApplicationError(_("An entry cannot end before it starts."), code="dates")
    if TraceBasis.objects.filter(name=name).exclude(pk=exclude_pk).exists():
        raise ApplicationError(_("The allow-list already has an entry named %(name)s.") % {"name": name},
                               code="name")
    return name[:100], higher_rule[:300]


@transaction.atomic
def trace_basis_create(*, by, name: str, higher_rule: str, effective_from: dt.date, description: str = "",
                       effective_to: dt.date | None = None, active: bool = True) -> TraceBasis:
    """Add a matter to the trace-keeping allow-list (留痕准许清单)."""
    if by is not None and not has_perm(by, Perm.RULES_EDIT):
        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    name, higher_rule = _basis_clean(name=name, higher_rule=higher_rule, effective_from=effective_from,
                                     effective_to=effective_to)
    basis = TraceBasis.objects.create(name=name, higher_rule=higher_rule, description=(description or "").strip(),
                                      active=active, effective_from=effective_from, effective_to=effective_to,
                                      created_by=by)
    audit_record(actor=by, action="trace_basis.create", obj=basis, after=_basis_snapshot(basis))
    return basis


@transaction.atomic
def trace_basis_update(*, by, basis: TraceBasis, name: str, higher_rule: str, effective_from: dt.date,
                       description: str = "", effective_to: dt.date | None = None,
                       active: bool = True) -> TraceBasis:
    """Change an allow-list entry; filings already checked keep the findings they were given."""
    if by is not None and not has_perm(by, Perm.RULES_EDIT):
        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    locked = TraceBasis.objects.select_for_update().get(pk=basis.pk)
    before = _basis_snapshot(locked)
    name, higher_rule = _basis_clean(name=name, higher_rule=higher_rule, effective_from=effective_from,
                                     effective_to=effective_to, exclude_pk=locked.pk)
    locked.name, locked.higher_rule, locked.description = name, higher_rule, (description or "").strip()
    locked.effective_from, locked.effective_to, locked.active = effective_from, effective_to, active
    locked.save()
    audit_record(actor=by, action="trace_basis.update", obj=locked, before=before, after=_basis_snapshot(locked))
    return locked


@transaction.atomic
def trace_basis_deactivate(*, by, basis: TraceBasis) -> TraceBasis:
    """Take an entry off the allow-list; new filings can no longer cite it."""
    return trace_basis_update(by=by, basis=basis, name=basis.name, higher_rule=basis.higher_rule,
                              description=basis.description, effective_from=basis.effective_from,
                              effective_to=basis.effective_to, active=False)


@transaction.atomic
def trace_bases_seed() -> int:
    """Write the source's allow-list entry (safety production) if it is missing, as the migration does."""
    if TraceBasis.objects.filter(name="安全生产").exists():
        return 0
    basis = TraceBasis.objects.create(name="安全生产", higher_rule="《中华人民共和国安全生产法》",
                                      description="安全生产检查、隐患排查治理等法律法规明确要求如实记录的事项。",
                                      effective_from=dt.date.fromisoformat(DEFAULT_EFFECTIVE_FROM))
    audit_record(actor=None, action="trace_basis.seed", obj=basis, after=_basis_snapshot(basis))
    return 1
