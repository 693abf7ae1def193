"""Burden hours: estimate what each demand costs the units it falls on, keep every version, keep links.

A demand's burden = units affected × times a year × minutes per time, the minutes from the standard
activity table (fill a form, attend a meeting, prepare materials, host an on-site check, take photos,
write minutes, keep a ledger; simple / medium / complex). Meetings keep the gate's own figure
(attendees × (length + travel)); report forms the figure their gate computes (respondents × responses ×
minutes per response). Every change makes a new estimate version whose reason says whether the demand
changed (a real cut when it went down) or only the estimate (a re-estimate, never counted as a cut).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record
from jianfu.core.errors import ApplicationError
from jianfu.core.validation import clean_text
from jianfu.demands.models import Demand, DocumentKind, Kind, Status, TraceFrequency, TraceType
from jianfu.org.models import Person, Unit, UnitType
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, scope_for

from .models import Activity, ActivityTable, Budget, BurdenLink, Complexity, Estimate

# The standard minutes the table starts from (the task force edits them; each edit is a new version).
DEFAULT_MINUTES: dict[str, dict[str, int]] = {
    Activity.FILL_FORM: {"simple": 15, "medium": 45, "complex": 120},
    Activity.ATTEND_MEETING: {"simple": 90, "medium": 150, "complex": 240},
    Activity.PREPARE_MATERIALS: {"simple": 60, "medium": 240, "complex": 480},
    Activity.HOST_CHECK: {"simple": 120, "medium": 240, "complex": 480},
    Activity.TAKE_PHOTOS: {"simple": 10, "medium": 30, "complex": 60},
    Activity.WRITE_MINUTES: {"simple": 20, "medium": 45, "complex": 90},
    Activity.KEEP_LEDGER: {"simple": 30, "medium": 60, "complex": 120},
}
TIMES_A_YEAR = {TraceFrequency.ONCE: 1, TraceFrequency.WEEKLY: 52, TraceFrequency.MONTHLY: 12,
                TraceFrequency.QUARTERLY: 4, TraceFrequency.PER_EVENT: 12}
TRACE_ACTIVITY = {TraceType.PHOTOS: (Activity.TAKE_PHOTOS, Complexity.SIMPLE),
                  TraceType.SIGN_IN_SHEETS: (Activity.KEEP_LEDGER, Complexity.SIMPLE),
                  TraceType.LEDGERS: (Activity.KEEP_LEDGER, Complexity.MEDIUM),
                  TraceType.WORK_NOTES: (Activity.WRITE_MINUTES, Complexity.SIMPLE),
                  TraceType.OTHER: (Activity.KEEP_LEDGER, Complexity.SIMPLE)}
# Units that do the work a demand asks of "the units below": not departments or the task force.
RECEIVING_TYPES = (UnitType.CITY, UnitType.COUNTY, UnitType.TOWNSHIP, UnitType.VILLAGE, UnitType.OTHER)
ISSUED = (Status.APPROVED, Status.IN_FORCE, Status.EXPIRED)
# Kinds whose gate computes the total itself.
GATE_TOTAL = (Kind.MEETING, Kind.REPORT_FORM)


# ----------------------------------------------------------------------------------- the table
def _note(value: str) -> str:
    """A note a person typed, by the rules every interface shares (core.validation)."""
    return clean_text(value, field="note", label=_("Note"), multiline=True)


def activity_table_on(on: dt.date) -> ActivityTable | None:
    return ActivityTable.objects.filter(effective_from__lte=on).order_by("-effective_from", "-version").first()


def _clean_minutes(minutes: dict[str, Any]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for activity in Activity.values:
        row = minutes.get(activity) or {}
        out[activity] = {}
        for complexity in Complexity.values:
            try:
                value = int(row.get(complexity))
            except (TypeError, ValueError) as exc:
                raise ApplicationError(_("Give whole minutes for “%(activity)s”, %(complexity)s.") % {
                    "activity": Activity(activity).label, "complexity": Complexity(complexity).label},
                    code="minutes") from exc
            if not 0 <= value <= 100_000:
                raise ApplicationError(_("Minutes for “%(activity)s” are out of range.") % {
                    "activity": Activity(activity).label}, code="minutes")
            out[activity][complexity] = value
        if not out[activity]["simple"] <= out[activity]["medium"] <= out[activity]["complex"]:
            raise ApplicationError(_("For “%(activity)s”, simple must not take longer than medium, nor medium "
                                     "than complex.") % {"activity": Activity(activity).label}, code="minutes")
    return out


@transaction.atomic
def activity_table_change(*, by: Person | None, minutes: dict[str, Any], effective_from: dt.date,
                          note: str = "") -> ActivityTable:
    """A new version of the standard activity table; estimates already made keep the version they used."""
    if by is not None and not has_perm(by, Perm.RULES_EDIT):
        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    clean = _clean_minutes(minutes)
    last = ActivityTable.objects.select_for_update().order_by("-version").first()
    table = ActivityTable.objects.create(version=(last.version if last else 0) + 1, effective_from=effective_from,
                                         minutes=clean, note=_note(note), created_by=by)
    audit_record(actor=by, action="activity_table.change", obj=table,
                 before={"version": last.version, "minutes": last.minutes} if last else None,
                 after={"version": table.version, "from": effective_from, "minutes": clean, "note": table.note})
    return table


def activity_table_seed() -> ActivityTable:
    """The first version, from 2019, if there is none (fresh and flushed databases)."""
    table = ActivityTable.objects.order_by("version").first()
    return table or activity_table_change(by=None, minutes=DEFAULT_MINUTES, effective_from=dt.date(2019, 1, 1),
                                          note="seeded")


# ------------------------------------------------------------------------------- the estimates
def affected_units(demand: Demand) -> list[int]:
    """Every unit a demand falls on: each receiving unit, and with "and below" every unit under it."""
    return units_under([(t.unit, t.include_below) for t in demand.targets.select_related("unit")])


def units_under(targets: Sequence[tuple[Unit, bool]]) -> list[int]:
    """The units that receiving units with their "and below" reach."""
    ids = {unit.pk for unit, _below in targets}
    below = Q()
    for unit, include_below in targets:
        if include_below:
            below |= Q(path__startswith=unit.path)
    if below:
        ids |= set(Unit.objects.filter(below, active=True, type__in=RECEIVING_TYPES).values_list("pk", flat=True))
    return sorted(ids)


def estimate_preview(*, kind: str, data: dict[str, Any], targets: Sequence[tuple[Unit, bool]], on: dt.date,
                     gate_minutes: int = 0) -> dict[str, int]:
    """What a filing would cost before it is saved: the units it reaches and, from the standard activity
    table, the minutes a year per unit and in all (a meeting's or a report form's gate figure when given)."""
    units = len(units_under(targets))
    table = activity_table_on(on) or activity_table_seed()
    draft = Demand(kind=kind, document_kind=data.get("document_kind") or "", burden_minutes=gate_minutes)
    lines, occurrences = default_lines(draft, table.minutes, data=data)
    unit_minutes, total = _compute(draft, lines, occurrences, units)
    return {"units": units, "unit_minutes": unit_minutes, "total_minutes": total}


def _line(table: dict, activity: str, complexity: str, count: int = 1) -> dict[str, Any]:
    return {"activity": activity, "complexity": complexity, "count": count,
            "minutes": int(table.get(activity, DEFAULT_MINUTES[activity]).get(complexity, 0))}


def default_lines(demand: Demand, minutes: dict, data: dict[str, Any] | None = None
                  ) -> tuple[list[dict[str, Any]], int]:
    """The activities a demand of its kind asks of each unit, and how many times a year."""
    if data is None:
        data = demand.current_revision.data if demand.current_revision_id else {}
    if demand.kind == Kind.DOCUMENT:
        heavy = (demand.document_kind or data.get("document_kind")) in (DocumentKind.NORMATIVE,
                                                                           DocumentKind.COMPREHENSIVE)
        return [_line(minutes, Activity.PREPARE_MATERIALS, Complexity.MEDIUM if heavy else Complexity.SIMPLE)], 1
    if demand.kind == Kind.INSPECTION:
        lines = [_line(minutes, Activity.HOST_CHECK if data.get("on_site", True) else Activity.PREPARE_MATERIALS,
                       Complexity.MEDIUM)]
        if (data.get("prepares") or "").strip():
            lines.append(_line(minutes, Activity.PREPARE_MATERIALS, Complexity.SIMPLE))
        return lines, max(1, int(data.get("times_per_year") or 1))
    if demand.kind == Kind.TRACE:
        lines = [_line(minutes, *TRACE_ACTIVITY[t]) for t in data.get("trace_types", []) if t in TRACE_ACTIVITY]
        return lines, TIMES_A_YEAR.get(data.get("frequency"), 1)
    if demand.kind == Kind.REPORT_FORM:
        return [], max(1, int(data.get("responses_per_year") or 1))
    if demand.kind == Kind.MEETING and not demand.burden_minutes:
        # A meeting recorded from the old ledger has no attendee figures: count one attendance per unit.
        return [_line(minutes, Activity.ATTEND_MEETING, Complexity.MEDIUM)], 1
    return [], 1


def _compute(demand: Demand, lines: Sequence[dict[str, Any]], occurrences: int, units: int) -> tuple[int, int]:
    """(minutes per unit for the year, total minutes)."""
    if demand.kind in GATE_TOTAL and not lines:
        total = int(demand.burden_minutes or 0)
        return (total // units if units else 0), total
    per_time = sum(int(line["count"]) * int(line["minutes"]) for line in lines)
    return per_time * occurrences, per_time * occurrences * units


def _same(estimate: Estimate | None, lines, occurrences: int, units: int, total: int) -> bool:
    return (estimate is not None and estimate.lines == list(lines) and estimate.occurrences == occurrences
            and estimate.units == units and estimate.total_minutes == total)


def _save_estimate(*, by: Person | None, demand: Demand, lines: list[dict], occurrences: int, units: int,
                   reason: str, note: str, table: ActivityTable | None) -> Estimate:
    unit_minutes, total = _compute(demand, lines, occurrences, units)
    last = demand.estimates.order_by("-number").first()
    if reason != Estimate.Reason.RE_ESTIMATE and _same(last, lines, occurrences, units, total):
        return last
    estimate = Estimate.objects.create(
        demand=demand, number=(last.number if last else 0) + 1,
        reason=Estimate.Reason.INITIAL if last is None else reason, note=note, table=table, lines=lines,
        occurrences=occurrences, units=units, unit_minutes=unit_minutes, total_minutes=total, created_by=by)
    Demand.objects.filter(pk=demand.pk).update(burden_minutes=total)
    demand.burden_minutes = total
    audit_record(actor=by, action=f"burden.estimate.{estimate.reason}", obj=demand,
                 before={"total_minutes": last.total_minutes} if last else None,
                 after={"estimate": estimate.number, "total_minutes": total, "units": units,
                        "occurrences": occurrences, "note": note})
    return estimate


@transaction.atomic
def burden_refresh(*, demand: Demand, by: Person | None = None) -> Estimate:
    """Estimate a demand from its current facts (kind, details, receiving units) and keep its links in step.
    A new version is made only when something changed; its reason is "the demand changed"."""
    demand = Demand.objects.select_related("current_revision", "issuing_unit").get(pk=demand.pk)
    on = demand.occurs_on or timezone.localdate()
    table = activity_table_on(on) or activity_table_seed()
    last = demand.estimates.order_by("-number").first()
    if last is not None and last.reason == Estimate.Reason.RE_ESTIMATE and demand.kind not in GATE_TOTAL:
        # A hand-made estimate keeps its activities and times a year; only the units follow the demand.
        lines, occurrences = last.lines, last.occurrences
    else:
        lines, occurrences = default_lines(demand, table.minutes)
    units = len(affected_units(demand))
    estimate = _save_estimate(by=by, demand=demand, lines=list(lines), occurrences=occurrences, units=units,
                              reason=Estimate.Reason.CHANGED, note="", table=table)
    burden_links_sync(demand=demand, estimate=estimate)
    return estimate


def _clean_lines(lines: Sequence[dict[str, Any]], minutes: dict) -> list[dict[str, Any]]:
    out = []
    for raw in lines:
        activity, complexity = raw.get("activity"), raw.get("complexity")
        if activity not in Activity.values or complexity not in Complexity.values:
            raise ApplicationError(_("Choose an activity and how demanding it is."), code="lines")
        try:
            count = int(raw.get("count") or 1)
        except (TypeError, ValueError) as exc:
            raise ApplicationError(_("How many times must be a whole number."), code="lines") from exc
        if not 1 <= count <= 1000:
            raise ApplicationError(_("How many times must be from 1 to 1,000."), code="lines")
        out.append(_line(minutes, activity, complexity, count))
    return out


@transaction.atomic
def burden_re_estimate(*, by: Person | None, demand: Demand, lines: Sequence[dict[str, Any]], occurrences: int,
                       note: str) -> Estimate:
    """Correct the estimate without changing the demand; kept apart from real cuts in every figure."""
    if by is not None:
        # Once a demand is issued, only the task force corrects its figure: the issuer's budget depends on it.
        allowed = has_perm(by, Perm.BURDEN_RE_ESTIMATE) or (
            has_perm(by, Perm.DEMAND_FILE) and scope_for(by).writes(demand.issuing_unit)
            and not demand.counts_as_issued)
        if not allowed:
            raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    if demand.kind in GATE_TOTAL:
        raise ApplicationError(_("The gate computes this kind's burden from its own figures; change the filing "
                                 "instead."), code="kind")
    note = _note(note)
    if not note:
        raise ApplicationError(_("Say why the estimate changes, so it is not mistaken for a cut."), code="note")
    if not 1 <= int(occurrences) <= 366 * 24:
        raise ApplicationError(_("Times a year is out of range."), code="occurrences")
    locked = Demand.objects.select_for_update().get(pk=demand.pk)
    table = activity_table_on(locked.occurs_on or timezone.localdate()) or activity_table_seed()
    clean = _clean_lines(lines, table.minutes)
    if not clean:
        raise ApplicationError(_("Name at least one activity."), code="lines")
    estimate = _save_estimate(by=by, demand=locked, lines=clean, occurrences=int(occurrences),
                              units=len(affected_units(locked)), reason=Estimate.Reason.RE_ESTIMATE, note=note,
                              table=table)
    burden_links_sync(demand=locked, estimate=estimate)
    return estimate


def burden_links_sync(*, demand: Demand, estimate: Estimate | None = None) -> int:
    """Links exist only for issued demands (approved, in force, expired); withdrawn ones lose theirs."""
    BurdenLink.objects.filter(demand_id=demand.pk).delete()
    current = Demand.objects.only("status", "occurs_on", "kind", "issuing_unit_id", "valid_from").get(pk=demand.pk)
    if current.status not in ISSUED:
        return 0
    estimate = estimate or Estimate.objects.filter(demand_id=demand.pk).order_by("-number").first()
    if estimate is None:
        return 0
    day = current.occurs_on or current.valid_from or timezone.localdate()
    units = affected_units(current)
    # A total shared out (meetings, report forms) leaves a remainder: the first units carry a minute more.
    extra = max(0, estimate.total_minutes - estimate.unit_minutes * len(units))
    links = [BurdenLink(demand_id=demand.pk, unit_id=unit_id, kind=current.kind,
                        issuing_unit_id=current.issuing_unit_id, occurs_on=day,
                        minutes=estimate.unit_minutes + (1 if n < extra else 0))
             for n, unit_id in enumerate(units)]
    BurdenLink.objects.bulk_create(links)
    return len(links)


# -------------------------------------------------------------------------------- the budgets
@transaction.atomic
def budget_set(*, by: Person | None, unit: Unit, year: int, hours: int, note: str = "") -> Budget:
    """Set a department's burden budget for a year (one in, one out)."""
    if by is not None and not has_perm(by, Perm.BURDEN_BUDGET):
        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    if not 0 <= int(hours) <= 100_000_000:
        raise ApplicationError(_("The budget is out of range."), code="hours")
    note = _note(note)
    budget, created = Budget.objects.select_for_update().get_or_create(
        unit=unit, year=year, defaults={"hours": hours, "note": note, "set_by": by})
    before = None if created else {"hours": budget.hours, "note": budget.note}
    budget.hours, budget.note, budget.set_by = int(hours), note, by
    budget.save()
    audit_record(actor=by, action="budget.set", obj=budget, before=before,
                 after={"unit": unit.code, "year": year, "hours": budget.hours, "note": budget.note})
    return budget
