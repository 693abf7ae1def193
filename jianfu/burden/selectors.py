"""Burden-hour figures, scoped: what is placed on the reader's units, and what the reader's units place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from jianfu.core.pagination import kept
from jianfu.core.periods import DefaultPeriod, latest_period
from jianfu.demands.models import Demand, Kind, Status, Target
from jianfu.org.models import Person, Unit, UnitType
from jianfu.org.scoping import scope_for, units_visible

from .models import Budget, BurdenLink, Estimate


def _hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)


def change(now: float, then: float) -> float | None:
    return (now - then) / then * 100 if then else None


def links_visible(actor: Person | None) -> QuerySet[BurdenLink]:
    """Links on units in the reader's scope, or placed by units in it."""
    if scope_for(actor).everything:
        return BurdenLink.objects.all()
    ids = list(units_visible(actor).values_list("pk", flat=True))
    return BurdenLink.objects.filter(Q(unit_id__in=ids) | Q(issuing_unit_id__in=ids))


def burden_default_period(*, actor: Person | None, today: dt.date) -> DefaultPeriod:
    """The latest year with burden placed that the reader can see, comparable with the year before when one is.

    The campaign-wide read goes to the demands' date index (the links table has no index leading with the
    date: scanning 20,000,000 links took 0.7 s); a scoped read goes to the links by unit and date."""
    if scope_for(actor).everything:
        qs = Demand.objects.filter(status__in=(Status.APPROVED, Status.IN_FORCE, Status.EXPIRED),
                                   occurs_on__isnull=False, burden_minutes__gt=0)
    else:
        qs = links_visible(actor)
    return latest_period(
        latest_on_or_before=lambda day: qs.filter(occurs_on__lte=day).order_by("-occurs_on").values_list(
            "occurs_on", flat=True).first(),
        exists_between=lambda a, b: qs.filter(occurs_on__range=(a, b)).exists(), today=today)


def _year(qs: QuerySet[BurdenLink], year: int) -> QuerySet[BurdenLink]:
    return qs.filter(occurs_on__gte=dt.date(year, 1, 1), occurs_on__lt=dt.date(year + 1, 1, 1))


@dataclass
class Row:
    key: object
    label: str
    now: float
    then: float
    link: str = ""

    @property
    def change(self) -> float | None:
        return change(self.now, self.then)


@dataclass
class Overview:
    year: int
    total_now: float
    total_then: float
    by_issuer: list[Row]
    by_kind: list[Row]
    by_month: list[Row]
    real_cuts: float = 0.0
    re_estimates: float = 0.0
    withdrawn: float = 0.0
    units_now: int = 0

    @property
    def change(self) -> float | None:
        return change(self.total_now, self.total_then)


def _grouped(qs: QuerySet[BurdenLink], year: int, field_name: str) -> dict[object, tuple[int, int]]:
    """Minutes this year and the year before, per value of the field."""
    rows = (qs.filter(occurs_on__gte=dt.date(year - 1, 1, 1), occurs_on__lt=dt.date(year + 1, 1, 1))
            .values(field_name).annotate(now=Sum("minutes", filter=Q(occurs_on__gte=dt.date(year, 1, 1))),
                                         then=Sum("minutes", filter=Q(occurs_on__lt=dt.date(year, 1, 1)))))
    return {r[field_name]: (r["now"] or 0, r["then"] or 0) for r in rows}


def _overview_sums(qs: QuerySet[BurdenLink], year: int) -> dict:
    """Minutes of the year and the year before by issuing unit, kind and month; the units reached this year; and
    how many links that read."""
    issuers = _grouped(qs, year, "issuing_unit_id")
    kinds = _grouped(qs, year, "kind")
    # Grouped by day, folded into months here: at most 731 rows, and no date function per link (SQLite runs
    # those in Python, one call per row).
    days = (qs.filter(occurs_on__gte=dt.date(year - 1, 1, 1), occurs_on__lt=dt.date(year + 1, 1, 1))
            .values("occurs_on").annotate(minutes=Sum("minutes"), n=Count("pk")).order_by())
    by_month = {m: [0, 0] for m in range(1, 13)}
    links = 0
    for r in days:
        day = r["occurs_on"]
        by_month[day.month][0 if day.year == year else 1] += r["minutes"] or 0
        links += r["n"]
    return {"issuers": issuers, "kinds": kinds, "by_month": by_month, "links": links,
            "units_now": _year(qs, year).values("unit_id").distinct().count()}


