"""Reads of the annual inspection plans, always scoped to what the reader may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from jianfu.org.models import Person, Unit, UnitType
from jianfu.org.permissions import Perm
from jianfu.org.scoping import get_or_404, has_perm, scope_for, units_visible, units_writable
from jianfu.rules.selectors import ruleset_for
from jianfu.textkit.grouping import GroupItem, Link, overlap_groups

from .models import InspectionPlan, PlanItem
from .services import plan_cap

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
    return has_perm(actor, Perm.DEMAND_REVIEW) or scope_for(actor).reads(plan.unit)


def plan_items_visible(*, actor: Person | None, plan: InspectionPlan) -> QuerySet[PlanItem]:
    """All of a plan's items for the task force and the plan's own unit; a department sees its own
    proposals and the approved items."""
    items = (plan.items.select_related("proposing_unit", "proposed_by", "merged_into", "demand")
             .prefetch_related("targets__unit").order_by("pk"))
    if sees_whole_plan(actor, plan):
        return items
    return items.filter(Q(proposing_unit__in=units_writable(actor)) | Q(status=PlanItem.Status.APPROVED))


def item_get(*, actor: Person | None, pk: int) -> PlanItem:
    item = get_or_404(PlanItem.objects.select_related("plan__unit"), pk=pk)
    plan_get(actor=actor, pk=item.plan_id)
    return get_or_404(plan_items_visible(actor=actor, plan=item.plan), pk=pk)


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
    rows = []
    for unit in sorted(units.values(), key=lambda u: (u.type != UnitType.CITY, u.code)):
        plan, before = by_key.get((unit.pk, year)), by_key.get((unit.pk, year - 1))
        cap = plan_cap(plan)[0] if plan else _cap_for(unit, year)
        rows.append(PlanRow(unit=unit, plan=plan, items=plan.n if plan else 0, cap=cap,
                            previous=before.n if before else None, previous_plan=before))
    return rows


def _cap_for(unit: Unit, year: int) -> int | None:
    value = ruleset_for(unit=unit, on=dt.date(year, 1, 1)).value("inspections.annual_cap")
    return int(value) if value is not None else None


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
