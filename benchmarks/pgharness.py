"""What the PostgreSQL benchmarks share: a scratch database, Django pointed at it, timing a URL, EXPLAIN.

Used by figures_pg.py and burden_pg.py (benchmarks/ is on sys.path when a script runs).
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

SLOW_MS, SLOW_N = 1000, 5  # requests slower than 1 s are timed 5 times, to keep the run short


def log(msg: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:6.1f} s] {msg}", flush=True)


def admin_connect(server: str):
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True)


def create_database(server: str, name: str) -> None:
    from psycopg import sql

    with admin_connect(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server: str, name: str) -> None:
    from psycopg import sql

    with admin_connect(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def time_url(client, url: str, n: int) -> dict:
    """Warm up, then time `n` GETs; a request slower than SLOW_MS is timed SLOW_N times only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = time.perf_counter()
    assert client.get(url).status_code == 200
    first = (time.perf_counter() - t) * 1000
    with CaptureQueriesContext(connection) as ctx:  # the second warm-up, to see the queries
        t = time.perf_counter()
        assert client.get(url).status_code == 200
        captured_ms = (time.perf_counter() - t) * 1000
    queries = list(ctx.captured_queries)  # a view of the connection's log, which the next request clears
    if min(first, captured_ms) > SLOW_MS:
        n = min(n, SLOW_N)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.status_code
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    return {"median": statistics.median(times), "p95": percentile(times, 0.95), "n": n,
            "queries": queries, "sql_share": min(1.0, sql_ms / captured_ms), "bytes": len(response.content)}


def time_fn(fn, n: int) -> float:
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def explain(queries: list[dict]) -> None:
    """List the request's queries with their times; EXPLAIN (ANALYZE, BUFFERS) the slowest one."""
    from django.db import connection

    for q in queries:
        sql = q["sql"]
        print(f"  {float(q['time']) * 1000:7.1f} ms  {sql[:150]}{' …' if len(sql) > 150 else ''}")
    slowest = max(queries, key=lambda q: float(q["time"]))
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the slowest query:\n  {slowest['sql']}")
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        for (row,) in cur.fetchall():
            print(f"     {row}")



def django_env(*, server: str, db: str, prefix: str) -> Path:
    """Point Django at the benchmark database, as in production (no query log, quiet logs); returns a
    scratch directory for JIANFU_VAR_DIR, which the caller deletes."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    (tmp / "static").mkdir()  # WhiteNoise warns when STATIC_ROOT is missing
    os.environ["DATABASE_URL"] = f"{server}/{db}"
    os.environ["JIANFU_VAR_DIR"] = str(tmp)
    os.environ["JIANFU_DEBUG"] = "false"
    os.environ["JIANFU_LOG_LEVEL"] = "WARNING"
    os.environ["JIANFU_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jianfu.settings"
    return tmp


def add_database_args(parser, *, db: str) -> None:
    """The options every PostgreSQL benchmark takes: where, which database, and whether to keep it."""
    parser.add_argument("--requests", type=int, default=20, help="timed requests per URL and person")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default=db)
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it with --reuse)")
    parser.add_argument("--reuse", action="store_true", help="reuse a database kept by an earlier --keep run")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest request even when fast")


@contextlib.contextmanager
def bench_database(args, *, prefix: str, started: float):
    """A fresh (or, with --reuse, kept) migrated database with Django set up on it; dropped on the way out
    unless --keep."""
    if not args.reuse:
        create_database(args.server, args.db)
    tmp = django_env(server=args.server, db=args.db, prefix=prefix)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        with connection.cursor() as cur:
            cur.execute("SELECT version()")
            pg_version = cur.fetchone()[0].split(" on ")[0]
        log(f"database {args.db} ({pg_version}) migrated", started)
        yield
    finally:
        connection.close()
        if not args.keep:
            drop_database(args.server, args.db)
            print(f"dropped database {args.db}")
        shutil.rmtree(tmp, ignore_errors=True)
