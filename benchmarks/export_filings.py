"""Exporting 100,000 filings as a worker job: rows per second, beside openpyxl writing the same rows bare.

Run: .venv/bin/python benchmarks/export_filings.py [--rows 100000] [--repeat 3] [--pg SERVER] [--keep]
     (SQLite in a temporary directory by default; with --pg postgres://postgres@127.0.0.1:5432 a scratch
     PostgreSQL database, dropped at the end unless --keep)

Target: the worker writes the filings export of 100,000 filings at ≥ 10,000 rows/s.

The script migrates a fresh database, creates a small organisation through the org services (a city, a
county of 9 townships, 12 departments, a task-force officer who sees everything and a township cadre), then
generates ``--rows`` demands.Demand rows in SQL with a recursive CTE (70% documents, 30% meetings; statuses,
dates, issuers and burden spread deterministically; issued ones with a control number and a validity) and one
demands.Target each (round robin over the townships).

Timed, each ``--repeat`` times (median): ``export_job_run`` — what the worker's task calls — for the officer's
export of the whole filings list (``demands.filings`` with no filters): the scoped query, the choice labels
looked up once per export, openpyxl write-only streaming the rows to a file under JIANFU_VAR_DIR, and the
progress UPDATE every 1,000 rows. The written file is read back with python-calamine to check its row count.

Baselines, in the same run on the same rows:
  * bare openpyxl: the same rows, already built as Python lists, appended to a write-only workbook and saved
    (the floor for any export written with openpyxl write-only);
  * rows only: the export's query and row building without writing (what the job adds to the floor);
  * rows as before: the same query through model instances with get_*_display() per row, as the list pages
    built their rows inside the request before exports became jobs.
It also times the township cadre's export (the scope filter re-applied by the build).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET = 10_000  # rows per second

# One statement for both databases; DIALECT fills in what differs.
INSERT_DEMANDS = """
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {rows}),
     depts(id, i) AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 FROM org_unit WHERE type = 'department')
INSERT INTO demands_demand (kind, title, issuing_unit_id, filed_by_id, status, version, occurs_on, document_kind,
                            issued_in_name, city_wide, control_number, valid_from, valid_until, burden_minutes,
                            source, created_at, updated_at)
SELECT CASE WHEN n % 10 < 7 THEN 'document' ELSE 'meeting' END,
       '关于做好基层减负第' || n || '项工作的通知',
       depts.id,
       {officer},
       CASE WHEN n * 7 % 100 < 50 THEN 'expired' WHEN n * 7 % 100 < 85 THEN 'in_force'
            WHEN n * 7 % 100 < 92 THEN 'draft' WHEN n * 7 % 100 < 95 THEN 'approved'
            WHEN n * 7 % 100 < 97 THEN 'withdrawn' WHEN n * 7 % 100 < 99 THEN 'checked' ELSE 'rejected' END,
       1,
       {occurs_on},
       CASE WHEN n % 10 < 7 THEN (CASE n % 4 WHEN 0 THEN 'normative' WHEN 1 THEN 'comprehensive'
                                                WHEN 2 THEN 'special' ELSE 'other' END) ELSE '' END,
       CASE n % 6 WHEN 0 THEN 'city_committee' WHEN 1 THEN 'city_government' WHEN 2 THEN 'committee_office'
                  WHEN 3 THEN 'government_office' WHEN 4 THEN 'department' ELSE 'county' END,
       n % 10 < 3,
       CASE WHEN n * 7 % 100 < 85 OR n * 7 % 100 >= 92 AND n * 7 % 100 < 95 THEN 'JF-' || n END,
       CASE WHEN n * 7 % 100 < 85 THEN {occurs_on} END,
       CASE WHEN n * 7 % 100 < 85 THEN {valid_until} END,
       n * 13 % 600,
       'filed', {now}, {now}
