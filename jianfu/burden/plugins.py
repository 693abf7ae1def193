"""What burden hours plug into the site: menu entries and home-page tiles, each computed by the selector of
the page it opens, with the same parameters."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.core.demo import demo_loader_register
from jianfu.core.home import CardPart, Part, Tile, home_part_register, page_url
from jianfu.core.menus import MenuEntry, menu_register
from jianfu.org import jobs as J
from jianfu.org.models import UnitType

from . import selectors

ENTRIES = [
    MenuEntry("burden", _("Burden hours"), "burden:overview", "figures", 32,
              J.for_jobs(J.CAMPAIGN, J.DEPARTMENT, J.COUNTY)),
    MenuEntry("burden_on_unit", _("Burden on our unit"), "burden:on_unit", J.grassroots_top("figures"), 5,
              J.for_jobs(J.GRASSROOTS)),
    MenuEntry("ledger", _("One in, one out"), "burden:ledger", "figures", 33, J.for_jobs(J.CAMPAIGN, J.DEPARTMENT)),
]

RECEIVING = (UnitType.COUNTY, UnitType.TOWNSHIP, UnitType.VILLAGE)


def _on_my_units(person) -> Part | None:
    """For each unit the cadre belongs to: the hours placed on that unit alone this year."""
    if not J.jobs(person) & J.GRASSROOTS:
        return None
    year = timezone.localdate().year
    tiles = []
    for m in person.active_memberships:
        if m.unit.type not in RECEIVING or not m.unit.active:
            continue
        total = selectors.burden_on_unit(unit=m.unit, year=year).total_now
        tiles.append(Tile(gettext("burden hours placed on %(unit)s in %(year)s") % {"unit": m.unit.name, "year": year},
                          total, page_url("burden:on_unit", unit=m.unit.pk, year=year)))
    return Part(tiles=tiles)


def _campaign(person) -> Part | None:
    default = selectors.burden_default_period(actor=person, today=timezone.localdate())
    result = selectors.burden_overview(actor=person, year=default.year)
    label = gettext("burden hours placed on the grassroots in %(year)s") % {"year": default.year}
    if result.change is not None:
        label = gettext("%(label)s (%(change)+.1f%% on the year before)") % {"label": label, "change": result.change}
    return Part(tiles=[Tile(label, result.total_now, page_url("burden:overview", year=default.year))])


def _over_budget(person) -> Part | None:
    default = selectors.burden_default_period(actor=person, today=timezone.localdate())
    over = [r for r in selectors.ledger(actor=person, year=default.year) if r.over > 0]
    return Part(tiles=[Tile(gettext("issuing units over their burden budget in %(year)s") % {"year": default.year},
                            len(over), page_url("burden:ledger", year=default.year, over=1), attention=True)])


def _demo(context: dict) -> None:
    from .demo import burden_demo_load

    burden_demo_load(people=context["people"], units=context["units"])


def _estimate(demand, by) -> None:
    from .services import burden_refresh

    burden_refresh(demand=demand, by=by)


def _links(demand, by) -> None:
    from .services import burden_links_sync

    burden_links_sync(demand=demand)


def _panel(demand, person):
    from .views import demand_panel

    return demand_panel(demand, person)


def register() -> None:
    from jianfu.demands.hooks import FILED, REVISED, STATUS_CHANGED, hook_register
    from jianfu.demands.panels import detail_panel_register

    # Every demand's burden is estimated from its facts when it enters the registry or changes, and its
    # links to the units it falls on follow its status (only issued demands have them).
    hook_register(FILED, "burden.estimate", _estimate, order=50)
    hook_register(REVISED, "burden.estimate", _estimate, order=50)
    hook_register(STATUS_CHANGED, "burden.links", _links, order=50)
    detail_panel_register("burden", template="burden/_demand_panel.html", context=_panel, order=50)
    demo_loader_register("burden", order=50, load=_demo)
    from jianfu.demands.kinds import form_panel_register

    form_panel_register("burden:preview")
    menu_register(*ENTRIES)
    home_part_register(
        CardPart("grassroots", "burden", 20, _on_my_units),
        CardPart("campaign", "burden", 20, _campaign),
        CardPart("review", "burden", 30, _over_budget),
        CardPart("oversight", "burden", 30, _over_budget),
    )
