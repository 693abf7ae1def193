"""Burden hours on one township at province scale on PostgreSQL: server time per request.

Run: .venv/bin/python benchmarks/burden_pg.py [--demands 1000000] [--links-per-demand 20] [--requests 20]
     [--keep] [--reuse] [--explain] [--server postgres://postgres@127.0.0.1:5432]

Target (from the issue): the burden-hours page for one township with 5 years of demands at province scale
(1,000,000 demands, 20,000,000 demand-unit links on PostgreSQL) answers in under 300 ms server time.

The script creates a fresh database (``--db``, default jianfu_bench_burden; dropped at the end unless
``--keep``; ``--reuse`` runs again on a kept one) and migrates it. The organisation is a province of 14
cities (roots: a city has no parent unit), each with 10 counties, 40 departments, and one task force in
the first city: those 714 units, a task-force officer and a township cadre go through the org services.
The 1,400 townships (10 per county) and 14,000 villages (10 per township) are inserted in SQL with their
materialised paths ("/city/county/township/village/", decision 0003) and no audit records, because 15,400
``unit_create`` calls would take minutes.

It then generates ``--demands`` demands.Demand rows in SQL (seeded with setseed), dated uniformly over
2022-2026 with ids in date order (as filings arrive): 40% documents, 25% meetings, 15% report forms, 10%
inspections, 10% trace-keeping; 85% issued (45% expired, 35% in force, 5% approved), the rest drafts,
withdrawn, rejected, checked or submitted. Each demand falls on one county, chosen with a skew (county
index = floor(140 * u^1.25): the first county gets 2.7 times the average, the last 0.6 times) and is
issued by one of its city's 40 departments. Each issued demand gets burden_burdenlink rows, as
burden_links_sync would make them: the county, its 10 townships and a spread of its villages (about
``--links-per-demand`` / 0.85 links per issued demand, so ``--links-per-demand`` per demand overall),
with the demand's kind, issuer and date and the minutes per unit its kind implies (documents 60 or 240,
meetings 120-270, inspections 240-960, report forms 45 x 1/4/12, trace-keeping 30 x 4/12/52);
demand.burden_minutes is that times the number of units. No Target or Estimate rows: the on-unit page
reads only BurdenLink, Demand and Unit. Every demand has its date (occurs_on) and status: the pages read
their span of years from the first and last date of the issued demands (approved, in force, expired), which
demands_demand's occurs_on index (from the migrations) answers. The demands are inserted with their indexes
in place; the links table's secondary indexes are dropped for the load and recreated from their own
definitions; then VACUUM ANALYZE. After the load the script checks that the demands' occurs_on index exists
and times the span read (burden.views._span). The timed township is the first township of the
busiest county: it receives every issued demand of its county (about 3,300 links a year at full size).

Timed, in this process, through Django's test Client (the whole stack: middleware, session, the view, its
queries, the template), logged in with force_login, after 2 warm-up requests: ``--requests`` GETs each of
/burden/on-unit/?unit=<township>&year=2026, &year=2024 and &year=2026&kind=inspection, as the township's
cadre and as the task-force officer (who sees every unit), and /burden/ (the overview, whose links_visible
filters by the cadre's units) as the cadre. Median and p95 per URL, with the number of queries. A URL
whose warm-up requests both take over 1 s is timed 5 times only, to keep the run short.

Baselines in the same run, on the same database: the bare SQL sum of the township's minutes for 2026
(``SELECT sum(minutes) FROM burden_burdenlink WHERE unit_id = %s AND occurs_on BETWEEN …``) and a full
``SELECT count(*) FROM burden_burdenlink``; the ratios of each page to them.

If any median or p95 is >= 300 ms, or with ``--explain``, the slowest request's queries are listed with
their times and the slowest query is run under EXPLAIN (ANALYZE, BUFFERS).
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
CITIES, COUNTIES, TOWNSHIPS, VILLAGES, DEPARTMENTS = 14, 10, 10, 10, 40  # counties per city, and so on
N_COUNTIES = CITIES * COUNTIES
SKEW = 1.25  # county index = floor(N_COUNTIES * u^SKEW): lower counties receive more demands
ISSUED_SHARE = 0.85
DEMAND_BATCH = 250_000
LINK_BATCH = 50_000  # demands per INSERT of links (about 1.2 million links)


INSERT_BELOW = """
INSERT INTO org_unit (code, name, type, parent_id, level, path, active, version, created_at, updated_at)
SELECT p.code || lpad(n::text, 3, '0'), p.name || '第' || n || %(suffix)s, %(type)s, p.id, p.level + 1, '', true, 1,
       now(), now()