def burden_overview(*, actor: Person | None, year: int, qs: QuerySet[BurdenLink] | None = None) -> Overview:
    """Burden hours placed in a year against the year before: by issuing unit, by kind, by month."""
    qs = links_visible(actor) if qs is None else qs
    # The four reads of the links scan the two years' rows: at province scale (millions of links) they are kept
    # for a minute, and the home tile and the page read the same figures (names and estimates stay fresh).
    sums = kept("burden.overview", qs, (year,), lambda: _overview_sums(qs, year), lambda v: v["links"])
    issuers, kinds, by_month = sums["issuers"], sums["kinds"], sums["by_month"]
    names = dict(Unit.objects.filter(pk__in=list(issuers)).values_list("pk", "name"))
    # Every figure is its own minutes rounded once, totals included, so rows and totals round alike.
    total_now = _hours(sum(now for now, _then in kinds.values()))
    total_then = _hours(sum(then for _now, then in kinds.values()))
    overview = Overview(
        year=year, total_now=total_now, total_then=total_then,
        by_issuer=sorted((Row(pk, names.get(pk, "—"), _hours(now), _hours(then)) for pk, (now, then) in
                          issuers.items()), key=lambda r: -r.now),
        by_kind=[Row(k, str(Kind(k).label) if k in Kind.values else k, _hours(kinds[k][0]), _hours(kinds[k][1]))
                 for k in Kind.values if k in kinds],
        by_month=[Row(m, str(m), _hours(v[0]), _hours(v[1])) for m, v in by_month.items()],
        units_now=sums["units_now"])
    if actor is not None:
        overview.real_cuts, overview.re_estimates, overview.withdrawn = estimate_changes(actor=actor, year=year)
    return overview


def estimate_changes(*, actor: Person | None, year: int, unit: Unit | None = None) -> tuple[float, float, float]:
    """Hours the year's estimates moved by: because demands changed (a real cut when negative), because
    only the estimate was corrected (never a cut), and demands withdrawn after they were issued. For one
    unit, what each change meant for that unit; for a scoped reader, the demands its units issued."""
    demands = Demand.objects.filter(Q(occurs_on__year=year) | Q(occurs_on__isnull=True, valid_from__year=year))
    if unit is not None:
        return _unit_changes(demands, unit)
    if not scope_for(actor).everything:
        demands = demands.filter(issuing_unit_id__in=list(units_visible(actor).values_list("pk", flat=True)))
    versions: dict[int, list[tuple[int, str, int]]] = {}
    for demand_id, number, reason, total in (Estimate.objects.filter(demand__in=demands.values("pk"))
                                             .order_by("demand_id", "number")
                                             .values_list("demand_id", "number", "reason", "total_minutes")):
        versions.setdefault(demand_id, []).append((number, reason, total))
    real = re_est = 0
    for rows in versions.values():
        for (_n0, _r0, before), (_n1, reason, after) in zip(rows, rows[1:], strict=False):
            if reason == Estimate.Reason.RE_ESTIMATE:
                re_est += after - before
            elif reason == Estimate.Reason.CHANGED:
                real += after - before
    withdrawn = demands.filter(status=Status.WITHDRAWN, valid_from__isnull=False).aggregate(
        m=Sum("burden_minutes"))["m"] or 0
    return _hours(real), _hours(re_est), _hours(withdrawn)


def _unit_changes(demands: QuerySet[Demand], unit: Unit) -> tuple[float, float, float]:
    """Changes to what demands falling on one unit cost that unit (minutes per unit, not totals)."""
    covering = Target.objects.filter(Q(unit=unit) | Q(include_below=True, unit_id__in=unit.ancestor_ids))
    demands = demands.filter(pk__in=covering.values("demand_id"))
    real = re_est = 0
    rows = (Estimate.objects.filter(demand__in=demands.values("pk")).order_by("demand_id", "number")
            .values_list("demand_id", "reason", "unit_minutes"))
    previous: dict[int, int] = {}
    for demand_id, reason, minutes in rows:
        if demand_id in previous:
            if reason == Estimate.Reason.RE_ESTIMATE:
                re_est += minutes - previous[demand_id]
            elif reason == Estimate.Reason.CHANGED:
                real += minutes - previous[demand_id]
        previous[demand_id] = minutes
    withdrawn = 0
    for demand_id in demands.filter(status=Status.WITHDRAWN, valid_from__isnull=False).values_list("pk", flat=True):
        withdrawn += previous.get(demand_id, 0)
    return _hours(real), _hours(re_est), _hours(withdrawn)


