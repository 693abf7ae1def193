"""The inspection plans in the API: scoped like the pages, refusals as JSON with a code."""

from __future__ import annotations

import datetime as dt

import pytest

from jianfu.demands.models import Demand, Kind
from jianfu.inspections import services
from jianfu.inspections.models import Method, OneOffApproval

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year + 1


@pytest.fixture
def plan(cast):
    return services.inspection_plan_create(by=cast.officer, unit=cast.city, year=YEAR)


def item_payload(cast, title, text="对危险化学品、非煤矿山、建筑施工等重点行业开展隐患排查治理", months=(3,)):
    return {"proposing_unit_code": cast.department.code, "title": title, "description": text,
            "method": Method.ON_SITE, "months": list(months), "targets": [{"unit_code": cast.county.code}]}


def test_a_department_proposes_and_the_task_force_merges_and_approves_through_the_api(cast, plan):
    clerk, officer = cast.client(cast.clerk), cast.client(cast.officer)
    a = clerk.post(f"/api/v1/inspections/plans/{plan.pk}/items", item_payload(cast, "安全生产大检查"),
                   content_type="application/json")
    b = clerk.post(f"/api/v1/inspections/plans/{plan.pk}/items", item_payload(cast, "建筑施工安全检查"),
                   content_type="application/json")
    assert a.status_code == b.status_code == 201
    overlaps = officer.get(f"/api/v1/inspections/plans/{plan.pk}/overlaps").json()
    assert overlaps[0]["suggested_keep_id"] == a.json()["id"]
    assert overlaps[0]["links"][0]["shared_unit_codes"] == [cast.county.code]
    merged = officer.post(f"/api/v1/inspections/plans/{plan.pk}/merge",
                          {"keep_id": a.json()["id"], "absorb_ids": [b.json()["id"]]},
                          content_type="application/json")
    assert merged.status_code == 200
    version = officer.get(f"/api/v1/inspections/plans/{plan.pk}").json()["version"]
    approved = officer.post(f"/api/v1/inspections/plans/{plan.pk}/approve", {"version": version},
                            content_type="application/json").json()
    assert approved["status"] == "approved" and approved["items_counted"] == 1
    numbers = [i["control_number"] for i in approved["items"] if i["status"] == "approved"]
    assert len(numbers) == 1 and numbers[0].startswith(f"DC-{YEAR}-")
    rows = officer.get("/api/v1/inspections/plans", {"year": YEAR}).json()
    city = next(r for r in rows if r["unit_code"] == cast.city.code)
    assert (city["items"], city["cap"]) == (1, 19)


def test_the_api_refuses_an_approval_over_the_cap_with_the_rule(cast, plan):
    for n in range(20):
        services.plan_item_propose(by=cast.clerk, plan=plan, proposing_unit=cast.department,
                                   title=f"第{n}项{'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉'[n]}类检查",
                                   targets=[(cast.county, True)])
    plan.refresh_from_db()
    response = cast.client(cast.officer).post(f"/api/v1/inspections/plans/{plan.pk}/approve",
                                              {"version": plan.version}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "over_cap" and "inspections.annual_cap" in response.json()["message"]


def test_outsiders_get_404_from_the_plan_api(cast, plan):
    for person in (cast.cadre_a, cast.cadre_b):
        assert cast.client(person).get(f"/api/v1/inspections/plans/{plan.pk}").status_code == 404
    assert cast.client(cast.leader).post(f"/api/v1/inspections/plans/{plan.pk}/approve", {"version": 1},
                                         content_type="application/json").status_code == 403


def test_an_off_plan_inspection_is_filed_and_given_its_one_off_approval_through_the_api(cast):
    today = dt.date.today()
    filed = cast.client(cast.clerk).post("/api/v1/demands/inspections", {
        "issuing_unit_code": cast.department.code, "title": "暴雨灾后重建专项督查", "occurs_on": today.isoformat(),
        "method": Method.ON_SITE, "months": [7], "why_outside_plan": "突发灾情",
        "targets": [{"unit_code": cast.township_a.code, "include_below": True}]}, content_type="application/json")
    assert filed.status_code == 201
    demand_id = filed.json()["id"]
    assert any(f["rule"] == "inspections.one_off" for f in filed.json()["findings"])
    denied = cast.client(cast.clerk).post(f"/api/v1/inspections/one-off/{demand_id}", {
        "approver_username": "leader", "approved_on": today.isoformat(), "reason": "自批"},
        content_type="application/json")
    assert denied.status_code == 403
    recorded = cast.client(cast.officer).post(f"/api/v1/inspections/one-off/{demand_id}", {
        "approver_username": "leader", "approved_on": today.isoformat(), "reason": "灾情紧急"},
        content_type="application/json")
    assert recorded.status_code == 201
    assert OneOffApproval.objects.get(demand_id=demand_id).approver == cast.leader
    assert Demand.objects.get(pk=demand_id).kind == Kind.INSPECTION


def test_a_trace_requirement_is_filed_through_the_api_and_blocked_without_a_basis(cast):
    response = cast.client(cast.clerk).post("/api/v1/demands/traces", {
        "issuing_unit_code": cast.department.code, "title": "工作照片留痕", "occurs_on": dt.date.today().isoformat(),
        "trace_types": ["photos"], "frequency": "monthly", "purpose": "检查",
        "targets": [{"unit_code": cast.township_a.code}]}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["blocking"] >= 1
    assert any(f["rule"] == "trace.requires_basis" for f in response.json()["findings"])


def test_the_one_off_api_names_only_a_leader_or_task_force_officer_as_approver(cast):
    today = dt.date.today()
    filed = cast.client(cast.clerk).post("/api/v1/demands/inspections", {
        "issuing_unit_code": cast.department.code, "title": "暴雨灾后重建专项督查", "occurs_on": today.isoformat(),
        "method": Method.ON_SITE, "why_outside_plan": "突发灾情",
        "targets": [{"unit_code": cast.township_a.code}]}, content_type="application/json")
    response = cast.client(cast.officer).post(f"/api/v1/inspections/one-off/{filed.json()['id']}", {
        "approver_username": "clerk", "approved_on": today.isoformat(), "reason": "经办人自己批"},
        content_type="application/json")
    assert response.status_code == 400 and not OneOffApproval.objects.exists()
