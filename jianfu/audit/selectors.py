"""Reading and verifying the audit chain."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.query import ModelIterable
from django.utils import timezone

from .chain import GENESIS, RecordSigner, record_payload
from .checkpoints import Checkpoint, CheckpointInvalid, checkpoints_read, database_name
from .describe import describe, registered_actions, registered_object_types
from .models import AuditHead, AuditRecord


@dataclass(frozen=True)
class ChainReport:
    """What a walk of the chain found. `reason` names the first fault: missing, out_of_order, link, altered,
    truncated (the head says more), below_checkpoint (fewer records than a checkpoint counted),
    checkpoint_mismatch (the record a checkpoint names has another hash now), checkpoint_invalid (a line of the
    checkpoint file is not a checkpoint signed with the key: `bad_line`)."""

    ok: bool
    count: int
    broken_seq: int | None = None
    reason: str = ""
    checkpoint: Checkpoint | None = None  # the latest checkpoint of this database, if any
    checkpoints: int = 0  # how many checkpoints of this database the chain was held to
    failed_checkpoint: Checkpoint | None = None
    bad_line: int | None = None
    checked_at: dt.datetime | None = None

    @property
    def checkpoint_age(self) -> dt.timedelta | None:
        if self.checkpoint is None or self.checked_at is None:
            return None
        return max(self.checked_at - self.checkpoint.at, dt.timedelta(0))

    @property
    def since_checkpoint(self) -> int | None:
        """Records written after the latest checkpoint: the part of the chain only the key protects."""
        return None if self.checkpoint is None else max(self.count - self.checkpoint.count, 0)


_COLUMNS = ("pk", "seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr",
            "before", "after", "prev_hash", "hash")


@dataclass
class _Walk:
    """A walk in storage order: where it stands and the first fault it met."""

    prev: str = GENESIS
    expected_seq: int = 1
    count: int = 0
    last_pk: int = 0
    broken_seq: int | None = None
    reason: str = ""
    failed_checkpoint: Checkpoint | None = None

    def run(self, *, anchors: dict[int, list[Checkpoint]], until_seq: int | None, batch_size: int) -> bool:
        """Walk on from `last_pk` until the table (or `until_seq`) ends; False at the first fault."""
        sign = RecordSigner()
        while until_seq is None or self.expected_seq <= until_seq:
            batch = list(AuditRecord.objects.filter(pk__gt=self.last_pk).order_by("pk").values(*_COLUMNS)
                         [:batch_size])
            if not batch:
                return True
            for row in batch:
                if until_seq is not None and self.expected_seq > until_seq:
                    return True
                self.last_pk = row["pk"]
                if row["seq"] != self.expected_seq:
                    reason = "missing" if row["seq"] > self.expected_seq else "out_of_order"
                    return self._fault(self.expected_seq, reason)
                if row["prev_hash"] != self.prev:
                    return self._fault(row["seq"], "link")
                digest = sign(record_payload(
                    seq=row["seq"], at=row["at"], actor_id=row["actor_id"], actor_label=row["actor_label"],
                    action=row["action"], object_type=row["object_type"], object_id=row["object_id"],
                    object_repr=row["object_repr"], before=row["before"], after=row["after"],
                    prev_hash=row["prev_hash"]))
                if digest != row["hash"]:
                    return self._fault(row["seq"], "altered")
                for checkpoint in anchors.get(row["seq"], ()):
                    if checkpoint.hash != row["hash"]:
                        return self._fault(row["seq"], "checkpoint_mismatch", checkpoint)
                self.prev = row["hash"]
                self.expected_seq += 1
                self.count += 1
        return True

    def _fault(self, seq: int, reason: str, checkpoint: Checkpoint | None = None) -> bool:
        self.broken_seq, self.reason, self.failed_checkpoint = seq, reason, checkpoint
        return False


def _checkpoints_of_this_database() -> list[Checkpoint]:
    db = database_name()
    return [c for c in checkpoints_read() if c.db == db]


def audit_chain_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order, checking each record's HMAC with the audit key and the record at every
    checkpoint of this database, and report the first fault."""
    checked_at = timezone.now()
    try:
        checkpoints = _checkpoints_of_this_database()
    except CheckpointInvalid as exc:
        return ChainReport(False, 0, None, "checkpoint_invalid", bad_line=exc.line, checked_at=checked_at)
    latest = checkpoints[-1] if checkpoints else None
    anchors: dict[int, list[Checkpoint]] = defaultdict(list)
    for checkpoint in checkpoints:
        anchors[checkpoint.seq].append(checkpoint)

    def report(ok: bool, broken_seq: int | None = None, reason: str = "",
               failed: Checkpoint | None = None) -> ChainReport:
        return ChainReport(ok, walk.count, broken_seq, reason, checkpoint=latest, checkpoints=len(checkpoints),
                           failed_checkpoint=failed, checked_at=checked_at)

    walk = _Walk()
    while True:
        if not walk.run(anchors=anchors, until_seq=None, batch_size=batch_size):
            return report(False, walk.broken_seq, walk.reason, walk.failed_checkpoint)
        head = AuditHead.objects.filter(pk=1).first()
        # Records written while we walked commit with the head; walk on to them before judging.
        if head is not None and head.seq > walk.count and AuditRecord.objects.filter(pk__gt=walk.last_pk).exists():
            continue
        break
    # A checkpoint counted more records than there are: the table was emptied or its end cut off.
    beyond = max((c for c in checkpoints if max(c.seq, c.count) > walk.count), key=lambda c: c.count, default=None)
    if beyond is not None:
        return report(False, walk.count + 1, "below_checkpoint", beyond)
    if head is not None and (head.seq != walk.count or head.hash != walk.prev):
        return report(False, walk.count + 1, "truncated")
    return report(True)


def audit_chain_verify_since(*, checkpoint: Checkpoint | None, seq: int, head_hash: str,
                             batch_size: int = 5000) -> ChainReport:
    """Verify the chain from `checkpoint` (from the start without one) to the record `seq`, which must have
    `head_hash`: what a new checkpoint at that record vouches for. The count is the chain's length at `seq`."""
    walk = _Walk()
    anchors: dict[int, list[Checkpoint]] = {}
    if checkpoint is not None:
        if seq < checkpoint.seq:
            return ChainReport(False, seq, seq + 1, "below_checkpoint", checkpoint=checkpoint, checkpoints=1,
                               failed_checkpoint=checkpoint)
        if checkpoint.seq:
            row = AuditRecord.objects.filter(seq=checkpoint.seq).values("pk", "hash").first()
            if row is None or row["hash"] != checkpoint.hash:
                return ChainReport(False, checkpoint.count - 1, checkpoint.seq, "checkpoint_mismatch",
                                   checkpoint=checkpoint, checkpoints=1, failed_checkpoint=checkpoint)
            walk.last_pk = row["pk"]
        walk.prev, walk.expected_seq, walk.count = checkpoint.hash, checkpoint.seq + 1, checkpoint.count
    if not walk.run(anchors=anchors, until_seq=seq, batch_size=batch_size):
        return ChainReport(False, walk.count, walk.broken_seq, walk.reason, checkpoint=checkpoint)
    if walk.expected_seq != seq + 1 or walk.prev != head_hash:
        return ChainReport(False, walk.count, walk.expected_seq, "truncated", checkpoint=checkpoint)
    return ChainReport(True, walk.count, checkpoint=checkpoint)


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
