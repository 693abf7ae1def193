"""Inspections outside the plan: one-off approval (一事一报) before a control number; renaming, splitting and
widening an approved item are flagged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jianfu.core.errors import ApplicationError
from jianfu.demands import services as demand_services
from jianfu.demands.models import Demand, Kind, Review, Status
from jianfu.inspections import services
from jianfu.inspections.models import Method, OneOffApproval

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
ITEM_TEXT = "对危险化学品、非煤矿山、建筑施工等重点行业领域开展隐患排查治理"


@pytest.fixture
def approved_item(cast):
    plan = services.inspection_plan_create(by=cast.officer, unit=cast.city, year=TODAY.year)
    item = services.plan_item_propose(by=cast.clerk, plan=plan, proposing_unit=cast.department,
                                      title="安全生产大检查", description=ITEM_TEXT, method=Method.ON_SITE,
                                      months=[3], targets=[(cast.township_a, True)])
    plan.refresh_from_db()
    services.inspection_plan_approve(by=cast.officer, plan=plan, version=plan.version)
    item.refresh_from_db()
    return item


def file_inspection(cast, *, title="暴雨灾后重建专项督查", body="对受灾乡镇灾后重建和救灾资金发放开展督查",
                    targets=None, why="汛期突发灾情，年初计划未列入。"):
    return demand_services.demand_file(
        by=cast.clerk, kind=Kind.INSPECTION, issuing_unit=cast.department, title=title, body=body,
        data={"method": Method.ON_SITE, "times_per_year": 1, "on_site": True, "months": [7], "prepares": "",
              "why_outside_plan": why},
        targets=targets if targets is not None else [(cast.township_a, True)], occurs_on=TODAY)


def rules_of(demand):
    return [(f.rule_code, f.severity, f.detail.get("drift")) for f in demand.current_revision.findings.all()]


def test_an_off_plan_inspection_cannot_get_a_control_number_without_a_one_off_approval(cast):
    demand = file_inspection(cast)
    assert ("inspections.one_off", "warn", None) in rules_of(demand)
    demand = demand_services.demand_submit(by=cast.clerk, demand=demand, version=demand.version)
    with pytest.raises(ApplicationError) as err:
        demand_services.demand_review(by=cast.officer, demand=demand, version=demand.version,
                                      decision=Review.Decision.APPROVE)
    assert err.value.code == "one_off_required" and "inspections.one_off" in str(err.value.message)
    demand.refresh_from_db()
    assert demand.status == Status.CHECKED and demand.control_number is None

    services.one_off_approval_record(by=cast.officer, demand=demand, reason="灾情紧急，市委主要领导同意",
                                     approver=cast.leader, approved_on=TODAY)
    demand = demand_services.demand_review(by=cast.officer, demand=demand, version=demand.version,
                                           decision=Review.Decision.APPROVE)
    assert demand.control_number.startswith(f"DC-{TODAY.year}-")
    approval = OneOffApproval.objects.get(demand=demand)
    assert (approval.approver, approval.recorded_by) == (cast.leader, cast.officer)


def test_the_one_off_approval_is_recorded_from_the_filing_page_and_shown_there(cast):
    demand = file_inspection(cast)
    demand = demand_services.demand_submit(by=cast.clerk, demand=demand, version=demand.version)
    client = cast.client(cast.officer)
    page = client.get(demand.get_absolute_url()).content.decode()
    assert reverse("inspections:one_off", args=[demand.pk]) in page
    response = client.post(reverse("inspections:one_off", args=[demand.pk]), {
        "approver": cast.leader.pk, "approved_on": TODAY.isoformat(), "reason": "灾情紧急"}, follow=True)
    assert response.status_code == 200
    assert OneOffApproval.objects.filter(demand=demand, approver=cast.leader).exists()
    assert "灾情紧急" in response.content.decode()


def test_a_one_off_approval_needs_a_reason_and_only_the_task_force_records_it(cast):
    demand = file_inspection(cast)
    with pytest.raises(ApplicationError):
        services.one_off_approval_record(by=cast.officer, demand=demand, reason="  ", approver=cast.leader,
                                         approved_on=TODAY)
    with pytest.raises(ApplicationError):
        services.one_off_approval_record(by=cast.clerk, demand=demand, reason="自己批自己", approver=cast.leader,
                                         approved_on=TODAY)
    assert cast.client(cast.clerk).post(reverse("inspections:one_off", args=[demand.pk]), {
        "approver": cast.leader.pk, "approved_on": TODAY.isoformat(), "reason": "x"}).status_code == 404
    assert not OneOffApproval.objects.exists()


def test_a_filing_without_a_reason_for_being_outside_the_plan_cannot_be_submitted(cast):
    demand = file_inspection(cast, why="")
    assert ("inspections.one_off", "block", None) in rules_of(demand)
    with pytest.raises(ApplicationError):
        demand_services.demand_submit(by=cast.clerk, demand=demand, version=demand.version)


def test_a_renamed_copy_of_an_approved_item_is_flagged(cast, approved_item):
    demand = file_inspection(cast, title="重点行业领域专项整治督查", body=ITEM_TEXT)
    finding = next(f for f in demand.current_revision.findings.all() if f.rule_code == "inspections.plan_drift")
    assert finding.detail["drift"] == "renamed" and finding.detail["plan_item_id"] == approved_item.pk
    assert approved_item.demand.control_number in finding.text()


def test_widening_an_approved_item_to_more_units_is_flagged(cast, approved_item):
    demand = file_inspection(cast, title="安全生产大检查", body=ITEM_TEXT, targets=[(cast.township_b, True)])
    drift = {d for _r, _s, d in rules_of(demand) if d}
    assert drift == {"widened"}
    finding = next(f for f in demand.current_revision.findings.all() if f.detail.get("drift") == "widened")
    assert "热水镇" in finding.text()


def test_splitting_an_approved_item_into_several_filings_is_flagged(cast, approved_item):
    file_inspection(cast, title="安全生产大检查", body=ITEM_TEXT + "（上半年）")
    second = file_inspection(cast, title="安全生产大检查", body=ITEM_TEXT + "（下半年）")
    assert "split" in {d for _r, _s, d in rules_of(second)}


def test_filing_an_approved_item_again_unchanged_points_to_its_number(cast, approved_item):
    demand = file_inspection(cast, title="安全生产大检查", body=ITEM_TEXT)
    assert {d for _r, _s, d in rules_of(demand) if d} == {"repeat"}


def test_an_unrelated_inspection_is_not_flagged_as_drift(cast, approved_item):
    demand = file_inspection(cast)
    assert not [r for r in rules_of(demand) if r[0] == "inspections.plan_drift"]


def test_the_inspection_filing_page_files_through_the_gate_and_keeps_what_was_typed(cast):
    client = cast.client(cast.clerk)
    url = reverse("demands:new", args=["inspection"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"title": "暴雨灾后重建专项督查", "issuing_unit": cast.department.pk,
                            "occurs_on": TODAY.isoformat(), "method": "nonsense", "times_per_year": 1})
    assert bad.status_code == 400 and "暴雨灾后重建专项督查" in bad.content.decode()
    response = client.post(url, {
        "title": "暴雨灾后重建专项督查", "issuing_unit": cast.department.pk, "occurs_on": TODAY.isoformat(),
        "targets": [cast.township_a.pk], "include_below": "on", "method": Method.ON_SITE, "times_per_year": 1,
        "on_site": "on", "months": ["7"], "prepares": "安置台账", "why_outside_plan": "突发灾情",
        "details": "对受灾乡镇开展督查"})
    assert response.status_code == 302
    demand = Demand.objects.get(kind=Kind.INSPECTION)
    assert demand.current_revision.data["months"] == [7]
    edit = client.get(reverse("demands:edit", args=[demand.pk])).content.decode()
    assert "突发灾情" in edit and "安置台账" in edit


def test_outsiders_cannot_see_an_inspection_filing(cast):
    demand = file_inspection(cast, targets=[(cast.township_a, False)])
    assert cast.client(cast.cadre_b).get(demand.get_absolute_url()).status_code == 404
    assert cast.client(cast.cadre_a).get(demand.get_absolute_url()).status_code == 404  # a draft: not yet
    assert cast.client(cast.clerk).get(demand.get_absolute_url()).status_code == 200  # its issuer
