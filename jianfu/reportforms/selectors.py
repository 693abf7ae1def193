"""Reads of report forms, the field dictionary and the report-material figures, scoped by the acting person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from jianfu.core.periods import COMPARED, LATEST, NONE, DefaultPeriod
from jianfu.demands.models import Demand, Kind, Status
from jianfu.demands.selectors import demands_visible
from jianfu.org.models import Person, Unit, UnitType
from jianfu.org.scoping import get_or_404, units_visible
from jianfu.rules.selectors import ruleset_for

from .models import MATERIAL_CUT, FieldDefinition, FormProfile, MaterialBaseline, MaterialType

# Registered forms that count as materials the department placed on the grassroots.
COUNTED = (Status.APPROVED, Status.IN_FORCE, Status.EXPIRED)


# --- the field dictionary: everyone logged in reads it -----------------------------------------------------

def field_list(*, q: str = "", active: str = "", proposed: str = "", holder_id: int | None = None
               ) -> QuerySet[FieldDefinition]:
    qs = FieldDefinition.objects.select_related("holder").annotate(forms=Count("form_fields"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(definition__icontains=q) | Q(aliases__icontains=q)
                       | Q(notes__icontains=q))
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    if proposed in ("1", "0"):
        qs = qs.filter(proposed=proposed == "1")
    if holder_id:
        qs = qs.filter(holder_id=holder_id)
    return qs.order_by("name", "pk")


def field_get(*, pk: int) -> FieldDefinition:
    return get_or_404(FieldDefinition.objects.select_related("holder", "proposed_by"), pk=pk)


def forms_collecting(*, actor: Person, field: FieldDefinition) -> QuerySet[Demand]:
    """The report forms the reader may see that ask for this field."""
    return demands_visible(actor).filter(kind=Kind.REPORT_FORM, form_fields__field=field).select_related(
        "issuing_unit").order_by("-occurs_on", "-pk").distinct()


# --- report forms ------------------------------------------------------------------------------------------

def _in_year(year: int, prefix: str = "") -> Q:
    """A form counts in a year when its validity (or, for ledger rows, its date) overlaps the year."""
    return Q(**{f"{prefix}start__lte": dt.date(year, 12, 31), f"{prefix}end__gte": dt.date(year, 1, 1)})


def _with_span(qs: QuerySet, prefix: str = "") -> QuerySet:
    return qs.annotate(start=Coalesce(f"{prefix}valid_from", f"{prefix}occurs_on"),
                       end=Coalesce(f"{prefix}valid_until", f"{prefix}occurs_on"))


def report_form_list(*, actor: Person, q: str = "", status: str = "", material_type: str = "",
                     frequency: str = "", issuer_id: int | None = None, year: int | None = None,
                     counted_only: bool = False) -> QuerySet[Demand]:
    qs = demands_visible(actor).filter(kind=Kind.REPORT_FORM).select_related("issuing_unit", "form_profile")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(control_number__icontains=q.upper()))
    if status:
        qs = qs.filter(status=status)
    if counted_only:
        qs = qs.filter(status__in=COUNTED)
    if material_type:
        qs = qs.filter(form_profile__material_type=material_type)
    if frequency:
        qs = qs.filter(form_profile__frequency=frequency)
    if issuer_id:
        qs = qs.filter(issuing_unit_id=issuer_id)
    if year:
        qs = _with_span(qs).filter(_in_year(year))
    return qs.order_by("-occurs_on", "-pk")


def report_form_get(*, actor: Person, pk: int) -> Demand:
    return get_or_404(demands_visible(actor).filter(kind=Kind.REPORT_FORM).select_related(
        "issuing_unit", "current_revision"), pk=pk)


# --- report materials against the baseline -----------------------------------------------------------------

def material_counts(*, year: int, unit_ids: list[int] | None = None, exclude_demand_id: int | None = None
                    ) -> dict[int, dict[str, int]]:
    """Registered report forms counting in `year`, per issuing unit and material type; a recurring form
    (monthly, quarterly …) counts once."""
    qs = _with_span(FormProfile.objects.filter(demand__kind=Kind.REPORT_FORM, demand__status__in=COUNTED),
                    "demand__").filter(_in_year(year))
    if unit_ids is not None:
        qs = qs.filter(demand__issuing_unit_id__in=unit_ids)
    if exclude_demand_id is not None:
        qs = qs.exclude(demand_id=exclude_demand_id)
    out: dict[int, dict[str, int]] = {}
    for row in qs.values("demand__issuing_unit_id", "material_type").annotate(n=Count("demand_id")).order_by():
        out.setdefault(row["demand__issuing_unit_id"], {})[row["material_type"]] = row["n"]
    return out


def baseline_for(*, unit: Unit, year: int) -> MaterialBaseline | None:
    """The unit's latest baseline from before `year`."""
    return MaterialBaseline.objects.filter(unit=unit, year__lt=year).order_by("-year").first()


