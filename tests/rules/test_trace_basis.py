"""The trace-keeping allow-list: the task force keeps it, everyone logged in reads it, every change is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jianfu.audit.models import AuditRecord
from jianfu.core.errors import ApplicationError
from jianfu.rules.catalogue import RULES
from jianfu.rules.models import RuleVersion, TraceBasis
from jianfu.rules.services import trace_bases_seed, trace_basis_create, trace_basis_update

pytestmark = pytest.mark.django_db


def flood(by, **overrides) -> TraceBasis:
    data = {"name": "防汛抗旱", "higher_rule": "《中华人民共和国防汛条例》", "effective_from": dt.date(2019, 1, 1),
            "description": "汛期值班巡查记录"}
    return trace_basis_create(by=by, **(data | overrides))


def form(**overrides) -> dict:
    data = {"name": "防汛抗旱", "higher_rule": "《中华人民共和国防汛条例》", "description": "汛期值班巡查记录",
            "effective_from": "2019-01-01", "effective_to": "", "active": "on"}
    return data | overrides


def test_safety_production_and_the_rule_are_seeded(db):
    trace_bases_seed()  # a no-op unless a transactional test flushed the migration's rows
    basis = TraceBasis.objects.get(name="安全生产")
    assert (basis.higher_rule, basis.active, basis.effective_from) == (
        "《中华人民共和国安全生产法》", True, dt.date(2019, 1, 1))
    assert AuditRecord.objects.filter(action="trace_basis.seed", object_id=str(basis.pk)).exists()
    rule = RULES["trace.requires_basis"]
    assert (rule.value_kind, rule.default, rule.severity) == ("bool", True, "block")


def test_the_data_migration_seeds_the_rule_for_databases_migrated_before_it(db):
    v = RuleVersion.objects.get(code="trace.requires_basis", scope_unit__isnull=True)
    assert (v.version, v.value, v.severity, v.effective_from) == (1, True, "block", dt.date(2019, 1, 1))
    assert v.source_clause == "除安全生产等上级有明确规定外，市直部门不得随意要求基层工作留痕"


def test_the_task_force_adds_and_edits_an_entry_and_each_change_is_audited(cast):
    basis = flood(cast.officer)
    assert basis.created_by == cast.officer
    created = AuditRecord.objects.get(action="trace_basis.create", object_id=str(basis.pk))
    assert created.actor_id == cast.officer.pk
    assert created.after["higher_rule"] == "《中华人民共和国防汛条例》"

    trace_basis_update(by=cast.officer, basis=basis, name="防汛抗旱", higher_rule="《中华人民共和国防洪法》",
                       effective_from=dt.date(2019, 1, 1), effective_to=dt.date(2020, 12, 31))
    basis.refresh_from_db()
    assert (basis.higher_rule, basis.effective_to) == ("《中华人民共和国防洪法》", dt.date(2020, 12, 31))
    updated = AuditRecord.objects.get(action="trace_basis.update", object_id=str(basis.pk))
    assert (updated.before["higher_rule"], updated.after["higher_rule"]) == (
        "《中华人民共和国防汛条例》", "《中华人民共和国防洪法》")


@pytest.mark.parametrize("who", ["leader", "cadre_a", "clerk"])
def test_only_the_task_force_may_change_the_allow_list(cast, who):
    person = getattr(cast, who)
    with pytest.raises(ApplicationError) as refused:
        flood(person)
    assert refused.value.code == "forbidden"
    basis = flood(cast.officer)
    with pytest.raises(ApplicationError):
        trace_basis_update(by=person, basis=basis, name=basis.name, higher_rule=basis.higher_rule,
                           effective_from=basis.effective_from, active=False)
    basis.refresh_from_db()
    assert basis.active
    assert not AuditRecord.objects.filter(action__startswith="trace_basis.", actor_id=person.pk).exists()


@pytest.mark.parametrize(("overrides", "code"), [
    ({"name": " "}, "name"), ({"higher_rule": ""}, "higher_rule"), ({"name": "安全生产"}, "name"),
    ({"effective_to": dt.date(2018, 12, 31)}, "dates")])
def test_an_invalid_entry_is_refused(cast, overrides, code):
    trace_bases_seed()
    with pytest.raises(ApplicationError) as refused:
        flood(cast.officer, **overrides)
    assert refused.value.code == code


@pytest.mark.parametrize("who", ["leader", "cadre_a", "cadre_b", "clerk"])
def test_the_write_pages_are_404_without_the_permission_but_the_list_is_readable(cast, who):
    trace_bases_seed()
    basis = TraceBasis.objects.get(name="安全生产")
    client = cast.client(getattr(cast, who))
    response = client.get(reverse("rules:trace_bases"))
    assert response.status_code == 200
    assert "安全生产" in response.content.decode()
    assert reverse("rules:trace_basis_new") not in response.content.decode()
    records = AuditRecord.objects.count()
    assert client.get(reverse("rules:trace_basis_new")).status_code == 404
    assert client.post(reverse("rules:trace_basis_new"), form()).status_code == 404
    assert client.get(reverse("rules:trace_basis_edit", args=[basis.pk])).status_code == 404
    assert client.post(reverse("rules:trace_basis_edit", args=[basis.pk]), form(name="安全生产")).status_code == 404
    assert client.post(reverse("rules:trace_basis_deactivate", args=[basis.pk])).status_code == 404
    basis.refresh_from_db()
    assert basis.active
    assert AuditRecord.objects.count() == records


def test_the_officer_adds_edits_and_takes_off_an_entry_through_the_pages(cast):
    client = cast.client(cast.officer)
    assert reverse("rules:trace_bases") in client.get(reverse("rules:rulebook")).content.decode()
    assert client.post(reverse("rules:trace_basis_new"), form()).status_code == 302
    basis = TraceBasis.objects.get(name="防汛抗旱")
    assert (basis.created_by, basis.active) == (cast.officer, True)

    response = client.post(reverse("rules:trace_basis_edit", args=[basis.pk]),
                           form(higher_rule="《中华人民共和国防洪法》"))
    assert response.status_code == 302
    basis.refresh_from_db()
    assert basis.higher_rule == "《中华人民共和国防洪法》"

    assert client.post(reverse("rules:trace_basis_deactivate", args=[basis.pk])).status_code == 302
    basis.refresh_from_db()
    assert not basis.active
    assert list(AuditRecord.objects.filter(object_type="rules.tracebasis", object_id=str(basis.pk))
                .order_by("seq").values_list("action", flat=True)) == [
        "trace_basis.create", "trace_basis.update", "trace_basis.update"]


def test_the_add_page_shows_a_refusal_beside_the_form(cast):
    response = cast.client(cast.officer).post(reverse("rules:trace_basis_new"),
                                              form(effective_to="2018-01-01"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not TraceBasis.objects.filter(name="防汛抗旱").exists()
