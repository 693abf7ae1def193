"""Fuzz the live API from its own OpenAPI document with schemathesis, as a few personas of the demo city.

    .venv/bin/python scripts/api_fuzz.py [--port 18400] [--max-examples 15] [--persona tf_officer ...]
                                         [--postgres postgres://postgres@127.0.0.1:5432]

It builds a throwaway database (SQLite in a temporary var directory, or PostgreSQL), migrates it, loads the
demo city, gives each persona an API token, serves the site with gunicorn on 127.0.0.1, and runs
`schemathesis run` once per token with the checks `not_a_server_error` and `response_schema_conformance`. The
demo's ids, unit codes and control numbers are offered as values, so requests reach real objects as well as
the 404s and 422s in front of them. Any 5xx or any answer that does not match the document fails the run
(exit status 1); the server is stopped by its process id and the temporary directory removed either way.
Examples are bounded per operation and the seed is fixed, so a run takes a few minutes on two cores and a
failure can be replayed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The task-force officer may write almost anything, the clerk files demands for a department, the leader
# only reads: three different shapes of answer for every operation.
PERSONAS = ("tf_officer", "clerk", "leader")
CHECKS = "not_a_server_error,response_schema_conformance"


def _environment(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANFU_", "DATABASE_URL", "DJANGO_"))}
    env.update({
        "JIANFU_VAR_DIR": str(var_dir),
        "JIANFU_ENV": "development",
        # The product's JSON and HTML answers, not Django's technical pages.
        "JIANFU_DEBUG": "false",
        "JIANFU_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Tasks run inside the request, so nothing waits for a worker that is not running.
        "JIANFU_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "DJANGO_SETTINGS_MODULE": "jianfu.settings",
    })
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _postgres_database(server: str, *, create: bool, name: str) -> None:
    """Create or drop the throwaway database on a PostgreSQL server (`postgres://user@host:port`)."""
    import psycopg

    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as connection:
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')
        else:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(cmd: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"api_fuzz: {' '.join(cmd[:3])} failed with status {result.returncode}")
    return result.stdout


# Run inside the throwaway site: a token per persona, and the ids and codes of the demo city's objects.
PREPARE_CODE = """
import json, sys
from jianfu.api.services import api_token_create
from jianfu.demands.models import Demand
from jianfu.inspections.models import InspectionPlan, PlanItem
from jianfu.org.models import Person, Unit
from jianfu.reportforms.models import FieldDefinition

def ids(qs):
    return list(qs.order_by("pk").values_list("pk", flat=True)[:40])

tokens = {}
for username in sys.argv[1:]:
    _token, raw = api_token_create(by=Person.objects.get(username=username), name="api fuzz")
    tokens[username] = raw
print(json.dumps({"tokens": tokens, "demand": ids(Demand.objects), "plan": ids(InspectionPlan.objects),
                  "item": ids(PlanItem.objects), "unit": ids(Unit.objects), "person": ids(Person.objects),
                  "field": ids(FieldDefinition.objects),
                  "code": list(Unit.objects.order_by("pk").values_list("code", flat=True)[:60]),
                  "number": [n for n in Demand.objects.exclude(control_number=None).order_by("pk")
                             .values_list("control_number", flat=True)[:40] if n]}))
