"""What the organisation app plugs into the site: its menu entries, a card and two search sources."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jianfu.core.demo import demo_loader_register
from jianfu.core.home import Action, CardContent, HomeCard, Tile, home_card_register, page_url
from jianfu.core.menus import MenuEntry, menu_register
from jianfu.core.search import SearchHit, SearchSource, search_source_register

from . import jobs as J
from . import selectors
from .permissions import Perm
from .scoping import has_perm

ORG_READERS = J.for_jobs(J.ADMIN, J.TASK_FORCE, J.OVERSIGHT, J.LEADER)

ENTRIES = [
    MenuEntry("units", _("Units"), "org:unit_list", "organisation", 51,
              J.for_jobs(J.ADMIN, J.TASK_FORCE, J.OVERSIGHT, J.LEADER, J.DEPARTMENT, J.COUNTY, J.TOWNSHIP)),
    MenuEntry("people", _("People"), "org:person_list", "organisation", 52,
              J.for_jobs(J.ADMIN, J.TASK_FORCE, J.OVERSIGHT)),
    MenuEntry("taskforce", _("Task force"), "org:task_force", "organisation", 53, ORG_READERS),
    MenuEntry("liaisons", _("Liaisons"), "org:liaison_list", "organisation", 54, J.for_jobs(J.ADMIN, J.TASK_FORCE)),
    MenuEntry("roles", _("Roles"), "org:role_list", "organisation", 55, J.for_jobs(J.ADMIN, J.TASK_FORCE)),
    MenuEntry("imports", _("Imports"), "org:import_list", "organisation", 56, J.with_perm(Perm.ORG_MANAGE)),
]


def _organisation(person) -> CardContent | None:
    if not J.jobs(person) & {J.ADMIN, J.TASK_FORCE}:
        return None
    missing = selectors.liaison_list(actor=person, missing=True).count()
    actions = [Action(_("Task force, groups and seconded members"), reverse("org:task_force")),
               Action(_("Who holds which role"), reverse("org:role_list"))]
    if has_perm(person, Perm.ORG_MANAGE):
        actions.append(Action(_("Import units and people from a spreadsheet"), reverse("org:import_list")))
    return CardContent(
        title=_("Campaign organisation"), actions=actions,
        tiles=[Tile(_("Units without a liaison"), missing, reverse("org:liaison_list") + "?missing=1",
                    attention=True)])


def _units(person, q: str):
    return selectors.unit_list(actor=person, q=q)


def _people(person, q: str):
    if not J.jobs(person) & {J.ADMIN, J.TASK_FORCE, J.OVERSIGHT, J.DEPARTMENT, J.COUNTY, J.TOWNSHIP}:
        return None
    return selectors.person_list(actor=person, q=q)


def _demo(context: dict) -> None:
    from .demo import org_demo_load

    org_demo_load(context)


def register() -> None:
    demo_loader_register("org", order=10, load=_demo)
    menu_register(*ENTRIES)
    home_card_register(HomeCard("organisation", 40, _organisation))
    search_source_register(
        SearchSource("units", _("Units"), 20, _units,
                     lambda u: SearchHit(u.name, u.get_absolute_url(), f"{u.get_type_display()} · {u.code}"),
                     lambda q: page_url("org:unit_list", q=q)),
        SearchSource("people", _("People"), 30, _people,
                     lambda p: SearchHit(p.name, p.get_absolute_url(), p.title),
                     lambda q: page_url("org:person_list", q=q)),
    )
