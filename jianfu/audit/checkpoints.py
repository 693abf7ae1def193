"""Signed checkpoints of the chain's head, kept in an append-only file the database cannot rewrite.

One JSON line per checkpoint: the database it belongs to, the sequence number and hash of the last record,
how many records the chain held, when, and an HMAC over all of these with the audit key. A checkpoint says
"at this time the chain ended at this record with this hash"; `audit_chain_verify` holds the database to
every checkpoint of it in the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from .keys import audit_key

VERSION = 1
# Keeps a checkpoint's MAC from ever being mistaken for a record's hash, which is over a JSON list.
_DOMAIN = b"jianfu-audit-checkpoint\n"


class CheckpointInvalid(Exception):
    """A line of the checkpoint file is unreadable or its HMAC does not match."""

    def __init__(self, line: int, problem: str):
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class Checkpoint:
    db: str
    seq: int
    hash: str
    count: int
    at: dt.datetime
    line: int = 0  # where it stands in the file; 0 for one not read from a file

    def fields(self) -> dict:
        return {"v": VERSION, "db": self.db, "seq": self.seq, "hash": self.hash, "count": self.count,
                "at": self.at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")}

    def mac(self, key: bytes | None = None) -> str:
        text = json.dumps(self.fields(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hmac.new(key if key is not None else audit_key(), _DOMAIN + text.encode("utf-8"),
                        hashlib.sha256).hexdigest()

    def to_line(self) -> str:
        """The checkpoint as one signed JSON line, without the newline."""
        return json.dumps({**self.fields(), "mac": self.mac()}, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)


def database_name() -> str:
    """Which database checkpoints belong to: the engine and database name (the file's name for SQLite).

    The name comes from the settings, not from the database, so whoever writes the database cannot change it.
    It keeps a development database's checkpoints apart from the test database's when both share `var/`.
    """
    vendor, name = connection.vendor, str(connection.settings_dict.get("NAME") or "")
    if vendor == "sqlite":
        name = Path(name).name
    return f"{vendor}:{name}"


def checkpoint_path() -> Path:
    return Path(settings.JIANFU_AUDIT_CHECKPOINT_FILE)


def checkpoint_parse(text: str, *, line: int, key: bytes | None = None) -> Checkpoint:
    """One line of the file as a checkpoint; CheckpointInvalid unless it is well formed and its HMAC matches."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise ValueError("unknown format")
        checkpoint = Checkpoint(db=str(data["db"]), seq=int(data["seq"]), hash=str(data["hash"]),
                                count=int(data["count"]), at=dt.datetime.fromisoformat(data["at"]), line=line)
        mac = str(data["mac"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointInvalid(line, "not a checkpoint") from exc
    if checkpoint.at.tzinfo is None or checkpoint.fields() != {k: v for k, v in data.items() if k != "mac"}:
        raise CheckpointInvalid(line, "not a checkpoint")
    if not hmac.compare_digest(checkpoint.mac(key), mac):
        raise CheckpointInvalid(line, "its signature does not match")
    return checkpoint


def checkpoints_read(path: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint in the file, of every database, in the order written; CheckpointInvalid at the first
    line that is not a checkpoint signed with the audit key. No file, no checkpoints."""
    path = path or checkpoint_path()
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return []
    key = audit_key()
    found = []
    for number, raw in enumerate(content.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CheckpointInvalid(number, "not a checkpoint") from exc
        found.append(checkpoint_parse(text, line=number, key=key))
    return found


def checkpoint_append(checkpoint: Checkpoint, path: Path | None = None) -> str:
    """Append the checkpoint's line to the file and flush it to disk; returns the line.

    O_APPEND puts every line at the end whatever else writes the file, in one write; the file is never
    opened to be rewritten.
    """
    path = path or checkpoint_path()
    line = checkpoint.to_line()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return line
