"""The pages of one's exports: the job with its progress bar, the download, the list of recent ones."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from .exports import KEEP_FOR, XLSX, export_file, export_label
from .models import ExportJob
from .pagination import paginate


def _job_for(request, pk: int) -> ExportJob:
    """One's own export; anyone else's, whoever they are, does not exist for them."""
    job = ExportJob.objects.filter(pk=pk, person=request.user).first()
    if job is None:
        raise Http404
    return job


def _context(job: ExportJob) -> dict:
    return {"job": job, "label": export_label(job.name),
            "expires_at": job.finished_at + KEEP_FOR if job.finished_at else None}


@login_required
def export_list(request):
    page, query = paginate(request, ExportJob.objects.filter(person=request.user), default_size=25)
    rows = [_context(job) for job in page]
    return render(request, "core/exports/list.html", {"page": page, "query": query, "rows": rows})


@login_required
def export_detail(request, pk: int):
    return render(request, "core/exports/detail.html", _context(_job_for(request, pk)))


@login_required
def export_progress(request, pk: int):
    """The fragment htmx polls every second while the job waits or runs; it stops polling when done."""
    return render(request, "core/exports/_progress.html", _context(_job_for(request, pk)))


@login_required
def export_download(request, pk: int):
    job = _job_for(request, pk)
    path = export_file(job)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX)
