"""Navigation entries by role, computed once per request."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jianfu.org.permissions import Perm
from jianfu.org.scoping import scope_for


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
        ("burden", _("Burden hours"), reverse("burden:overview")),
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
    return {
        "nav_items": [{"key": k, "label": label, "url": url} for k, label, url in items],
        "user_scope": scope,
        "user_read_only": scope.read_only,
    }
