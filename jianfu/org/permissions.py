"""Every permission code in one place, and which roles hold it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Role


class Perm(models.TextChoices):
    ORG_MANAGE = "org.manage", _("Create and edit units and people; import spreadsheets")
    LIAISON_SET = "org.liaison_set", _("Name a unit's liaison")
    AUDIT_VIEW = "audit.view", _("Read the audit log")
    TASKS_VIEW = "core.tasks_view", _("See background jobs and failures")
    API_TOKENS = "api.tokens", _("Create personal API tokens")
    RULES_EDIT = "rules.edit", _("Edit the rulebook")
    LISTS_EDIT = "demands.lists_edit", _("Keep and approve the 5 lists")
    DEMAND_FILE = "demands.file", _("File documents, meetings and other demands")
    DEMAND_REVIEW = "demands.review", _("Review filings and issue control numbers")
    DEMAND_VERIFY = "demands.verify", _("Verify control numbers and report unregistered demands")
    REPORTS_HANDLE = "demands.reports_handle", _("Accept, route, answer and close unregistered-demand reports")
    INSPECTION_PLANS = "inspections.plans", _("Draw up, merge and approve the annual inspection plans")
    INSPECTION_ONE_OFF = "inspections.one_off", _("Record the one-off approval of an inspection outside the plan")
    BURDEN_RE_ESTIMATE = "burden.re_estimate", _("Correct the burden estimate of any demand")
    BURDEN_BUDGET = "burden.budget_set", _("Set units' yearly burden budgets")
    REPORT_BASELINE = "reportforms.baseline_set", _("Set departments' report-material baselines")
    FIELD_DICTIONARY = "reportforms.dictionary_edit", _("Keep the field dictionary")


ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(Perm.values),
    Role.TASK_FORCE_OFFICER: frozenset(
        {Perm.ORG_MANAGE, Perm.LIAISON_SET, Perm.AUDIT_VIEW, Perm.API_TOKENS, Perm.RULES_EDIT,
         Perm.DEMAND_REVIEW, Perm.DEMAND_VERIFY, Perm.LISTS_EDIT, Perm.REPORTS_HANDLE, Perm.INSPECTION_PLANS,
         Perm.INSPECTION_ONE_OFF, Perm.BURDEN_RE_ESTIMATE, Perm.BURDEN_BUDGET, Perm.REPORT_BASELINE,
         Perm.FIELD_DICTIONARY}),
    Role.OVERSIGHT_OFFICER: frozenset({Perm.AUDIT_VIEW, Perm.API_TOKENS, Perm.DEMAND_VERIFY}),
    Role.DEPARTMENT_CLERK: frozenset({Perm.LIAISON_SET, Perm.API_TOKENS, Perm.DEMAND_FILE, Perm.DEMAND_VERIFY}),
    Role.GRASSROOTS_CADRE: frozenset({Perm.LIAISON_SET, Perm.API_TOKENS, Perm.DEMAND_FILE, Perm.DEMAND_VERIFY}),
    Role.LEADER: frozenset({Perm.API_TOKENS, Perm.DEMAND_VERIFY}),
}

# Roles that see the whole campaign area rather than their own units' subtrees.
CAMPAIGN_WIDE_ROLES = frozenset({Role.TASK_FORCE_OFFICER, Role.OVERSIGHT_OFFICER, Role.SYSTEM_ADMIN})
# Roles that read but never change anything.
READ_ONLY_ROLES = frozenset({Role.LEADER})
