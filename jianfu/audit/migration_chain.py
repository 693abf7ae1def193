"""Appending to the audit chain from data migrations, which see only the historical models.

The services' `audit_record` works on today's models; a migration must use the models as they were at
its point in the history, so it appends through `chain_append` with the `apps` it is given. The records
are signed by the same `record_hash` (an HMAC with the audit key) over the same `normalise`d payloads, so the
chain reads as one.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jianfu.audit.chain import normalise, record_hash
from jianfu.audit.keys import audit_key

SYSTEM = "system"


def chain_append(apps: Any, *, records: list[dict[str, Any]]) -> int:
    """Append system records (action, object_type, object_id, object_repr, after, before) and move the head.

    All records share one time, as the records of one change do; returns how many were written.
    """
    if not records:
        return 0
    AuditRecord = apps.get_model("audit", "AuditRecord")
    AuditHead = apps.get_model("audit", "AuditHead")
    head, _ = AuditHead.objects.get_or_create(pk=1)
    # Migrations run in a transaction; the lock keeps a running site from forking the chain meanwhile.
    head = AuditHead.objects.select_for_update().get(pk=head.pk)
    now = timezone.now()
    key = audit_key()
    seq, prev = head.seq, head.hash
    for record in records:
        seq += 1
        fields = {
            "seq": seq, "at": now, "actor_id": None, "actor_label": SYSTEM, "action": record["action"],
            "object_type": record["object_type"], "object_id": str(record["object_id"]),
            "object_repr": record["object_repr"], "before": normalise(record.get("before")),
            "after": normalise(record.get("after")), "prev_hash": prev,
        }
        digest = record_hash(**fields, key=key)
        AuditRecord.objects.create(**fields, hash=digest)
        prev = digest
    AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev)
    return len(records)
