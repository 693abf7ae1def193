"""Following an export as a person does: the list's link starts a job, the job's page offers the file."""

from __future__ import annotations

import io

from django.test import TestCase
from django.urls import resolve, reverse
from openpyxl import load_workbook

from jianfu.core.exports import export_file
from jianfu.core.models import ExportJob


def export_start(client, url: str, params: dict | None = None, **extra) -> ExportJob:
    """Click the export link; the test backend runs the job when the request's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url, params or {}, **extra)
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"].split("?")[0])
    assert match.view_name == "core:export_detail", response["Location"]
    return ExportJob.objects.get(pk=match.kwargs["pk"])


def export_download(client, url: str, params: dict | None = None, **extra) -> bytes:
    """The workbook the job page offers; the file is removed once read, so tests leave nothing behind."""
    job = export_start(client, url, params, **extra)
    page = client.get(reverse("core:export_detail", args=[job.pk]))
    assert page.status_code == 200
    link = reverse("core:export_download", args=[job.pk])
    job.refresh_from_db()
    assert link in page.content.decode(), (job.status, job.error)
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(response.streaming_content)  # the test client closes the file once it is read
    path = export_file(job)
    if path is not None:
        path.unlink()
    return body


def export_rows(client, url: str, params: dict | None = None, **extra) -> list[list]:
    sheet = load_workbook(io.BytesIO(export_download(client, url, params, **extra)), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]
