"""The clerk's filing form and the unit picker's search at 20,000 units, each beside a baseline of the same run.

Run: .venv/bin/python benchmarks/unit_picker.py [--units 20000] [--requests 20] [--keep]

It builds a fresh SQLite database in a temporary directory: a city with a department (the clerk's), the task
force, 10 counties, 200 townships and villages up to --units, created in bulk SQL with their tree paths. Then,
as the clerk (who may aim demands at every unit of the city) through Django's test Client, the whole stack:

  * the document filing form: median server time and HTML size (targets: under 100 ms and under 100 KB);
  * the picker's search (org:unit_pick) for a common word, a rare one, a code and an empty box.

Baselines measured in the same run:
  * a bare `SELECT … ORDER BY path LIMIT 20` on the unit table, through the same connection (for the search
    query alone);
  * the inbox badge, the smallest logged-in htmx fragment of the same stack (for whole requests);
  * the `<select>` of every unit the clerk may aim at, rendered alone the way the form used to carry it.
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
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(fn, n: int) -> tuple[float, float]:
    """Median and max wall time of fn() in ms over n runs, after one warm-up run."""
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def build_tree(n: int):
    """City → department, task force, 10 counties → 20 townships each → villages, n units in all, in bulk."""
    from django.db import transaction

    from jianfu.org import services as org
    from jianfu.org.models import Role, Unit, UnitType

    city = org.unit_create(by=None, code="431000", name="郴州市", type=UnitType.CITY)
    department = org.unit_create(by=None, code="431000D02", name="市委办", type=UnitType.DEPARTMENT, parent=city)
    org.unit_create(by=None, code="431000TF", name="专班", type=UnitType.TASK_FORCE, parent=city)
    clerk = org.person_create(by=None, username="clerk", name="陈经办")
    org.membership_grant(by=None, person=clerk, unit=department, role=Role.DEPARTMENT_CLERK)

    def bulk(rows: list[tuple[str, str, str, Unit]]) -> list[Unit]:
        Unit.objects.bulk_create([Unit(code=c, name=nm, type=t, parent=p, level=p.level + 1)
                                  for c, nm, t, p in rows], batch_size=2000)
        made = list(Unit.objects.filter(code__in=[r[0] for r in rows]).select_related("parent"))
        for u in made:
            u.path = f"{u.parent.path}{u.pk}/"
        Unit.objects.bulk_update(made, ["path"], batch_size=2000)
        return sorted(made, key=lambda u: u.code)

    with transaction.atomic():
        counties = bulk([(f"4399{c:02d}", f"第{c}县", UnitType.COUNTY, city) for c in range(10)])
        townships = bulk([(f"{c.code}{t:03d}", f"{c.name}第{t}镇", UnitType.TOWNSHIP, c)
                          for c in counties for t in range(1, 21)])
        left = max(0, n - Unit.objects.count())
        rows, chunk = [], 5000
        for i in range(left):
            t = townships[i % len(townships)]
            rows.append((f"{t.code}{i // len(townships) + 1:03d}", f"{t.name}第{i}村", UnitType.VILLAGE, t))
            if len(rows) == chunk:
                bulk(rows)
                rows = []
        if rows:
            bulk(rows)
    return clerk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="jianfu-bench-picker-"))
    os.environ["JIANFU_VAR_DIR"] = str(tmp)
    os.environ.pop("DATABASE_URL", None)
    os.environ["JIANFU_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["JIANFU_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")
    import django

    django.setup()
    from django import forms
    from django.core.management import call_command
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from jianfu.org.models import Unit
    from jianfu.org.picker import unit_pick_search
    from jianfu.org.scoping import units_targetable

    # The test Client sends request_started, which would empty the query log mid-capture.
    request_started.disconnect(reset_queries)
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    clerk = build_tree(args.units)
    total = Unit.objects.count()
    print(f"database: SQLite {connection.Database.sqlite_version} in {tmp}; {total:,} units built in "
          f"{time.perf_counter() - t:.1f} s")
    targetable = units_targetable(clerk).count()
    print(f"the clerk may aim demands at {targetable:,} of them")

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(clerk)
    n = args.requests

    # Baseline: the bare query the picker's search cannot beat.
    def bare():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, name, code, type, path FROM org_unit ORDER BY path LIMIT 20")
            cursor.fetchall()

    bare_ms, _ = median_ms(bare, n)
    print(f"baseline bare SELECT … ORDER BY path LIMIT 20: {bare_ms:.2f} ms")

    # Baseline: the smallest logged-in htmx fragment of the same stack (sessions, middleware, a template).
    badge = reverse("site:inbox_badge")
    badge_ms, _ = median_ms(lambda: client.get(badge), n)
    print(f"baseline the inbox badge fragment (same stack, tiny answer): {badge_ms:.1f} ms")

    # Baseline: what the form used to carry, the <select> of every unit the clerk may aim at, rendered alone.
    class OldForm(forms.Form):
        targets = forms.ModelMultipleChoiceField(queryset=Unit.objects.none(),
                                                 widget=forms.SelectMultiple(attrs={"size": 8}))

    old_html = {}

    def old_select():
        form = OldForm()
        form.fields["targets"].queryset = units_targetable(clerk).order_by("path")
        old_html["html"] = str(form["targets"])

    old_ms, old_max = median_ms(old_select, max(3, n // 4))
    old_kb = len(old_html["html"].encode()) / 1024
    print(f"baseline the old <select> of every unit alone: {old_ms:.0f} ms (max {old_max:.0f}), {old_kb:,.0f} KB")

    url = reverse("demands:new", args=["document"])
    page = {}

    def form_page():
        response = client.get(url)
        assert response.status_code == 200
        page["html"] = response.content

    reset_queries()  # the log is capped; an empty one counts from zero
    with CaptureQueriesContext(connection) as ctx:
        form_page()
    form_ms, form_max = median_ms(form_page, n)
    form_kb = len(page["html"]) / 1024
    print(f"filing form (document) as the clerk: {form_ms:.1f} ms median (max {form_max:.1f}), {form_kb:.1f} KB, "
          f"{len(ctx.captured_queries)} queries — target < 100 ms and < 100 KB: "
          f"{'met' if form_ms < 100 and form_kb < 100 else 'MISSED'}")
    print(f"  = {form_ms / badge_ms:.1f}× the inbox badge; {form_ms / old_ms:.3f}× the time and "
          f"{form_kb / old_kb:.3f}× the size of the old <select> alone")
    assert "第0县第1镇第0村".encode() not in page["html"]

    pick = reverse("org:unit_pick")
    for label, q in (("a common word", "第1"), ("a rare word", "第19700村"), ("a code", "439909020"),
                     ("an empty box", ""), ("no match", "没有这个单位")):
        query = f"{pick}?{urlencode({'scope': 'targetable', 'field': 'id_targets', 'q': q})}"
        body = {}

        def search(query=query, body=body):
            response = client.get(query)
            assert response.status_code == 200
            body["html"] = response.content

        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            search()
        ms, worst = median_ms(search, n)
        options = body["html"].count(b'data-unit-id="')
        db_ms, _ = median_ms(lambda q=q: unit_pick_search(actor=clerk, scope="targetable", q=q), n)
        print(f"picker search, {label} ({q!r}): {ms:.1f} ms median (max {worst:.1f}), {options} matches, "
              f"{len(body['html']) / 1024:.1f} KB, {len(ctx.captured_queries)} queries; the search query alone "
              f"{db_ms:.1f} ms = {db_ms / bare_ms:,.0f}× the bare LIMIT 20; the request is "
              f"{ms / badge_ms:.1f}× the inbox badge")

    connection.close()
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