FROM org_unit AS p, generate_series(1, %(n)s) AS n
WHERE p.type = %(parent_type)s
ORDER BY p.path, n
"""
SET_PATHS = """
UPDATE org_unit AS u SET path = p.path || u.id || '/' FROM org_unit AS p WHERE u.parent_id = p.id AND u.path = ''
"""


def make_org(started: float):
    """Cities, counties, departments and the task force through the services; townships and villages in SQL."""
    from django.db import connection

    from jianfu.org import services as org
    from jianfu.org.models import Role, Unit, UnitType

    cities = []
    for c in range(CITIES):
        city = org.unit_create(by=None, code=f"43{c + 1:02d}00", name=f"第{c + 1}市", type=UnitType.CITY)
        cities.append(city)
        for k in range(COUNTIES):
            org.unit_create(by=None, code=f"43{c + 1:02d}{k + 21:02d}", name=f"第{c + 1}市第{k + 1}县",
                            type=UnitType.COUNTY, parent=city)
        for d in range(DEPARTMENTS):
            org.unit_create(by=None, code=f"43{c + 1:02d}00D{d + 1:02d}", name=f"第{c + 1}市市直部门{d + 1:02d}",
                            type=UnitType.DEPARTMENT, parent=city)
    task_force = org.unit_create(by=None, code="430100TF", name="第1市专班", type=UnitType.TASK_FORCE,
                                 parent=cities[0])
    log(f"{Unit.objects.count():,} units through unit_create", started)
    with connection.cursor() as cur:
        for type_, parent_type, suffix, n in ((UnitType.TOWNSHIP, UnitType.COUNTY, "镇", TOWNSHIPS),
                                              (UnitType.VILLAGE, UnitType.TOWNSHIP, "村", VILLAGES)):
            cur.execute(INSERT_BELOW, {"type": type_, "parent_type": parent_type, "suffix": suffix, "n": n})
            cur.execute(SET_PATHS)
    log(f"{Unit.objects.count():,} units with the townships and villages inserted in SQL", started)
    township = first_township()
    officer = org.person_create(by=None, username="officer", name="周专班")
    org.membership_grant(by=None, person=officer, unit=task_force, role=Role.TASK_FORCE_OFFICER)
    cadre = org.person_create(by=None, username="cadre", name="李镇")
    org.membership_grant(by=None, person=cadre, unit=township, role=Role.GRASSROOTS_CADRE)
    return officer, cadre


def first_township():
    from jianfu.org.models import Unit, UnitType

    county = Unit.objects.filter(type=UnitType.COUNTY).order_by("code").first()
    return Unit.objects.filter(parent=county, type=UnitType.TOWNSHIP).order_by("code").first()


def unit_arrays():
    """County ids in code order (by city), township ids by (county, t), village ids by (county, t, v)."""
    from jianfu.org.models import Unit, UnitType

    counties = list(Unit.objects.filter(type=UnitType.COUNTY).order_by("code").values_list("pk", flat=True))
    townships = list(Unit.objects.filter(type=UnitType.TOWNSHIP).order_by("code").values_list("pk", flat=True))
    villages = list(Unit.objects.filter(type=UnitType.VILLAGE).order_by("code").values_list("pk", flat=True))
    departments = list(Unit.objects.filter(type=UnitType.DEPARTMENT).order_by("code").values_list("pk", flat=True))
    assert len(counties) == N_COUNTIES and len(townships) == N_COUNTIES * TOWNSHIPS
    assert len(villages) == N_COUNTIES * TOWNSHIPS * VILLAGES and len(departments) == CITIES * DEPARTMENTS
    return counties, townships, villages, departments


# One row per demand, drawn once; the demands and their links are both read from it (then it is dropped).
CREATE_SHAPE = """
CREATE UNLOGGED TABLE bench_shape AS
SELECT row_number() OVER (ORDER BY occurs_on, r0) AS id, *
FROM (SELECT random() AS r0,
             DATE '2022-01-01' + floor(random() * 1826)::int AS occurs_on,
             floor(%(n_counties)s * power(random(), %(skew)s))::int AS county,
             floor(random() * %(departments)s)::int AS department,
             CASE WHEN r1 < 0.40 THEN 'document' WHEN r1 < 0.65 THEN 'meeting' WHEN r1 < 0.80 THEN 'report_form'
                  WHEN r1 < 0.90 THEN 'inspection' ELSE 'trace' END AS kind,
             CASE WHEN r2 < 0.45 THEN 'expired' WHEN r2 < 0.80 THEN 'in_force' WHEN r2 < 0.85 THEN 'approved'
                  WHEN r2 < 0.91 THEN 'draft' WHEN r2 < 0.94 THEN 'withdrawn' WHEN r2 < 0.96 THEN 'rejected'
                  WHEN r2 < 0.98 THEN 'checked' ELSE 'submitted' END AS status,
             r3, r4
      FROM (SELECT random() AS r1, random() AS r2, random() AS r3, random() AS r4
            FROM generate_series(1, %(demands)s)) AS r) AS s
