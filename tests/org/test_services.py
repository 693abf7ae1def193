"""The organisation's services keep the tree, scope and audit invariants whoever calls them."""

from __future__ import annotations

import datetime as dt

import pytest

from jianfu.audit.models import AuditRecord
from jianfu.audit.selectors import audit_chain_verify
from jianfu.core.errors import ApplicationError, StaleEditError
from jianfu.org import scoping
from jianfu.org import services as org
from jianfu.org.models import ALLOWED_PARENTS, Membership, Role, TaskForceGroup, Unit, UnitType
from jianfu.org.permissions import Perm

pytestmark = pytest.mark.django_db


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def test_unit_update_with_a_stale_version_raises_and_changes_nothing(cast):
    unit = fresh(cast.township_a)
    opened_version = unit.version
    org.unit_update(by=cast.officer, reason="区划调整", unit=unit, version=opened_version, name="土桥镇（改）")
    records = AuditRecord.objects.count()
    with pytest.raises(StaleEditError) as caught:
        org.unit_update(by=cast.officer, reason="区划调整", unit=unit, version=opened_version, name="土桥镇（覆盖）")
    assert caught.value.code == "stale"
    unit = fresh(unit)
    assert unit.name == "土桥镇（改）"
    assert unit.version == opened_version + 1
    assert AuditRecord.objects.count() == records


def test_person_update_with_a_stale_version_raises_and_changes_nothing(cast):
    person = cast.cadre_a
    org.person_update(by=cast.officer, person=person, version=1, title="党委办主任")
    with pytest.raises(StaleEditError):
        org.person_update(by=cast.officer, person=person, version=1, title="覆盖")
    person.refresh_from_db()
    assert person.title == "党委办主任"


def test_unit_update_bumps_the_version_and_records_before_and_after(cast):
    unit = org.unit_update(by=cast.officer, reason="区划调整", unit=cast.village_a, version=1, name="土桥新村")
    assert unit.version == 2
    record = AuditRecord.objects.filter(action="unit.update").last()
    assert record.actor_id == cast.officer.pk
    assert record.before["name"] == "土桥村"
    assert record.after["name"] == "土桥新村"


def test_moving_a_unit_under_its_own_descendant_is_refused(cast):
    with pytest.raises(ApplicationError) as caught:
        org.unit_update(by=cast.officer, reason="区划调整", unit=cast.county, parent=cast.township_a)
    assert caught.value.code in ("parent_cycle", "parent_type")
    other = org.unit_create(by=None, code="OTHER1", name="协会", type=UnitType.OTHER, parent=cast.township_a)
    child = org.unit_create(by=None, code="OTHER2", name="分会", type=UnitType.OTHER, parent=other)
    with pytest.raises(ApplicationError) as caught:
        org.unit_update(by=cast.officer, reason="区划调整", unit=other, parent=child)
    assert caught.value.code == "parent_cycle"
    with pytest.raises(ApplicationError) as caught:
        org.unit_update(by=cast.officer, reason="区划调整", unit=other, parent=other)
    assert caught.value.code == "parent_cycle"
    assert fresh(other).parent_id == cast.township_a.pk


def test_moving_a_unit_re_paths_its_whole_subtree(cast):
    second_county = org.unit_create(by=None, code="431027", name="桂东县", type=UnitType.COUNTY,
                                    parent=cast.city)
    org.unit_update(by=cast.officer, reason="区划调整", unit=cast.township_a, parent=second_county)
    township, village = fresh(cast.township_a), fresh(cast.village_a)
    assert township.path == f"{second_county.path}{township.pk}/"
    assert village.path == f"{township.path}{village.pk}/"
    assert (township.level, village.level) == (second_county.level + 1, second_county.level + 2)
    for unit in Unit.objects.all():
        expected = f"{unit.parent.path if unit.parent_id else '/'}{unit.pk}/"
        assert unit.path == expected, unit
    # The scope follows the move: the cadre of A still sees the village, now under the other county.
    assert scoping.units_visible(type(cast.cadre_a).objects.get(pk=cast.cadre_a.pk)).filter(
        pk=village.pk).exists()


