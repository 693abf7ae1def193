"""What report forms plug into the site: menu entries and a home-page tile for the cut in materials."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.core.demo import demo_loader_register
from jianfu.core.home import CardPart, Part, Tile, home_part_register, page_url
from jianfu.core.menus import MenuEntry, menu_register
from jianfu.org import jobs as J

from . import selectors

ENTRIES = [
    MenuEntry("reportforms", _("Report forms"), "reportforms:list", "registry", 25,
              J.for_jobs(J.CAMPAIGN, J.DEPARTMENT)),
    MenuEntry("materials", _("Report materials against baseline"), "reportforms:materials", "figures", 34,
              J.for_jobs(J.CAMPAIGN, J.DEPARTMENT)),
]


def _short(person) -> Part | None:
    year = selectors.materials_default_year(actor=person, today=timezone.localdate()).year
    short = selectors.materials_figures(actor=person, year=year, short_only=True)
    return Part(tiles=[Tile(gettext("departments short of the cut in report materials in %(year)s") % {"year": year},
                            len(short), page_url("reportforms:materials", year=year, short=1),
                            attention=True)])


def _demo(context: dict) -> None:
    from .demo import reportforms_demo_load

    reportforms_demo_load(people=context["people"], units=context["units"])


def register() -> None:
    demo_loader_register("reportforms", order=40, load=_demo)
    menu_register(*ENTRIES)
    home_part_register(CardPart("oversight", "reportforms", 40, _short),
                       CardPart("campaign", "reportforms", 40, _short))
