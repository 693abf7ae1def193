"""Reads of the registry, scoped by the acting person: what they filed, what falls on their units."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from jianfu.core.pagination import kept
from jianfu.core.periods import DefaultPeriod, latest_period
from jianfu.org.models import Person, Unit
from jianfu.org.scoping import get_or_404, scope_for, units_visible

from .control_numbers import normalise_number
from .models import CITY_NAMES, Demand, DocumentKind, IssuedInName, Status, Target

ISSUED = (Status.APPROVED, Status.IN_FORCE, Status.EXPIRED)


def _ancestor_ids(paths: tuple[str, ...]) -> set[int]:
    ids: set[int] = set()
    for p in paths:
        ids.update(int(x) for x in p.strip("/").split("/") if x)
    return ids


def demands_visible(person: Person) -> QuerySet[Demand]:
    """Filings issued by units in scope in every state, and filings falling on them (directly or through
    `include_below`) once issued: a receiving unit never sees a draft, nor one the gate is still holding. A
    filing withdrawn after it was issued stays visible (it has a control number), so the unit knows it is off."""
    scope = scope_for(person)
    if scope.everything:
        return Demand.objects.all()
    # A list of ids rather than a subquery: PostgreSQL then plans a cheap EXISTS instead of joining every
    # demand to every receiving unit (benchmarks/figures_pg.py: 2 s → 0.17 s for a township at 1,000,000).
    unit_ids = list(units_visible(person).values_list("pk", flat=True))
    falls_on = Target.objects.filter(demand=OuterRef("pk")).filter(
        Q(unit_id__in=unit_ids) | Q(include_below=True, unit_id__in=_ancestor_ids(scope.read_paths)))
    issued = Q(status__in=ISSUED) | Q(status=Status.WITHDRAWN, control_number__isnull=False)
    return Demand.objects.filter(Q(issuing_unit_id__in=unit_ids) | (issued & Exists(falls_on)))


def demand_get(*, actor: Person, pk: int) -> Demand:
    return get_or_404(demands_visible(actor).select_related(
        "issuing_unit", "filed_by", "current_revision", "merged_into"), pk=pk)


def demand_list(*, actor: Person, q: str = "", kind: str = "", status: str = "", issuer_id: int | None = None,
                name_group: str = "", city_wide: str = "", date_from: dt.date | None = None,
                date_to: dt.date | None = None, issued_only: bool = False, mine: bool = False) -> QuerySet[Demand]:
    qs = demands_visible(actor).select_related("issuing_unit")
    if mine:
        qs = qs.filter(filed_by=actor)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(control_number__icontains=q.upper()))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if issued_only:
        qs = qs.filter(status__in=ISSUED)
    if issuer_id:
        qs = qs.filter(issuing_unit_id=issuer_id)
    if name_group == "city":
        qs = qs.filter(issued_in_name__in=CITY_NAMES)
    elif name_group:
        qs = qs.filter(issued_in_name=name_group)
    if city_wide in ("1", "0"):
        qs = qs.filter(city_wide=city_wide == "1")
    if date_from:
        qs = qs.filter(occurs_on__gte=date_from)
    if date_to:
        qs = qs.filter(occurs_on__lte=date_to)
    return qs.order_by("-occurs_on", "-pk")


def review_queue(*, actor: Person) -> QuerySet[Demand]:
    return demands_visible(actor).filter(status=Status.CHECKED).select_related(
        "issuing_unit", "current_revision").order_by("occurs_on", "pk")


def demands_on_units(*, actor: Person, unit: Unit | None = None, include_expired: bool = False) -> QuerySet[Demand]:
    """What is placed on the person's units (or one of them): the page "demands on us"."""
    scope = scope_for(actor)
    if unit is not None:
        paths = (unit.path,)
    elif scope.everything:
        paths = tuple(u.path for u in Unit.objects.filter(parent__isnull=True))
    else:
        paths = scope.read_paths
    direct = Q()
    for p in paths:
        direct |= Q(unit__path__startswith=p)
    targets = Target.objects.filter(direct | Q(include_below=True, unit_id__in=_ancestor_ids(paths)))
    statuses = [Status.IN_FORCE, Status.APPROVED] + ([Status.EXPIRED] if include_expired else [])
    return Demand.objects.filter(pk__in=targets.values("demand_id"), status__in=statuses).select_related(
        "issuing_unit").order_by("valid_until", "pk")


