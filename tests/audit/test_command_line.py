"""`jianfu audit verify` as an operator runs it: the real console script against a real database file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

JIANFU = str(Path(sys.executable).with_name("jianfu"))


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([JIANFU, *args], env=env, capture_output=True, text=True, timeout=300)


def test_the_console_script_verifies_the_chain_and_exits_1_after_tampering(tmp_path):
    db_file = tmp_path / "jianfu.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANFU_", "DATABASE_URL", "DJANGO_"))}
    env.update({"DATABASE_URL": f"sqlite:///{db_file}", "JIANFU_VAR_DIR": str(tmp_path / "var"),
                "JIANFU_ENV": "development", "JIANFU_LOG_LEVEL": "WARNING"})
    for step in (["migrate", "--verbosity", "0"], ["demo"]):
        done = run(step, env)
        assert done.returncode == 0, done.stderr
    ok = run(["audit", "verify"], env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok")

    with sqlite3.connect(db_file) as conn:
        count = conn.execute("SELECT COUNT(*) FROM audit_auditrecord").fetchone()[0]
        assert f"{count} audit records" in ok.stdout
        conn.execute("UPDATE audit_auditrecord SET after = ? WHERE seq = ?", ('{"name": "伪造"}', count // 2))
    broken = run(["audit", "verify"], env)
    assert broken.returncode == 1
    assert str(count // 2) in broken.stderr
