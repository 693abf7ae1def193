"""The anchored chain as an operator meets it: the console script, a real database file, the key in var/."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from jianfu.audit.chain import record_hash

JIANFU = str(Path(sys.executable).with_name("jianfu"))


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([JIANFU, *args], env=env, capture_output=True, text=True, timeout=300)


def clean_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANFU_", "DATABASE_URL", "DJANGO_"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'jianfu.sqlite3'}", "JIANFU_VAR_DIR": str(tmp_path / "var"),
                "JIANFU_ENV": "development", "JIANFU_LOG_LEVEL": "WARNING"})
    env.update(values)
    return env


def production(tmp_path: Path, **values: str) -> dict[str, str]:
    return clean_env(tmp_path, JIANFU_ENV="production", JIANFU_SECRET_KEY="production-secret-" + "s" * 40,
                     JIANFU_ALLOWED_HOSTS="jianfu.example.gov.cn", **values)


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    done = run(["check"], production(tmp_path))
    assert done.returncode == 2
    assert "JIANFU_AUDIT_KEY" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "var" / "audit.key").exists()


def test_production_starts_with_an_audit_key_in_the_environment_or_a_key_file(tmp_path):
    assert run(["check"], production(tmp_path, JIANFU_AUDIT_KEY="k" * 40)).returncode == 0
    key_file = tmp_path / "audit.key"
    key_file.write_text("f" * 64)
    assert run(["check"], production(tmp_path, JIANFU_AUDIT_KEY_FILE=str(key_file))).returncode == 0


def test_a_short_audit_key_stops_start_up(tmp_path):
    done = run(["check"], clean_env(tmp_path, JIANFU_AUDIT_KEY="too-short"))
    assert done.returncode == 2
    assert "JIANFU_AUDIT_KEY" in done.stderr


def rewrite_with_the_key(db_file: Path, key: bytes, seq: int) -> None:
    """Edit record `seq`, re-sign it and every later record with the key, and move the head: the strongest
    attack on the database alone."""
    with sqlite3.connect(db_file) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT * FROM audit_auditrecord WHERE seq >= ? ORDER BY seq", (seq,)).fetchall()
        prev = conn.execute("SELECT hash FROM audit_auditrecord WHERE seq = ?", (seq - 1,)).fetchone()[0]
        for row in rows:
            after = {"name": "伪造"} if row["seq"] == seq else json.loads(row["after"]) if row["after"] else None
            digest = record_hash(
                seq=row["seq"], at=dt.datetime.fromisoformat(row["at"]).replace(tzinfo=dt.UTC),
                actor_id=row["actor_id"], actor_label=row["actor_label"], action=row["action"],
                object_type=row["object_type"], object_id=row["object_id"], object_repr=row["object_repr"],
                before=json.loads(row["before"]) if row["before"] else None, after=after, prev_hash=prev, key=key)
            conn.execute("UPDATE audit_auditrecord SET after = ?, prev_hash = ?, hash = ? WHERE id = ?",
                         (json.dumps(after, ensure_ascii=False), prev, digest, row["id"]))
            prev = digest
        conn.execute("UPDATE audit_audithead SET hash = ?", (prev,))


def test_a_chain_rewritten_with_the_key_fails_verify_against_the_printed_checkpoint(tmp_path):
    env = clean_env(tmp_path)
    done = run(["migrate", "--verbosity", "0"], env)
    assert done.returncode == 0, done.stderr
    signed = run(["audit", "checkpoint"], env)
    assert signed.returncode == 0, signed.stderr
    line = json.loads(signed.stdout)
    assert (tmp_path / "var" / "audit-checkpoints.log").read_text().strip() == signed.stdout.strip()
    ok = run(["audit", "verify"], env)
    assert ok.returncode == 0, ok.stderr
    assert "matches 1 checkpoint" in ok.stdout

    key = (tmp_path / "var" / "audit.key").read_text().strip().encode()
    rewrite_with_the_key(tmp_path / "jianfu.sqlite3", key, seq=line["seq"] // 2)
    broken = run(["audit", "verify"], env)
    assert broken.returncode == 1
    assert f"audit record {line['seq']} is not the record the checkpoint" in broken.stderr

    with sqlite3.connect(tmp_path / "jianfu.sqlite3") as conn:
        conn.execute("DELETE FROM audit_auditrecord")
        conn.execute("UPDATE audit_audithead SET seq = 0, hash = ?", ("0" * 64,))
    emptied = run(["audit", "verify"], env)
    assert emptied.returncode == 1
    assert "holds 0 audit records, but the checkpoint" in emptied.stderr
    assert f"counted {line['count']}" in emptied.stderr
