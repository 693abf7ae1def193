"""An export in Chromium, as the cadre of 热水镇 does it: the link, the bar that moves by itself, the file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jianfu.core.exports import export_job_run
from jianfu.core.models import ExportJob
from tests.conftest import Cast

from .test_jobs import login, main_text, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(transactional_db, live_server, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    # The job waits, as it does until the worker takes it, so that the page can be seen polling.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    return Cast(), live_server.url


def test_the_cadre_exports_the_units_watches_the_page_update_itself_and_downloads_the_file(live, browser):
    cast, base = live
    context, page = new_page(browser)
    try:
        login(page, base, "cadre_b")
        page.goto(f"{base}/org/units/?q=热水")
        page.click("a:has-text('导出 Excel')")
        page.wait_for_url(re.compile(r"/jobs/exports/\d+/$"))
        assert "排队等候" in main_text(page) and "下载" not in main_text(page)
        job = ExportJob.objects.get()
        export_job_run(job_id=job.pk)  # what the worker does; the page learns of it by polling
        link = page.wait_for_selector("#export-progress a:has-text('下载')", timeout=10_000)
        assert "可以下载" in main_text(page) and "2 行" in main_text(page)
        with page.expect_download() as download:
            link.click()
        assert re.fullmatch(r"units-\d{4}-\d\d-\d\d\.xlsx", download.value.suggested_filename)
        sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert [r[1] for r in rows[1:]] == ["热水镇", "热水村"] and rows[0][0] == "代码"
        page.click("a:has-text('我的全部导出')")
        assert "单位" in main_text(page) and "可以下载" in main_text(page)
    finally:
        context.close()
