"""Import 20,000 units from a generated .xlsx and print rows/s, peak memory and the ratio to baselines.

Run: .venv/bin/python benchmarks/import_units.py [--rows 20000] [--baseline-sample 1000]

Target: ≥ 10,000 rows/s for 20,000 rows, the whole import (upload, check, apply).

The import goes the way a browser upload goes: store the file, check every row (the preview), then
apply in one transaction. The apply runs in the same process as the check here, as in the worker, so
it re-reads only what the check read from the database and does not check the file again. It runs
against a fresh SQLite database in a temporary directory, so nothing of the developer's data is
touched. Every figure is given by wall clock and by this process's CPU time: the machine may be shared.

Baselines, measured in the same run on the same database:
  * unit_create: the same kind of rows created one by one through the service, on a smaller sample,
    scaled to rows/s (what an import built from the service would cost);
  * bulk_create: the same number of rows with a plain Unit.objects.bulk_create, without any
    checking, paths or audit records (what the ORM alone costs for the units; the import writes its
    units and audit records with executemany, so it can run faster than this).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


TARGET_ROWS_PER_S = 10_000


class Clock:
    """Wall and CPU seconds of named steps."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        w, c = time.perf_counter(), time.process_time()
        yield
        self.wall[name] = time.perf_counter() - w
        self.cpu[name] = time.process_time() - c

    def text(self, name: str) -> str:
        return f"{self.wall[name]:.2f} s ({self.cpu[name]:.2f} s CPU)"


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate_rows(n: int) -> list[list]:
    """City 431000 (already in the database) → 10 counties → 20 townships each → villages."""
    rows: list[list] = [["代码", "名称", "类型", "上级代码"]]
    counties = [f"4399{c:02d}" for c in range(10)]
    townships = [(f"{c}{t:03d}", c) for c in counties for t in range(1, 21)]
    for c in counties:
        rows.append([c, f"第{c[-2:]}县", "县（市、区）", "431000"])
    for t, c in townships:
        rows.append([t, f"第{t[-3:]}镇", "乡镇（街道）", c])
    remaining = n - len(rows) + 1
    for i in range(remaining):
        t, _c = townships[i % len(townships)]
        rows.append([f"{t}{i // len(townships) + 1:03d}", f"第{i}村", "村（社区）", t])
    return rows


def write_xlsx(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("单位")
    for row in rows:
        ws.append(row)
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--baseline-sample", type=int, default=1_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and file")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="jianfu-bench-import-"))
    os.environ["JIANFU_VAR_DIR"] = str(tmp)
    os.environ.pop("DATABASE_URL", None)
    os.environ["JIANFU_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["JIANFU_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from jianfu.audit.selectors import audit_chain_verify
    from jianfu.org import services as org
    from jianfu.org.imports.services import (
        import_job_apply,
        import_job_check,
        import_job_confirm,
        import_job_create,
    )
    from jianfu.org.models import ImportJob, Role, Unit, UnitType

    call_command("migrate", verbosity=0)
    city = org.unit_create(by=None, code="431000", name="郴州市", type=UnitType.CITY)
    task_force = org.unit_create(by=None, code="431000TF", name="专班", type=UnitType.TASK_FORCE,
                                 parent=city)
    officer = org.person_create(by=None, username="bench", name="周专班")
    org.membership_grant(by=None, person=officer, unit=task_force, role=Role.TASK_FORCE_OFFICER)

    rows = generate_rows(args.rows)
    n = len(rows) - 1
    source = tmp / "units.xlsx"
    started = time.perf_counter()
    write_xlsx(source, rows)
    generate_s = time.perf_counter() - started
    del rows
    print(f"database: SQLite {connection.Database.sqlite_version} in {tmp}")
    size_mb = source.stat().st_size / 1048576
    print(f"generated {n:,} rows into {source.name} ({size_mb:.1f} MB) in {generate_s:.1f} s")

    units_before = Unit.objects.count()
    rss_before = rss_mb()
    clock = Clock()
    with clock("import"):
        with clock("upload"), source.open("rb") as f:
            job = import_job_create(by=officer, kind="units", upload=f, file_name=source.name,
                                    size=source.stat().st_size)
        with clock("check"):
            job = import_job_check(job_id=job.pk)
        assert job.status == ImportJob.Status.CHECKED, job.errors[:5]
        with clock("apply"):
            import_job_confirm(by=officer, job=job)
            job = import_job_apply(job_id=job.pk, by_id=officer.pk)
    rss_after = rss_mb()
    assert job.status == ImportJob.Status.DONE, (job.status, job.message, job.errors[:5])
    assert Unit.objects.count() == units_before + n == units_before + job.created_count
    import_rate, import_cpu_rate = n / clock.wall["import"], n / clock.cpu["import"]
    verdict = "meets" if import_rate >= TARGET_ROWS_PER_S else "MISSES"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"import: upload {clock.text('upload')}, check (preview) {clock.text('check')}, "
          f"apply {clock.text('apply')} = {clock.text('import')} for {n:,} rows → {import_rate:,.0f} rows/s "
          f"by wall clock, {import_cpu_rate:,.0f} rows/s by CPU time ({verdict} the ≥ {TARGET_ROWS_PER_S:,} rows/s "
          f"target by wall clock)")
    print(f"peak memory (process RSS): {rss_after:.0f} MB; "
          f"grew by {rss_after - rss_before:.0f} MB during the import")

    sample = Unit.objects.filter(code__startswith="4399", type=UnitType.VILLAGE).order_by("pk").first()
    assert sample.path == f"{sample.parent.path}{sample.pk}/" and sample.level == 3
    t = time.perf_counter()
    report = audit_chain_verify()
    verify_s = time.perf_counter() - t
    print(f"audit chain intact: {report.ok} ({report.count:,} records, verified in {verify_s:.1f} s)")

    # Baseline 1: one by one through the service, on a sample, scaled.
    township = Unit.objects.filter(type=UnitType.TOWNSHIP).first()
    k = args.baseline_sample
    t = time.perf_counter()
    for i in range(k):
        org.unit_create(by=officer, code=f"B1-{i}", name=f"基线村{i}", type=UnitType.VILLAGE, parent=township)
    service_rate = k / (time.perf_counter() - t)
    print(f"baseline unit_create one by one: {service_rate:,.0f} rows/s on {k:,} rows "
          f"(≈ {n / service_rate:.0f} s for {n:,}); import is {import_rate / service_rate:.1f}× faster")

    # Baseline 2: bare bulk_create without checks, paths or audit.
    with clock("bulk_create"), transaction.atomic():
        Unit.objects.bulk_create(
            [Unit(code=f"B2-{i}", name=f"基线村{i}", type=UnitType.VILLAGE, parent=township)
             for i in range(n)],
            batch_size=2000)
    bulk_rate, bulk_cpu_rate = n / clock.wall["bulk_create"], n / clock.cpu["bulk_create"]
    print(f"baseline plain bulk_create of the same number of units (no checks, paths or audit): "
          f"{clock.text('bulk_create')} → {bulk_rate:,.0f} rows/s by wall clock, {bulk_cpu_rate:,.0f} by CPU "
          f"time; the import runs at {import_rate / bulk_rate:.2f}× that rate by wall clock, "
          f"{import_cpu_rate / bulk_cpu_rate:.2f}× by CPU time")
    connection.close()
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
