"""Every write to the annual inspection plans: propose, change, drop, merge, approve; one-off approvals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record
from jianfu.core.errors import ApplicationError, StaleEditError
from jianfu.core.validation import clean_text
from jianfu.demands.models import Demand, Kind, Status
from jianfu.demands.services import demand_register_planned
from jianfu.org.models import Person, Unit, UnitType
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, require, scope_for
from jianfu.rules.selectors import ruleset_for

from .models import InspectionPlan, Method, OneOffApproval, PlanItem, PlanItemTarget

CAP_RULE = "inspections.annual_cap"



def _require_task_force(by: Person | None, plan: InspectionPlan) -> None:
    require(by, Perm.INSPECTION_PLANS)
    if by is not None and not scope_for(by).reads(plan.unit):
        raise ApplicationError(_("You cannot change this unit's plan."), code="forbidden")


def _may_propose(by: Person | None, plan: InspectionPlan, proposing_unit: Unit) -> None:
    """A department proposes into the plan of the unit above it; the task force into any plan it reads."""
    if by is None:
        return
    if has_perm(by, Perm.INSPECTION_PLANS) and scope_for(by).reads(plan.unit):
        return
    require(by, Perm.DEMAND_FILE)
    if not scope_for(by).writes(proposing_unit):
        raise ApplicationError(_("You cannot propose items for this unit."), code="forbidden")
    if proposing_unit.pk != plan.unit_id and not (proposing_unit.parent_id == plan.unit_id
                                                  and proposing_unit.type == UnitType.DEPARTMENT):
        raise ApplicationError(_("Your unit proposes items only for the plan of the unit it belongs to."),
                               code="forbidden")


def plan_cap(plan: InspectionPlan) -> tuple[int | None, Any]:
    """The cap on the plan's items from the rulebook in force on 1 January of its year, and that rule."""
    rules = ruleset_for(unit=plan.unit, on=dt.date(plan.year, 1, 1))
    ref = rules.get(CAP_RULE)
    return (int(ref.value) if ref is not None else None), ref


def _plan_snapshot(p: InspectionPlan) -> dict[str, Any]:
    return {"year": p.year, "unit": p.unit.code, "status": p.status, "approved_by": p.approved_by_id,
            "approved_at": p.approved_at}


def _item_snapshot(i: PlanItem) -> dict[str, Any]:
    return {"plan": i.plan_id, "unit": i.proposing_unit_id, "title": i.title, "description": i.description,
            "method": i.method, "times_per_year": i.times_per_year, "on_site": i.on_site, "months": i.months,
            "prepares": i.prepares, "status": i.status, "merged_into": i.merged_into_id,
            "targets": sorted([t.unit_id, t.include_below] for t in i.targets.all()),
            "demand": i.demand_id}


def _stale() -> StaleEditError:
    return StaleEditError(_("Someone else changed this item after you opened it. Reload to see the change."),
                          code="stale")


def _long(value: str, field: str, label, max_length: int | None = None) -> str:
    """Long text a person typed, by the rules every interface shares (core.validation)."""
    return clean_text(value, field=field, label=label, multiline=True, max_length=max_length)


def _clean_item(*, title: str, method: str, times_per_year: int, months: Sequence[int] | None,
                targets: Sequence[tuple[Unit, bool]], plan: InspectionPlan) -> tuple[str, list[int]]:
    title = clean_text(title, field="title", label=_("Title"), max_length=300)
    if not title:
        raise ApplicationError(_("A title is required."), code="title")
    if method not in Method.values:
        raise ApplicationError(_("Choose how the inspection is done."), code="method")
    if not 1 <= int(times_per_year) <= 366:
        raise ApplicationError(_("Times a year must be from 1 to 366."), code="times_per_year")
    clean_months = sorted({int(m) for m in (months or [])})
    if any(not 1 <= m <= 12 for m in clean_months):
        raise ApplicationError(_("The month must be from 1 to 12."), code="months")
    if not targets:
        raise ApplicationError(_("Name the units to be inspected."), code="targets")
    outside = [u.name for u, _below in targets if not u.path.startswith(plan.unit.path)
               or u.type in (UnitType.DEPARTMENT, UnitType.TASK_FORCE)]
    if outside:
        raise ApplicationError(_("A plan inspects only the units under %(unit)s: %(units)s is not one of them.")
                               % {"unit": plan.unit.name, "units": "、".join(outside)}, code="targets")
    return title[:300], clean_months


