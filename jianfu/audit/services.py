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
