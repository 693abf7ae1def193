"""Import pages: upload, preview with every problem, confirm, progress. Thin over services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from jianfu.core.errors import ApplicationError
from jianfu.core.exports import export_start_response
from jianfu.core.pagination import paginate
from jianfu.core.views_helpers import flash_success, form_error_from, require_perm

from .imports import selectors
from .imports.forms import ImportUploadForm
from .imports.problems import ERROR, problem_message
from .imports.services import import_job_confirm, import_job_create, import_job_progress, max_upload_bytes
from .imports.spreadsheets import template_workbook
from .models import ImportJob
from .permissions import Perm

RUNNING = (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING)
PROBLEMS_PER_PAGE = 100


class _DropOversizedFile(FileUploadHandler):
    """Skip the files of a request whose declared length is over the limit: they are read off the wire and
    dropped, never written to disk, while the other fields (what was chosen on the form) are kept."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.oversized = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.oversized = content_length > self.limit

    def new_file(self, *args, **kwargs):
        if self.oversized:
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt  # checked by _import_list, once the upload handler is in place (before the body is read)
@login_required
@require_perm(Perm.ORG_MANAGE)
def import_list(request):
    if request.method == "POST":
        request.upload_handlers.insert(0, _DropOversizedFile(request, max_upload_bytes() + 64 * 1024))
    return _import_list(request)


@csrf_protect
def _import_list(request):
    form = ImportUploadForm()
    status = 200
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        # Refuse an oversized upload from its declared length; the form keeps the kind chosen.
        if _declared_length(request) > max_upload_bytes() + 64 * 1024:
            form.is_valid()
            form.errors.pop("file", None)  # "required": its file was dropped unread
            form.add_error("file", _("The file is larger than %(max)s MB.") % {"max": max_upload_bytes() // 1048576})
            status = 413
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_job_create(by=request.user, kind=form.cleaned_data["kind"], upload=upload,
                                        file_name=upload.name, size=upload.size)
            except ApplicationError as exc:
                form_error_from(form, exc)
                status = 413 if exc.code == "too_large" else 400
            else:
                flash_success(request, _("File uploaded; it is being checked."))
                return redirect("org:import_detail", pk=job.pk)
        else:
            status = 400
    page, query = paginate(request, selectors.import_jobs_visible(request.user), default_size=25)
    return render(request, "org/import_list.html", {
        "form": form, "page": page, "query": query, "max_mb": max_upload_bytes() // 1048576,
        "kinds": ImportJob.Kind.choices,
    }, status=status)


@login_required
@require_perm(Perm.ORG_MANAGE)
def import_template(request, kind: str):
    if kind not in ImportJob.Kind.values:
        raise Http404
    response = HttpResponse(
        template_workbook(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="jianfu-{kind}-template.xlsx"'
    return response


def _problems(job: ImportJob):
    return [p for p in job.errors if p.get("level", ERROR) == ERROR], \
        [p for p in job.errors if p.get("level", ERROR) != ERROR]


@login_required
@require_perm(Perm.ORG_MANAGE)
def import_detail(request, pk: int):
    job = selectors.import_job_get(actor=request.user, pk=pk)
    errors, warnings = _problems(job)
    paginator = Paginator(errors, PROBLEMS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    shown = [{**p, "message": problem_message(p)} for p in page.object_list]
    return render(request, "org/import_detail.html", {
        "job": job, "running": job.status in RUNNING, "progress": import_job_progress(job),
        "errors": shown, "page": page, "query": "", "error_count": len(errors),
        "warnings": [{**p, "message": problem_message(p)} for p in warnings[:200]],
        "warning_count": len(warnings),
        "unchanged": max(0, job.total_rows - job.created_count - job.updated_count),
        "can_import": job.status == ImportJob.Status.CHECKED,
    })


@login_required
@require_perm(Perm.ORG_MANAGE)
def import_progress(request, pk: int):
    """The htmx fragment polled every second while a job runs; a finished job reloads the page."""
    job = selectors.import_job_get(actor=request.user, pk=pk)
    if job.status not in RUNNING and request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "org/import_progress.html", {
        "job": job, "running": job.status in RUNNING, "progress": import_job_progress(job)})


@login_required
@require_POST
@require_perm(Perm.ORG_MANAGE)
def import_confirm(request, pk: int):
    job = selectors.import_job_get(actor=request.user, pk=pk)
    try:
        claimed = import_job_confirm(by=request.user, job=job)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        if claimed:
            flash_success(request, _("Import started."))
        else:
            messages.info(request, _("This import has already been started."))
    return redirect("org:import_detail", pk=job.pk)


@login_required
@require_perm(Perm.ORG_MANAGE)
def import_problems_export(request, pk: int):
    job = selectors.import_job_get(actor=request.user, pk=pk)
    return export_start_response(request, "org.import_problems", {"job": job.pk})