def _set_targets(item: PlanItem, targets: Sequence[tuple[Unit, bool]]) -> None:
    PlanItemTarget.objects.filter(item=item).delete()
    seen: dict[int, bool] = {}
    for unit, below in targets:
        seen[unit.pk] = seen.get(unit.pk, False) or bool(below)
    PlanItemTarget.objects.bulk_create([PlanItemTarget(item=item, unit_id=pk, include_below=below)
                                        for pk, below in seen.items()])


@transaction.atomic
def inspection_plan_create(*, by: Person | None, unit: Unit, year: int) -> InspectionPlan:
    """Open a unit's plan for a year, as a draft that departments propose items into."""
    require(by, Perm.INSPECTION_PLANS)
    if by is not None and not scope_for(by).reads(unit):
        raise ApplicationError(_("You cannot open a plan for this unit."), code="forbidden")
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(_("The year is out of range."), code="year")
    if InspectionPlan.objects.filter(unit=unit, year=year).exists():
        raise ApplicationError(_("This unit already has a plan for that year."), code="duplicate")
    plan = InspectionPlan.objects.create(unit=unit, year=year)
    audit_record(actor=by, action="inspection_plan.create", obj=plan, after=_plan_snapshot(plan))
    return plan


def _open(plan: InspectionPlan) -> None:
    if plan.status != InspectionPlan.Status.DRAFT:
        raise ApplicationError(_("The plan is approved; an approved item cannot be changed. File an inspection "
                                 "outside the plan, which needs a one-off approval (一事一报)."), code="approved")


@transaction.atomic
def plan_item_propose(*, by: Person | None, plan: InspectionPlan, proposing_unit: Unit, title: str,
                      description: str = "", method: str = Method.ON_SITE, times_per_year: int = 1,
                      on_site: bool = True, months: Sequence[int] | None = None, prepares: str = "",
                      targets: Sequence[tuple[Unit, bool]] = (), proposed_by: Person | None = None) -> PlanItem:
    """A department proposes an item for next year's plan; over the cap is allowed while the plan is a draft."""
    plan = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    _open(plan)
    _may_propose(by, plan, proposing_unit)
    title, months = _clean_item(title=title, method=method, times_per_year=times_per_year, months=months,
                                targets=targets, plan=plan)
    author = by or proposed_by
    if author is None:
        raise ApplicationError(_("Say who proposes the item."), code="proposed_by")
    item = PlanItem.objects.create(plan=plan, proposing_unit=proposing_unit, proposed_by=author, title=title,
                                   description=_long(description, "description", _("What is inspected")),
                                   method=method,
                                   times_per_year=int(times_per_year), on_site=bool(on_site), months=months,
                                   prepares=_long(prepares, "prepares", _("What the grassroots must prepare")))
    _set_targets(item, targets)
    audit_record(actor=by, action="plan_item.propose", obj=item, after=_item_snapshot(item))
    return item


def _may_edit_item(by: Person | None, item: PlanItem) -> None:
    if by is None:
        return
    if has_perm(by, Perm.INSPECTION_PLANS) and scope_for(by).reads(item.plan.unit):
        return
    require(by, Perm.DEMAND_FILE)
    if not scope_for(by).writes(item.proposing_unit):
        raise ApplicationError(_("You cannot change items of this unit."), code="forbidden")


