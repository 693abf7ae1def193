"""The chain is anchored outside the database: records are signed with a key the database does not hold, and
signed checkpoints of the head sit in an append-only file that `jianfu audit verify` holds the table to."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from jianfu.audit.chain import GENESIS, record_hash, record_payload
from jianfu.audit.checkpoints import Checkpoint, checkpoint_append, checkpoints_read, database_name
from jianfu.audit.keys import audit_key
from jianfu.audit.models import AuditHead, AuditRecord
from jianfu.audit.selectors import audit_chain_verify
from jianfu.audit.services import ChainBroken, audit_checkpoint_write
from jianfu.org import services as org

pytestmark = pytest.mark.django_db

TABLE = AuditRecord._meta.db_table
FIELDS = ("seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr", "before",
          "after")


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rewrite(*, seq: int, after: dict, sign) -> None:
    """What an attacker with write access does: change record `seq`, re-hash it and every later record with
    `sign`, and move the head to the new last hash, so every link matches."""
    rows = list(AuditRecord.objects.filter(seq__gte=seq).order_by("seq").values("pk", *FIELDS))
    prev = AuditRecord.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    for row in rows:
        if row["seq"] == seq:
            row["after"] = after
            execute(f"UPDATE {q(TABLE)} SET {q('after')} = %s WHERE {q('id')} = %s",  # noqa: S608 - names only
                    [json.dumps(after, ensure_ascii=False), row["pk"]])
        digest = sign({**{f: row[f] for f in FIELDS}, "prev_hash": prev})
        execute(f"UPDATE {q(TABLE)} SET {q('prev_hash')} = %s, {q('hash')} = %s WHERE {q('id')} = %s",  # noqa: S608
                [prev, digest, row["pk"]])
        prev = digest
    AuditHead.objects.filter(pk=1).update(hash=prev)


def with_the_key(fields: dict) -> str:
    return record_hash(**fields)


def without_the_key(fields: dict) -> str:
    """The chain as it was hashed before it was keyed: plain SHA-256, which anyone can recompute."""
    return hashlib.sha256(record_payload(**fields).encode("utf-8")).hexdigest()


def more_writes(cast) -> None:
    org.liaison_set(by=cast.officer, unit=cast.village_a, person=cast.village_cadre_a)
    org.person_update(by=cast.officer, person=cast.cadre_b, phone="13807350006", title="主任")


def verify_command() -> str:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("audit", "verify", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def failing_verify_command(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", *args)
    assert caught.value.returncode == 1
    return str(caught.value)


# --- the acceptance item and the attacks of the sweep -------------------------------------------------------

def test_an_edited_and_rehashed_audit_chain_is_detected_against_the_checkpoint(cast):
    """Even rewritten with the key itself, a prefix the checkpoint vouched for no longer matches it."""
    audit_checkpoint_write()
    more_writes(cast)
    seq = AuditRecord.objects.count() // 2
    rewrite(seq=seq, after={"name": "伪造"}, sign=with_the_key)
    checkpoint = checkpoints_read()[-1]

    report = audit_chain_verify()
    assert not report.ok
    assert report.reason == "checkpoint_mismatch"
    assert report.broken_seq == checkpoint.seq
    message = failing_verify_command()
    assert f"audit record {checkpoint.seq} is not the record the checkpoint" in message
    assert "rewritten" in message


def test_a_chain_edited_and_rehashed_without_the_key_fails_at_the_edited_record(cast):
    """The attack of the sweep: without the key the new hashes cannot match, checkpoint or not."""
    seq = AuditRecord.objects.count() // 2
    rewrite(seq=seq, after={"name": "伪造"}, sign=without_the_key)
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq, report.reason) == (False, seq, "altered")
    assert f"audit record {seq} (altered" in failing_verify_command()


def test_an_emptied_table_with_its_head_reset_is_detected(cast):
    audit_checkpoint_write()
    counted = AuditRecord.objects.count()
    execute(f"DELETE FROM {q(TABLE)}", [])  # noqa: S608 - the table's name
    AuditHead.objects.filter(pk=1).update(seq=0, hash=GENESIS)

    report = audit_chain_verify()
    assert (report.ok, report.count, report.reason) == (False, 0, "below_checkpoint")
    assert "holds 0 audit records, but the checkpoint of" in failing_verify_command()
    assert f"counted {counted}: records were deleted" in failing_verify_command()


def test_records_cut_off_the_end_with_the_head_moved_back_are_detected(cast):
    audit_checkpoint_write()
    last = AuditRecord.objects.count()
    execute(f"DELETE FROM {q(TABLE)} WHERE {q('seq')} > %s", [last - 3])  # noqa: S608 - names only
    AuditHead.objects.filter(pk=1).update(seq=last - 3, hash=AuditRecord.objects.get(seq=last - 3).hash)
    report = audit_chain_verify()
    assert (report.ok, report.reason, report.failed_checkpoint.count) == (False, "below_checkpoint", last)


def test_a_checkpoint_line_whose_signature_is_wrong_is_detected(cast, _own_checkpoint_file):
    audit_checkpoint_write()
    more_writes(cast)
    audit_checkpoint_write()
    lines = _own_checkpoint_file.read_text().splitlines()
    forged = json.loads(lines[0])
    forged["count"] -= 5  # an edited count keeps the old signature
    _own_checkpoint_file.write_text("\n".join([json.dumps(forged), lines[1]]) + "\n")

    report = audit_chain_verify()
    assert (report.ok, report.reason, report.bad_line) == (False, "checkpoint_invalid", 1)
    assert "line 1 of" in failing_verify_command()


def test_a_checkpoint_signed_with_another_key_is_detected(cast, _own_checkpoint_file):
    head = AuditHead.objects.get()
    forged = Checkpoint(db=database_name(), seq=head.seq, hash=head.hash, count=head.seq,
                        at=timezone.now().replace(microsecond=0))
    fields = forged.fields()
    line = json.dumps({**fields, "mac": forged.mac(b"k" * 40)})
    _own_checkpoint_file.write_text(line + "\n")
    assert audit_chain_verify().reason == "checkpoint_invalid"


def test_every_checkpoint_in_the_file_is_checked_not_only_the_latest(cast):
    audit_checkpoint_write()
    first = checkpoints_read()[-1]
    more_writes(cast)
    audit_checkpoint_write()
    rewrite(seq=first.seq, after={"name": "伪造"}, sign=with_the_key)
    # The latest checkpoint signed the head before the rewrite; the rewrite changed it too, but the first
    # checkpoint is met first in the walk.
    report = audit_chain_verify()
    assert (report.ok, report.reason, report.broken_seq) == (False, "checkpoint_mismatch", first.seq)
    assert report.failed_checkpoint == first


def test_a_checkpoint_is_refused_over_a_chain_rewritten_since_the_one_before(cast, _own_checkpoint_file):
    audit_checkpoint_write()
    more_writes(cast)
    rewrite(seq=checkpoints_read()[-1].seq, after={"name": "伪造"}, sign=with_the_key)
    before = _own_checkpoint_file.read_text()
    with pytest.raises(ChainBroken):
        audit_checkpoint_write()
    with pytest.raises(CommandError) as caught:
        call_command("audit", "checkpoint")
    assert caught.value.returncode == 1
    assert "no checkpoint written" in str(caught.value)
    assert _own_checkpoint_file.read_text() == before


# --- checkpoints, the schedule and the age ---------------------------------------------------------------

def test_the_scheduled_job_writes_a_checkpoint(cast, _own_checkpoint_file):
    from jianfu.core.models import ScheduledJob
    from jianfu.core.scheduling import SCHEDULE, schedule_sync, schedule_tick

    spec = next(s for s in SCHEDULE if s.name == "audit-checkpoint")
    assert spec.every == ScheduledJob.Every.HOUR
    start = timezone.now()
    schedule_sync(specs=[spec], now=start)
    assert schedule_tick(now=start + dt.timedelta(hours=1, minutes=1)) == ["audit-checkpoint"]

    [checkpoint] = checkpoints_read()
    head = AuditHead.objects.get()
    assert (checkpoint.db, checkpoint.seq, checkpoint.hash, checkpoint.count) == (
        database_name(), head.seq, head.hash, AuditRecord.objects.count())


def test_the_checkpoint_command_appends_the_line_and_prints_it_for_the_operator(cast, _own_checkpoint_file):
    from io import StringIO

    out = StringIO()
    call_command("audit", "checkpoint", stdout=out, stderr=StringIO())
    more_writes(cast)
    call_command("audit", "checkpoint", stdout=out, stderr=StringIO())
    printed = out.getvalue().splitlines()
    assert printed == _own_checkpoint_file.read_text().splitlines()
    assert json.loads(printed[1])["count"] == AuditRecord.objects.count() > json.loads(printed[0])["count"]
    assert all(set(json.loads(line)) == {"v", "db", "seq", "hash", "count", "at", "mac"} for line in printed)


def test_the_checkpoint_file_is_only_ever_appended_to(cast, _own_checkpoint_file):
    _own_checkpoint_file.write_text("")
    audit_checkpoint_write()
    first = _own_checkpoint_file.read_text()
    more_writes(cast)
    audit_checkpoint_write()
    assert _own_checkpoint_file.read_text().startswith(first)


def test_verify_reports_the_checkpoints_age_and_fails_when_asked_for_a_fresher_one(cast):
    head = AuditHead.objects.get()
    checkpoint_append(Checkpoint(db=database_name(), seq=head.seq, hash=head.hash, count=head.seq,
                                 at=timezone.now().replace(microsecond=0) - dt.timedelta(minutes=25)))
    more_writes(cast)
    report = audit_chain_verify()
    assert report.ok
    assert dt.timedelta(minutes=25) <= report.checkpoint_age < dt.timedelta(minutes=26)
    assert report.since_checkpoint == AuditRecord.objects.count() - head.seq
    out = verify_command()
    assert out.startswith(f"ok: {AuditRecord.objects.count()} audit records, chain intact and matches 1 checkpoint")
    assert "25 minutes ago" in out
    assert "more than 10 minutes" in failing_verify_command("--max-age", "10")
    call_command("audit", "verify", "--max-age", "30", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_a_normal_run_passes(cast):
    audit_checkpoint_write()
    more_writes(cast)
    audit_checkpoint_write()
    org.unit_update(by=cast.officer, unit=cast.village_a, name="土桥新村", reason="并村更名")
    report = audit_chain_verify()
    assert report.ok, report
    assert (report.count, report.checkpoints, report.since_checkpoint) == (AuditRecord.objects.count(), 2, 1)
    assert "matches 2 checkpoints" in verify_command()


def test_without_a_checkpoint_verify_passes_but_says_only_the_key_protects_the_chain(cast):
    out = verify_command()
    assert out.startswith("ok: ")
    assert "no checkpoint yet" in out
    assert "only the audit key protects the chain" in out
    assert "no checkpoint" in failing_verify_command("--max-age", "60")


def test_checkpoints_of_another_database_sharing_the_file_are_left_aside(cast):
    """A development database and the test database may share var/; each is held to its own checkpoints."""
    checkpoint_append(Checkpoint(db="sqlite:elsewhere.sqlite3", seq=10**6, hash="f" * 64, count=10**6,
                                 at=timezone.now().replace(microsecond=0)))
    report = audit_chain_verify()
    assert report.ok
    assert report.checkpoint is None


# --- the audit page -------------------------------------------------------------------------------------

def test_the_audit_page_shows_the_checkpoint_and_then_the_rewrite(cast):
    client = cast.client(cast.officer)
    audit_checkpoint_write()
    page = client.get(reverse("audit:verify"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "It matches 1 signed checkpoint" in page
    rewrite(seq=3, after={"name": "伪造"}, sign=with_the_key)
    response = client.get(reverse("audit:verify"), HTTP_ACCEPT_LANGUAGE="en")
    assert not response.context["report"].ok
    assert "The audit chain was rewritten" in response.content.decode()


def test_the_audit_page_shows_an_emptied_table(cast):
    client = cast.client(cast.officer)
    audit_checkpoint_write()
    execute(f"DELETE FROM {q(TABLE)}", [])  # noqa: S608 - the table's name
    AuditHead.objects.filter(pk=1).update(seq=0, hash=GENESIS)
    page = client.get(reverse("audit:verify"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Audit records were deleted" in page


def test_the_chain_status_is_not_shown_to_a_township_cadre(cast):
    assert cast.client(cast.cadre_b).get(reverse("audit:verify")).status_code == 404


# --- the key --------------------------------------------------------------------------------------------

def test_a_missing_key_file_is_created_on_first_use_readable_by_its_owner_only(settings, tmp_path):
    settings.JIANFU_AUDIT_KEY = ""
    settings.JIANFU_AUDIT_KEY_FILE = tmp_path / "keys" / "audit.key"
    key = audit_key()
    assert len(key) >= 32
    assert stat.S_IMODE(settings.JIANFU_AUDIT_KEY_FILE.stat().st_mode) == 0o600
    assert audit_key() == key == settings.JIANFU_AUDIT_KEY_FILE.read_text().strip().encode()


def test_records_are_signed_with_the_key_from_the_environment(cast, settings):
    settings.JIANFU_AUDIT_KEY = "an-operator's-key-of-forty-characters-00"
    org.person_update(by=cast.officer, person=cast.cadre_b, title="主任")
    record = AuditRecord.objects.order_by("seq").last()
    fields = {f: getattr(record, f if f != "actor_id" else "actor_id") for f in FIELDS}
    assert record.hash == record_hash(**fields, prev_hash=record.prev_hash,
                                      key=b"an-operator's-key-of-forty-characters-00")
    assert record.hash != record_hash(**fields, prev_hash=record.prev_hash, key=b"x" * 40)