def test_moving_a_subtree_between_depths_keeps_levels_right(cast):
    other = org.unit_create(by=None, code="OTHER1", name="协会", type=UnitType.OTHER, parent=cast.city)
    inner = org.unit_create(by=None, code="OTHER2", name="分会", type=UnitType.OTHER, parent=other)
    org.unit_update(by=cast.officer, reason="区划调整", unit=other, parent=cast.township_b)
    assert fresh(other).level == fresh(cast.township_b).level + 1
    assert fresh(inner).level == fresh(cast.township_b).level + 2
    assert fresh(inner).path.startswith(fresh(cast.township_b).path)


@pytest.mark.parametrize(("child_type", "parent_name"), [
    (UnitType.VILLAGE, "county"),
    (UnitType.TOWNSHIP, "city"),
    (UnitType.COUNTY, "township_a"),
    (UnitType.TASK_FORCE, "township_a"),
    (UnitType.CITY, "city"),
    (UnitType.VILLAGE, None),
])
def test_unit_create_enforces_allowed_parents(cast, child_type, parent_name):
    parent = getattr(cast, parent_name) if parent_name else None
    with pytest.raises(ApplicationError) as caught:
        org.unit_create(by=None, code="BAD", name="错位", type=child_type, parent=parent)
    assert caught.value.code in ("parent_type", "parent_required")
    assert not Unit.objects.filter(code="BAD").exists()


def test_every_allowed_parent_pair_is_accepted(cast):
    parents = {UnitType.CITY: cast.city, UnitType.COUNTY: cast.county, UnitType.TOWNSHIP: cast.township_a,
               UnitType.DEPARTMENT: cast.department}
    for index, (child_type, allowed) in enumerate(ALLOWED_PARENTS.items()):
        for parent_type in allowed:
            if parent_type is None or parent_type not in parents:
                continue
            unit = org.unit_create(by=None, code=f"OK{index}{parent_type}", name="合规", type=child_type,
                                   parent=parents[parent_type])
            assert unit.parent_id == parents[parent_type].pk


def test_unit_update_enforces_allowed_parents(cast):
    with pytest.raises(ApplicationError):
        org.unit_update(by=cast.officer, reason="区划调整", unit=cast.village_a, parent=cast.county)
    assert fresh(cast.village_a).parent_id == cast.township_a.pk


def test_changing_a_units_type_may_not_strand_its_children(cast):
    """A township with villages cannot become a department: its villages would sit under a department."""
    with pytest.raises(ApplicationError):
        org.unit_update(by=cast.officer, reason="区划调整", unit=cast.township_a, type=UnitType.DEPARTMENT,
                        parent=cast.city)
    assert fresh(cast.township_a).type == UnitType.TOWNSHIP


def test_unit_update_refuses_an_empty_name_or_code(cast):
    with pytest.raises(ApplicationError):
        org.unit_update(by=cast.officer, reason="区划调整", unit=cast.village_a, name="  ")
    with pytest.raises(ApplicationError):
        org.unit_update(by=cast.officer, reason="区划调整", unit=cast.village_a, code="")
    assert fresh(cast.village_a).name == "土桥村"


def test_unit_codes_are_unique(cast):
    with pytest.raises(ApplicationError) as caught:
        org.unit_create(by=None, code=cast.village_a.code, name="重复", type=UnitType.VILLAGE,
                        parent=cast.township_b)
    assert caught.value.code == "duplicate_code"
    with pytest.raises(ApplicationError):
        org.unit_update(by=cast.officer, reason="区划调整", unit=cast.village_b, code=cast.village_a.code)


def test_the_liaison_must_be_a_member_of_the_unit(cast):
    with pytest.raises(ApplicationError) as caught:
        org.liaison_set(by=cast.officer, unit=cast.township_a, person=cast.cadre_b)
    assert caught.value.code == "not_member"
    assert fresh(cast.township_a).liaison_id is None
    org.liaison_set(by=cast.cadre_a, unit=cast.township_a, person=cast.cadre_a)
    assert fresh(cast.township_a).liaison_id == cast.cadre_a.pk


def test_a_revoked_member_cannot_become_liaison_and_revoking_the_liaison_clears_it(cast):
    org.liaison_set(by=None, unit=cast.township_a, person=cast.cadre_a)
    membership = Membership.objects.get(person=cast.cadre_a, unit=cast.township_a)
    org.membership_revoke(by=cast.officer, membership=membership)
    assert fresh(cast.township_a).liaison_id is None
    with pytest.raises(ApplicationError):
        org.liaison_set(by=None, unit=cast.township_a, person=cast.cadre_a)


