"""Reading the rulebook: which version of each rule applies to a unit on a date."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from jianfu.org.models import Unit

from .catalogue import RULES
from .engine import RuleRef, RuleSet
from .models import RuleVersion, TraceBasis


def _ref(v: RuleVersion) -> RuleRef:
    return RuleRef(code=v.code, version_id=v.pk, version=v.version, value=v.value, severity=v.severity,
                   clause=v.source_clause)


def ruleset_for(*, unit: Unit | None, on: dt.date) -> RuleSet:
    """Each rule's version in force on `on`: the most specific scope that contains `unit` wins."""
    ancestor_ids = [int(p) for p in unit.path.strip("/").split("/") if p] if unit is not None else []
    candidates = RuleVersion.objects.filter(
        Q(scope_unit__isnull=True) | Q(scope_unit_id__in=ancestor_ids),
        effective_from__lte=on,
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on)).select_related("scope_unit")
    depth = {uid: i for i, uid in enumerate(ancestor_ids)}
    best: dict[str, tuple[int, int, RuleVersion]] = {}
    for v in candidates:
        rank = depth.get(v.scope_unit_id, -1) if v.scope_unit_id else -1
        key = (rank, v.version)
        current = best.get(v.code)
        if current is None or key > current[:2]:
            best[v.code] = (rank, v.version, v)
    return RuleSet({code: _ref(v) for code, (_, _, v) in best.items()})


def rule_values_for_units(*, code: str, units, on: dt.date) -> dict[int, object]:
    """One rule's value in force on `on` for each of many units, in one query: what `ruleset_for(unit=u,
    on=on).value(code)` gives for each, without building a whole rulebook per unit."""
    paths = {u.pk: [int(p) for p in u.path.strip("/").split("/") if p] for u in units}
    ancestors = {a for ids in paths.values() for a in ids}
    versions = list(RuleVersion.objects.filter(Q(scope_unit__isnull=True) | Q(scope_unit_id__in=ancestors), code=code,
                                               effective_from__lte=on)
                    .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on)))
    out: dict[int, object] = {}
    for pk, ids in paths.items():
        depth = {uid: i for i, uid in enumerate(ids)}
        best = None
        for v in versions:
            if v.scope_unit_id is not None and v.scope_unit_id not in depth:
                continue
            key = (depth.get(v.scope_unit_id, -1) if v.scope_unit_id else -1, v.version)
            if best is None or key > best[0]:
                best = (key, v)
        out[pk] = best[1].value if best else None
    return out


def default_ruleset() -> RuleSet:
    """The source's defaults, for checks that run without a database (e.g. `jianfu check` on a fresh install)."""
    return RuleSet({code: RuleRef(code=code, version_id=None, version=0, value=r.default, severity=r.severity,
                                  clause=r.clause) for code, r in RULES.items()})


def rule_versions(*, code: str | None = None) -> QuerySet[RuleVersion]:
    qs = RuleVersion.objects.select_related("scope_unit", "created_by")
    if code:
        qs = qs.filter(code=code)
    return qs.order_by("code", "scope_unit__path", "-version")


def rulebook_current(*, on: dt.date) -> list[RuleVersion]:
    """Every (code, scope) pair's version in force on `on`, for the rulebook page."""
    qs = RuleVersion.objects.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)).select_related("scope_unit")
    latest: dict[tuple[str, int | None], RuleVersion] = {}
    for v in qs:
        key = (v.code, v.scope_unit_id)
        if key not in latest or v.version > latest[key].version:
            latest[key] = v
    order = list(RULES)
    return sorted(latest.values(), key=lambda v: (order.index(v.code) if v.code in order else 99,
                                                  v.scope_unit.path if v.scope_unit else ""))


def trace_bases(*, active_only: bool = False) -> QuerySet[TraceBasis]:
    """The trace-keeping allow-list; everyone logged in may read it."""
    qs = TraceBasis.objects.select_related("created_by")
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("-active", "name")


def trace_bases_citable(*, on: dt.date) -> QuerySet[TraceBasis]:
    """The entries a filing dated `on` may cite."""
    return TraceBasis.objects.filter(active=True, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)).order_by("name")


def trace_basis_find(*, pk: int | None) -> TraceBasis | None:
    """The allow-list entry a filing cites, or None if it cites none or the entry is gone."""
    return TraceBasis.objects.filter(pk=pk).first() if pk else None