def _locked_item(item: PlanItem, version: int) -> PlanItem:
    # Lock the plan too: a change waits for an approval in progress, then finds the plan approved.
    InspectionPlan.objects.select_for_update().filter(pk=item.plan_id).first()
    locked = (PlanItem.objects.select_for_update(of=("self",)).select_related("plan__unit", "proposing_unit")
              .get(pk=item.pk))
    if locked.version != version:
        raise _stale()
    _open(locked.plan)
    return locked


@transaction.atomic
def plan_item_update(*, by: Person | None, item: PlanItem, version: int, title: str, description: str = "",
                     method: str = Method.ON_SITE, times_per_year: int = 1, on_site: bool = True,
                     months: Sequence[int] | None = None, prepares: str = "",
                     targets: Sequence[tuple[Unit, bool]] = ()) -> PlanItem:
    """Change a proposed item while the plan is a draft."""
    _may_edit_item(by, item)
    locked = _locked_item(item, version)
    if locked.status != PlanItem.Status.PROPOSED:
        raise ApplicationError(_("Only a proposed item can be changed."), code="status")
    before = _item_snapshot(locked)
    locked.title, locked.months = _clean_item(title=title, method=method, times_per_year=times_per_year,
                                              months=months, targets=targets, plan=locked.plan)
    locked.description, locked.method = _long(description, "description", _("What is inspected")), method
    locked.times_per_year, locked.on_site = int(times_per_year), bool(on_site)
    locked.prepares = _long(prepares, "prepares", _("What the grassroots must prepare"))
    locked.version = F("version") + 1
    locked.save()
    _set_targets(locked, targets)
    locked.refresh_from_db()
    audit_record(actor=by, action="plan_item.update", obj=locked, before=before, after=_item_snapshot(locked))
    return locked


@transaction.atomic
def plan_item_drop(*, by: Person | None, item: PlanItem, version: int, reason: str) -> PlanItem:
    """Take a proposed item out of the plan, with the reason (the proposer or the task force)."""
    _may_edit_item(by, item)
    reason = _long(reason, "reason", _("Reason"))
    if not reason:
        raise ApplicationError(_("Give the reason for dropping the item."), code="reason")
    locked = _locked_item(item, version)
    if locked.status != PlanItem.Status.PROPOSED:
        raise ApplicationError(_("Only a proposed item can be dropped."), code="status")
    before = _item_snapshot(locked)
    locked.status, locked.note = PlanItem.Status.DROPPED, reason
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=by, action="plan_item.drop", obj=locked, before=before,
                 after={**_item_snapshot(locked), "reason": reason})
    return locked


