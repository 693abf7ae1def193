"""The migration that moves a chain written before the key onto the keyed scheme, without laundering a break."""

from __future__ import annotations

import hashlib
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from jianfu.audit.chain import record_payload
from jianfu.audit.models import AuditHead, AuditRecord
from jianfu.audit.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db

rekey_migration = importlib.import_module("jianfu.audit.migrations.0002_rekey_the_chain_with_the_audit_key")
FIELDS = ("seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr", "before",
          "after")


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def hash_as_before_the_key() -> None:
    """Turn the chain into what a database written by the earlier release holds: plain SHA-256 links."""
    prev = "0" * 64
    with connection.cursor() as cursor:
        for row in AuditRecord.objects.order_by("seq").values("pk", *FIELDS):
            digest = hashlib.sha256(record_payload(**{f: row[f] for f in FIELDS}, prev_hash=prev)
                                    .encode("utf-8")).hexdigest()
            cursor.execute(f"UPDATE {q('audit_auditrecord')} SET {q('prev_hash')} = %s, {q('hash')} = %s "  # noqa: S608
                           f"WHERE {q('id')} = %s", [prev, digest, row["pk"]])
            prev = digest
    AuditHead.objects.filter(pk=1).update(hash=prev)


def migrate(direction=rekey_migration.rekey) -> None:
    direction(apps, SimpleNamespace(connection=connection))


def test_a_chain_written_before_the_key_is_resigned_with_it_and_verifies(cast):
    hash_as_before_the_key()
    assert audit_chain_verify().reason == "altered"
    migrate()
    report = audit_chain_verify()
    assert report.ok, report
    assert report.count == AuditRecord.objects.count()
    assert AuditHead.objects.get().hash == AuditRecord.objects.order_by("seq").last().hash


def test_resigning_a_chain_already_keyed_changes_nothing(cast):
    before = list(AuditRecord.objects.order_by("seq").values_list("prev_hash", "hash"))
    migrate()
    assert list(AuditRecord.objects.order_by("seq").values_list("prev_hash", "hash")) == before


def test_a_chain_broken_before_the_key_stays_broken_at_the_same_record(cast):
    hash_as_before_the_key()
    seq = AuditRecord.objects.count() // 2
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {q('audit_auditrecord')} SET {q('object_repr')} = %s WHERE {q('seq')} = %s",  # noqa: S608
                       ["伪造", seq])
    migrate()
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, seq)
    assert AuditRecord.objects.filter(seq__lt=seq).count() == report.count


def test_the_migration_reverses_to_the_plain_hashes(cast):
    hash_as_before_the_key()
    plain = list(AuditRecord.objects.order_by("seq").values_list("prev_hash", "hash"))
    migrate()
    migrate(rekey_migration.unkey)
    assert list(AuditRecord.objects.order_by("seq").values_list("prev_hash", "hash")) == plain
