"""Reads of the annual inspection plans, always scoped to what the reader may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from jianfu.demands.models import Kind
from jianfu.demands.models import Status as DemandStatus
from jianfu.demands.selectors import demands_visible
from jianfu.org.models import Person, Unit, UnitType
from jianfu.org.permissions import Perm
from jianfu.org.scoping import get_or_404, has_perm, scope_for, units_visible, units_writable
from jianfu.rules.selectors import rule_values_for_units, ruleset_for
from jianfu.textkit.grouping import GroupItem, Link, overlap_groups

from .models import InspectionPlan, PlanItem, PlanItemTarget
from .services import CAP_RULE

COUNTING = (PlanItem.Status.PROPOSED, PlanItem.Status.APPROVED)


def plans_visible(actor: Person | None) -> QuerySet[InspectionPlan]:
    """Plans of units the reader sees, and the plan above a department one files for (it proposes into the
    city's plan); the grassroots see approved items among the demands on them."""
    scope = scope_for(actor)
    plans = InspectionPlan.objects.select_related("unit", "approved_by")
    if scope.everything:
        return plans
    if not has_perm(actor, Perm.DEMAND_FILE):
        return plans.filter(unit__in=units_visible(actor))
    parents = units_writable(actor).filter(type=UnitType.DEPARTMENT).values("parent_id")
    return plans.filter(Q(unit__in=units_visible(actor)) | Q(unit__in=parents))


def plan_get(*, actor: Person | None, pk: int) -> InspectionPlan:
    return get_or_404(plans_visible(actor), pk=pk)


def sees_whole_plan(actor: Person | None, plan: InspectionPlan) -> bool:
    return has_perm(actor, Perm.INSPECTION_PLANS) or scope_for(actor).reads(plan.unit)


def plan_items_visible(*, actor: Person | None, plan: InspectionPlan) -> QuerySet[PlanItem]:
    """All of a plan's items for the task force and the plan's own unit; a department sees its own
    proposals and the approved items."""
    items = (plan.items.select_related("proposing_unit", "proposed_by", "merged_into", "demand")
             .prefetch_related("targets__unit").order_by("pk"))
    if sees_whole_plan(actor, plan):
        return items
    return items.filter(Q(proposing_unit__in=units_writable(actor)) | Q(status=PlanItem.Status.APPROVED))


def item_get(*, actor: Person | None, pk: int) -> PlanItem:
    """An item of a plan the reader sees, or an approved item aimed at the reader's units."""
    item = get_or_404(PlanItem.objects.select_related("plan__unit"), pk=pk)
    if plans_visible(actor).filter(pk=item.plan_id).exists():
        return get_or_404(plan_items_visible(actor=actor, plan=item.plan), pk=pk)
    return get_or_404(items_on_units(actor=actor).select_related("plan__unit"), pk=pk)


def _ancestor_ids(paths: tuple[str, ...]) -> set[int]:
    return {int(x) for p in paths for x in p.strip("/").split("/") if x}


def items_on_units(*, actor: Person | None, year: int | None = None) -> QuerySet[PlanItem]:
    """Approved items of approved plans that inspect the reader's units, directly or through a unit above
    inspected "and below": what a township or village will host this year, read only."""
    scope = scope_for(actor)
    items = PlanItem.objects.filter(status=PlanItem.Status.APPROVED, plan__status=InspectionPlan.Status.APPROVED)
    if year is not None:
        items = items.filter(plan__year=year)
    if not scope.everything:
        direct = Q(pk__in=[])
        for p in scope.read_paths:
            direct |= Q(unit__path__startswith=p)
        targets = PlanItemTarget.objects.filter(direct | Q(include_below=True,
                                                           unit_id__in=_ancestor_ids(scope.read_paths)))
        items = items.filter(pk__in=targets.values("item_id"))
    return items.select_related("plan__unit", "proposing_unit", "demand").prefetch_related(
        "targets__unit").order_by("plan__year", "plan__unit__path", "pk")


def items_on_units_years(*, actor: Person | None) -> list[int]:
    return sorted(set(items_on_units(actor=actor).values_list("plan__year", flat=True)), reverse=True)


def off_plan_filings(*, actor: Person | None, waiting: bool = True) -> QuerySet:
    """Inspections filed outside the plan; `waiting`: checked, awaiting review, without a one-off approval yet
    (the task force cannot approve them until one is recorded)."""
    qs = demands_visible(actor).filter(kind=Kind.INSPECTION, plan_item__isnull=True).select_related(
        "issuing_unit")
    if waiting:
        qs = qs.filter(status=DemandStatus.CHECKED, one_off_approval__isnull=True)
    return qs.order_by("occurs_on", "pk")


@dataclass
class PlanRow:
    unit: Unit
    plan: InspectionPlan | None
    items: int
    cap: int | None
    previous: int | None
    previous_plan: InspectionPlan | None = None

    @property
    def over(self) -> int:
        return max(0, self.items - self.cap) if self.cap is not None else 0

    @property
    def change(self) -> float | None:
        if not self.previous:
            return None
        return (self.items - self.previous) / self.previous * 100


def plan_overview(*, actor: Person | None, year: int) -> list[PlanRow]:
    """The city's and each county's plan for a year: items counted against the cap, and last year's."""
    plans = plans_visible(actor).filter(year__in=(year, year - 1)).annotate(
        n=Count("items", filter=Q(items__status__in=COUNTING)))
    by_key = {(p.unit_id, p.year): p for p in plans}
    units = {p.unit_id: p.unit for p in plans}
    for unit in units_visible(actor).filter(type__in=(UnitType.CITY, UnitType.COUNTY), active=True):
        units.setdefault(unit.pk, unit)
    # The cap of each unit's plan is the rule in force on 1 January of the year, read for all units at once.
    caps = rule_values_for_units(code=CAP_RULE, units=units.values(), on=dt.date(year, 1, 1))
    rows = []
    for unit in sorted(units.values(), key=lambda u: (u.type != UnitType.CITY, u.code)):
        plan, before = by_key.get((unit.pk, year)), by_key.get((unit.pk, year - 1))
        cap = int(caps[unit.pk]) if caps.get(unit.pk) is not None else None
        rows.append(PlanRow(unit=unit, plan=plan, items=plan.n if plan else 0, cap=cap,
                            previous=before.n if before else None, previous_plan=before))
    return rows


@dataclass
class OverlapGroup:
    items: list[PlanItem]
    links: list[Link]
    keep: PlanItem
    units: list[Unit] = field(default_factory=list)


def _item_units(item: PlanItem) -> frozenset[int]:
    return frozenset(t.unit_id for t in item.targets.all())


def plan_overlaps(*, plan: InspectionPlan, items: list[PlanItem] | None = None) -> list[OverlapGroup]:
    """Proposed items with a similar subject, shared units and the same season, with a suggested merge:
    keep the item that covers the most units (then the first proposed) and fold the rest in."""
    if items is None:
        items = list(plan.items.filter(status=PlanItem.Status.PROPOSED).prefetch_related("targets__unit")
                     .select_related("proposing_unit").order_by("pk"))
    proposed = {i.pk: i for i in items if i.status == PlanItem.Status.PROPOSED}
    threshold = float(ruleset_for(unit=plan.unit, on=dt.date(plan.year, 1, 1))
                      .value("inspections.overlap_similarity", 0.4))
    found = overlap_groups([GroupItem(id=i.pk, text=f"{i.title}\n{i.description}", units=_item_units(i),
                                      months=frozenset(i.months)) for i in proposed.values()],
                           threshold=threshold)
    units_by_id = {t.unit_id: t.unit for i in proposed.values() for t in i.targets.all()}
    out = []
    for group in found:
        members = [proposed[pk] for pk in group.ids]
        keep = max(members, key=lambda i: (len(_item_units(i)), -i.pk))
        out.append(OverlapGroup(items=members, links=group.links, keep=keep,
                                units=[units_by_id[u] for u in sorted(group.shared_units) if u in units_by_id]))
    return out
