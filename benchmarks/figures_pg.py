"""Year-on-year figures page on PostgreSQL with 1,000,000 filings: server time per request.

Run: .venv/bin/python benchmarks/figures_pg.py [--rows 1000000] [--requests 20] [--keep] [--explain]
     (PostgreSQL at 127.0.0.1:5432, user postgres; override with --server postgres://user@host:port)

Target (from the issue): the year-on-year figures page with 1,000,000 filings on PostgreSQL answers
in under 300 ms server time.

The script creates a fresh database (``--db``, default jianfu_bench_figures; dropped at the end
unless ``--keep``), migrates it, creates a small organisation through the org services (a city,
3 counties of 3 townships each, 12 city departments, the task force, a task-force officer and a
township cadre), then generates ``--rows`` demands.Demand rows in PostgreSQL itself with
``INSERT … SELECT … generate_series`` (seeded with setseed): 70% documents, 30% meetings; 50%
expired, 35% in force, 7% drafts, the rest approved, withdrawn, checked or rejected; occurs_on
uniform over 2015–2026; issued_in_name uniform over the six IssuedInName values; 30% city-wide;
issuing unit round-robin over the departments; filed by the officer. Every demand gets one
receiving unit (demands.Target): 10% the cadre's township, 2% the city with "and the units below"
(so also visible to the cadre), the rest the other townships. Then VACUUM ANALYZE.

Timed, in this process, through Django's test Client (the whole stack: middleware, session,
the view, its queries, the template), logged in with force_login, after 2 warm-up requests:
``--requests`` GETs of each of four figures URLs, as the task-force officer (sees everything)
and as the township cadre (sees what is issued by or falls on their township: demands_visible
has to filter). Median and p95 per URL, with the number of queries and their share of the time.
A URL whose warm-up requests both take over 1 s is timed 5 times only, to keep the run short.

Baselines in the same run, on the same database: ``SELECT count(*) FROM demands_demand`` (a
full count of the table) and the ORM ``.count()`` of the first URL's filters for the current period
without any grouping (one of the page's four big queries), as the officer and as the cadre.

If any median or p95 is ≥ 300 ms, or with ``--explain``, the slowest request's queries are listed
and the slowest of them is run under EXPLAIN (ANALYZE, BUFFERS).

The selectors this measures scope filings with "issued by a unit in scope OR EXISTS a receiving unit
in scope" and count both periods in one grouped query with FILTER clauses; the first version, a LEFT
JOIN of every demand to every receiving unit, took 2 s for a township cadre at this size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pgharness import (  # noqa: E402  (benchmarks/ is on sys.path when a script runs)
    SLOW_N,
    add_database_args,
    bench_database,
    explain,
    log,
    time_fn,
    time_url,
)

TARGET_MS = 300
URLS = [
    "/demands/figures/?kind=document&year=2019&from_month=1&to_month=5&name=city&group=issued_in_name",
    "/demands/figures/?kind=document&year=2019&from_month=1&to_month=5&name=city&group=month",
    "/demands/figures/?kind=document&year=2019&from_month=1&to_month=5&name=city&group=issuing_unit",
    "/demands/figures/?kind=meeting&year=2019&from_month=1&to_month=5&city_wide=1&group=month",
]
BATCH = 250_000


def make_org():
    from jianfu.org import services as org
    from jianfu.org.models import Role, UnitType

    city = org.unit_create(by=None, code="431000", name="郴州市", type=UnitType.CITY)
    counties, townships = [], []
    for c in range(3):
        county = org.unit_create(by=None, code=f"43102{c}", name=f"第{c + 1}县", type=UnitType.COUNTY, parent=city)
        counties.append(county)
        for t in range(3):
            townships.append(org.unit_create(by=None, code=f"43102{c}10{t}", name=f"第{c + 1}县第{t + 1}镇",
                                             type=UnitType.TOWNSHIP, parent=county))
    departments = [org.unit_create(by=None, code=f"431000D{d:02d}", name=f"市直部门{d:02d}",
                                   type=UnitType.DEPARTMENT, parent=city) for d in range(1, 13)]
    task_force = org.unit_create(by=None, code="431000TF", name="专班", type=UnitType.TASK_FORCE, parent=city)
    officer = org.person_create(by=None, username="officer", name="周专班")
    org.membership_grant(by=None, person=officer, unit=task_force, role=Role.TASK_FORCE_OFFICER)
    cadre = org.person_create(by=None, username="cadre", name="李镇")
    org.membership_grant(by=None, person=cadre, unit=townships[0], role=Role.GRASSROOTS_CADRE)
    return city, townships, departments, officer, cadre


INSERT_DEMANDS = """
INSERT INTO demands_demand (kind, title, issuing_unit_id, filed_by_id, status, version, occurs_on, document_kind,
                            issued_in_name, city_wide, burden_minutes, source, created_at, updated_at)
