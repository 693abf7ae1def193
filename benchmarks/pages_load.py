"""Logged-in pages under load against `jianfu run`, beside a bare Django page served by the same server.

Run: .venv/bin/python benchmarks/pages_load.py [--seconds 20] [--connections 8] [--threads 2] [--workers 2]
     [--port 8765] [--pg [SERVER]] [--generator auto|wrk|python] [--profile] [--keep]
     (about 3½ minutes; wrk from Debian: `apt-get install -y wrk`, else a bounded Python generator)

Target: the home page, figures, burden, the filings list and one API list, as the task-force officer of the
demo city, reach at least a third of the bare page's requests per second in the same run.

The script makes a scratch JIANFU_VAR_DIR with a SQLite database (or, with --pg, the PostgreSQL database
jianfu_bench_pages, created and dropped), migrates it, collects the static files, loads the demo city
(`jianfu demo`) and starts `jianfu run` on 127.0.0.1 with the settings a deployment uses: JIANFU_ENV=production
(not DEBUG, manifest static files, a real secret key), only the TLS redirect off because the load is plain
HTTP on the loopback. The settings module is benchmarks/pages_load_settings.py: the product's settings with
one more URL, /bench/bare/, a bare Django page rendering 20 units from a template without login or context
processors (benchmarks/pages_load_urls.py), so both go through the same gunicorn workers and middleware.

It logs in as `tf_officer` through the login form, checks every URL answers 200 with that session, warms
them up, then loads each URL for --seconds with --connections concurrent connections (wrk, --latency; or
Python threads with keep-alive http.client), the bare page first and last. Per URL it prints requests per
second, p50 and p99 latency, the responses other than 2xx, the server's CPU time per request (the gunicorn
workers' user+system time, steadier than wall rates on a shared machine) and the ratio to the bare page's
rate (the mean of its two runs); pages under a third are flagged. The load average is printed before and
after. --profile then profiles the slowest logged-in page through Django's test Client on the same database
with pyinstrument (`pip install pyinstrument` if it is missing).
Every request loop is bounded in time and only targets 127.0.0.1; the server is stopped by its pid at the
end, also on errors and Ctrl+C.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

HOST = "127.0.0.1"  # the only address this script sends requests to
BARE = ("bare Django page (20 rows)", "/bench/bare/")
PAGES = [
    ("home", "/"),
    ("figures", "/demands/figures/"),
    ("burden", "/burden/"),
    ("filings list", "/demands/"),
    ("API list", "/api/v1/demands/"),
]
TARGET_RATIO = 1 / 3
PERSON = "tf_officer"

WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'JIANFU {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, "non2xx": %d, ' ..
    '"socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max, n,
    e.connect + e.read + e.write + e.timeout))
end
"""


def log(msg: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:6.1f} s] {msg}", flush=True)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# --- the server -------------------------------------------------------------------------------------------


def jianfu(args: list[str], env: dict, log_file: Path) -> None:
    with log_file.open("a") as out:
        done = subprocess.run([str(ROOT / ".venv" / "bin" / "jianfu"), *args], env=env, stdout=out,
                              stderr=subprocess.STDOUT, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"`jianfu {' '.join(args)}` failed (exit {done.returncode}); see {log_file}")


