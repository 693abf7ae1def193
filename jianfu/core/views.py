"""Home pages by role, health, background jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from jianfu.core.pagination import paginate
from jianfu.core.views_helpers import flash_success, require_perm
from jianfu.org import selectors as org_selectors
from jianfu.org.models import Role
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, scope_for

from .models import ScheduledJob, TaskAttempt
from .worker import task_retry_now

ROLE_ORDER = [Role.SYSTEM_ADMIN, Role.TASK_FORCE_OFFICER, Role.OVERSIGHT_OFFICER, Role.LEADER,
              Role.DEPARTMENT_CLERK, Role.GRASSROOTS_CADRE]


def primary_role(person) -> str | None:
    roles = {m.role for m in person.active_memberships}
    if person.is_superuser:
        return Role.SYSTEM_ADMIN
    for role in ROLE_ORDER:
        if role in roles:
            return role
    return None


@login_required
def home(request):
    person = request.user
    role = primary_role(person)
    scope = scope_for(person)
    context = {
        "role": role,
        "role_label": Role(role).label if role else _("No role yet"),
        "memberships": person.active_memberships,
        "type_counts": org_selectors.unit_type_counts(actor=person),
        "roots": org_selectors.unit_roots(actor=person),
        "missing_liaisons": org_selectors.liaison_list(actor=person, missing=True).count(),
        "read_only": scope.read_only,
    }
    context["registry"] = _registry_summary(person)
    if has_perm(person, Perm.TASKS_VIEW):
        context["failed_jobs"] = TaskAttempt.objects.filter(gave_up=True, acknowledged=False).count()
    template = {
        Role.SYSTEM_ADMIN: "home/admin.html",
        Role.TASK_FORCE_OFFICER: "home/task_force.html",
        Role.OVERSIGHT_OFFICER: "home/task_force.html",
        Role.LEADER: "home/leader.html",
        Role.DEPARTMENT_CLERK: "home/unit.html",
        Role.GRASSROOTS_CADRE: "home/unit.html",
    }.get(role, "home/unit.html")
    return render(request, template, context)


def _registry_summary(person) -> list[dict]:
    """The registry numbers each role acts on, each linking to the rows behind it."""
    from django.urls import reverse

    from jianfu.demands import selectors as demand_selectors
    from jianfu.demands.models import Status, UnregisteredReport
    from jianfu.org.scoping import units_visible

    rows = [{"label": _("Registered demands in force on your units"),
             "n": demand_selectors.demands_on_units(actor=person).count(), "url": reverse("demands:on_us")}]
    if has_perm(person, Perm.DEMAND_FILE):
        mine = demand_selectors.demand_list(actor=person).filter(filed_by=person)
        rows.append({"label": _("Your drafts"), "n": mine.filter(status=Status.DRAFT).count(),
                     "url": reverse("demands:list") + "?status=draft"})
        rows.append({"label": _("Your filings returned for changes"), "n": mine.filter(status=Status.RETURNED).count(),
                     "url": reverse("demands:list") + "?status=returned"})
    if has_perm(person, Perm.DEMAND_REVIEW):
        rows.append({"label": _("Filings awaiting review"),
                     "n": demand_selectors.review_queue(actor=person).count(), "url": reverse("demands:review_queue")})
    if has_perm(person, Perm.DEMAND_REVIEW):
        from jianfu.burden.selectors import ledger
        from jianfu.demands.models import Kind

        waiting = demand_selectors.review_queue(actor=person).filter(
            kind=Kind.INSPECTION, plan_item__isnull=True, one_off_approval__isnull=True)
        rows.append({"label": _("Inspections outside the plan without a one-off approval"), "n": waiting.count(),
                     "url": reverse("demands:list") + "?kind=inspection&status=checked"})
        year = timezone.localdate().year
        rows.append({"label": _("Issuing units over their burden budget this year"),
                     "n": sum(1 for r in ledger(actor=person, year=year) if r.over > 0),
                     "url": reverse("burden:ledger") + f"?year={year}"})
    if not scope_for(person).everything:
        from jianfu.burden.selectors import links_visible

        year = timezone.localdate().year
        minutes = links_visible(person).filter(unit__in=units_visible(person), occurs_on__year=year).aggregate(
            m=Sum("minutes"))["m"] or 0
        if minutes:
            rows.append({"label": _("Burden hours placed on your units this year"), "n": round(minutes / 60, 1),
                         "url": reverse("burden:on_unit") + f"?year={year}"})
    if has_perm(person, Perm.DEMAND_VERIFY):
        rows.append({"label": _("New unregistered-demand reports"),
                     "n": UnregisteredReport.objects.filter(unit__in=units_visible(person),
                                                            status=UnregisteredReport.Status.NEW).count(),
                     "url": reverse("demands:unregistered_list")})
    return rows


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    response = render(request, "404.html", status=404)
    response.jianfu_page = True  # ProductNotFoundMiddleware leaves it alone
    return response


@login_required
@require_perm(Perm.TASKS_VIEW)
def jobs(request):
    failed = TaskAttempt.objects.filter(gave_up=True).order_by("acknowledged", "-updated_at")
    page, query = paginate(request, failed, default_size=25)
    recent = DBTaskResult.objects.order_by("-enqueued_at").only(
        "id", "status", "task_path", "enqueued_at", "finished_at")[:20]
    return render(request, "core/jobs.html", {
        "page": page, "query": query, "schedule": ScheduledJob.objects.all(), "recent": recent})


@login_required
@require_POST
@require_perm(Perm.TASKS_VIEW)
def job_retry(request, pk: int):
    chain = get_object_or_404(TaskAttempt, pk=pk, gave_up=True)
    task_retry_now(chain=chain)
    flash_success(request, _("The task was queued again."))
    return redirect("core:jobs")


@login_required
@require_POST
@require_perm(Perm.TASKS_VIEW)
def job_acknowledge(request, pk: int):
    TaskAttempt.objects.filter(pk=pk, gave_up=True).update(acknowledged=True)
    flash_success(request, _("Marked as seen."))
    return redirect("core:jobs")
