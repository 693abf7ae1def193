"""The audit log is append-only and its hash chain reveals any edit, deletion or reordering."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from jianfu.audit.chain import GENESIS, record_hash
from jianfu.audit.models import AppendOnlyError, AuditHead, AuditRecord
from jianfu.audit.selectors import audit_chain_verify
from jianfu.org import services as org

pytestmark = pytest.mark.django_db

TABLE = AuditRecord._meta.db_table


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def raw_sql(template: str, params: list | None = None) -> None:
    """Run SQL behind the ORM's back; `{t}` is the audit table and `{column}` a quoted column name."""
    columns = {f.column: q(f.column) for f in AuditRecord._meta.concrete_fields}
    with connection.cursor() as cursor:
        cursor.execute(template.format(t=q(TABLE), **columns), params or [])


def middle_seq() -> int:
    return AuditRecord.objects.count() // 2


def test_the_chain_of_a_fresh_cast_is_ok(cast):
    report = audit_chain_verify()
    assert report.ok
    assert report.count == AuditRecord.objects.count() > 10


def test_a_fresh_database_holds_only_the_seeded_rulebook_allow_list_and_activity_table_and_verifies(db):
    report = audit_chain_verify()
    assert report.ok
    seeded = ["rule.seed", "trace_basis.seed", "activity_table.change"]
    assert report.count == AuditRecord.objects.filter(action__in=seeded).count() > 0
    assert AuditRecord.objects.filter(action="trace_basis.seed").count() == 1
    assert AuditRecord.objects.filter(action="activity_table.change", actor_id__isnull=True).count() == 1


def test_records_link_each_to_the_one_before(cast):
    records = list(AuditRecord.objects.order_by("seq"))
    assert records[0].prev_hash == GENESIS
    assert [r.seq for r in records] == list(range(1, len(records) + 1))
    for earlier, later in zip(records, records[1:], strict=False):
        assert later.prev_hash == earlier.hash
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (records[-1].seq, records[-1].hash)


def test_it_detects_an_edited_after_value(cast):
    seq = middle_seq()
    raw_sql("UPDATE {t} SET {after} = %s WHERE {seq} = %s", ['{"name": "伪造"}', seq])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == seq
    assert report.reason == "altered"
    assert report.count == seq - 1


def test_it_detects_an_edited_actor_label(cast):
    raw_sql("UPDATE {t} SET {actor_label} = %s WHERE {seq} = %s", ["someone else", 2])
    assert audit_chain_verify().broken_seq == 2


def test_it_detects_a_row_rewritten_with_a_fresh_hash(cast):
    """Re-hashing the edited row does not help: the next row's link no longer matches."""
    seq = middle_seq()
    row = AuditRecord.objects.get(seq=seq)
    forged_hash = record_hash(seq=row.seq, at=row.at, actor_id=row.actor_id, actor_label=row.actor_label,
                              action=row.action, object_type=row.object_type, object_id=row.object_id,
                              object_repr=row.object_repr, before=row.before, after={"name": "伪造"},
                              prev_hash=row.prev_hash)
    raw_sql("UPDATE {t} SET {after} = %s, {hash} = %s WHERE {seq} = %s",
            ['{"name": "伪造"}', forged_hash, seq])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == seq + 1
    assert report.reason == "link"


def test_it_detects_a_deleted_row_in_the_middle(cast):
    seq = middle_seq()
    raw_sql("DELETE FROM {t} WHERE {seq} = %s", [seq])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == seq
    assert report.reason == "missing"


def test_it_detects_the_last_rows_deleted(cast):
    last = AuditRecord.objects.count()
    raw_sql("DELETE FROM {t} WHERE {seq} >= %s", [last - 1])
    report = audit_chain_verify()
    assert not report.ok
    assert report.reason == "truncated"


def test_it_detects_two_rows_with_swapped_sequence_numbers(cast):
    seq = middle_seq()
    raw_sql("UPDATE {t} SET {seq} = %s WHERE {seq} = %s", [10**9, seq])
    raw_sql("UPDATE {t} SET {seq} = %s WHERE {seq} = %s", [seq, seq + 1])
    raw_sql("UPDATE {t} SET {seq} = %s WHERE {seq} = %s", [seq + 1, 10**9])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == seq


def swap_columns(first: AuditRecord, second: AuditRecord, columns: list[str]) -> None:
    """Exchange the given columns' stored values between two rows."""
    values = {row.pk: AuditRecord.objects.filter(pk=row.pk).values(*columns).get() for row in (first, second)}
    assignments = ", ".join("{" + c + "} = %s" for c in columns)
    for row, other in ((first, second), (second, first)):
        params = [json.dumps(v) if c in ("before", "after") else v for c, v in values[other.pk].items()]
        raw_sql("UPDATE {t} SET " + assignments + " WHERE {id} = %s", [*params, row.pk])  # noqa: S608


def test_it_detects_two_rows_with_swapped_contents(cast):
    """Swapping what two records say, but not their sequence numbers and links, breaks the chain."""
    seq = middle_seq()
    first, second = AuditRecord.objects.get(seq=seq), AuditRecord.objects.get(seq=seq + 1)
    swap_columns(first, second, ["action", "object_type", "object_id", "object_repr", "before", "after"])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == seq