"""
SHAPE_COLUMNS = """
ALTER TABLE bench_shape ADD PRIMARY KEY (id), ADD COLUMN n_links int, ADD COLUMN unit_minutes int,
                        ADD COLUMN document_kind text
"""
SHAPE_FILL = """
UPDATE bench_shape SET
  n_links = CASE WHEN status IN ('expired', 'in_force', 'approved')
                 THEN least(1 + %(townships)s + %(villages)s,
                            greatest(1, round(%(per_issued)s - %(spread)s + r3 * (2 * %(spread)s + 1) - 0.5)::int))
                 ELSE 0 END,
  document_kind = CASE WHEN kind = 'document'
                       THEN (ARRAY['normative', 'comprehensive', 'special', 'other'])[1 + floor(r4 * 4)::int]
                       ELSE '' END,
  unit_minutes = CASE kind WHEN 'document' THEN CASE WHEN r4 < 0.5 THEN 240 ELSE 60 END
                           WHEN 'meeting' THEN 120 + 30 * floor(r4 * 6)::int
                           WHEN 'inspection' THEN 240 * (1 + floor(r4 * 4)::int)
                           WHEN 'report_form' THEN 45 * (ARRAY[1, 4, 12])[1 + floor(r4 * 3)::int]
                           ELSE 30 * (ARRAY[4, 12, 52])[1 + floor(r4 * 3)::int] END
