"""What the inspection plans plug into the site: menu entries and home-page tiles."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.core.demo import demo_loader_register
from jianfu.core.home import CardPart, Part, Tile, home_part_register, page_url
from jianfu.core.menus import MenuEntry, menu_register
from jianfu.org import jobs as J
from jianfu.org.models import UnitType

from . import selectors
from .models import InspectionPlan

ENTRIES = [
    MenuEntry("inspections", _("Inspection plans"), "inspections:plans", "registry", 24,
              J.for_jobs(J.CAMPAIGN, J.DEPARTMENT, J.COUNTY)),
    MenuEntry("inspections_on_us", _("Inspections on our units"), "inspections:on_us", J.grassroots_top("registry"), 6,
              J.for_jobs(J.GRASSROOTS)),
]


def _on_my_units(person) -> Part | None:
    if not J.jobs(person) & J.GRASSROOTS:
        return None
    year = timezone.localdate().year
    n = selectors.items_on_units(actor=person, year=year).count()
    return Part(tiles=[Tile(gettext("inspection items planned on your units in %(year)s") % {"year": year}, n,
                            page_url("inspections:on_us", year=year))])


def _off_plan(person) -> Part | None:
    n = selectors.off_plan_filings(actor=person, waiting=True).count()
    return Part(tiles=[Tile(_("inspections outside the plan waiting for a one-off approval"), n,
                            reverse("inspections:off_plan"), attention=True)])


def _campaign(person) -> Part | None:
    year = InspectionPlan.objects.filter(status=InspectionPlan.Status.APPROVED).order_by("-year").values_list(
        "year", flat=True).first()
    if year is None:
        return None
    city = next((r for r in selectors.plan_overview(actor=person, year=year)
                 if r.unit.type == UnitType.CITY and r.plan is not None), None)
    if city is None:
        return None
    label = gettext("inspection items in the city's plan for %(year)s") % {"year": year}
    if city.previous:
        label = gettext("%(label)s (%(before)s the year before)") % {"label": label, "before": city.previous}
    return Part(tiles=[Tile(label, city.items, city.plan.get_absolute_url())])


def _demo(context: dict) -> None:
    from .demo import inspections_demo_load

    inspections_demo_load(people=context["people"], units=context["units"])


def register() -> None:
    demo_loader_register("inspections", order=30, load=_demo)
    menu_register(*ENTRIES)
    home_part_register(
        CardPart("grassroots", "inspections", 30, _on_my_units),
        CardPart("review", "inspections", 20, _off_plan),
        CardPart("oversight", "inspections", 20, _off_plan),
        CardPart("campaign", "inspections", 30, _campaign),
    )