FROM g JOIN depts ON depts.i = g.n % 12
"""
INSERT_TARGETS = """
WITH towns(id, i) AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 FROM org_unit WHERE type = 'township')
INSERT INTO demands_target (demand_id, unit_id, include_below)
SELECT d.id, towns.id, {false}
FROM demands_demand d JOIN towns ON towns.i = d.id % 9
"""
DIALECT = {
    "sqlite": {"occurs_on": "date('2015-01-01', '+' || (n * 37 % 4383) || ' days')",
               "valid_until": "date('2017-01-01', '+' || (n * 37 % 4383) || ' days')",
               "now": "datetime('now')", "false": "0"},
    "postgresql": {"occurs_on": "DATE '2015-01-01' + (n * 37 % 4383)",
                   "valid_until": "DATE '2017-01-01' + (n * 37 % 4383)", "now": "now()", "false": "false"},
}


def log(msg: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:6.1f} s] {msg}", flush=True)


def setup(args, tmp: Path) -> None:
    os.environ["JIANFU_VAR_DIR"] = str(tmp)
    (tmp / "static").mkdir(exist_ok=True)
    os.environ["JIANFU_DEBUG"] = "false"
    os.environ["JIANFU_LOG_LEVEL"] = "WARNING"
    os.environ["JIANFU_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jianfu.settings"
    if args.pg:
        from pgharness import create_database

        create_database(args.pg, args.db)
        os.environ["DATABASE_URL"] = f"{args.pg}/{args.db}"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_org():
    from jianfu.org import services as org
    from jianfu.org.models import Role, UnitType

    city = org.unit_create(by=None, code="431000", name="郴州市", type=UnitType.CITY)
    county = org.unit_create(by=None, code="431026", name="汝城县", type=UnitType.COUNTY, parent=city)
    townships = [org.unit_create(by=None, code=f"43102610{t}", name=f"第{t + 1}镇", type=UnitType.TOWNSHIP,
                                 parent=county) for t in range(9)]
    for d in range(1, 13):
        org.unit_create(by=None, code=f"431000D{d:02d}", name=f"市直部门{d:02d}", type=UnitType.DEPARTMENT, parent=city)
    task_force = org.unit_create(by=None, code="431000TF", name="专班", type=UnitType.TASK_FORCE, parent=city)
    officer = org.person_create(by=None, username="officer", name="周专班")
    org.membership_grant(by=None, person=officer, unit=task_force, role=Role.TASK_FORCE_OFFICER)
    cadre = org.person_create(by=None, username="cadre", name="李镇")
    org.membership_grant(by=None, person=cadre, unit=townships[0], role=Role.GRASSROOTS_CADRE)
    return officer, cadre


def generate(rows: int, officer, started: float) -> None:
    from django.db import connection

    sql = DIALECT[connection.vendor]
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA recursive_triggers = off")
        cur.execute(INSERT_DEMANDS.format(rows=int(rows), officer=int(officer.pk), **sql))
        log(f"demands: {rows:,} rows generated", started)
        cur.execute(INSERT_TARGETS.format(**sql))
        log("targets: one per demand", started)
        cur.execute("ANALYZE")


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median wall and CPU seconds of `repeat` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def run_export(person, name: str = "demands.filings"):
    from django.test import TestCase

    from jianfu.core.exports import export_file, export_job_run, export_job_start
    from jianfu.core.models import ExportJob

    ExportJob.objects.all().delete()  # a repeat is not a double click
    with TestCase.captureOnCommitCallbacks(execute=False):  # the dummy backend would only queue it anyway
        job = export_job_start(person=person, name=name, params={}, language="zh-hans")
    job = export_job_run(job_id=job.pk)
    assert job.status == ExportJob.Status.DONE, (job.status, job.error)
    return job, export_file(job)


def bare_openpyxl(header, rows, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="Sheet")
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)


def rows_as_before(person) -> int:
    """The list page's old row building: model instances and get_*_display() per row."""
    from jianfu.demands import selectors

    columns = [
        lambda d: d.control_number or "", lambda d: d.get_kind_display(), lambda d: d.title,
        lambda d: d.issuing_unit.name,
        lambda d: d.get_issued_in_name_display() if d.issued_in_name else "", lambda d: d.occurs_on,
        lambda d: d.get_status_display(), lambda d: d.valid_from, lambda d: d.valid_until,
        lambda d: round(d.burden_minutes / 60, 1),
    ]
    n = 0
    for d in selectors.demand_list(actor=person).iterator(chunk_size=2000):
        [fn(d) for fn in columns]
        n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg", default="", help="a PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="jianfu_bench_exports")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (and database)")
    args = parser.parse_args()
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="jianfu-bench-exports-"))
    try:
        setup(args, tmp)
        run(args, tmp, started)
    finally:
        from django.db import connection

        connection.close()
        if args.pg and not args.keep:
            from pgharness import drop_database

            drop_database(args.pg, args.db)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")