"""
INSERT_DEMANDS = """
INSERT INTO demands_demand (id, kind, title, issuing_unit_id, filed_by_id, status, version, occurs_on,
                            document_kind, issued_in_name, city_wide, control_number, valid_from, burden_minutes,
                            source, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT s.id, s.kind, '关于做好基层减负第' || s.id || '号工作的通知',
       (%(departments)s::bigint[])[1 + (s.county / %(counties)s) * %(n_departments)s + s.department],
       %(officer)s, s.status, 1, s.occurs_on, s.document_kind,
       CASE WHEN s.kind = 'document' THEN 'department' ELSE '' END, false,
       CASE WHEN s.status IN ('expired', 'in_force', 'approved')
            THEN (ARRAY['WJ', 'HY', 'DC', 'BB', 'LH'])[array_position(
                     ARRAY['document', 'meeting', 'inspection', 'report_form', 'trace'], s.kind)]
                 || '-' || extract(year FROM s.occurs_on) || '-' || lpad(s.id::text, 7, '0') || '-0' END,
       CASE WHEN s.status IN ('expired', 'in_force', 'approved', 'withdrawn') THEN s.occurs_on END,
       s.unit_minutes::bigint * greatest(s.n_links, 1), 'filed', now(), now()
FROM bench_shape AS s
WHERE s.id BETWEEN %(lo)s AND %(hi)s
"""
# Link j of a demand: j = 0 the county, 1..10 its townships, 11.. its villages spread over the townships.
INSERT_LINKS = """
INSERT INTO burden_burdenlink (demand_id, unit_id, kind, issuing_unit_id, occurs_on, minutes)
SELECT s.id,
       CASE WHEN j = 0 THEN (%(counties_ids)s::bigint[])[1 + s.county]
            WHEN j <= %(townships)s THEN (%(townships_ids)s::bigint[])[1 + s.county * %(townships)s + (j - 1)]
            ELSE (%(villages_ids)s::bigint[])[1 + s.county * %(per_county)s
                                              + ((j - 1 - %(townships)s) * 37 + s.id * 13) %% %(per_county)s] END,
       s.kind,
       (%(departments)s::bigint[])[1 + (s.county / %(counties)s) * %(n_departments)s + s.department],
       s.occurs_on, s.unit_minutes
FROM bench_shape AS s, generate_series(0, s.n_links - 1) AS j
WHERE s.id BETWEEN %(lo)s AND %(hi)s AND s.n_links > 0
ORDER BY s.id, j
"""


def generate(demands: int, links_per_demand: int, officer, started: float) -> None:
    from django.db import connection

    counties, townships, villages, departments = unit_arrays()
    per_issued = links_per_demand / ISSUED_SHARE
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit TO off")
        cur.execute("SET maintenance_work_mem TO '1GB'")
        cur.execute("SET work_mem TO '256MB'")
        cur.execute("SELECT setseed(0.2022)")
        cur.execute(CREATE_SHAPE, {"n_counties": N_COUNTIES, "skew": SKEW, "departments": DEPARTMENTS,
                                   "demands": demands})
        cur.execute(SHAPE_COLUMNS)
        cur.execute(SHAPE_FILL, {"townships": TOWNSHIPS, "villages": TOWNSHIPS * VILLAGES,
                                    "per_issued": per_issued, "spread": max(0.0, min(per_issued - 1, 12.0))})
        log(f"drew {demands:,} demand shapes", started)
        params = {"departments": departments, "counties": COUNTIES, "n_departments": DEPARTMENTS,
                  "officer": officer.pk}
        for lo in range(1, demands + 1, DEMAND_BATCH):
            hi = min(demands, lo + DEMAND_BATCH - 1)
            cur.execute(INSERT_DEMANDS, {**params, "lo": lo, "hi": hi})
            log(f"demands {hi:,} / {demands:,}", started)
        cur.execute("SELECT setval(pg_get_serial_sequence('demands_demand', 'id'), (SELECT max(id) FROM "
                    "demands_demand))")

        # Load the links without their secondary indexes (and FK triggers), then rebuild them as migrated.
        cur.execute("""SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint AS c
                       WHERE c.conrelid = 'burden_burdenlink'::regclass AND c.contype = 'u'""")
        uniques = cur.fetchall()
        cur.execute("""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index AS i
                       WHERE i.indrelid = 'burden_burdenlink'::regclass AND NOT i.indisprimary
                         AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)""")
        indexes = cur.fetchall()
        for name, _definition in uniques:
            cur.execute(f'ALTER TABLE burden_burdenlink DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cur.execute(f"DROP INDEX {name}")
        cur.execute("SET session_replication_role TO replica")  # skip the FK checks: ids are valid by construction
        link_params = {**params, "counties_ids": counties, "townships_ids": townships, "villages_ids": villages,
                       "townships": TOWNSHIPS, "per_county": TOWNSHIPS * VILLAGES}
        total = 0
        for lo in range(1, demands + 1, LINK_BATCH):
            hi = min(demands, lo + LINK_BATCH - 1)
            cur.execute(INSERT_LINKS, {**link_params, "lo": lo, "hi": hi})
            total += cur.rowcount
            if hi == demands or (hi // LINK_BATCH) % 4 == 0:
                log(f"links {total:,} (demands {hi:,} / {demands:,})", started)
        cur.execute("SET session_replication_role TO DEFAULT")
        for name, definition in uniques:
            cur.execute(f'ALTER TABLE burden_burdenlink ADD CONSTRAINT "{name}" {definition}')
            log(f"rebuilt {name}", started)
        for name, definition in indexes:
            cur.execute(definition)
            log(f"rebuilt {name}", started)
        cur.execute("DROP TABLE bench_shape")
        for table in ("org_unit", "demands_demand", "burden_burdenlink"):
            cur.execute(f"VACUUM ANALYZE {table}")
        cur.execute("SELECT pg_size_pretty(pg_relation_size('burden_burdenlink')), "
                    "pg_size_pretty(pg_indexes_size('burden_burdenlink')), "
                    "pg_size_pretty(pg_total_relation_size('demands_demand')), "
                    "pg_size_pretty(pg_database_size(current_database()))")
        heap, idx, dem, db = cur.fetchone()
        log(f"VACUUM ANALYZE done; burden_burdenlink {heap} heap + {idx} indexes; demands_demand {dem}; "
            f"database {db}", started)
    connection.close()  # the timed requests get a fresh session, without the load's settings


def check_span(started: float) -> None:
    """The pages' span of years comes from the issued demands' dates: check that demands_demand keeps its
    occurs_on index after the load, and time the span read as the product makes it."""
    from django.db import connection

    from jianfu.burden.views import _span

    with connection.cursor() as cur:
        cur.execute("""SELECT i.indexrelid::regclass::text, pg_size_pretty(pg_relation_size(i.indexrelid))
                       FROM pg_index AS i JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                       WHERE i.indrelid = 'demands_demand'::regclass AND i.indnatts = 1 AND a.attname = 'occurs_on'
                         AND i.indpred IS NULL AND i.indexprs IS NULL""")
        found = cur.fetchall()
    assert found, "demands_demand has no index on occurs_on: the span of years would scan the demands"
    span = _span()
    ms = time_fn(_span, 20)
    log(f"demands' date index {', '.join(f'{name} ({size})' for name, size in found)}; span of years from the "
        f"issued demands {span[0]}-{span[1]}, read in {ms:.2f} ms (median of 20)", started)


def urls(township_pk: int) -> list[tuple[str, str]]:
    on_unit = f"/burden/on-unit/?unit={township_pk}"
    return [(who, url) for who in ("cadre", "officer")
            for url in (f"{on_unit}&year=2026", f"{on_unit}&year=2024", f"{on_unit}&year=2026&kind=inspection")
            ] + [("cadre", "/burden/")]


def measure(people: dict, township_pk: int, requests: int) -> list[dict]:
    """Time the URLs, each as its reader."""
    from django.test import Client

    results, clients = [], {}
    for who, url in urls(township_pk):
        if who not in clients:
            clients[who] = Client(HTTP_HOST="127.0.0.1")
            clients[who].force_login(people[who])
        r = time_url(clients[who], url, requests)
        r.update(who=who, url=url)
        results.append(r)
        ok = "ok" if r["median"] < TARGET_MS and r["p95"] < TARGET_MS else "OVER"
        print(f"  {who:7s} {url:52s} median {r['median']:7.1f} ms, p95 {r['p95']:7.1f} ms (n={r['n']}) [{ok}]; "
              f"{len(r['queries'])} queries, {r['sql_share']:.0%} in SQL, {r['bytes'] / 1024:.0f} KiB", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--links-per-demand", type=int, default=20, help="burden links per demand, on average")
    add_database_args(parser, db="jianfu_bench_burden")
    args = parser.parse_args()
    started = time.perf_counter()

    with bench_database(args, prefix="jianfu-bench-burden-", started=started):
        run(args, started)


def run(args, started: float) -> None:
    from django.db import connection

    from jianfu.burden.models import BurdenLink
    from jianfu.demands.models import Demand
    from jianfu.org.models import Person, Unit

    if args.reuse:
        officer, cadre = Person.objects.get(username="officer"), Person.objects.get(username="cadre")
    else:
        officer, cadre = make_org(started)
        generate(args.demands, args.links_per_demand, officer, started)
    check_span(started)
    township = first_township()
    with connection.cursor() as cur:
        cur.execute("""SELECT count(*) FILTER (WHERE occurs_on >= '2026-01-01'),
                              count(*) FILTER (WHERE occurs_on < '2025-01-01' AND occurs_on >= '2024-01-01'),
                              count(*) FILTER (WHERE occurs_on >= '2026-01-01' AND kind = 'inspection'),
                              count(*) FROM burden_burdenlink WHERE unit_id = %s""", [township.pk])
        links_2026, links_2024, inspections_2026, links_all = cur.fetchone()
        cur.execute("""SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n), max(n)
                       FROM (SELECT count(*) AS n FROM burden_burdenlink AS l JOIN org_unit AS u ON u.id = l.unit_id
                             WHERE u.type = 'township' AND l.occurs_on >= '2026-01-01' GROUP BY l.unit_id) AS t""")
        median_township, max_township = cur.fetchone()
    n_links, n_demands, n_units = BurdenLink.objects.count(), Demand.objects.count(), Unit.objects.count()
    log(f"{n_demands:,} demands, {n_links:,} links ({n_links / max(1, n_demands):.1f} per demand), "
        f"{n_units:,} units", started)
    log(f"timed township {township.name} (pk {township.pk}): {links_all:,} links in 5 years, {links_2026:,} in "
        f"2026 ({inspections_2026:,} inspections), {links_2024:,} in 2024; 2026 links per township: median "
        f"{median_township:,}, max {max_township:,}", started)
    people = {"officer": officer, "cadre": cadre}

    print(f"\nserver time per request (Django test Client, whole stack), {args.requests} requests each "
          f"after 2 warm-up, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:")
    results = measure(people, township.pk, args.requests)

    def bare_sum():
        with connection.cursor() as cur:
            cur.execute("SELECT sum(minutes) FROM burden_burdenlink WHERE unit_id = %s AND occurs_on BETWEEN %s "
                        "AND %s", [township.pk, dt.date(2026, 1, 1), dt.date(2026, 12, 31)])
            return cur.fetchone()[0]

    def full_count():
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM burden_burdenlink")
            return cur.fetchone()[0]

    base_sum = time_fn(bare_sum, args.requests)
    base_full = time_fn(full_count, SLOW_N)
    print(f"\nbaselines (median of {args.requests}; the full count's of {SLOW_N}):")
    print(f"  bare SQL sum(minutes) of the township for 2026 ({links_2026:,} links): {base_sum:9.2f} ms")
    print(f"  full count(*) of burden_burdenlink ({n_links:,} rows):      {base_full:9.1f} ms")
    print("ratios (page median / baseline):")
    for r in results:
        print(f"  {r['who']:7s} {r['url']:52s} {r['median'] / base_sum:8.1f}× the bare sum, "
              f"{r['median'] / base_full:5.2f}× the full count(*)")
    worst = max(results, key=lambda r: r["p95"])
    on_unit = [r for r in results if "on-unit" in r["url"]]
    met = all(r["median"] < TARGET_MS and r["p95"] < TARGET_MS for r in on_unit)
    overview_ok = all(r["median"] < TARGET_MS and r["p95"] < TARGET_MS for r in results if r not in on_unit)
    print(f"\nslowest: {worst['who']} {worst['url']} median {worst['median']:.1f} ms, p95 {worst['p95']:.1f} ms")
    print(f"on-unit page: target < {TARGET_MS} ms {'MET' if met else 'MISSED'}"
          + ("" if met else " for " + ", ".join(sorted({r["who"] for r in on_unit if r["p95"] >= TARGET_MS
                                                        or r["median"] >= TARGET_MS})))
          + f"; overview (reported, not the target): {'under' if overview_ok else 'over'} {TARGET_MS} ms")
    if args.explain or not met or not overview_ok:
        print(f"queries of that request ({worst['who']}):")
        explain(worst["queries"])

    log("done", started)


if __name__ == "__main__":
    main()
