"""Reading import jobs: the uploader sees theirs, managers who see everything see all."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import ImportJob, Person
from ..permissions import Perm
from ..scoping import get_or_404, scope_for


def import_jobs_visible(actor: Person) -> QuerySet[ImportJob]:
    scope = scope_for(actor)
    if Perm.ORG_MANAGE not in scope.perms:
        return ImportJob.objects.none()
    jobs = ImportJob.objects.select_related("created_by").order_by("-created_at", "-pk")
    if scope.everything:
        return jobs
    return jobs.filter(created_by=actor)


def import_job_get(*, actor: Person, pk: int) -> ImportJob:
    return get_or_404(import_jobs_visible(actor), pk=pk)