def baselines_visible(*, actor: Person, unit_id: int | None = None) -> QuerySet[MaterialBaseline]:
    qs = MaterialBaseline.objects.filter(unit__in=units_visible(actor)).select_related("unit", "set_by")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("unit__path", "-year")


def change_percent(before: int, now: int) -> float | None:
    """The cut as a percentage of the baseline (positive when materials fell)."""
    if not before:
        return None
    return round((before - now) * 100.0 / before, 1)


@dataclass
class MaterialsRow:
    unit: Unit
    baseline: MaterialBaseline | None
    now: dict[str, int] = field(default_factory=dict)
    target: int | None = None

    @property
    def now_total(self) -> int:
        return sum(self.now.values())

    @property
    def measurable(self) -> bool:
        """A cut is measured only against a baseline and with forms registered in the year: registering
        nothing is no data, never a 100% cut."""
        return bool(self.baseline and self.baseline.total and self.now_total)

    @property
    def cut(self) -> float | None:
        return change_percent(self.baseline.total, self.now_total) if self.measurable else None

    @property
    def meets(self) -> bool | None:
        if self.cut is None or self.target is None:
            return None
        return self.cut >= self.target

    def by_type(self) -> list[tuple[str, int | None, int]]:
        return [(t, self.baseline.count_of(t) if self.baseline else None, self.now.get(t, 0))
                for t in MaterialType.values]


def materials_default_year(*, actor: Person, today: dt.date) -> DefaultPeriod:
    """The latest year up to today with report forms the reader's departments registered."""
    forms = FormProfile.objects.filter(demand__kind=Kind.REPORT_FORM, demand__status__in=COUNTED,
                                       demand__issuing_unit__in=units_visible(actor).filter(
                                           type=UnitType.DEPARTMENT))
    day = forms.filter(demand__occurs_on__lte=today).order_by("-demand__occurs_on").values_list(
        "demand__occurs_on", flat=True).first()
    if day is None:
        return DefaultPeriod(today.year, 12, NONE)
    compared = MaterialBaseline.objects.filter(unit__in=units_visible(actor), year__lt=day.year).exists()
    return DefaultPeriod(day.year, 12, COMPARED if compared else LATEST)


def materials_figures(*, actor: Person, year: int, unit_id: int | None = None, short_only: bool = False
                      ) -> list[MaterialsRow]:
    """Each department the reader may see: its baseline, its count in `year`, the cut and the target."""
    departments = units_visible(actor).filter(type=UnitType.DEPARTMENT)
    if unit_id:
        departments = departments.filter(pk=unit_id)
    departments = list(departments.order_by("code"))
    ids = [u.pk for u in departments]
    counts = material_counts(year=year, unit_ids=ids)
    baselines: dict[int, MaterialBaseline] = {}
    for b in MaterialBaseline.objects.filter(unit_id__in=ids, year__lt=year).order_by("unit_id", "-year"):
        baselines.setdefault(b.unit_id, b)
    # The rule in force at the end of the year, or today for the current year.
    on = min(dt.date(year, 12, 31), timezone.localdate())
    rows = []
    for unit in departments:
        if unit.pk not in baselines and unit.pk not in counts:
            continue
        target = ruleset_for(unit=unit, on=on).value(MATERIAL_CUT) if unit.pk in baselines else None
        rows.append(MaterialsRow(unit=unit, baseline=baselines.get(unit.pk), now=counts.get(unit.pk, {}),
                                 target=int(target) if target is not None else None))
    if short_only:
        rows = [r for r in rows if r.meets is False]
    return rows
