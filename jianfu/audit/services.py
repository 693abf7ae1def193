"""Writing audit records; each service calls `audit_record` inside its own transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from .models import AuditHead, AuditRecord

GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def normalise(data: Any) -> Any:
    """Return data as it will read back from a JSON column, so hashing is stable."""
    if data is None:
        return None
    return json.loads(json.dumps(data, default=_default, ensure_ascii=False))


def record_hash(
    *, seq: int, at: dt.datetime, actor_id: int | None, actor_label: str, action: str,
    object_type: str, object_id: str, object_repr: str, before: Any, after: Any, prev_hash: str,
) -> str:
    payload = json.dumps(
        [seq, at.astimezone(dt.UTC).isoformat(timespec="microseconds"), actor_id, actor_label,
         action, object_type, object_id, object_repr, before, after, prev_hash],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    action: str
    object_type: str
    object_id: str = ""
    object_repr: str = ""
    before: Any = None
    after: Any = None


def _lock_head() -> AuditHead:
    head, _ = AuditHead.objects.get_or_create(pk=1)
    return AuditHead.objects.select_for_update().get(pk=head.pk)


def audit_record(
    *, actor: Any, action: str, obj: Any = None, object_type: str = "", object_id: str = "",
    object_repr: str = "", before: Any = None, after: Any = None,
) -> AuditRecord:
    """Append one record to the chain; must be called inside the caller's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    records = audit_record_many(
        actor=actor,
        changes=[Change(action, object_type, object_id, object_repr, before, after)],
    )
    return records[0]


def audit_record_many(*, actor: Any, changes: Iterable[Change]) -> list[AuditRecord]:
    """Append many records at once (imports); one head lock, one bulk insert."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit records must be written inside the change's transaction")
    head = _lock_head()
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    actor_label = str(actor)[:200] if actor is not None else "system"
    rows: list[AuditRecord] = []
    seq, prev = head.seq, head.hash
    for change in changes:
        seq += 1
        before = normalise(change.before)
        after = normalise(change.after)
        obj_repr = (change.object_repr or "")[:300]
        digest = record_hash(
            seq=seq, at=now, actor_id=actor_id, actor_label=actor_label, action=change.action,
            object_type=change.object_type, object_id=str(change.object_id), object_repr=obj_repr,
            before=before, after=after, prev_hash=prev,
        )
        rows.append(AuditRecord(
            seq=seq, at=now, actor_id=actor_id, actor_label=actor_label, action=change.action,
            object_type=change.object_type, object_id=str(change.object_id), object_repr=obj_repr,
            before=before, after=after, prev_hash=prev, hash=digest,
        ))
        prev = digest
    if rows:
        AuditRecord.objects.bulk_create(rows, batch_size=2000)
        AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev)
    return rows


# record_hash's encoding, built once: json.dumps with these arguments makes a new encoder per call.
_HASH_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_PLAIN_COLUMNS = ("seq", "at", "actor", "actor_label", "action", "object_type", "object_id", "object_repr",
                  "before", "after", "prev_hash", "hash")


def audit_record_many_plain(*, actor: Any, changes: Iterable[Change]) -> int:
    """Append many records whose before and after are plain JSON already; return how many were written.

    Plain JSON (dicts with str keys, lists, str, int, float, bool, None) reads back from the column as
    it went in, so the per-record dump-and-load of `normalise` is skipped: the records and hashes are
    the ones `audit_record_many` writes. The chain is hashed in one pass and inserted with executemany,
    without building a model instance per record, for imports of tens of thousands of rows.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit records must be written inside the change's transaction")
    head = _lock_head()
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    actor_label = str(actor)[:200] if actor is not None else "system"
    fields = [AuditRecord._meta.get_field(name) for name in _PLAIN_COLUMNS]
    at = fields[1].get_db_prep_save(now, connection)
    # What record_hash computes, with the parts that are the same for every record worked out once.
    at_text = now.astimezone(dt.UTC).isoformat(timespec="microseconds")
    encode = _HASH_ENCODER.encode
    adapt_json, before_encoder, after_encoder = connection.ops.adapt_json_value, fields[8].encoder, fields[9].encoder
    rows: list[tuple] = []
    seq, prev = head.seq, head.hash
    for change in changes:
        seq += 1
        obj_repr = (change.object_repr or "")[:300]
        object_id = str(change.object_id)
        before, after = change.before, change.after
        payload = encode([seq, at_text, actor_id, actor_label, change.action, change.object_type, object_id,
                          obj_repr, before, after, prev])
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        rows.append((seq, at, actor_id, actor_label, change.action, change.object_type, object_id, obj_repr,
                     None if before is None else adapt_json(before, before_encoder),
                     None if after is None else adapt_json(after, after_encoder), prev, digest))
        prev = digest
    if rows:
        quote = connection.ops.quote_name
        sql = (f"INSERT INTO {quote(AuditRecord._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 - names only
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start:start + 5000])
        AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev)
    return len(rows)
