"""Exports run as worker jobs: the person who asked follows the job and downloads the file; nobody else can."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jianfu.core import exports
from jianfu.core.errors import ApplicationError
from jianfu.core.exports import ExportSheet, ExportSpec, export_job_run, export_job_start, exports_cleanup
from jianfu.core.models import ExportJob
from jianfu.core.scheduling import SCHEDULE
from tests.exports import export_rows, export_start

pytestmark = pytest.mark.django_db
Status = ExportJob.Status


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def started(person, name: str, params: dict | None = None, *, language: str = "zh-hans") -> ExportJob:
    """Start an export the way the list page does; the test backend runs it when the transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = export_job_start(person=person, name=name, params=params or {}, language=language)
    job.refresh_from_db()
    return job


def files(var_dir) -> list[str]:
    directory = var_dir / "exports"
    return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []


def register(monkeypatch, name: str, build) -> None:
    monkeypatch.setitem(exports._EXPORTS, name, ExportSpec(name=name, label=name, build=build))


def urls(job: ExportJob) -> list[str]:
    return [reverse(n, args=[job.pk]) for n in ("core:export_detail", "core:export_progress",
                                                 "core:export_download")]


def test_the_export_link_starts_a_job_and_its_page_offers_the_workbook_of_the_rows_listed(cast):
    client = cast.client(cast.cadre_b)
    listed = [u.code for u in client.get(reverse("org:unit_list"), {"q": "热水"}).context["page"]]
    rows = export_rows(client, reverse("org:unit_list"), {"export": "xlsx", "q": "热水"})
    assert [r[0] for r in rows[1:]] == listed == ["431026102", "431026102201"]
    assert [r[1] for r in rows[1:]] == ["热水镇", "热水村"]
    job = ExportJob.objects.get()
    assert (job.person, job.name, job.params, job.status) == (cast.cadre_b, "org.units", {"q": "热水"}, Status.DONE)
    assert (job.rows_done, job.rows_total) == (2, 2)
    assert job.filename.startswith("units-") and job.filename.endswith(".xlsx")