@transaction.atomic
def plan_items_merge(*, by: Person | None, keep: PlanItem, absorb: Sequence[PlanItem], title: str = "",
                     reason: str = "") -> PlanItem:
    """The task force merges overlapping proposals into one item (合并): the kept item takes every unit,
    month and description of the others, and as many times a year as the most frequent of them."""
    plan = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=keep.plan_id)
    _require_task_force(by, plan)
    _open(plan)
    ids = [i.pk for i in absorb if i.pk != keep.pk]
    if not ids:
        raise ApplicationError(_("Choose at least one other item to merge into this one."), code="merge")
    items = {i.pk: i for i in PlanItem.objects.select_for_update(of=("self",)).filter(pk__in=[keep.pk, *ids])}
    kept = items.get(keep.pk)
    others = [items[pk] for pk in ids if pk in items]
    if kept is None or len(others) != len(ids) or any(i.plan_id != plan.pk for i in items.values()):
        raise ApplicationError(_("Merge only items of the same plan."), code="merge")
    if any(i.status != PlanItem.Status.PROPOSED for i in items.values()):
        raise ApplicationError(_("Only proposed items can be merged; reload the plan to see what changed."),
                               code="stale")
    before = _item_snapshot(kept)
    targets: dict[int, bool] = {t.unit_id: t.include_below for t in kept.targets.all()}
    months = set(kept.months)
    descriptions = [kept.description] if kept.description else []
    prepares = [kept.prepares] if kept.prepares else []
    for other in others:
        for t in other.targets.all():
            targets[t.unit_id] = targets.get(t.unit_id, False) or t.include_below
        months |= set(other.months)
        if other.description and other.description not in descriptions:
            descriptions.append(other.description)
        if other.prepares and other.prepares not in prepares:
            prepares.append(other.prepares)
        kept.times_per_year = max(kept.times_per_year, other.times_per_year)
        kept.on_site = kept.on_site or other.on_site
    new_title = clean_text(title, field="title", label=_("Title"), max_length=300)
    if new_title:
        kept.title = new_title[:300]
    kept.description = "\n".join(descriptions)
    kept.prepares = "\n".join(prepares)
    kept.months = sorted(months)
    kept.version = F("version") + 1
    kept.save()
    PlanItemTarget.objects.filter(item=kept).delete()
    PlanItemTarget.objects.bulk_create([PlanItemTarget(item=kept, unit_id=u, include_below=b)
                                        for u, b in targets.items()])
    reason = (_long(reason, "reason", _("Reason"))
              or _("Merged with overlapping items (same units, similar subject, same season)."))
    for other in others:
        other_before = _item_snapshot(other)
        PlanItem.objects.filter(pk=other.pk).update(status=PlanItem.Status.MERGED, merged_into=kept,
                                                    note=reason, version=F("version") + 1,
                                                    updated_at=timezone.now())
        other.refresh_from_db()
        audit_record(actor=by, action="plan_item.merge", obj=other, before=other_before,
                     after={**_item_snapshot(other), "reason": reason})
    kept.refresh_from_db()
    audit_record(actor=by, action="plan_item.absorb", obj=kept, before=before,
                 after={**_item_snapshot(kept), "absorbed": ids})
    return kept


def _over_cap_error(plan: InspectionPlan, count: int, cap: int, ref) -> ApplicationError:
    return ApplicationError(
        _("The plan has %(count)s items, over the cap of %(cap)s (rule %(rule)s, version %(version)s: "
          "“%(clause)s”). Merge or drop %(over)s items, then approve it; it stays saved as a draft.")
        % {"count": count, "cap": cap, "rule": ref.code, "version": ref.version, "clause": ref.clause,
           "over": count - cap}, code="over_cap")


@transaction.atomic
def inspection_plan_approve(*, by: Person | None, plan: InspectionPlan, version: int,
                            today: dt.date | None = None) -> InspectionPlan:
    """Approve a plan within its cap: every proposed item becomes a registered demand with a control number."""
    locked = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    _require_task_force(by, locked)
    if locked.version != version:
        raise StaleEditError(_("The plan changed after you opened it. Reload to see the change."), code="stale")
    if locked.status != InspectionPlan.Status.DRAFT:
        raise ApplicationError(_("This plan is already approved."), code="status")
    items = list(locked.items.select_for_update(of=("self",)).filter(status=PlanItem.Status.PROPOSED)
                 .select_related("proposing_unit", "proposed_by").prefetch_related("targets__unit").order_by("pk"))
    if not items:
        raise ApplicationError(_("The plan has no items to approve."), code="empty")
    cap, ref = plan_cap(locked)
    if cap is not None and len(items) > cap:
        raise _over_cap_error(locked, len(items), cap, ref)
    before = _plan_snapshot(locked)
    today = today or timezone.localdate()
    start, end = dt.date(locked.year, 1, 1), dt.date(locked.year, 12, 31)
    approver = by
    for item in items:
        # The grassroots meet the inspection in its first planned month; its number is valid all year.
        first = dt.date(locked.year, min(item.months), 1) if item.months else start
        demand = demand_register_planned(
            by=approver, kind=Kind.INSPECTION, title=item.title, issuing_unit=item.proposing_unit,
            filed_by=item.proposed_by, body=item.description, data=inspection_data_of(item),
            targets=[(t.unit, t.include_below) for t in item.targets.all()], occurs_on=first, valid_from=start,
            valid_until=end, today=today,
            reason=_("Approved with the annual plan %(plan)s.") % {"plan": str(locked)})
        if not PlanItem.objects.filter(pk=item.pk, status=PlanItem.Status.PROPOSED, version=item.version).update(
                status=PlanItem.Status.APPROVED, demand=demand, version=F("version") + 1, updated_at=timezone.now()):
            raise StaleEditError(_("An item changed while the plan was being approved. Reload and approve again."),
                                 code="stale")
        audit_record(actor=by, action="plan_item.approve", obj=item,
                     after={"demand": demand.pk, "control_number": demand.control_number})
    locked.status, locked.approved_by, locked.approved_at = InspectionPlan.Status.APPROVED, by, timezone.now()
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=by, action="inspection_plan.approve", obj=locked, before=before,
                 after={**_plan_snapshot(locked), "items": len(items)})
    if locked.unit.type == UnitType.CITY:
        _five_list_sync(locked, items, by if by is not None and has_perm(by, Perm.LISTS_EDIT) else None)
    return locked


