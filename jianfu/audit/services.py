"""Writing audit records; each service calls `audit_record` inside its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from .chain import GENESIS, RecordSigner, normalise, record_payload, utc_text
from .checkpoints import Checkpoint, checkpoint_append, checkpoints_read, database_name
from .models import AuditHead, AuditRecord
from .selectors import ChainReport, audit_chain_verify_since


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
    sign = RecordSigner()
    at_text = utc_text(now)
    rows: list[AuditRecord] = []
    seq, prev = head.seq, head.hash
    for change in changes:
        seq += 1
        before = normalise(change.before)
        after = normalise(change.after)
        obj_repr = (change.object_repr or "")[:300]
        digest = sign(record_payload(
            seq=seq, at=at_text, actor_id=actor_id, actor_label=actor_label, action=change.action,
            object_type=change.object_type, object_id=str(change.object_id), object_repr=obj_repr,
            before=before, after=after, prev_hash=prev,
        ))
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
    at_text = utc_text(now)
    sign = RecordSigner()
    adapt_json, before_encoder, after_encoder = connection.ops.adapt_json_value, fields[8].encoder, fields[9].encoder
    rows: list[tuple] = []
    seq, prev = head.seq, head.hash
    for change in changes:
        seq += 1
        obj_repr = (change.object_repr or "")[:300]
        object_id = str(change.object_id)
        before, after = change.before, change.after
        digest = sign(record_payload(seq=seq, at=at_text, actor_id=actor_id, actor_label=actor_label,
                                     action=change.action, object_type=change.object_type, object_id=object_id,
                                     object_repr=obj_repr, before=before, after=after, prev_hash=prev))
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


class ChainBroken(Exception):
    """The chain does not verify, so no checkpoint may vouch for it."""

    def __init__(self, report: ChainReport):
        super().__init__(f"audit chain broken at record {report.broken_seq} ({report.reason})")
        self.report = report


def audit_checkpoint_write(*, path: Path | None = None) -> tuple[Checkpoint, str]:
    """Sign a checkpoint of the chain's head and append it to the checkpoint file; returns it and its line.

    The chain is verified first from the latest checkpoint of this database to the head (the nightly check and
    `jianfu audit verify` walk it all), so a checkpoint never vouches for records rewritten since the one before.
    Raises ChainBroken, or CheckpointInvalid when the file holds a line that is not a signed checkpoint.
    """
    db = database_name()
    latest = next((c for c in reversed(checkpoints_read(path)) if c.db == db), None)
    at = timezone.now().replace(microsecond=0)
    head = AuditHead.objects.filter(pk=1).values("seq", "hash").first() or {"seq": 0, "hash": GENESIS}
    report = audit_chain_verify_since(checkpoint=latest, seq=head["seq"], head_hash=head["hash"])
    if not report.ok:
        raise ChainBroken(report)
    checkpoint = Checkpoint(db=db, seq=head["seq"], hash=head["hash"], count=report.count, at=at)
    return checkpoint, checkpoint_append(checkpoint, path)