def test_it_detects_two_whole_rows_swapped_in_storage_order(cast):
    """Swapping every column but the primary key reorders the log; the walk in storage order sees it."""
    seq = middle_seq()
    first, second = AuditRecord.objects.get(seq=seq), AuditRecord.objects.get(seq=seq + 1)
    columns = [f.column for f in AuditRecord._meta.concrete_fields if f.column not in ("id", "seq")]
    swap_columns(first, second, columns)
    raw_sql("UPDATE {t} SET {seq} = %s WHERE {id} = %s", [10**9, first.pk])
    raw_sql("UPDATE {t} SET {seq} = %s WHERE {id} = %s", [seq, second.pk])
    raw_sql("UPDATE {t} SET {seq} = %s WHERE {id} = %s", [seq + 1, first.pk])
    assert AuditRecord.objects.get(pk=first.pk).hash == second.hash
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == seq


def test_the_audit_command_prints_ok_with_the_count(cast, capsys):
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert out.startswith("ok")
    assert str(AuditRecord.objects.count()) in out


def test_the_audit_command_fails_with_returncode_1_after_tampering(cast):
    raw_sql("UPDATE {t} SET {object_repr} = %s WHERE {seq} = %s", ["伪造", 3])
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify")
    assert caught.value.returncode == 1
    assert "3" in str(caught.value)


def test_the_verify_fragment_reports_a_broken_chain_to_officers(cast):
    client = cast.client(cast.officer)
    assert client.get(reverse("audit:verify")).context["report"].ok
    raw_sql("DELETE FROM {t} WHERE {seq} = %s", [2])
    assert not client.get(reverse("audit:verify")).context["report"].ok


def test_the_audit_log_page_lists_records_for_officers_and_filters_by_action(cast):
    client = cast.client(cast.officer)
    response = client.get(reverse("audit:list"), {"action": "membership."})
    assert response.status_code == 200
    actions = {r.action for r in response.context["page"].object_list}
    assert actions == {"membership.grant"}


# --- append-only ---------------------------------------------------------------

def test_queryset_update_raises(cast):
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(seq=1).update(action="x")


def test_queryset_delete_raises(cast):
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(seq=1).delete()


def test_instance_save_and_delete_raise(cast):
    record = AuditRecord.objects.get(seq=1)
    record.action = "x"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()


def test_bulk_update_raises(cast):
    record = AuditRecord.objects.get(seq=1)
    record.action = "x"
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.bulk_update([record], ["action"])


def test_nothing_changed_after_the_refused_writes(cast):
    attempts = (lambda: AuditRecord.objects.update(action="x"), lambda: AuditRecord.objects.all().delete())
    for attempt in attempts:
        with pytest.raises(AppendOnlyError):
            attempt()
    assert audit_chain_verify().ok
    assert not AuditRecord.objects.filter(action="x").exists()


def test_the_chain_stays_intact_through_many_kinds_of_writes(cast):
    org.unit_update(by=cast.officer, unit=cast.village_a, name="土桥新村", reason="并村更名")
    org.liaison_set(by=cast.officer, unit=cast.village_a, person=cast.village_cadre_a)
    org.person_update(by=cast.officer, person=cast.cadre_b, phone="13807350006", title="主任")
    org.unit_update(by=cast.officer, unit=cast.township_a, parent=cast.county, reason="区划调整")
    assert audit_chain_verify().ok


# --- the hash covers every field -------------------------------

BASE = {
    "seq": 7, "at": dt.datetime(2019, 5, 1, 9, 30, tzinfo=dt.UTC), "actor_id": 3, "actor_label": "周专班",
    "action": "unit.update", "object_type": "org.unit", "object_id": "12", "object_repr": "土桥镇",
    "before": {"name": "土桥镇"}, "after": {"name": "土桥新镇"}, "prev_hash": "a" * 64,
}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=8),
    lambda children: (st.lists(children, max_size=3)
                      | st.dictionaries(st.text(max_size=5), children, max_size=3)),
    max_leaves=6,
)
CHANGES = {
    "seq": st.integers(0, 10**9),
    "at": st.datetimes(timezones=st.just(dt.UTC)),
    "actor_id": st.none() | st.integers(0, 10**6),
    "actor_label": st.text(max_size=20),
    "action": st.text(max_size=20),
    "object_type": st.text(max_size=20),
    "object_id": st.text(max_size=20),
    "object_repr": st.text(max_size=20),
    "before": json_values,
    "after": json_values,
    "prev_hash": st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(CHANGES)).flatmap(lambda key: st.tuples(st.just(key), CHANGES[key])))
def test_the_hash_changes_whenever_any_field_changes(change):
    key, value = change
    if value == BASE[key] and type(value) is type(BASE[key]):
        return
    assert record_hash(**{**BASE, key: value}) != record_hash(**BASE)


@settings(max_examples=50, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1),
                    timezones=st.just(dt.UTC)))
def test_the_hash_does_not_depend_on_the_time_zone_a_time_is_read_in(moment):
    shanghai = moment.astimezone(timezone.get_fixed_timezone(480))
    assert record_hash(**{**BASE, "at": moment}) == record_hash(**{**BASE, "at": shanghai})


def test_a_record_written_while_the_chain_is_verified_is_not_taken_for_tampering(cast, monkeypatch):
    """A write that commits after the walk's last batch but before the head is read is no truncation."""
    from jianfu.audit import selectors

    written = []

    class RacingHead:
        class objects:  # noqa: N801 - stands in for the manager
            @staticmethod
            def filter(**lookup):
                if not written:
                    written.append(org.unit_update(by=None, unit=cast.village_a, name="并发写入"))
                return AuditHead.objects.filter(**lookup)

    monkeypatch.setattr(selectors, "AuditHead", RacingHead)
    report = audit_chain_verify()
    assert written
    assert report.ok, report
    assert report.count == AuditRecord.objects.count()
