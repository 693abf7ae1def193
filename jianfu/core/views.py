"""Health, the product's own error pages, background jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from jianfu.core.pagination import paginate
from jianfu.core.views_helpers import flash_success, require_perm

from .models import ScheduledJob, TaskAttempt
from .scheduling import job_label, task_label
from .worker import task_retry_now, worker_status

# The permission's code in org.permissions.Perm; core names it by its code, as it knows no roles.
TASKS_VIEW = "core.tasks_view"


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request):
    """Browsers ask for /favicon.ico before they read the page's icon link."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)


def not_found(request, exception=None):
    response = render(request, "404.html", status=404)
    response.jianfu_page = True  # ProductNotFoundMiddleware leaves it alone
    return response


@login_required
@require_perm(TASKS_VIEW)
def jobs(request):
    failed = TaskAttempt.objects.filter(gave_up=True).order_by("acknowledged", "-updated_at")
    page, query = paginate(request, failed, default_size=25)
    recent = [(r, task_label(r.task_path)) for r in DBTaskResult.objects.order_by("-enqueued_at").only(
        "id", "status", "task_path", "enqueued_at", "finished_at")[:20]]
    schedule = [(j, job_label(j.name)) for j in ScheduledJob.objects.all()]
    failed_rows = [(t, task_label(t.task_path)) for t in page]
    workers = worker_status()
    workers["alive"] = [(b, task_label(b.running_task) if b.running_task else "") for b in workers["alive"]]
    return render(request, "core/jobs.html", {
        "page": page, "failed": failed_rows, "query": query, "schedule": schedule, "recent": recent,
        "workers": workers, "unacknowledged": TaskAttempt.objects.filter(gave_up=True, acknowledged=False).count()})


@login_required
@require_POST
@require_perm(TASKS_VIEW)
def job_retry(request, pk: int):
    chain = get_object_or_404(TaskAttempt, pk=pk, gave_up=True)
    task_retry_now(chain=chain)
    flash_success(request, _("The task was queued again."))
    return redirect("core:jobs")


@login_required
@require_POST
@require_perm(TASKS_VIEW)
def job_acknowledge(request, pk: int):
    TaskAttempt.objects.filter(pk=pk, gave_up=True).update(acknowledged=True)
    flash_success(request, _("Marked as seen."))
    return redirect("core:jobs")