def test_the_job_page_shows_the_progress_bar_while_it_runs_and_the_download_when_done(cast, var_dir):
    client = cast.client(cast.officer)
    with TestCase.captureOnCommitCallbacks(execute=False):  # the worker has not taken it yet
        response = client.get(reverse("org:unit_list"), {"export": "xlsx"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("core:export_detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and reverse("core:export_progress", args=[job.pk]) in page
    assert "<progress" in page and reverse("core:export_download", args=[job.pk]) not in page
    ExportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, rows_done=1000, rows_total=4000)
    fragment = client.get(reverse("core:export_progress", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'max="4000" value="1000"' in fragment and "1,000 of 4,000 rows written" in fragment
    ExportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, rows_done=0, rows_total=None)
    export_job_run(job_id=job.pk)
    fragment = client.get(reverse("core:export_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' not in fragment and reverse("core:export_download", args=[job.pk]) in fragment
    assert files(var_dir) == [ExportJob.objects.get().file_path]


@pytest.mark.parametrize("who", ["cadre_b", "officer", "admin", "leader", "village_cadre_a", "clerk"])
def test_nobody_but_the_person_who_asked_gets_the_job_or_the_file_not_even_the_officer(cast, who):
    owner = cast.client(cast.cadre_a)
    job = export_start(owner, reverse("demands:list"), {"export": "xlsx"})
    assert job.status == Status.DONE
    assert [owner.get(url).status_code for url in urls(job)] == [200, 200, 200]
    other = cast.client(getattr(cast, who))
    for url in urls(job):
        response = other.get(url)
        assert response.status_code == 404, url
        assert "404.html" in [t.name for t in response.templates], url
    assert reverse("core:export_detail", args=[job.pk]) not in other.get(reverse("core:exports")).content.decode()


def test_someone_not_logged_in_is_sent_to_the_login_page(cast):
    job = export_start(cast.client(cast.cadre_a), reverse("demands:list"), {"export": "xlsx"})
    from django.test import Client

    for url in urls(job):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_a_double_click_starts_one_job(cast, django_capture_on_commit_callbacks):
    client = cast.client(cast.officer)
    url, params = reverse("demands:list"), {"export": "xlsx", "q": "减负"}
    with django_capture_on_commit_callbacks() as queued:
        first = client.get(url, params)
        second = client.get(url, params)
    assert first["Location"] == second["Location"]
    assert ExportJob.objects.count() == 1 and len(queued) == 1
    # Once it has run, a second click a moment later still finds the same file.
    queued[0]()
    assert export_start(client, url, params).pk == ExportJob.objects.get().pk
    # Other filters, or the same ones a while later, are another export.
    assert export_start(client, url, {"export": "xlsx", "q": "会议"}).pk != ExportJob.objects.earliest("pk").pk
    ExportJob.objects.update(created_at=timezone.now() - dt.timedelta(seconds=11))
    export_start(client, url, params)
    assert ExportJob.objects.count() == 3


def test_a_person_may_have_three_exports_waiting_and_is_told_so_at_the_fourth(cast):
    client = cast.client(cast.officer)
    for q in ("一", "二", "三"):
        with TestCase.captureOnCommitCallbacks(execute=False):
            client.get(reverse("demands:list"), {"export": "xlsx", "q": q})
    response = client.get(reverse("demands:list"), {"export": "xlsx", "q": "四"}, follow=True)
    assert ExportJob.objects.count() == 3
    assert response.redirect_chain[-1][0] == reverse("core:exports")
    assert "你已有 3 项导出正在进行" in response.content.decode()


def test_a_failing_build_shows_the_error_and_keeps_nothing_half_written(cast, monkeypatch, var_dir):
    def rows():
        for n in range(1500):
            yield [n, f"第{n}行"]
        raise RuntimeError("the database went away")

    register(monkeypatch, "tests.breaks", lambda person, params: ExportSheet("breaks", "Sheet", ["n", "text"],
                                                                              rows(), total=3000))
    job = started(cast.officer, "tests.breaks")
    assert (job.status, job.file_path, job.filename, job.rows_done) == (Status.FAILED, "", "", 1000)
    assert files(var_dir) == []
    client = cast.client(cast.officer)
    page = client.get(reverse("core:export_detail", args=[job.pk])).content.decode()
    assert 'role="alert"' in page and "导出失败" in page and 'hx-trigger="every 1s"' not in page
    assert "database went away" not in page  # the details are for the log, not the page
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_a_refused_build_says_why_in_the_language_of_the_person_who_asked(cast, monkeypatch, var_dir):
    from django.utils.translation import gettext as _

    def build(person, params):
        raise ApplicationError(_("Choose a year between 2000 and 2100."))

    register(monkeypatch, "tests.refused", build)
    assert started(cast.officer, "tests.refused", language="en").error == "Choose a year between 2000 and 2100."
    job = started(cast.officer, "tests.refused", {"again": 1})
    assert job.status == Status.FAILED and job.error != "Choose a year between 2000 and 2100." and job.error
    assert job.error in cast.client(cast.officer).get(reverse("core:export_detail", args=[job.pk])).content.decode()
    assert files(var_dir) == []


def test_the_params_never_widen_the_scope_the_build_applies_it_again(cast, var_dir):
    job = started(cast.cadre_b, "burden.on_unit", {"unit": cast.township_a.pk, "year": 2019})
    assert job.status == Status.FAILED and job.error and files(var_dir) == []
    assert "土桥镇" not in job.error


def test_the_header_and_labels_are_in_the_language_of_the_person_who_asked(cast):
    client = cast.client(cast.officer)
    english = export_rows(client, reverse("org:unit_list"), {"export": "xlsx", "q": "热水"}, HTTP_ACCEPT_LANGUAGE="en")
    chinese = export_rows(client, reverse("org:unit_list"), {"export": "xlsx", "q": "热水村"})
    assert english[0][:3] == ["Code", "Name", "Type"] and english[1][2] == "Township / street"
    assert chinese[0][0] != "Code" and chinese[1][2] != "Village" and chinese[1][1] == "热水村"


def test_progress_is_saved_every_thousand_rows_with_one_update_each(cast, monkeypatch):
    register(monkeypatch, "tests.many", lambda person, params: ExportSheet(
        "many", "Sheet", ["n"], ([n] for n in range(2500)), total=2500))
    with TestCase.captureOnCommitCallbacks(execute=False):
        job = export_job_start(person=cast.officer, name="tests.many", params={})
    with CaptureQueriesContext(connection) as ctx:
        job = export_job_run(job_id=job.pk)
    progress = [q["sql"] for q in ctx.captured_queries
                if q["sql"].startswith('UPDATE "core_exportjob" SET "rows_done"')]
    assert len(progress) == 2 and "1000" in progress[0] and "2000" in progress[1]
    assert (job.status, job.rows_done, job.rows_total) == (Status.DONE, 2500, 2500)


def test_times_are_written_as_beijing_time():
    utc = dt.datetime(2019, 5, 20, 16, 30, tzinfo=dt.UTC)
    assert exports._cell(utc) == dt.datetime(2019, 5, 21, 0, 30)
    assert exports._cell("台账\x0b") == "台账"


def test_the_cleanup_deletes_files_written_over_a_day_ago_and_the_jobs_say_so(cast, var_dir):
    old, fresh = started(cast.officer, "org.units"), started(cast.officer, "org.liaisons")
    assert files(var_dir) == sorted([old.file_path, fresh.file_path])
    now = timezone.now()
    ExportJob.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(hours=25),
                                               finished_at=now - dt.timedelta(hours=25))
    stuck = ExportJob.objects.create(person=cast.officer, name="org.units", params_key="x", status=Status.RUNNING,
                                     created_at=now - dt.timedelta(days=2))
    left_over = var_dir / "exports" / "0123.xlsx.part"  # a worker stopped mid-file
    left_over.write_bytes(b"PK")
    two_days_ago = (now - dt.timedelta(days=2)).timestamp()
    os.utime(left_over, (two_days_ago, two_days_ago))
    assert exports_cleanup(now=now) == 2
    assert files(var_dir) == [fresh.file_path]
    old.refresh_from_db()
    stuck.refresh_from_db()
    assert (old.status, old.file_path, stuck.status) == (Status.EXPIRED, "", Status.FAILED)
    client = cast.client(cast.officer)
    assert client.get(reverse("core:export_download", args=[old.pk])).status_code == 404
    assert client.get(reverse("core:export_download", args=[fresh.pk])).status_code == 200
    ExportJob.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=31))
    exports_cleanup(now=now)
    assert not ExportJob.objects.filter(pk=old.pk).exists()


def test_the_cleanup_runs_every_hour_in_the_worker():
    spec = next(s for s in SCHEDULE if s.name == "exports-cleanup")
    from django.utils.module_loading import import_string

    assert import_string(spec.task_path) is exports.exports_cleanup_task and spec.every == "hour"


def test_my_exports_lists_mine_only_with_their_status_and_download(cast):
    mine = export_start(cast.client(cast.cadre_a), reverse("org:unit_list"), {"export": "xlsx"})
    theirs = export_start(cast.client(cast.cadre_b), reverse("org:unit_list"), {"export": "xlsx"})
    page = cast.client(cast.cadre_a).get(reverse("core:exports")).content.decode()
    assert reverse("core:export_download", args=[mine.pk]) in page
    assert reverse("core:export_detail", args=[theirs.pk]) not in page
    detail = cast.client(cast.cadre_a).get(reverse("core:export_detail", args=[mine.pk])).content.decode()
    assert reverse("core:exports") in detail


@pytest.mark.parametrize("fast", [True, False])
def test_the_workbook_keeps_each_value_as_its_type_and_text_never_becomes_a_formula(tmp_path, fast):
    from decimal import Decimal

    from openpyxl import load_workbook

    when = dt.datetime(2019, 5, 20, 16, 30, tzinfo=dt.UTC)
    row = ["=1+1", " 前后有空格 ", "", None, 42, 1.5, Decimal("2.25"), True, dt.date(2019, 5, 20), when,
           timezone.localdate, "x\x0by"]
    path = tmp_path / "types.xlsx"
    assert exports.xlsx_write(path, ExportSheet("t", "类型 / types?", ["a"] * len(row), [row]), fast=fast) == 1
    sheet = load_workbook(path).active
    assert sheet.title == "类型   types"
    values = [c.value for c in sheet[2]]
    assert values[1:9] == [" 前后有空格 ", None, None, 42, 1.5, 2.25, True, dt.datetime(2019, 5, 20)]
    assert (values[0], sheet["A2"].data_type) == ("=1+1", "s")  # text, never a live formula
    assert values[9] == dt.datetime(2019, 5, 21, 0, 30) and values[11] == "xy"
    assert sheet["I2"].is_date and sheet["J2"].is_date and isinstance(values[10], str)


def test_a_link_on_another_site_starts_no_export_in_a_logged_in_browser(cast):
    client = cast.client(cast.officer)
    response = client.get(reverse("org:unit_list"), {"export": "xlsx"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 404
    assert not ExportJob.objects.exists()


def test_the_illegal_character_pattern_is_openpyxls_own():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from jianfu.core.exports import _ILLEGAL

    assert _ILLEGAL.pattern == ILLEGAL_CHARACTERS_RE.pattern