@dataclass
class UnitBurden:
    unit: Unit
    year: int
    overview: Overview
    demands: list = field(default_factory=list)


def burden_on_unit(*, unit: Unit, year: int) -> Overview:
    """What is placed on one unit in a year ("what is placed on 土桥镇 this year"), against the year before."""
    result = burden_overview(actor=None, year=year, qs=BurdenLink.objects.filter(unit=unit))
    result.real_cuts, result.re_estimates, result.withdrawn = estimate_changes(actor=None, year=year, unit=unit)
    return result


def links_on_unit(*, unit: Unit, year: int, kind: str = "") -> QuerySet[BurdenLink]:
    qs = _year(BurdenLink.objects.filter(unit=unit), year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("demand", "issuing_unit").order_by("-minutes", "occurs_on", "demand_id")


@dataclass
class LedgerRow:
    unit: Unit
    budget_hours: float | None
    budget_source: str  # "set", "last_year", ""
    placed: float
    recurring: float
    demands: int

    @property
    def over(self) -> float:
        return round(self.placed - self.budget_hours, 1) if self.budget_hours is not None else 0.0


RECURRING = Q(kind=Kind.INSPECTION) | Q(kind=Kind.REPORT_FORM) | Q(kind=Kind.TRACE)


def ledger(*, actor: Person | None, year: int, issuer: Unit | None = None, scoped: bool = True) -> list[LedgerRow]:
    """One in, one out: each issuing unit's hours placed this year against its budget (set by the task force,
    else what it placed the year before: burden may not rise year on year)."""
    qs = BurdenLink.objects.filter(occurs_on__gte=dt.date(year - 1, 1, 1), occurs_on__lt=dt.date(year + 1, 1, 1))
    if scoped and not scope_for(actor).everything:
        # A unit's budget is about all it places: read whole issuers, never a share of one.
        qs = qs.filter(issuing_unit_id__in=list(units_visible(actor).values_list("pk", flat=True)))
    if issuer is not None:
        qs = qs.filter(issuing_unit=issuer)
    now = dt.date(year, 1, 1)
    grouped = qs.values("issuing_unit_id").annotate(
        placed=Sum("minutes", filter=Q(occurs_on__gte=now)), last=Sum("minutes", filter=Q(occurs_on__lt=now)),
        recurring=Sum("minutes", filter=Q(occurs_on__gte=now) & RECURRING),
        demands=Count("demand_id", filter=Q(occurs_on__gte=now), distinct=True))
    # Grouping two years of links took seconds at province scale: the sums are kept for a minute when they cover
    # many demands (the home tile and the ledger page read the same ones); budgets are always read fresh.
    rows = kept("burden.ledger", grouped, (), lambda: list(grouped),
                lambda rs: sum(r["demands"] or 0 for r in rs))
    budgets = {b.unit_id: b for b in Budget.objects.filter(year=year).filter(
        **({"unit": issuer} if issuer is not None else {}))}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["issuing_unit_id"] for r in rows] + list(budgets))}
    out = []
    seen = set()
    for r in rows:
        pk = r["issuing_unit_id"]
        seen.add(pk)
        budget = budgets.get(pk)
        hours, source = ((budget.hours, "set") if budget else
                         ((_hours(r["last"]), "last_year") if r["last"] else (None, "")))
        out.append(LedgerRow(unit=units[pk], budget_hours=hours, budget_source=source, placed=_hours(r["placed"]),
                             recurring=_hours(r["recurring"]), demands=r["demands"] or 0))
    visible = (set(units_visible(actor).values_list("pk", flat=True))
               if scoped and not scope_for(actor).everything else None)
    for pk, budget in budgets.items():
        if pk not in seen and (visible is None or pk in visible):
            out.append(LedgerRow(unit=units[pk], budget_hours=budget.hours, budget_source="set", placed=0.0,
                                 recurring=0.0, demands=0))
    return sorted(out, key=lambda r: (-r.over, -r.placed))


def budget_position(*, unit: Unit, year: int) -> LedgerRow | None:
    """One issuing unit's line of the ledger, read without scoping (its own filing page shows it)."""
    rows = ledger(actor=None, year=year, issuer=unit, scoped=False)
    return rows[0] if rows else None


def receiving_units(actor: Person | None) -> QuerySet[Unit]:
    return units_visible(actor).filter(type__in=(UnitType.CITY, UnitType.COUNTY, UnitType.TOWNSHIP,
                                                 UnitType.VILLAGE), active=True).order_by("path")
