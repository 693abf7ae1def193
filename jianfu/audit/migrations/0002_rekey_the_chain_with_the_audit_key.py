"""Re-sign the audit chain with the audit key (docs/decisions/0014-audit-chain-anchored-outside-the-database.md).

Before this migration a record's hash was a plain SHA-256 that anyone could recompute. Each record is checked
under the scheme it was written with (plain, or keyed when a later seed migration already appended with the key)
and re-signed with the key, its link following the new hashes. Re-signing stops at the first record that does
not verify: the records from there on keep their old hashes, so `jianfu audit verify` still reports the same
break and this migration launders nothing. The head follows only when the whole chain verified and matched it.
"""

import hashlib
import json
import sys

from django.db import migrations

GENESIS = "0" * 64
COLUMNS = ("pk", "seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr",
           "before", "after", "prev_hash", "hash")
BATCH = 5000


def _payload(row, prev_hash):
    import datetime as dt

    return json.dumps(
        [row["seq"], row["at"].astimezone(dt.UTC).isoformat(timespec="microseconds"), row["actor_id"],
         row["actor_label"], row["action"], row["object_type"], row["object_id"], row["object_repr"],
         row["before"], row["after"], prev_hash],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    ).encode("utf-8")


def _plain(payload):
    """The hash as written before the audit key (frozen here)."""
    return hashlib.sha256(payload).hexdigest()


def _resign(apps, schema_editor, *, to_keyed):
    import hmac

    from jianfu.audit.keys import audit_key

    key = audit_key()

    def keyed(payload):
        return hmac.new(key, payload, hashlib.sha256).hexdigest()

    sign = keyed if to_keyed else _plain
    AuditRecord = apps.get_model("audit", "AuditRecord")
    AuditHead = apps.get_model("audit", "AuditHead")
    connection = schema_editor.connection
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    quote = connection.ops.quote_name
    table = quote(AuditRecord._meta.db_table)
    update = f"UPDATE {table} SET {quote('prev_hash')} = %s, {quote('hash')} = %s WHERE {quote('id')} = %s"

    old_prev = new_prev = GENESIS
    expected, last_pk, intact = 1, 0, True
    while intact:
        batch = list(AuditRecord.objects.filter(pk__gt=last_pk).order_by("pk").values(*COLUMNS)[:BATCH])
        if not batch:
            break
        changes = []
        for row in batch:
            payload = _payload(row, row["prev_hash"])
            if (row["seq"] != expected or row["prev_hash"] != old_prev
                    or row["hash"] not in (_plain(payload), keyed(payload))):
                intact = False
                print(f"\n  The audit chain does not verify at record {expected}; records from there on keep their "
                      f"old hashes, and `jianfu audit verify` reports the break.", file=sys.stderr)
                break
            digest = sign(_payload(row, new_prev))
            if (row["prev_hash"], row["hash"]) != (new_prev, digest):
                changes.append((new_prev, digest, row["pk"]))
            old_prev, new_prev = row["hash"], digest
            expected += 1
            last_pk = row["pk"]
        if changes:
            with connection.cursor() as cursor:
                cursor.executemany(update, changes)
    if intact and head is not None and head.seq == expected - 1 and head.hash == old_prev:
        AuditHead.objects.filter(pk=head.pk).update(hash=new_prev)


def rekey(apps, schema_editor):
    _resign(apps, schema_editor, to_keyed=True)


def unkey(apps, schema_editor):
    _resign(apps, schema_editor, to_keyed=False)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(rekey, unkey),
    ]