def process_tree(root_pid: int) -> list[int]:
    """The pids under root_pid (from /proc), root_pid included."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def gunicorn_pids(run_pid: int) -> list[int]:
    pids = []
    for pid in process_tree(run_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "gunicorn" in cmdline:
            pids.append(pid)
    return pids


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


class Server:
    """`jianfu run` in its own process group; stopped by its pid (SIGTERM, as Ctrl+C would), then its group."""

    def __init__(self, *, port: int, workers: int, task_worker: bool, env: dict, log_file: Path):
        cmd = [str(ROOT / ".venv" / "bin" / "jianfu"), "run", "--host", HOST, "--port", str(port),
               "--workers", str(workers)]
        if not task_worker:
            cmd.append("--no-worker")
        self.log = log_file.open("a")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
                                     start_new_session=True)
        self.port = port

    def wait_ready(self, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise SystemExit(f"`jianfu run` exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"`jianfu run` did not answer /healthz within {timeout:.0f} s; see {self.log.name}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=20)
        # Anything of its own process group still running (a gunicorn worker that outlived its master).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.wait(timeout=5)
        self.log.close()


# --- HTTP ---------------------------------------------------------------------------------------------------


def request(port: int, method: str, path: str, *, cookies: dict | None = None, body: dict | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        content = resp.read()
        set_cookies = {}
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";", 1)[0].partition("=")
                set_cookies[k.strip()] = v.strip()
        return resp.status, content, set_cookies, resp.getheader("Location", "")
    finally:
        conn.close()


def login(port: int, username: str, password: str) -> dict:
    status, page, cookies, _ = request(port, "GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token or "csrftoken" not in cookies:
        raise SystemExit(f"the login page answered {status} without a CSRF token")
    status, _, new, location = request(port, "POST", "/login/", cookies=cookies, body={
        "csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": password})
    cookies.update(new)
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"logging in as {username} answered {status} (expected a redirect with a session)")
    return cookies


def demo_password() -> str:
    """DEMO_PASSWORD from jianfu/org/demo.py, read without importing it (that needs Django set up)."""
    import ast

    tree = ast.parse((ROOT / "jianfu" / "org" / "demo.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DEMO_PASSWORD" for t in node.targets):
            return node.value.value
    raise SystemExit("DEMO_PASSWORD not found in jianfu/org/demo.py")


# --- load generators ---------------------------------------------------------------------------------------


def load_wrk(port: int, path: str, cookie: str, *, seconds: int, connections: int, threads: int,
             script: Path) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency",
           "-s", str(script), "-H", f"Cookie: {cookie}", f"http://{HOST}:{port}{path}"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("JIANFU ")), None)
    if done.returncode or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line[len("JIANFU "):])
    return {"requests": raw["requests"], "seconds": raw["duration_us"] / 1e6, "p50": raw["p50_us"] / 1000,
            "p99": raw["p99_us"] / 1000, "max": raw["max_us"] / 1000, "non2xx": raw["non2xx"],
            "errors": raw["socket_errors"]}


def load_python(port: int, path: str, cookie: str, *, seconds: int, connections: int, threads: int,
                script: Path) -> dict:
    """`connections` threads, each with one keep-alive connection (reopened when the server closes it),
    GETting `path` until `seconds` have passed."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    non2xx = [0] * connections
    errors = [0] * connections
    start = time.perf_counter()
    end = start + seconds

    def worker(i: int) -> None:
        conn = None
        while time.perf_counter() < end:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = None
                continue
            latencies[i].append((time.perf_counter() - t) * 1000)
            if not 200 <= resp.status < 300:
                non2xx[i] += 1
            if resp.will_close:
                conn.close()
                conn = None
        if conn is not None:
            conn.close()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - start
    times = sorted(x for per in latencies for x in per)
    if not times:
        raise SystemExit(f"no request to {path} completed")

    def pct(p: float) -> float:
        return times[min(len(times) - 1, max(0, int(p * len(times) + 0.5) - 1))]

    return {"requests": len(times), "seconds": elapsed, "p50": pct(0.50), "p99": pct(0.99), "max": times[-1],
            "non2xx": sum(non2xx), "errors": sum(errors)}


# --- profile ------------------------------------------------------------------------------------------------


