"""The site's own menu entries and the cards that several apps fill (the apps add their tiles to them)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jianfu.core.home import Action, CardContent, HomeCard, Tile, home_card_register
from jianfu.core.menus import MenuEntry, MenuGroup, menu_group_register, menu_register
from jianfu.core.models import ScheduledJob
from jianfu.core.scheduling import JobSpec, job_register
from jianfu.org import jobs as J
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, scope_for

# Menus of the top bar, in order; apps put their entries in them.
GROUPS = [
    MenuGroup("registry", _("Registry"), 20),
    MenuGroup("figures", _("Figures"), 30),
    MenuGroup("organisation", _("Organisation"), 50),
    MenuGroup("system", _("System"), 60),
]

ENTRIES = [
    MenuEntry("home", _("Home"), "home", None, 0, lambda p: True),
    MenuEntry("audit", _("Audit log"), "audit:list", "system", 61, J.with_perm(Perm.AUDIT_VIEW)),
    MenuEntry("jobs", _("Background jobs"), "core:jobs", "system", 62, J.with_perm(Perm.TASKS_VIEW)),
    MenuEntry("tokens", _("API tokens"), "api_tokens", "system", 63,
              J.with_perm(Perm.API_TOKENS, J.ADMIN, J.TASK_FORCE, J.DEPARTMENT, J.OVERSIGHT)),
]


def _grassroots(person) -> CardContent | None:
    if not J.jobs(person) & J.GRASSROOTS:
        return None
    return CardContent(title=_("What you do here"))


def _work(person) -> CardContent | None:
    if not (J.jobs(person) & (J.ISSUERS - {J.TASK_FORCE, J.ADMIN}) and has_perm(person, Perm.DEMAND_FILE)):
        return None
    return CardContent(title=_("Your filings"))


def _review(person) -> CardContent | None:
    if not (J.jobs(person) & {J.TASK_FORCE, J.ADMIN}):
        return None
    return CardContent(title=_("Waiting for the task force"))


def _oversight(person) -> CardContent | None:
    if J.OVERSIGHT not in J.jobs(person):
        return None
    return CardContent(title=_("Leads for oversight"),
                       note=_("Signs of formalism the registry turns up: demands without control numbers, "
                              "inspections outside the plan, units over their burden budget, departments short of "
                              "their cut in report materials."),
                       actions=[Action(_("Audit log"), reverse("audit:list"))]
                       if has_perm(person, Perm.AUDIT_VIEW) else [])


def _campaign(person) -> CardContent | None:
    if not (J.jobs(person) & J.CAMPAIGN):
        return None
    return CardContent(title=_("The campaign in figures"),
                       note=_("Each number opens the rows it counts."))


def _system(person) -> CardContent | None:
    if not has_perm(person, Perm.TASKS_VIEW):
        return None
    from jianfu.core.models import TaskAttempt

    failed = TaskAttempt.objects.filter(gave_up=True, acknowledged=False).count()
    actions = [Action(_("Background jobs"), reverse("core:jobs"))]
    if has_perm(person, Perm.AUDIT_VIEW):
        actions.append(Action(_("Audit log"), reverse("audit:list")))
    return CardContent(title=_("System"),
                       tiles=[Tile(_("Failed jobs that need attention"), failed, reverse("core:jobs"), attention=True)],
                       actions=actions, extra={"chain_check": has_perm(person, Perm.AUDIT_VIEW)})


def _inbox(person) -> CardContent | None:
    from jianfu.core.inbox import inbox_sections

    from .selectors import inbox_seen_at

    sections = [s for s in inbox_sections(person, since=inbox_seen_at(person), limit=3) if s.total]
    if not sections and scope_for(person).read_only:
        return None
    return CardContent(title=_("Inbox"), actions=[Action(_("Open the inbox"), reverse("site:inbox"))],
                       extra={"sections": sections})


CARDS = [
    HomeCard("grassroots", 10, _grassroots),
    HomeCard("work", 11, _work),
    HomeCard("review", 12, _review),
    HomeCard("oversight", 13, _oversight),
    HomeCard("inbox", 20, _inbox, template="home/_inbox.html"),
    HomeCard("campaign", 30, _campaign),
    HomeCard("system", 90, _system, template="home/_system.html"),
]


def register() -> None:
    menu_group_register(*GROUPS)
    menu_register(*ENTRIES)
    home_card_register(*CARDS)
    job_register(JobSpec("inbox-digest", "jianfu.site.tasks.inbox_digests_daily", ScheduledJob.Every.DAY,
                         dt.time(7, 30), label=_("E-mail each person the digest of their inbox")))
