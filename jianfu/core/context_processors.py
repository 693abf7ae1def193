"""Navigation entries by role, computed once per request."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jianfu.org.permissions import Perm
from jianfu.org.scoping import scope_for

# Menus of the top bar: a reader finds a page by what it is about; a menu of one entry is a plain link.
NAV_GROUPS = [
    (None, ("home",)),
    (_("Registry"), ("demands", "review", "on_us", "verify", "inspections", "reportforms", "lists")),
    (_("Figures"), ("figures", "burden", "ledger")),
    (None, ("rules",)),
    (_("Organisation"), ("units", "people", "taskforce", "liaisons", "roles", "imports")),
    (_("System"), ("audit", "jobs", "tokens")),
]


def _groups(items: list[dict], path: str) -> list[dict]:
    by_key = {item["key"]: item for item in items}
    groups = []
    for label, keys in NAV_GROUPS:
        members = [by_key[k] for k in keys if k in by_key]
        if not members:
            continue
        current = any(path == m["url"] or (m["url"] != "/" and path.startswith(m["url"])) for m in members)
        if label is None or len(members) == 1:
            groups += [{"label": m["label"], "items": [m], "single": True, "current": path == m["url"]}
                       for m in members]
        else:
            groups.append({"label": label, "items": members, "single": False, "current": current})
    return groups


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = scope_for(user)
    items = [
        ("home", _("Home"), reverse("home")),
        ("demands", _("Filings"), reverse("demands:list")),
        ("on_us", _("Demands on us"), reverse("demands:on_us")),
    ]
    if Perm.DEMAND_REVIEW in scope.perms:
        items.append(("review", _("Awaiting review"), reverse("demands:review_queue")))
    if Perm.DEMAND_VERIFY in scope.perms:
        items.append(("verify", _("Verify a number"), reverse("demands:verify")))
    items += [
        ("figures", _("Figures"), reverse("demands:figures")),
        ("inspections", _("Inspection plans"), reverse("inspections:plans")),
        ("reportforms", _("Report forms"), reverse("reportforms:list")),
        ("lists", _("The 5 lists"), reverse("demands:five_lists")),
        ("burden", _("Burden hours"), reverse("burden:overview")),
        ("ledger", _("One in, one out"), reverse("burden:ledger")),
        ("rules", _("Rulebook"), reverse("rules:rulebook")),
        ("units", _("Units"), reverse("org:unit_list")),
        ("people", _("People"), reverse("org:person_list")),
        ("taskforce", _("Task force"), reverse("org:task_force")),
        ("liaisons", _("Liaisons"), reverse("org:liaison_list")),
        ("roles", _("Roles"), reverse("org:role_list")),
    ]
    if Perm.ORG_MANAGE in scope.perms:
        items.append(("imports", _("Imports"), reverse("org:import_list")))
    if Perm.AUDIT_VIEW in scope.perms:
        items.append(("audit", _("Audit log"), reverse("audit:list")))
    if Perm.TASKS_VIEW in scope.perms:
        items.append(("jobs", _("Background jobs"), reverse("core:jobs")))
    if Perm.API_TOKENS in scope.perms:
        items.append(("tokens", _("API tokens"), reverse("api_tokens")))
    nav_items = [{"key": k, "label": label, "url": url} for k, label, url in items]
    return {
        "nav_items": nav_items,
        "nav_groups": _groups(nav_items, request.path),
        "user_scope": scope,
        "user_read_only": scope.read_only,
    }
