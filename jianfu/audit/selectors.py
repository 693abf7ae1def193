"""Reading and verifying the audit chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.query import ModelIterable
from django.utils import timezone

from .describe import describe, registered_actions, registered_object_types
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


class _DescribedIterable(ModelIterable):
    """Yield each record with its `description` (sentence and changes) attached, in the active language."""

    def __iter__(self):
        for record in super().__iter__():
            record.description = describe(record)
            yield record


def _described(queryset: QuerySet[AuditRecord]) -> QuerySet[AuditRecord]:
    # Records come out described however the queryset is later sliced, paged or iterated,
    # so a template can show `record.description.sentence` without a tag.
    queryset._iterable_class = _DescribedIterable
    return queryset


def audit_records_for_object(*, object_type: str, object_id: str) -> QuerySet[AuditRecord]:
    """The history of one object, newest first, each record described."""
    return _described(
        AuditRecord.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("-seq"))


def audit_record_list(*, action: str = "", object_type: str = "", search: str = "") -> QuerySet[AuditRecord]:
    """The log, newest first and described, filtered by action (one action or a family ending in "."),
    object type, and words in the object's name or the actor's name."""
    qs = AuditRecord.objects.order_by("-seq")
    if action:
        exact = any(a.action == action and not a.action.endswith(".") for a in registered_actions())
        qs = qs.filter(action=action) if exact else qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    search = search.strip()
    if search:
        qs = qs.filter(Q(object_repr__icontains=search) | Q(actor_label__icontains=search))
    return _described(qs)


def audit_action_choices() -> list[tuple[str, str]]:
    """The registered actions by their label in the active language; a family of actions only when none of
    its members is registered on its own (else it would repeat a member's label)."""
    actions = registered_actions()
    exact = [a.action for a in actions if not a.action.endswith(".")]
    choices = {a.action: str(a.label) for a in actions
               if not a.action.endswith(".") or not any(e.startswith(a.action) for e in exact)}
    return sorted(choices.items(), key=lambda c: (c[1], c[0]))


def audit_object_type_choices() -> list[tuple[str, str]]:
    """The registered object types, by their label in the active language."""
    return sorted(((t.object_type, str(t.label)) for t in registered_object_types()), key=lambda c: (c[1], c[0]))


def audit_export_rows(queryset: QuerySet[AuditRecord]) -> Iterator[list]:
    """Rows for the .xlsx export: time, who, what, object, changes (one line per field)."""
    for record in queryset.iterator(chunk_size=2000):
        description = record.description
        yield [timezone.localtime(record.at), description.actor, description.sentence, description.object,
               description.changes_text]