SELECT CASE WHEN r1 < 0.7 THEN 'document' ELSE 'meeting' END,
       '基准文件' || g,
       (%(departments)s::bigint[])[1 + g %% %(n_departments)s],
       %(officer)s,
       CASE WHEN r2 < 0.50 THEN 'expired' WHEN r2 < 0.85 THEN 'in_force' WHEN r2 < 0.92 THEN 'draft'
            WHEN r2 < 0.95 THEN 'approved' WHEN r2 < 0.97 THEN 'withdrawn' WHEN r2 < 0.99 THEN 'checked'
            ELSE 'rejected' END,
       1,
       DATE '2015-01-01' + floor(r3 * 4383)::int,
       CASE WHEN r1 < 0.7 THEN (ARRAY['normative', 'comprehensive', 'special', 'other'])[1 + floor(r5 * 4)::int]
            ELSE '' END,
       (ARRAY['city_committee', 'city_government', 'committee_office', 'government_office', 'department',
              'county'])[1 + floor(r4 * 6)::int],
       r6 < 0.3,
       0, 'filed', now(), now()
FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6
      FROM generate_series(%(lo)s, %(hi)s) AS g) AS s
"""

INSERT_TARGETS = """
INSERT INTO demands_target (demand_id, unit_id, include_below)
SELECT id,
       CASE WHEN id %% 10 = 0 THEN %(township)s WHEN id %% 50 = 1 THEN %(city)s
            ELSE (%(others)s::bigint[])[1 + id %% %(n_others)s] END,
       id %% 50 = 1