"""

# Where the demo's ids and codes go: real objects in about two requests of three, generated values in the rest,
# so the fuzzing reaches the services behind the look-ups as well as the 404s and 422s in front of them.
BINDINGS = {
    "path.demand_id": "demand", "path.plan_id": "plan", "path.unit_id": "unit", "path.person_id": "person",
    "path.field_id": "field", "path.code": "code", "query.parent": "unit", "query.unit": "unit",
    "query.number": "number", "body.issuing_unit_code": "code", "body.proposing_unit_code": "code",
    "body.parent_code": "code", "body.targets[*].unit_code": "code", "body.keep_id": "item",
    "body.absorb_ids[*]": "item", "body.fields[*].id": "field",
}


def _toml(value) -> str:
    return json.dumps(value, ensure_ascii=True)  # a JSON string or array of scalars is also TOML


def _config(found: dict, path: Path) -> Path:
    lines = []
    for name in sorted(set(BINDINGS.values())):
        if found.get(name):
            lines += [f"[dictionaries.{name}]", f"values = {_toml(found[name])}", ""]
    lines.append("[parameters]")
    for key, name in BINDINGS.items():
        if found.get(name):
            lines.append(f'{_toml(key)} = {{ dictionary = {_toml(name)}, probability = 0.6 }}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _prepare(env: dict[str, str], personas: list[str]) -> dict:
    jianfu = str(BIN / "jianfu")
    _run([jianfu, "migrate", "--noinput", "-v", "0"], env)
    _run([jianfu, "demo"], env)
    out = _run([str(BIN / "python"), "-c", "import django; django.setup()\n" + PREPARE_CODE, *personas], env)
    return json.loads(out.strip().splitlines()[-1])


def _wait_until_up(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"api_fuzz: the server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit("api_fuzz: the server did not answer within a minute")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("JIANFU_FUZZ_PORT", "18400")))
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("JIANFU_FUZZ_EXAMPLES", "15")),
                        help="test cases per operation and persona (default 15)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("JIANFU_FUZZ_SEED", "2019")))
    parser.add_argument("--persona", action="append", choices=None,
                        help=f"a demo login to fuzz as (repeatable; default {', '.join(PERSONAS)})")
    parser.add_argument("--postgres", metavar="URL",
                        help="fuzz on a throwaway database of this PostgreSQL server (postgres://user@host:port) "
                             "instead of SQLite; it refuses what SQLite lets through, a NUL in text for one")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory for a look afterwards")
    args = parser.parse_args(argv)
    personas = args.persona or list(PERSONAS)

    work = Path(tempfile.mkdtemp(prefix="jianfu-api-fuzz-"))
    database = f"jianfu_fuzz_{os.getpid()}"
    if args.postgres:
        _postgres_database(args.postgres, create=True, name=database)
    env = _environment(work / "var", f"{args.postgres.rstrip('/')}/{database}" if args.postgres else None)
    base = f"http://127.0.0.1:{args.port}"
    server = None
    failed: list[str] = []
    try:
        print(f"== api fuzz: database in {work}, personas {', '.join(personas)}", flush=True)
        found = _prepare(env, personas)
        tokens = found["tokens"]
        config = _config(found, work / "schemathesis.toml")
        log = open(work / "server.log", "w")  # noqa: SIM115 - closed with the server below
        server = subprocess.Popen(
            [str(BIN / "python"), "-m", "gunicorn", "jianfu.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
             "--workers", "2", "--timeout", "60", "--access-logfile", "-"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        _wait_until_up(base, server)
        for persona in personas:
            print(f"== schemathesis as {persona}", flush=True)
            result = subprocess.run(
                [str(BIN / "schemathesis"), "--config-file", str(config), "run", f"{base}/api/v1/openapi.json",
                 "--url", base,
                 "--header", f"Authorization: Bearer {tokens[persona]}", "--checks", CHECKS,
                 "--max-examples", str(args.max_examples), "--seed", str(args.seed),
                 "--phases", "examples,coverage,fuzzing", "--workers", "1", "--request-timeout", "30",
                 "--generation-database", "none", "--no-color", "--report", "junit",
                 "--report-junit-path", str(work / f"junit-{persona}.xml")],
                cwd=work, env={**env, "SCHEMATHESIS_HOOKS": ""}, check=False)
            if result.returncode != 0:
                failed.append(persona)
    finally:
        if server is not None:
            _stop(server)
            log.close()
            if failed:
                errors = [line for line in (work / "server.log").read_text(errors="replace").splitlines()
                          if "Traceback" in line or "Error" in line]
                if errors:
                    print("== server errors (first 40 lines)\n" + "\n".join(errors[:40]))
        if args.postgres and not args.keep:
            _postgres_database(args.postgres, create=False, name=database)
        if args.keep:
            print(f"== kept {work}" + (f" and the database {database}" if args.postgres else ""))
        else:
            shutil.rmtree(work, ignore_errors=True)
    if failed:
        print(f"== api fuzz FAILED for: {', '.join(failed)}")
        return 1
    print("== api fuzz: no server error and no answer outside the document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