def profile(path: str, env: dict, requests: int) -> None:
    """Profile `requests` GETs of `path` as the officer through the test Client, in this process."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not installed: `.venv/bin/pip install pyinstrument` (or put it on PYTHONPATH)")
        return
    os.environ.update({**env, "JIANFU_ALLOWED_HOSTS": env["JIANFU_ALLOWED_HOSTS"] + ",testserver"})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jianfu.org.models import Person

    client = Client()
    client.force_login(Person.objects.get(username=PERSON))
    for _ in range(3):
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    queries = list(ctx.captured_queries)  # the next request's request_started clears the connection's log
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    times = []
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(requests):
        t = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - t) * 1000)
    profiler.stop()
    print(f"\nprofile of {path}: {requests} requests through the test Client, median "
          f"{statistics.median(times):.1f} ms; {len(queries)} queries, {sql_ms:.1f} ms of SQL")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[:5]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:200]}")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


# --- main ---------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="load per URL (default 20)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of `jianfu run` (default 2)")
    parser.add_argument("--no-task-worker", action="store_true", help="run the server without the task worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pg", nargs="?", const="postgres://postgres@127.0.0.1:5432", default="",
                        help="PostgreSQL instead of SQLite (default server postgres://postgres@127.0.0.1:5432)")
    parser.add_argument("--db", default="jianfu_bench_pages", help="the PostgreSQL database (created and dropped)")
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--profile", action="store_true", help="profile the slowest page with pyinstrument")
    parser.add_argument("--profile-requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (and database)")
    args = parser.parse_args()
    if args.seconds < 1 or args.seconds > 120 or args.connections < 1 or args.connections > 64:
        parser.error("--seconds must be 1–120 and --connections 1–64 (the load is bounded)")

    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
        if generator == "python":
            print("wrk is not installed (Debian: `apt-get install -y wrk`); using the Python generator, whose "
                  "threads share the machine's cores with the server")
    elif generator == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (or --generator python)")
    load = load_wrk if generator == "wrk" else load_python

    started = time.perf_counter()
    print(f"{os.cpu_count()} CPUs, load average {loadavg()}; {generator}, {args.connections} connections, "
          f"{args.seconds} s per URL, {args.workers} gunicorn workers")
    var = Path(tempfile.mkdtemp(prefix="jianfu_pages_load_"))
    log_file = var / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANFU_", "DJANGO_", "DATABASE_URL"))}
    env.update({
        "JIANFU_ENV": "production",
        "JIANFU_SECRET_KEY": secrets.token_urlsafe(48),
        "JIANFU_AUDIT_KEY": secrets.token_urlsafe(48),
        "JIANFU_ALLOWED_HOSTS": f"{HOST},localhost",
        "JIANFU_SSL_REDIRECT": "false",  # plain HTTP on the loopback; a deployment's proxy terminates TLS
        "JIANFU_VAR_DIR": str(var),
        "JIANFU_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "pages_load_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), str(ROOT), os.environ.get("PYTHONPATH", "")])),
    })
    if args.pg:
        from pgharness import create_database

        create_database(args.pg, args.db)
        env["DATABASE_URL"] = f"{args.pg}/{args.db}"
    server = None
    results: list[tuple[str, str, dict]] = []
    try:
        jianfu(["migrate", "--noinput", "-v", "0"], env, log_file)
        jianfu(["collectstatic", "--noinput", "-v", "0"], env, log_file)
        jianfu(["demo"], {**env, "JIANFU_ENV": "development"}, log_file)  # the demo refuses production
        log(f"{'PostgreSQL ' + args.db if args.pg else 'SQLite'} in {var}: migrated, static files, demo city",
            started)
        server = Server(port=args.port, workers=args.workers, task_worker=not args.no_task_worker, env=env,
                        log_file=log_file)
        server.wait_ready()
        log(f"`jianfu run` (pid {server.proc.pid}) serving on http://{HOST}:{args.port}/", started)
        cookies = login(args.port, PERSON, demo_password())
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items() if k in ("sessionid", "csrftoken"))
        sizes = {}
        for _label, path in [BARE, *PAGES]:
            for _ in range(2 * args.workers):  # every worker renders each page once before timing
                status, content, _, location = request(args.port, "GET", path, cookies=cookies)
                if status != 200:
                    raise SystemExit(f"{path} answered {status} {location} as {PERSON}")
            sizes[path] = len(content)
        log(f"logged in as {PERSON}; every URL answered 200; load average {loadavg()}", started)

        workers = gunicorn_pids(server.proc.pid)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(WRK_SCRIPT)
            script = Path(f.name)
        try:
            for label, path in [BARE, *PAGES, BARE]:
                cpu0 = cpu_seconds(workers)
                r = load(args.port, path, cookie, seconds=args.seconds, connections=args.connections,
                         threads=args.threads, script=script)
                r["cpu_ms"] = (cpu_seconds(workers) - cpu0) * 1000 / max(1, r["requests"])
                r["rate"] = r["requests"] / r["seconds"]
                results.append((label, path, r))
                log(f"{path}: {r['rate']:.1f} req/s, p99 {r['p99']:.0f} ms (load average {loadavg()})", started)
        finally:
            script.unlink()
    except KeyboardInterrupt:
        print("interrupted")
    finally:
        if server is not None:
            server.stop()
            log("server stopped", started)

    if results:
        report(results, sizes, args)
    if args.profile and results:
        worst = min((r for r in results if r[1] != BARE[1]), key=lambda r: r[2]["rate"], default=None)
        if worst:
            profile(worst[1], env, args.profile_requests)

    if args.pg and not args.keep:
        from pgharness import drop_database

        drop_database(args.pg, args.db)
        print(f"dropped database {args.db}")
    if args.keep:
        print(f"kept {var}")
    else:
        shutil.rmtree(var, ignore_errors=True)
    print(f"load average {loadavg()}; {time.perf_counter() - started:.0f} s in all")


def report(results: list[tuple[str, str, dict]], sizes: dict, args) -> None:
    bare = [r for _, p, r in results if p == BARE[1]]
    base = statistics.mean(r["rate"] for r in bare)
    base_cpu = statistics.mean(r["cpu_ms"] for r in bare)
    print(f"\n{'page':28} {'URL':20} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7} {'CPU ms/req':>10} "
          f"{'KiB':>6} {'× bare':>7} {'× bare CPU':>10}")
    under = []
    for label, path, r in results:
        ratio = r["rate"] / base
        flag = ""
        if path != BARE[1] and ratio < TARGET_RATIO:
            flag = "  < 1/3"
            under.append(label)
        errors = f" ({r['errors']} socket errors)" if r["errors"] else ""
        print(f"{label:28} {path:20} {r['rate']:7.1f} {r['p50']:7.1f} {r['p99']:7.1f} {r['non2xx']:7d} "
              f"{r['cpu_ms']:10.1f} {sizes[path] / 1024:6.1f} {ratio:7.2f} {base_cpu / r['cpu_ms']:10.2f}"
              f"{flag}{errors}")
    print(f"\nbaseline: the bare page's mean of its two runs, {base:.1f} req/s "
          f"({', '.join(format(r['rate'], '.1f') for r in bare)}), {base_cpu:.1f} ms of server CPU per request; "
          f"target: every page ≥ {TARGET_RATIO:.2f}× its rate.\n× bare CPU is the bare page's CPU time per request "
          "over the page's: about the rate ratio on an idle machine, where the workers are CPU-bound")
    print("pages under a third of the bare page: " + (", ".join(under) if under else "none"))


if __name__ == "__main__":
    main()