@dataclass(frozen=True)
class Verification:
    # valid, expired, withdrawn: the number is addressed to (or issued by) the reader's units, or the reader
    # sees the whole city; not_yours: registered, but not for the reader's units (no title, issuer or state);
    # unknown; malformed
    result: str
    number: str
    demand: Demand | None = None
    targets_viewer: bool = False
    # A valid number whose validity starts later: issued, so the unit prepares for it; due from that day.
    takes_effect_on: dt.date | None = None

    @property
    def in_force(self) -> bool:
        return self.result == "valid" and self.takes_effect_on is None

    @property
    def reportable(self) -> bool:
        """Only a demand without a valid number (for the reader's units) may be reported as unregistered."""
        return self.result != "valid"


def _verify_throttle(actor: Person) -> None:
    """Control numbers are sequential with a computable check character, so walking them must be slow: a
    person gets JIANFU_VERIFY_PER_MINUTE look-ups a minute, and JIANFU_VERIFY_MISSES_PER_HOUR answers an hour
    that are not theirs (unknown, not addressed to them, malformed)."""
    from django.conf import settings

    from jianfu.core.errors import TooManyRequests
    from jianfu.core.throttle import throttle_hit, throttle_peek

    key = f"verify:{getattr(actor, 'pk', None)}"
    wait = throttle_hit(key, limit=settings.JIANFU_VERIFY_PER_MINUTE, window=60)
    if wait is None and throttle_peek(f"{key}:miss", window=3600) >= settings.JIANFU_VERIFY_MISSES_PER_HOUR:
        wait = 3600 - int(time.time() % 3600)
    if wait is not None:
        raise TooManyRequests(_("Too many control numbers checked. Wait %(seconds)d seconds and try again.")
                              % {"seconds": wait}, retry_after=wait)


def control_number_verify(*, actor: Person, raw: str, on: dt.date) -> Verification:
    """What a number means to this reader. Outside the reader's scope it says only that the number is registered
    for other units (decision: docs/decisions/0015-lookups-outside-scope.md); look-ups are slowed."""
    everything = scope_for(actor).everything
    if not everything:
        _verify_throttle(actor)
    result = _verify(actor=actor, raw=raw, on=on, everything=everything)
    if not everything and result.result in ("unknown", "not_yours", "malformed"):
        from jianfu.core.throttle import throttle_hit

        throttle_hit(f"verify:{getattr(actor, 'pk', None)}:miss", limit=10**9, window=3600)
    return result


def _verify(*, actor: Person, raw: str, on: dt.date, everything: bool) -> Verification:
    number = normalise_number(raw)
    if number is None:
        return Verification("malformed", (raw or "").strip()[:60])
    demand = Demand.objects.select_related("issuing_unit").filter(control_number=number).first()
    if demand is None:
        return Verification("unknown", number)
    if not everything and not demands_visible(actor).filter(pk=demand.pk).exists():
        return Verification("not_yours", number)
    mine = demands_on_units(actor=actor, include_expired=True).filter(pk=demand.pk).exists()
    if demand.status == Status.WITHDRAWN:
        return Verification("withdrawn", number, demand, mine)
    if demand.status == Status.EXPIRED or (demand.valid_until and demand.valid_until < on):
        return Verification("expired", number, demand, mine)
    if demand.valid_from and demand.valid_from > on:
        return Verification("valid", number, demand, mine, takes_effect_on=demand.valid_from)
    return Verification("valid", number, demand, mine)


# --- Figures -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def previous_year(self) -> Period:
        def back(d: dt.date) -> dt.date:
            try:
                return d.replace(year=d.year - 1)
            except ValueError:  # 29 February
                return d.replace(year=d.year - 1, day=28)
        return Period(back(self.start), back(self.end))