def test_an_outsider_cannot_name_a_liaison_through_the_service(cast):
    with pytest.raises(ApplicationError) as caught:
        org.liaison_set(by=cast.cadre_b, unit=cast.township_a, person=cast.cadre_a)
    assert caught.value.code == "forbidden"


def test_a_leader_cannot_write_through_any_service(cast):
    records = AuditRecord.objects.count()
    calls = [
        lambda: org.unit_create(by=cast.leader, code="X", name="新", type=UnitType.VILLAGE,
                                parent=cast.township_a),
        lambda: org.unit_update(by=cast.leader, unit=cast.township_a, name="改"),
        lambda: org.unit_set_active(by=cast.leader, unit=cast.village_a, active=False),
        lambda: org.liaison_set(by=cast.leader, unit=cast.city, person=cast.leader),
        lambda: org.person_create(by=cast.leader, username="x", name="新"),
        lambda: org.person_update(by=cast.leader, person=cast.cadre_a, name="改"),
        lambda: org.membership_grant(by=cast.leader, person=cast.leader, unit=cast.city,
                                     role=Role.SYSTEM_ADMIN),
    ]
    for call in calls:
        with pytest.raises(ApplicationError) as caught:
            call()
        assert caught.value.code == "forbidden"
    assert AuditRecord.objects.count() == records


def test_services_keep_scope_even_for_a_role_that_may_manage(cast, monkeypatch):
    """Were a township cadre given the manage permission, the services still stop at the township's edge."""
    perms = dict(scoping.ROLE_PERMS)
    perms[Role.GRASSROOTS_CADRE] = perms[Role.GRASSROOTS_CADRE] | {Perm.ORG_MANAGE}
    monkeypatch.setattr(scoping, "ROLE_PERMS", perms)
    cadre_b = type(cast.cadre_b).objects.get(pk=cast.cadre_b.pk)
    with pytest.raises(ApplicationError):
        org.unit_create(by=cadre_b, code="X", name="新村", type=UnitType.VILLAGE, parent=cast.township_a)
    with pytest.raises(ApplicationError):
        org.unit_update(by=cadre_b, unit=cast.village_b, parent=cast.township_a)
    with pytest.raises(ApplicationError):
        org.membership_grant(by=cadre_b, person=cadre_b, unit=cast.township_a, role=Role.GRASSROOTS_CADRE)
    assert not Unit.objects.filter(code="X").exists()
    assert org.unit_create(by=cadre_b, code="Y", name="新村", type=UnitType.VILLAGE, parent=cast.township_b)


def test_a_unit_with_active_sub_units_cannot_be_deactivated(cast):
    with pytest.raises(ApplicationError) as caught:
        org.unit_set_active(by=cast.officer, unit=cast.township_a, active=False)
    assert caught.value.code == "has_children"
    org.unit_set_active(by=cast.officer, unit=cast.village_a, active=False)
    org.unit_set_active(by=cast.officer, unit=cast.township_a, active=False)
    assert not fresh(cast.township_a).active


def test_login_names_are_unique(cast):
    with pytest.raises(ApplicationError) as caught:
        org.person_create(by=cast.officer, username="cadre_a", name="重名")
    assert caught.value.code == "duplicate_username"


def test_membership_grant_rejects_an_unknown_role(cast):
    with pytest.raises(ApplicationError):
        org.membership_grant(by=cast.officer, person=cast.cadre_a, unit=cast.village_a, role="emperor")


def test_granting_a_held_role_again_writes_nothing(cast):
    records = AuditRecord.objects.count()
    org.membership_grant(by=cast.officer, person=cast.cadre_a, unit=cast.township_a,
                         role=Role.GRASSROOTS_CADRE)
    assert AuditRecord.objects.count() == records


def test_secondment_makes_the_person_a_task_force_officer(cast):
    group = org.task_force_group_create(by=cast.officer, task_force=cast.task_force,
                                        kind=TaskForceGroup.Kind.SUPERVISION, name="监督督查组")
    org.secondment_create(by=cast.officer, person=cast.clerk, group=group, from_unit=cast.department,
                          start=dt.date(2019, 5, 1), end=dt.date(2019, 7, 31))
    assert Membership.objects.filter(person=cast.clerk, unit=cast.task_force, role=Role.TASK_FORCE_OFFICER,
                                     active=True).exists()
    with pytest.raises(ApplicationError):
        org.secondment_create(by=cast.officer, person=cast.cadre_a, group=group, from_unit=cast.township_a,
                              start=dt.date(2019, 5, 1), end=dt.date(2019, 4, 1))


