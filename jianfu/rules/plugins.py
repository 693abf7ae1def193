"""What the rulebook plugs into the site: its menu entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianfu.core.menus import MenuEntry, menu_register
from jianfu.org import jobs as J


def register() -> None:
    menu_register(MenuEntry("rules", _("Rulebook"), "rules:rulebook", J.grassroots_top("registry"), 28,
                            J.for_jobs(J.CAMPAIGN, J.DEPARTMENT, J.COUNTY, J.TOWNSHIP)))