def run(args, tmp: Path, started: float) -> None:
    import openpyxl
    from django.db import connection
    from django.utils import translation
    from python_calamine import CalamineWorkbook

    from jianfu.demands.exports import filings_build

    officer, cadre = make_org()
    generate(args.rows, officer, started)
    version = (connection.Database.sqlite_version if connection.vendor == "sqlite"
               else f"{connection.pg_version // 10000}.{connection.pg_version % 10000}")
    log(f"database: {connection.vendor} {version}; openpyxl {openpyxl.__version__} (lxml: {openpyxl.LXML})", started)

    wall, cpu, (job, path) = timed(lambda: run_export(officer), args.repeat)
    n = job.rows_done
    read_back = len(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()) - 1
    assert read_back == n == args.rows, (read_back, n)
    size = path.stat().st_size
    log(f"worker export (officer, {n:,} rows): {wall:.2f} s wall, {cpu:.2f} s CPU → {n / wall:,.0f} rows/s "
        f"({n / cpu:,.0f} per CPU second); file {size / 1e6:.1f} MB, read back {read_back:,} rows", started)

    with translation.override("zh-hans"):
        sheet = filings_build(officer, {})
        header = [str(h) for h in sheet.header]
        t, c = time.perf_counter(), time.process_time()
        rows = [list(r) for r in sheet.rows]
        build_wall, build_cpu = time.perf_counter() - t, time.process_time() - c
    b_wall, b_cpu, _ = timed(lambda: bare_openpyxl(header, rows, tmp / "bare.xlsx"), args.repeat)
    log(f"baseline, bare openpyxl write-only on the same {len(rows):,} rows: {b_wall:.2f} s wall, {b_cpu:.2f} s CPU"
        f" → {len(rows) / b_wall:,.0f} rows/s ({len(rows) / b_cpu:,.0f} per CPU second)", started)
    log(f"rows only (query + labels, no writing): {build_wall:.2f} s wall, {build_cpu:.2f} s CPU → "
        f"{len(rows) / build_wall:,.0f} rows/s", started)
    with translation.override("zh-hans"):
        o_wall, o_cpu, old_n = timed(lambda: rows_as_before(officer), 1)
    log(f"rows as before (instances + get_*_display per row): {o_wall:.2f} s wall, {o_cpu:.2f} s CPU → "
        f"{old_n / o_wall:,.0f} rows/s", started)

    c_wall, c_cpu, (c_job, _c_path) = timed(lambda: run_export(cadre), 1)
    log(f"worker export (township cadre, scope re-applied, {c_job.rows_done:,} rows): {c_wall:.2f} s wall, "
        f"{c_cpu:.2f} s CPU → {c_job.rows_done / c_wall:,.0f} rows/s", started)

    rate, cpu_rate = n / wall, n / cpu
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores while it ran (shared machine: "
          f"wall time counts the waits for a core, CPU time does not)")
    print(f"worker export: {rate:,.0f} rows/s wall, {cpu_rate:,.0f} rows per CPU second (median of {args.repeat}); "
          f"target ≥ {TARGET:,} rows/s: {'MET' if rate >= TARGET else 'MISSED'} by wall time, "
          f"{'MET' if cpu_rate >= TARGET else 'MISSED'} by CPU time")
    print(f"ratio to bare openpyxl write-only on the same rows: {wall / b_wall:.2f}× its wall time, "
          f"{cpu / b_cpu:.2f}× its CPU time ({cpu_rate / (len(rows) / b_cpu):.2f}× its rate per CPU second)")
    print(f"row building: {o_cpu / build_cpu:.1f}× less CPU than model instances with get_*_display per row "
          f"({build_cpu:.2f} s against {o_cpu:.2f} s)")
    log("done", started)


if __name__ == "__main__":
    main()
