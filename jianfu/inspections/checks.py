"""The gate for inspections filed outside the annual plan: one-off approval, and drift from approved items.

Approved plan items get their control numbers when the plan is approved; anything a department files
through the gate afterwards is outside the plan. It needs a recorded one-off approval (一事一报)
before the task force can approve it, and if it resembles an approved item it is flagged as that item
renamed, split into several, or widened to more units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jianfu.core.errors import ApplicationError
from jianfu.demands.models import Demand, Kind, Revision, Status
from jianfu.org.models import Person, Unit
from jianfu.rules.engine import Finding, RuleSet
from jianfu.rules.selectors import ruleset_for

from .models import Method, OneOffApproval, PlanItem

OPEN = (Status.DRAFT, Status.CHECKED, Status.RETURNED, Status.APPROVED, Status.IN_FORCE)
RENAMED_BELOW = 0.8  # title similarity under which a matching item counts as renamed


def inspection_clean(data: dict[str, Any]) -> dict[str, Any]:
    method = data.get("method") or Method.ON_SITE
    if method not in Method.values:
        raise ApplicationError(_("Choose how the inspection is done."), code="method")
    try:
        times = int(data.get("times_per_year") or 1)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("Times a year must be from 1 to 366."), code="times_per_year") from exc
    if not 1 <= times <= 366:
        raise ApplicationError(_("Times a year must be from 1 to 366."), code="times_per_year")
    try:
        months = sorted({int(m) for m in (data.get("months") or [])})
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("The month must be from 1 to 12."), code="months") from exc
    if any(not 1 <= m <= 12 for m in months):
        raise ApplicationError(_("The month must be from 1 to 12."), code="months")
    return {"method": method, "times_per_year": times, "on_site": bool(data.get("on_site")), "months": months,
            "prepares": str(data.get("prepares") or "").strip()[:2000],
            "why_outside_plan": str(data.get("why_outside_plan") or "").strip()[:2000]}


@dataclass(frozen=True)
class Coverage:
    unit_id: int
    path: str
    below: bool


def _covers(approved: list[Coverage], unit: Unit, below: bool) -> bool:
    for c in approved:
        if c.unit_id == unit.pk and (c.below or not below):
            return True
        if c.below and unit.path.startswith(c.path) and unit.pk != c.unit_id:
            return True
    return False


def _plan_units(issuer: Unit) -> list[int]:
    """Whose plans a unit's inspections belong to: its own and the unit above it (a department's city)."""
    return [pk for pk in (issuer.pk, issuer.parent_id) if pk is not None]


def _similarity(a: str, b: str) -> float:
    from jianfu.textkit.shingles import fingerprint_set, jaccard

    return jaccard(fingerprint_set(a), fingerprint_set(b))


def drift_findings(demand: Demand, revision: Revision, rules: RuleSet, on: dt.date) -> list[Finding]:
    """Flag a filing that repeats, renames, splits or widens an approved item of the year's plan."""
    rule = rules.get("inspections.plan_drift")
    if rule is None or not rule.value:
        return []
    threshold = float(rules.value("inspections.overlap_similarity", 0.4))
    items = list(PlanItem.objects.filter(status=PlanItem.Status.APPROVED, plan__year=on.year,
                                         plan__unit_id__in=_plan_units(demand.issuing_unit))
                 .select_related("demand").prefetch_related("targets__unit"))
    if not items:
        return []
    text = f"{revision.title}\n{revision.body}"
    scored = sorted(((_similarity(text, f"{i.title}\n{i.description}"), i) for i in items), key=lambda p: -p[0])
    best_score, item = scored[0]
    if best_score < threshold:
        return []
    number = item.demand.control_number if item.demand_id else "—"
    base = {"item": item.title, "number": number, "similarity": f"{best_score:.0%}"}
    detail = {"plan_item_id": item.pk, "demand_id": item.demand_id, "similarity": round(best_score, 3)}
    found: list[Finding] = []
    fix = gettext_noop("Carry the inspection out under the approved item's number, or ask for a one-off "
                       "approval (一事一报) that names the change.")
    if _similarity(revision.title, item.title) < RENAMED_BELOW:
        found.append(Finding.of(rule, gettext_noop(
            "This looks like the approved plan item “%(item)s” (%(number)s) under a new name: %(similarity)s of "
            "its text is the same."), base, fix=fix, drift="renamed", **detail))
    approved = [Coverage(t.unit_id, t.unit.path, t.include_below) for t in item.targets.all()]
    wider = [t.unit.name for t in demand.targets.select_related("unit") if not _covers(approved, t.unit,
                                                                                       t.include_below)]
    if wider:
        found.append(Finding.of(rule, gettext_noop(
            "This widens the approved plan item “%(item)s” (%(number)s) to units it does not cover: %(units)s."),
            {**base, "units": "、".join(wider)}, fix=fix, drift="widened", **detail))
    siblings = [d for d in Demand.objects.filter(kind=Kind.INSPECTION, status__in=OPEN,
                                                 issuing_unit=demand.issuing_unit,
                                                 occurs_on__year=on.year, plan_item__isnull=True)
                .exclude(pk=demand.pk).select_related("current_revision")
                if _similarity(f"{d.title}\n{d.current_revision.body if d.current_revision else ''}",
                               f"{item.title}\n{item.description}") >= threshold]
    if siblings:
        found.append(Finding.of(rule, gettext_noop(
            "The approved plan item “%(item)s” (%(number)s) is being split: %(count)s other filings of your unit "
            "this year resemble it."), {**base, "count": len(siblings)}, fix=fix, drift="split",
            others=[d.pk for d in siblings], **detail))
    if not found:
        found.append(Finding.of(rule, gettext_noop(
            "This repeats the approved plan item “%(item)s”, which already has control number %(number)s."),
            base, fix=gettext_noop("Use the approved item's control number instead of filing it again."),
            drift="repeat", **detail))
    return found


def inspection_check(demand: Demand, revision: Revision, rules: RuleSet, on: dt.date) -> list[Finding]:
    found: list[Finding] = []
    rule = rules.get("inspections.one_off")
    if rule is not None and rule.value:
        found.append(Finding.of(rule, gettext_noop(
            "This inspection is not an item of the approved annual plan, so it needs a one-off approval "
            "(一事一报) recorded by the task force before it can get a control number."), {}, severity="warn",
            fix=gettext_noop("Say why it cannot wait for next year's plan; the task force records who approved "
                             "it.")))
        if not revision.data.get("why_outside_plan"):
            found.append(Finding.of(rule, gettext_noop(
                "Say why this inspection is needed outside the annual plan."), {},
                fix=gettext_noop("Fill in “Why outside the plan”, then save again.")))
    found += drift_findings(demand, revision, rules, on)
    return found


def inspection_before_approve(demand: Demand, by: Person | None) -> None:
    """An inspection outside the plan gets no control number without a recorded one-off approval."""
    if getattr(demand, "plan_item", None) is not None:
        return
    on = demand.occurs_on or timezone.localdate()
    rule = ruleset_for(unit=demand.issuing_unit, on=on).get("inspections.one_off")
    if rule is None or not rule.value:
        return
    if not OneOffApproval.objects.filter(demand=demand).exists():
        raise ApplicationError(
            _("An inspection outside the annual plan cannot get a control number without a one-off approval "
              "(一事一报) (rule %(rule)s: “%(clause)s”). Record who approved it and why, then approve.")
            % {"rule": rule.code, "clause": rule.clause}, code="one_off_required")