FROM demands_demand
"""


def generate(rows: int, city, townships, departments, officer, started: float) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit TO off")
        cur.execute("SELECT setseed(0.2019)")
        for lo in range(1, rows + 1, BATCH):
            hi = min(rows, lo + BATCH - 1)
            cur.execute(INSERT_DEMANDS, {"departments": [d.pk for d in departments],
                                         "n_departments": len(departments), "officer": officer.pk,
                                         "lo": lo, "hi": hi})
            log(f"demands {hi:,} / {rows:,}", started)
        others = [t.pk for t in townships[1:]]
        cur.execute(INSERT_TARGETS, {"township": townships[0].pk, "city": city.pk, "others": others,
                                     "n_others": len(others)})
        log(f"targets: {cur.rowcount:,} rows", started)
        cur.execute("VACUUM ANALYZE demands_demand")
        cur.execute("VACUUM ANALYZE demands_target")
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('demands_demand')), "
                    "pg_size_pretty(pg_relation_size('demands_demand')), "
                    "pg_size_pretty(pg_total_relation_size('demands_target'))")
        total, heap, targets = cur.fetchone()
        log(f"VACUUM ANALYZE done; demands_demand {heap} heap, {total} with indexes; demands_target {targets}",
            started)


def measure(people: dict, requests: int) -> list[dict]:
    from django.test import Client

    results = []
    for who, person in people.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(person)
        for url in URLS:
            r = time_url(client, url, requests)
            r.update(who=who, url=url)
            results.append(r)
            ok = "ok" if r["median"] < TARGET_MS and r["p95"] < TARGET_MS else "OVER"
            print(f"  {who:7s} {url.split('?')[1]:76s} median {r['median']:7.1f} ms, p95 {r['p95']:7.1f} ms "
                  f"(n={r['n']}) [{ok}]; {len(r['queries'])} queries, {r['sql_share']:.0%} in SQL", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    add_database_args(parser, db="jianfu_bench_figures")
    args = parser.parse_args()
    started = time.perf_counter()

    with bench_database(args, prefix="jianfu-bench-figures-", started=started):
        run(args, started)


def run(args, started: float) -> None:
    from django.db import connection

    from jianfu.demands.models import CITY_NAMES, Demand, Kind
    from jianfu.demands.selectors import ISSUED, demands_visible
    from jianfu.org.models import Person, Unit, UnitType

    if args.reuse:
        officer, cadre = Person.objects.get(username="officer"), Person.objects.get(username="cadre")
    else:
        city, townships, departments, officer, cadre = make_org()
        generate(args.rows, city, townships, departments, officer, started)
    n_rows = Demand.objects.count()
    township = Unit.objects.filter(type=UnitType.TOWNSHIP).order_by("pk").first()
    cadre_share = demands_visible(cadre).filter(kind=Kind.DOCUMENT, occurs_on__year=2019).count() / max(
        1, Demand.objects.filter(kind=Kind.DOCUMENT, occurs_on__year=2019).count())
    log(f"{n_rows:,} demands; the cadre of {township.name} sees {cadre_share:.1%} of the 2019 documents", started)
    people = {"officer": officer, "cadre": cadre}

    print(f"\nserver time per request (Django test Client, whole stack), {args.requests} requests each "
          f"after 2 warm-up, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:")
    results = measure(people, args.requests)

    def full_count():
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM demands_demand")
            return cur.fetchone()[0]

    start, end = dt.date(2019, 1, 1), dt.date(2019, 5, 31)

    def orm_count(person):
        qs = Demand.objects.all() if person is officer else demands_visible(person)
        return qs.filter(kind=Kind.DOCUMENT, status__in=ISSUED, issued_in_name__in=CITY_NAMES,
                         occurs_on__range=(start, end)).count()

    base_full = time_fn(full_count, args.requests)
    base_officer = time_fn(lambda: orm_count(officer), args.requests)
    base_cadre = time_fn(lambda: orm_count(cadre), SLOW_N)
    print(f"\nbaselines (median of {args.requests}; the cadre's of {SLOW_N}):")
    print(f"  full count(*) of demands_demand ({n_rows:,} rows):             {base_full:7.1f} ms")
    print(f"  ORM .count(), first URL's filters, no grouping, officer:  {base_officer:7.1f} ms "
          f"({orm_count(officer):,} rows)")
    print(f"  ORM .count(), first URL's filters, no grouping, cadre:    {base_cadre:7.1f} ms "
          f"({orm_count(cadre):,} rows)")
    print("ratios (page median / baseline):")
    for r in results:
        own = base_officer if r["who"] == "officer" else base_cadre
        print(f"  {r['who']:7s} {'meeting' if 'meeting' in r['url'] else 'document':8s} "
              f"group={r['url'].split('group=')[1].split('&')[0]:15s} "
              f"{r['median'] / base_full:6.2f}× full count(*), {r['median'] / own:5.2f}× the ORM count")
    worst = max(results, key=lambda r: r["p95"])
    met = all(r["median"] < TARGET_MS and r["p95"] < TARGET_MS for r in results)
    print(f"\nslowest: {worst['who']} {worst['url']} median {worst['median']:.1f} ms, p95 {worst['p95']:.1f} ms"
          f" → target < {TARGET_MS} ms {'MET' if met else 'MISSED'}"
          + ("" if met else " for " + ", ".join(sorted({r["who"] for r in results if r["p95"] >= TARGET_MS}))))
    if args.explain or not met:
        print(f"queries of that request ({worst['who']}):")
        explain(worst["queries"])

    log("done", started)


if __name__ == "__main__":
    main()