def test_task_force_groups_belong_to_a_task_force(cast):
    with pytest.raises(ApplicationError):
        org.task_force_group_create(by=cast.officer, task_force=cast.department,
                                    kind=TaskForceGroup.Kind.PUBLICITY, name="新闻宣传组")


# --- every service write is audited in the same transaction ---

def test_every_service_write_adds_exactly_one_audit_record(cast):
    group = org.task_force_group_create(by=cast.officer, task_force=cast.task_force,
                                        kind=TaskForceGroup.Kind.COORDINATION, name="综合协调组")
    steps = [
        ("unit.create", lambda: org.unit_create(by=cast.officer, code="N1", name="新村",
                                                type=UnitType.VILLAGE, parent=cast.township_a)),
        ("unit.update", lambda: org.unit_update(by=cast.officer, reason="区划调整", unit=Unit.objects.get(code="N1"),
                                                name="新村2")),
        ("unit.update", lambda: org.unit_set_active(by=cast.officer, unit=Unit.objects.get(code="N1"),
                                                    active=False)),
        ("unit.liaison_set", lambda: org.liaison_set(by=cast.officer, unit=cast.village_a,
                                                     person=cast.village_cadre_a)),
        ("person.create", lambda: org.person_create(by=cast.officer, username="n1", name="新人")),
        ("person.update", lambda: org.person_update(by=cast.officer, person=cast.cadre_a, title="主任")),
        ("person.set_password", lambda: org.person_set_password(by=cast.cadre_a, person=cast.cadre_a,
                                                                password="Another-pass-2019")),
        ("membership.grant", lambda: org.membership_grant(by=cast.officer, person=cast.cadre_a,
                                                          unit=cast.village_a, role=Role.GRASSROOTS_CADRE)),
        ("membership.revoke", lambda: org.membership_revoke(
            by=cast.officer, membership=Membership.objects.get(person=cast.cadre_a, unit=cast.village_a))),
        ("task_force_group.create", lambda: org.task_force_group_create(
            by=cast.officer, task_force=cast.task_force, kind=TaskForceGroup.Kind.PUBLICITY,
            name="新闻宣传组")),
    ]
    for action, step in steps:
        before = AuditRecord.objects.count()
        step()
        new = list(AuditRecord.objects.filter(seq__gt=before))
        assert [r.action for r in new] == [action]
        assert new[0].actor_id == (cast.cadre_a.pk if action == "person.set_password" else cast.officer.pk)
    before = AuditRecord.objects.count()
    org.secondment_create(by=cast.officer, person=cast.clerk, group=group, from_unit=cast.department,
                          start=dt.date(2019, 5, 1))
    assert sorted(r.action for r in AuditRecord.objects.filter(seq__gt=before)) == [
        "membership.grant", "secondment.create"]
    assert audit_chain_verify().ok


def test_a_failing_service_leaves_no_audit_record(cast):
    records = AuditRecord.objects.count()
    with pytest.raises(ApplicationError):
        org.unit_create(by=cast.officer, code=cast.city.code, name="重复", type=UnitType.CITY)
    with pytest.raises(ApplicationError):
        org.unit_update(by=cast.officer, reason="区划调整", unit=cast.county, parent=cast.village_a)
    assert AuditRecord.objects.count() == records


def test_a_service_failing_after_its_first_audit_record_rolls_the_record_back(cast, monkeypatch):
    """The secondment's membership grant is audited, then the secondment's own record fails: nothing stays."""
    group = org.task_force_group_create(by=cast.officer, task_force=cast.task_force,
                                        kind=TaskForceGroup.Kind.SUPERVISION, name="监督督查组")
    records = AuditRecord.objects.count()
    real = org.audit_record

    def failing(**kwargs):
        if kwargs["action"] == "secondment.create":
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(org, "audit_record", failing)
    with pytest.raises(RuntimeError):
        org.secondment_create(by=cast.officer, person=cast.clerk, group=group, from_unit=cast.department,
                              start=dt.date(2019, 5, 1))
    assert AuditRecord.objects.count() == records
    assert not Membership.objects.filter(person=cast.clerk, unit=cast.task_force).exists()
    assert not group.secondments.exists()
    monkeypatch.undo()
    assert audit_chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_audit_records_need_a_transaction():
    from jianfu.audit.services import audit_record

    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="nothing", object_type="x")
