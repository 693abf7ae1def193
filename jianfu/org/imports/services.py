"""Every write of an import that a person starts: storing the upload and confirming it.

The steps that follow (checking and applying the file) are in `running`, queued here through `tasks`.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record
from jianfu.core.errors import ApplicationError
from jianfu.core.worker import task_in_flight

from ..models import ImportJob, Person
from ..permissions import Perm
from ..scoping import has_perm
from ..tasks import import_job_apply_task, import_job_check_task
from .running import (
    Outcome,
    import_file_apply,
    import_file_check,
    import_job_apply,
    import_job_check,
    import_job_progress,
    imports_dir,
    job_file,
    max_upload_bytes,
    progress_path,
)

__all__ = [
    "Outcome", "import_file_apply", "import_file_check", "import_job_apply", "import_job_check",
    "import_job_confirm", "import_job_create", "import_job_progress", "imports_dir", "job_file",
    "max_upload_bytes", "progress_path",
]

ALLOWED_SUFFIXES = (".xlsx", ".csv")


@transaction.atomic
def import_job_create(*, by: Person, kind: str, upload: BinaryIO, file_name: str, size: int) -> ImportJob:
    """Store an uploaded file under a random name, record the job and queue its check."""
    if not has_perm(by, Perm.ORG_MANAGE):
        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    if kind not in ImportJob.Kind.values:
        raise ApplicationError(_("Choose what the file contains: units or people."), code="kind")
    if Path(file_name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ApplicationError(_("Upload an .xlsx workbook or a .csv file."), code="file_type")
    limit = max_upload_bytes()
    if size > limit:
        raise ApplicationError(
            _("The file is %(size)s MB; files up to %(max)s MB can be imported.")
            % {"size": f"{size / 1048576:.1f}", "max": settings.JIANFU_MAX_UPLOAD_MB},
            code="too_large")
    relative = f"imports/{uuid.uuid4().hex}"
    target = Path(settings.VAR_DIR) / relative
    imports_dir()
    digest = hashlib.sha256()
    written = 0
    try:
        with target.open("xb") as out:
            while block := upload.read(1024 * 1024):
                written += len(block)
                if written > limit:
                    raise ApplicationError(
                        _("The file is larger than %(max)s MB.") % {"max": settings.JIANFU_MAX_UPLOAD_MB},
                        code="too_large")
                digest.update(block)
                out.write(block)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if written == 0:
        target.unlink(missing_ok=True)
        raise ApplicationError(_("The file is empty."), code="empty")
    job = ImportJob.objects.create(
        kind=kind, created_by=by, file_name=Path(file_name).name[:255], file_path=relative,
        file_sha256=digest.hexdigest(), file_size=written)
    audit_record(actor=by, action="import.upload", obj=job,
                 after={"kind": kind, "file_name": job.file_name, "sha256": job.file_sha256, "size": written})
    transaction.on_commit(lambda: import_job_check_task.enqueue(job.pk))
    return job


def import_job_confirm(*, by: Person, job: ImportJob) -> bool:
    """Claim a checked job for importing and queue it; a second confirmation finds nothing to claim.

    A job left "importing" with no run of its task queued or alive (the task gave up after its worker
    died, or was lost) is queued again: the run finishes what was written or undoes it.
    """
    if not has_perm(by, Perm.ORG_MANAGE):
        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
            status=ImportJob.Status.IMPORTING, processed_rows=0)
        stalled = not claimed and (
            ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING).exists()
            and not task_in_flight(task_path=import_job_apply_task.module_path, args=[job.pk]))
        if claimed or stalled:
            transaction.on_commit(lambda: import_job_apply_task.enqueue(job.pk, by.pk))
    return bool(claimed or stalled)