def _five_list_sync(plan: InspectionPlan, items: list[PlanItem], by: Person | None) -> None:
    """The city's approved plan is its list of city-level inspection items, one of the 5 lists (5张清单)."""
    from jianfu.demands import services as demand_services
    from jianfu.demands.models import AnnualList, ListKind

    annual = AnnualList.objects.filter(kind=ListKind.INSPECTIONS, year=plan.year, scope_unit=plan.unit).first()
    if annual is None:
        annual = demand_services.annual_list_create(by=by, kind=ListKind.INSPECTIONS, year=plan.year,
                                                    scope_unit=plan.unit)
    listed = set(annual.items.values_list("title", flat=True))
    for item in items:
        if item.title not in listed:
            demand_services.list_item_add(by=by, annual_list=annual, title=item.title,
                                          description=item.description, responsible_unit=item.proposing_unit,
                                          planned_month=item.months[0] if item.months else None)
    if annual.status != AnnualList.Status.APPROVED:
        demand_services.annual_list_approve(by=by, annual_list=annual)


def inspection_data_of(item: PlanItem) -> dict[str, Any]:
    """An item's details as kept on the registered demand's version (the same keys a filing uses)."""
    return {"method": item.method, "times_per_year": item.times_per_year, "on_site": item.on_site,
            "months": list(item.months), "prepares": item.prepares, "plan_item_id": item.pk}


@transaction.atomic
def one_off_approval_record(*, by: Person | None, demand: Demand, reason: str, approver: Person,
                            approved_on: dt.date) -> OneOffApproval:
    """Record the one-off approval (一事一报) an inspection outside the plan needs before it gets a number."""
    require(by, Perm.INSPECTION_ONE_OFF)
    if demand.kind != Kind.INSPECTION:
        raise ApplicationError(_("Only an inspection needs a one-off approval."), code="kind")
    if demand.status not in (Status.CHECKED, Status.DRAFT, Status.RETURNED):
        raise ApplicationError(_("The filing is no longer waiting for a decision."), code="status")
    reason = _long(reason, "reason", _("Reason"), max_length=4000)
    if not reason:
        raise ApplicationError(_("Give the reason the inspection cannot wait for next year's plan."), code="reason")
    if approver is None or not approver.is_active:
        raise ApplicationError(_("Name the leader who approved it."), code="approver")
    if approved_on > timezone.localdate():
        raise ApplicationError(_("The approval cannot be dated in the future."), code="approved_on")
    if OneOffApproval.objects.filter(demand=demand).exists():
        raise ApplicationError(_("A one-off approval is already recorded for this filing."), code="duplicate")
    approval = OneOffApproval.objects.create(demand=demand, reason=reason[:4000], approver=approver,
                                             approved_on=approved_on, recorded_by=by or approver)
    audit_record(actor=by, action="inspection.one_off_approval", obj=demand,
                 after={"approver": approver.pk, "approved_on": approved_on, "reason": approval.reason})
    return approval