def change_percent(current: int, previous: int) -> float | None:
    if not previous:
        return None
    return round((current - previous) * 100.0 / previous, 1)


GROUPINGS = ("issued_in_name", "issuing_unit", "document_kind", "month")


def _figures_base(*, actor: Person, kind: str, name_group: str = "", city_wide: str = "") -> QuerySet[Demand]:
    base = demands_visible(actor) if not scope_for(actor).everything else Demand.objects.all()
    base = base.filter(kind=kind, status__in=ISSUED)
    if name_group == "city":
        base = base.filter(issued_in_name__in=CITY_NAMES)
    elif name_group:
        base = base.filter(issued_in_name=name_group)
    if city_wide in ("1", "0"):
        base = base.filter(city_wide=city_wide == "1")
    return base


def figures_default_period(*, actor: Person, kind: str, name_group: str = "", city_wide: str = "",
                           today: dt.date) -> DefaultPeriod:
    """The latest period of the figures that has data, comparable with the year before when one is."""
    base = _figures_base(actor=actor, kind=kind, name_group=name_group, city_wide=city_wide)
    return latest_period(
        latest_on_or_before=lambda day: base.filter(occurs_on__lte=day).order_by("-occurs_on").values_list(
            "occurs_on", flat=True).first(),
        exists_between=lambda a, b: base.filter(occurs_on__range=(a, b)).exists(), today=today)


def figures(*, actor: Person, kind: str, period: Period, group_by: str = "issued_in_name",
            name_group: str = "", city_wide: str = "") -> dict:
    """Counts of issued filings of one kind in a period and the same period a year before, grouped."""
    base = _figures_base(actor=actor, kind=kind, name_group=name_group, city_wide=city_wide)
    previous = period.previous_year()
    in_now = Q(occurs_on__range=(period.start, period.end))
    in_then = Q(occurs_on__range=(previous.start, previous.end))
    both = base.filter(in_now | in_then)
    # One grouped query counts both periods (FILTER clauses), instead of one query per period and total.
    if group_by == "month":
        grouped = both.annotate(key=ExtractMonth("occurs_on")).values("key")
        labels = {m: f"{m}" for m in range(period.start.month, period.end.month + 1)} if (
            period.start.year == period.end.year) else {}
    else:
        field = {"issuing_unit": "issuing_unit_id"}.get(group_by, group_by)
        grouped = both.annotate(key=F(field)).values("key")
        labels = {}
    grouped = grouped.annotate(now=Count("pk", filter=in_now), then=Count("pk", filter=in_then)).order_by()
    # Kept for a minute when the two periods hold many filings (the home tile and the page read the same counts).
    counted = kept("demands.figures", grouped, (),
                   lambda: {r["key"]: (r["now"], r["then"]) for r in grouped},
                   lambda c: sum(n + t for n, t in c.values()))
    total_now = sum(n for n, _ in counted.values())
    total_then = sum(t for _, t in counted.values())
    keys = list(dict.fromkeys([*labels, *counted]))
    rows = [{"key": k, "now": counted.get(k, (0, 0))[0], "then": counted.get(k, (0, 0))[1],
             "change": change_percent(*counted.get(k, (0, 0)))} for k in keys]
    rows.sort(key=lambda r: (-r["now"], str(r["key"])))
    if group_by == "month":
        rows.sort(key=lambda r: r["key"])
    return {"total_now": total_now, "total_then": total_then,
            "change": change_percent(total_now, total_then), "rows": rows, "period": period,
            "previous": previous}


def figure_group_labels(group_by: str, keys: list) -> dict:
    """What each row of the figures is called, in the reader's language, for the grouping chosen."""
    if group_by == "issued_in_name":
        return {k: IssuedInName(k).label if k in IssuedInName.values else _("(not set)") for k in keys}
    if group_by == "document_kind":
        return {k: DocumentKind(k).label if k in DocumentKind.values else _("(not set)") for k in keys}
    if group_by == "issuing_unit":
        return dict(Unit.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
    if group_by == "month":
        return {k: _("Month %(m)s") % {"m": k} for k in keys}
    return {}
