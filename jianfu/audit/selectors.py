"""Reading and verifying the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import AuditHead, AuditRecord
from .services import GENESIS, record_hash


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    broken_seq: int | None = None
    reason: str = ""


def audit_chain_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order and report the first broken link."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    last_pk = 0
    while True:
        batch = list(
            AuditRecord.objects.filter(pk__gt=last_pk).order_by("pk").values(
                "pk", "seq", "at", "actor_id", "actor_label", "action", "object_type",
                "object_id", "object_repr", "before", "after", "prev_hash", "hash",
            )[:batch_size]
        )
        if not batch:
            head = AuditHead.objects.filter(pk=1).first()
            # Records written while we walked commit with the head; walk on to them before judging.
            if head is not None and head.seq > count and AuditRecord.objects.filter(pk__gt=last_pk).exists():
                continue
            break
        for row in batch:
            last_pk = row["pk"]
            if row["seq"] != expected_seq:
                reason = "missing" if row["seq"] > expected_seq else "out_of_order"
                return ChainReport(False, count, expected_seq, reason)
            if row["prev_hash"] != prev:
                return ChainReport(False, count, row["seq"], "link")
            digest = record_hash(
                seq=row["seq"], at=row["at"], actor_id=row["actor_id"],
                actor_label=row["actor_label"], action=row["action"],
                object_type=row["object_type"], object_id=row["object_id"],
                object_repr=row["object_repr"], before=row["before"], after=row["after"],
                prev_hash=row["prev_hash"],
            )
            if digest != row["hash"]:
                return ChainReport(False, count, row["seq"], "altered")
            prev = row["hash"]
            expected_seq += 1
            count += 1
    if head is not None and (head.seq != count or head.hash != prev):
        return ChainReport(False, count, count + 1, "truncated")
    return ChainReport(True, count)


def audit_records_for_object(*, object_type: str, object_id: str) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("-seq")
