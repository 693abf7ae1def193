"""The seed migrations hold frozen values; a fresh database holds what today's catalogue and services describe.

These tests read the database as the migrations left it: they use `db` and not the cast, whose fixture
seeds missing rows through the services and would hide a migration that seeds too little. pytest-django
runs such tests before any transactional test can flush the migrations' rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from jianfu.audit.models import AuditHead, AuditRecord
from jianfu.audit.selectors import audit_chain_verify
from jianfu.burden.models import Activity, ActivityTable
from jianfu.burden.services import DEFAULT_MINUTES, activity_table_seed
from jianfu.rules.catalogue import DEFAULT_EFFECTIVE_FROM, RULES, SEED_NOTE
from jianfu.rules.models import RuleVersion, TraceBasis
from jianfu.rules.services import rulebook_seed, trace_bases_seed

SEED_MIGRATIONS = [
    ("rules", "0002_seed_source_defaults"), ("rules", "0004_seed_trace_basis"), ("rules", "0005_seed_off_list_rule"),
    ("rules", "0006_seed_inspection_and_report_rules"), ("burden", "0002_seed_activity_table"),
]
RULE_FIELDS = ("code", "version", "value", "severity", "source_clause", "effective_from", "note", "scope_unit_id")
BASIS_FIELDS = ("name", "higher_rule", "description", "active", "effective_from", "effective_to")
TABLE_FIELDS = ("version", "effective_from", "minutes", "note")
RECORD_FIELDS = ("actor_id", "actor_label", "action", "object_type", "object_repr", "before", "after")


def explain(found: list[str]) -> str:
    return "A seeded default changed in the code without a data migration that seeds it:\n" + "\n".join(found)


@pytest.fixture
def migrated(request, db):
    """The test database as the migrations built it."""
    if request.config.getoption("nomigrations", default=False):
        pytest.skip("the database was built without migrations")
    applied = MigrationRecorder(connection).applied_migrations()
    assert all(key in applied for key in SEED_MIGRATIONS)


def canonical(value: Any) -> str:
    """A value as JSON, so True and 1, or 5000 and 5000.0, differ as they do in the column."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def differences(what: str, migrated: dict[Any, dict], described: dict[Any, dict]) -> list[str]:
    """Each row the migrations seed differently from the code, by key and field."""
    found = [f"{what} {key}: seeded by the migrations, not described by the code"
             for key in migrated.keys() - described.keys()]
    found += [f"{what} {key}: described by the code, not seeded by the migrations"
              for key in described.keys() - migrated.keys()]
    for key in migrated.keys() & described.keys():
        for field, value in described[key].items():
            if canonical(migrated[key][field]) != canonical(value):
                found.append(f"{what} {key}: {field} is {migrated[key][field]!r} as migrated, {value!r} in the code")
    return sorted(found)


def keyed(rows: list[dict], *key: str) -> dict[Any, dict]:
    return {tuple(row[k] for k in key) if len(key) > 1 else row[key[0]]: row for row in rows}


def rule_rows() -> dict[Any, dict]:
    return keyed(list(RuleVersion.objects.values(*RULE_FIELDS)), "code", "scope_unit_id", "version")


def rules_in_the_catalogue() -> dict[Any, dict]:
    start = dt.date.fromisoformat(DEFAULT_EFFECTIVE_FROM)
    return keyed([{"code": code, "version": 1, "value": rule.default, "severity": rule.severity,
                   "source_clause": rule.clause, "effective_from": start, "note": SEED_NOTE, "scope_unit_id": None}
                  for code, rule in RULES.items()], "code", "scope_unit_id", "version")


def seeded_by_the_services() -> dict[str, Any]:
    """What today's seed services write on empty tables: the rows and their audit records (rolled back)."""
    with transaction.atomic():
        first = AuditHead.objects.get(pk=1).seq
        RuleVersion.objects.all().delete()
        TraceBasis.objects.all().delete()
        ActivityTable.objects.all().delete()
        rulebook_seed()
        trace_bases_seed()
        activity_table_seed()
        seeded = {
            "rules": rule_rows(),
            "bases": keyed(list(TraceBasis.objects.values(*BASIS_FIELDS)), "name"),
            "tables": keyed(list(ActivityTable.objects.values(*TABLE_FIELDS)), "version"),
            "records": list(AuditRecord.objects.filter(seq__gt=first).order_by("seq").values(*RECORD_FIELDS)),
        }
        transaction.set_rollback(True)
    return seeded


def test_a_fresh_database_holds_exactly_the_rules_the_catalogue_describes(migrated):
    found = differences("rule", rule_rows(), rules_in_the_catalogue())
    assert not found, explain(found)


def test_a_fresh_database_holds_the_allow_list_and_activity_table_the_seed_services_write(migrated):
    bases = keyed(list(TraceBasis.objects.values(*BASIS_FIELDS)), "name")
    tables = keyed(list(ActivityTable.objects.values(*TABLE_FIELDS)), "version")
    assert bases and tables
    live = seeded_by_the_services()
    found = differences("trace basis", bases, live["bases"]) + differences("activity table", tables, live["tables"])
    found += differences("rule", rule_rows(), live["rules"])
    assert not found, explain(found)


def test_the_migrations_audit_every_seeded_row_as_the_services_would_and_the_chain_verifies(migrated):
    report = audit_chain_verify()
    assert report.ok, report
    records = list(AuditRecord.objects.order_by("seq").values("object_type", "object_id", *RECORD_FIELDS))
    seeded = ([("rules.ruleversion", str(pk)) for pk in RuleVersion.objects.values_list("pk", flat=True)]
              + [("rules.tracebasis", str(pk)) for pk in TraceBasis.objects.values_list("pk", flat=True)]
              + [("burden.activitytable", str(pk)) for pk in ActivityTable.objects.values_list("pk", flat=True)])
    assert report.count == len(records) == len(seeded)
    assert sorted((r["object_type"], r["object_id"]) for r in records) == sorted(seeded)

    def content(rows: list[dict]) -> list[str]:
        return sorted(canonical({field: row[field] for field in RECORD_FIELDS}) for row in rows)

    migrated_records, service_records = content(records), content(seeded_by_the_services()["records"])
    assert migrated_records == service_records, "\n".join(sorted(set(migrated_records) ^ set(service_records)))


def test_a_catalogue_change_without_a_migration_is_named_as_a_difference(migrated, monkeypatch):
    monkeypatch.setitem(RULES, "meeting.max_minutes", dataclasses.replace(RULES["meeting.max_minutes"], default=90))
    monkeypatch.setitem(DEFAULT_MINUTES[Activity.FILL_FORM], "simple", 20)
    assert differences("rule", rule_rows(), rules_in_the_catalogue()) == [
        "rule ('meeting.max_minutes', None, 1): value is 120 as migrated, 90 in the code"]
    live = seeded_by_the_services()
    tables = keyed(list(ActivityTable.objects.values(*TABLE_FIELDS)), "version")
    found = differences("activity table", tables, live["tables"])
    migrated_minutes, live_minutes = tables[1]["minutes"], live["tables"][1]["minutes"]
    assert (migrated_minutes["fill_form"]["simple"], live_minutes["fill_form"]["simple"]) == (15, 20)
    assert found == [f"activity table 1: minutes is {migrated_minutes!r} as migrated, {live_minutes!r} in the code"]
