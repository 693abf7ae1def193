"""Burden hours: estimates from the standard activity table, versions, links, pages and one in, one out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jianfu.burden import selectors, services
from jianfu.burden.models import Activity, ActivityTable, BurdenLink, Complexity, Estimate
from jianfu.core.errors import ApplicationError
from jianfu.demands import services as demand_services
from jianfu.demands.models import Kind
from jianfu.inspections.models import Method
from tests.demands.filings import approve, file_document, file_meeting, file_trace
from tests.exports import export_rows

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def latest(demand) -> Estimate:
    return demand.estimates.order_by("-number").first()


def test_a_document_costs_each_unit_it_falls_on_the_table_minutes(cast):
    demand = file_document(cast, targets=[(cast.county, True)])
    estimate = latest(demand)
    # 汝城县 and below: the county, 2 townships, 2 villages (departments and the task force never count).
    assert estimate.units == 5
    assert estimate.lines == [{"activity": "prepare_materials", "complexity": "simple", "count": 1, "minutes": 60}]
    assert (estimate.unit_minutes, estimate.total_minutes, estimate.reason) == (60, 300, Estimate.Reason.INITIAL)
    demand.refresh_from_db()
    assert demand.burden_minutes == 300


def test_a_monthly_trace_requirement_counts_twelve_times_a_year(cast):
    demand = file_trace(cast, trace_types=["photos", "ledgers"], frequency="monthly",
                        targets=[(cast.township_a, False)])
    estimate = latest(demand)
    assert estimate.occurrences == 12 and estimate.units == 1
    assert estimate.unit_minutes == 12 * (10 + 60)  # photos simple 10 + ledger medium 60, every month


def test_a_meeting_keeps_the_gates_attendee_figure(cast):
    demand = file_meeting(cast)
    demand.refresh_from_db()
    estimate = latest(demand)
    assert estimate.lines == [] and estimate.total_minutes == demand.burden_minutes > 0


def test_an_inspection_counts_hosting_the_check_each_time(cast):
    demand = demand_services.demand_file(
        by=cast.clerk, kind=Kind.INSPECTION, issuing_unit=cast.department, title="安全生产检查", body="现场检查",
        data={"method": Method.ON_SITE, "times_per_year": 2, "on_site": True, "months": [3, 9],
              "prepares": "安全台账", "why_outside_plan": "突发"}, targets=[(cast.township_a, False)],
        occurs_on=TODAY)
    estimate = latest(demand)
    assert [line["activity"] for line in estimate.lines] == ["host_check", "prepare_materials"]
    assert estimate.unit_minutes == 2 * (240 + 60)


def test_only_issued_demands_have_links_and_withdrawing_removes_them(cast):
    demand = file_document(cast, targets=[(cast.township_a, True)])
    assert not BurdenLink.objects.filter(demand=demand).exists()
    demand = approve(cast, demand)
    links = BurdenLink.objects.filter(demand=demand)
    assert {link.unit_id for link in links} == {cast.township_a.pk, cast.village_a.pk}
    assert {link.minutes for link in links} == {60}
    demand_services.demand_withdraw(by=cast.officer, demand=demand, version=demand.version, reason="已有文件覆盖")
    assert not BurdenLink.objects.filter(demand=demand).exists()


def test_a_real_change_of_the_demand_is_kept_apart_from_a_re_estimate(cast):
    demand = file_document(cast, targets=[(cast.county, True)], occurs_on=TODAY)
    # A real cut: the new version falls on one township only.
    demand = demand_services.demand_revise(by=cast.clerk, demand=demand, version=demand.version, title=demand.title,
                                           body=demand.current_revision.body, data=demand.current_revision.data,
                                           targets=[(cast.township_a, False)], occurs_on=TODAY)
    changed = latest(demand)
    assert (changed.reason, changed.units, changed.total_minutes) == (Estimate.Reason.CHANGED, 1, 60)
    # A re-estimate: same demand, the task force judges the work complex.
    services.burden_re_estimate(by=cast.officer, demand=demand, occurrences=1, note="需逐条制定落实方案",
                                lines=[{"activity": "prepare_materials", "complexity": "complex", "count": 1}])
    redone = latest(demand)
    assert (redone.reason, redone.total_minutes) == (Estimate.Reason.RE_ESTIMATE, 480)
    real, re_est, _withdrawn = selectors.estimate_changes(actor=cast.officer, year=TODAY.year)
    assert real == round(-240 / 60, 1) and re_est == round(420 / 60, 1)
    assert demand.estimates.count() == 3


def test_a_re_estimate_needs_a_reason_and_a_writer(cast):
    demand = file_document(cast)
    lines = [{"activity": "fill_form", "complexity": "simple", "count": 2}]
    with pytest.raises(ApplicationError):
        services.burden_re_estimate(by=cast.officer, demand=demand, lines=lines, occurrences=1, note=" ")
    with pytest.raises(ApplicationError):
        services.burden_re_estimate(by=cast.cadre_b, demand=demand, lines=lines, occurrences=1, note="外人")
    response = cast.client(cast.leader).post(reverse("burden:re_estimate", args=[demand.pk]), {
        "occurrences": 1, "note": "领导改", "activity_0": "fill_form", "complexity_0": "simple", "count_0": 1},
        follow=True)
    assert latest(demand).reason == Estimate.Reason.INITIAL
    assert response.status_code == 200


def test_the_re_estimate_form_on_the_filing_page_saves_a_new_version(cast):
    demand = file_document(cast)
    client = cast.client(cast.officer)
    page = client.get(demand.get_absolute_url()).content.decode()
    assert reverse("burden:re_estimate", args=[demand.pk]) in page
    client.post(reverse("burden:re_estimate", args=[demand.pk]), {
        "occurrences": 2, "note": "每半年一次", "activity_0": "prepare_materials", "complexity_0": "medium",
        "count_0": 1, "activity_1": "write_minutes", "complexity_1": "simple", "count_1": 1})
    estimate = latest(demand)
    assert estimate.reason == Estimate.Reason.RE_ESTIMATE
    assert estimate.unit_minutes == 2 * (240 + 20) and estimate.note == "每半年一次"


def test_a_new_activity_table_is_a_version_and_old_estimates_keep_theirs(cast):
    first = latest(file_document(cast))
    minutes = {a: {"simple": 100, "medium": 200, "complex": 300} for a in Activity.values}
    table = services.activity_table_change(by=cast.officer, minutes=minutes, effective_from=TODAY, note="调研后调整")
    second = latest(file_document(cast, title="关于做好防汛工作的通知"))
    assert first.table.version == 1 and second.table == table and second.unit_minutes == 100
    first.refresh_from_db()
    assert first.unit_minutes == 60


def test_the_activity_table_refuses_bad_minutes_and_outsiders(cast):
    bad = {a: {"simple": 50, "medium": 20, "complex": 90} for a in Activity.values}
    with pytest.raises(ApplicationError):
        services.activity_table_change(by=cast.officer, minutes=bad, effective_from=TODAY)
    good = {a: {"simple": 1, "medium": 2, "complex": 3} for a in Activity.values}
    with pytest.raises(ApplicationError):
        services.activity_table_change(by=cast.clerk, minutes=good, effective_from=TODAY)
    assert ActivityTable.objects.count() == 1
    form = {f"{a}__{c}": 5 for a in Activity.values for c in Complexity.values}
    response = cast.client(cast.officer).post(reverse("burden:activities"), {
        **form, "fill_form__complex": "x", "effective_from": TODAY.isoformat(), "note": "试"})
    assert response.status_code == 400 and ActivityTable.objects.count() == 1
    assert cast.client(cast.clerk).post(reverse("burden:activities"), {**form}).status_code == 404


def test_the_unit_page_shows_what_is_placed_on_tuqiao_and_outsiders_get_404(cast):
    approve(cast, file_document(cast, targets=[(cast.township_a, True)], occurs_on=TODAY))
    approve(cast, file_document(cast, title="关于做好防汛工作的通知", targets=[(cast.township_b, False)],
                                occurs_on=TODAY))
    response = cast.client(cast.cadre_a).get(reverse("burden:on_unit"), {"year": TODAY.year})
    assert response.context["unit"] == cast.township_a
    assert response.context["result"].total_now == 1.0
    assert [link.demand.title for link in response.context["page"]] == ["关于进一步做好基层减负工作的通知"]
    assert cast.client(cast.cadre_b).get(reverse("burden:on_unit"), {"unit": cast.township_a.pk}).status_code == 404
    assert cast.client(cast.leader).get(reverse("burden:on_unit"), {"unit": cast.township_a.pk}).status_code == 200
    rows = export_rows(cast.client(cast.cadre_a), reverse("burden:on_unit"), {"year": TODAY.year, "format": "xlsx"})
    assert [row[1] for row in rows[1:]] == ["关于进一步做好基层减负工作的通知"]


def test_the_overview_compares_with_last_year_and_links_to_the_rows(cast):
    last_year = TODAY.replace(year=TODAY.year - 1, day=1)
    approve(cast, file_document(cast, targets=[(cast.county, True)], occurs_on=last_year))
    approve(cast, file_document(cast, title="关于做好防汛工作的通知", targets=[(cast.township_a, False)],
                                occurs_on=TODAY))
    response = cast.client(cast.officer).get(reverse("burden:overview"), {"year": TODAY.year})
    result = response.context["result"]
    assert (result.total_now, result.total_then) == (1.0, 5.0) and round(result.change) == -80
    row = result.by_issuer[0]
    assert row.label == "市委办" and f"issuer={cast.department.pk}" in row.link
    # A cadre of 热水镇 sees nothing placed on 土桥镇 by others.
    other = cast.client(cast.cadre_b).get(reverse("burden:overview"), {"year": TODAY.year}).context["result"]
    assert other.total_now == 0


def test_one_in_one_out_shows_who_is_over_and_what_to_retire(cast):
    inspection = demand_services.demand_file(
        by=cast.clerk, kind=Kind.INSPECTION, issuing_unit=cast.department, title="每季度安全检查", body="现场检查",
        data={"method": Method.ON_SITE, "times_per_year": 4, "on_site": True, "months": [], "prepares": "",
              "why_outside_plan": "新增"}, targets=[(cast.township_a, True)], occurs_on=TODAY)
    approve(cast, file_document(cast, targets=[(cast.county, True)], occurs_on=TODAY))
    services.budget_set(by=cast.officer, unit=cast.department, year=TODAY.year, hours=3)
    rows = selectors.ledger(actor=cast.officer, year=TODAY.year)
    row = next(r for r in rows if r.unit == cast.department)
    assert (row.budget_hours, row.placed, row.over) == (3, 5.0, 2.0)
    panel = cast.client(cast.clerk).get(inspection.get_absolute_url()).context["burden"]
    # 2 units × 4 times × 240 minutes = 32 hours more on top of 5 placed, against 3 budgeted.
    assert panel["recurring"] and panel["retire"] == 34.0
    page = cast.client(cast.officer).get(reverse("burden:ledger"), {"year": TODAY.year}).content.decode()
    assert "市委办" in page
    assert cast.client(cast.clerk).post(reverse("burden:ledger"), {"unit": cast.department.pk, "year": TODAY.year,
                                                                   "hours": 999}).status_code == 404


def test_a_budget_is_set_from_the_ledger_page_and_audited(cast):
    response = cast.client(cast.officer).post(reverse("burden:ledger") + f"?year={TODAY.year}", {
        "unit": cast.department.pk, "year": TODAY.year, "hours": 120, "note": "一进一出"})
    assert response.status_code == 302
    from jianfu.audit.models import AuditRecord

    assert AuditRecord.objects.filter(action="budget.set").exists()
    assert selectors.ledger(actor=cast.officer, year=TODAY.year)[0].budget_hours == 120


def test_a_ledger_demand_recorded_with_units_gets_its_burden(cast):
    demand = demand_services.demand_record_ledger(
        by=None, kind=Kind.MEETING, title="全市安全生产工作会议", issuing_unit=cast.department, filed_by=cast.clerk,
        occurs_on=dt.date(2018, 3, 1), city_wide=True, targets=[(cast.county, False)])
    estimate = latest(demand)
    assert estimate.lines[0]["activity"] == "attend_meeting" and estimate.total_minutes == 150
    assert BurdenLink.objects.filter(demand=demand, unit=cast.county).exists()


def test_the_burden_api_is_scoped_and_re_estimates_are_recorded(cast):
    demand = approve(cast, file_document(cast, targets=[(cast.township_a, True)], occurs_on=TODAY))
    cadre = cast.client(cast.cadre_a)
    body = cadre.get(f"/api/v1/burden/units/{cast.township_a.code}", {"year": TODAY.year}).json()
    assert body["total_hours"] == 1.0
    assert cast.client(cast.cadre_b).get(f"/api/v1/burden/units/{cast.township_a.code}",
                                         {"year": TODAY.year}).status_code == 404
    assert cast.client(cast.officer).get("/api/v1/burden/overview", {"year": TODAY.year}).json()["total_hours"] == 2.0
    refused = cast.client(cast.cadre_b).post(f"/api/v1/burden/demands/{demand.pk}/re-estimate", {
        "lines": [{"activity": "fill_form", "complexity": "simple"}], "occurrences": 1, "note": "x"},
        content_type="application/json")
    assert refused.status_code == 404
    done = cast.client(cast.officer).post(f"/api/v1/burden/demands/{demand.pk}/re-estimate", {
        "lines": [{"activity": "fill_form", "complexity": "medium", "count": 2}], "occurrences": 1,
        "note": "两张表"}, content_type="application/json")
    assert done.status_code == 201 and done.json()["unit_minutes"] == 90 and done.json()["reason"] == "re_estimate"
    assert cast.client(cast.leader).get("/api/v1/burden/activities").json()["version"] == 1


def tiles(client) -> list:
    return [t for c in client.get("/").context["cards"] for t in c["card"].tiles]


def test_the_home_pages_show_the_burden_and_the_off_plan_inspections_to_act_on(cast):
    approve(cast, file_document(cast, targets=[(cast.township_a, True)], occurs_on=TODAY))
    mine = next(t for t in tiles(cast.client(cast.cadre_a)) if reverse("burden:on_unit") in t.url)
    # 土桥镇 alone, an hour; its village's hour is on the village's own page, not counted here.
    assert mine.count == 1.0 and "土桥镇" in str(mine.label)
    inspection = demand_services.demand_file(
        by=cast.clerk, kind=Kind.INSPECTION, issuing_unit=cast.department, title="暴雨灾后重建专项督查", body="督查",
        data={"method": Method.ON_SITE, "times_per_year": 1, "on_site": True, "months": [], "prepares": "",
              "why_outside_plan": "突发"}, targets=[(cast.township_a, False)], occurs_on=TODAY)
    demand_services.demand_submit(by=cast.clerk, demand=inspection, version=inspection.version)
    counts = [t.count for t in tiles(cast.client(cast.officer)) if t.url == reverse("inspections:off_plan")]
    assert counts == [1]


def test_the_issuer_cannot_re_estimate_an_issued_demand_nor_anyone_a_meetings_gate_figure(cast):
    demand = approve(cast, file_document(cast, targets=[(cast.township_a, True)], occurs_on=TODAY))
    lines = [{"activity": "fill_form", "complexity": "simple", "count": 1}]
    with pytest.raises(ApplicationError):
        services.burden_re_estimate(by=cast.clerk, demand=demand, lines=lines, occurrences=1, note="降低估算")
    meeting = file_meeting(cast)
    with pytest.raises(ApplicationError):
        services.burden_re_estimate(by=cast.officer, demand=meeting, lines=lines, occurrences=1, note="改")
    assert latest(demand).reason == Estimate.Reason.INITIAL


def test_a_re_estimate_survives_a_new_version_that_changes_nothing_it_counts(cast):
    demand = file_document(cast, targets=[(cast.township_a, False)], occurs_on=TODAY)
    services.burden_re_estimate(by=cast.officer, demand=demand, occurrences=4, note="每季度落实一次",
                                lines=[{"activity": "prepare_materials", "complexity": "simple", "count": 1}])
    demand_services.demand_revise(by=cast.clerk, demand=demand, version=demand.version, title="标题改一个字",
                                  body=demand.current_revision.body, data=demand.current_revision.data,
                                  targets=[(cast.township_a, False)], occurs_on=TODAY)
    assert latest(demand).reason == Estimate.Reason.RE_ESTIMATE and latest(demand).unit_minutes == 240


def test_a_shared_out_total_loses_no_minute_to_rounding(cast):
    demand = approve(cast, file_meeting(cast, attendees=1, planned_minutes=3, targets=[(cast.county, True)]))
    total = latest(demand).total_minutes
    assert sum(BurdenLink.objects.filter(demand=demand).values_list("minutes", flat=True)) == total


def test_a_townships_ledger_reads_whole_issuers_only(cast):
    approve(cast, file_document(cast, targets=[(cast.county, True)], occurs_on=TODAY))
    services.budget_set(by=cast.officer, unit=cast.department, year=TODAY.year, hours=3)
    assert selectors.ledger(actor=cast.cadre_a, year=TODAY.year) == []
    row = selectors.ledger(actor=cast.clerk, year=TODAY.year)[0]
    assert (row.placed, row.over) == (5.0, 2.0)


def test_the_unit_figures_count_changes_for_that_unit(cast):
    demand = file_document(cast, targets=[(cast.county, True)], occurs_on=TODAY)
    demand = demand_services.demand_revise(by=cast.clerk, demand=demand, version=demand.version, title=demand.title,
                                           body=demand.current_revision.body, data=demand.current_revision.data,
                                           targets=[(cast.township_a, True)], occurs_on=TODAY)
    approve(cast, demand)
    result = selectors.burden_on_unit(unit=cast.township_a, year=TODAY.year)
    assert result.total_now == 1.0 and result.real_cuts == 0.0  # the township's own minutes did not change
    services.burden_re_estimate(by=cast.officer, demand=demand, occurrences=2, note="每半年一次",
                                lines=[{"activity": "prepare_materials", "complexity": "simple", "count": 1}])
    result = selectors.burden_on_unit(unit=cast.township_a, year=TODAY.year)
    assert (result.total_now, result.real_cuts, result.re_estimates) == (2.0, 0.0, 1.0)


@pytest.mark.parametrize("url", ["/api/v1/burden/overview?year=0", "/api/v1/burden/one-in-one-out?year=10000",
                                 "/api/v1/inspections/plans?year=99999"])
def test_an_impossible_year_is_a_clear_error_not_a_crash(cast, url):
    response = cast.client(cast.officer).get(url)
    assert response.status_code in (400, 422)


def test_the_burden_pages_open_on_the_latest_year_with_burden_and_say_so(cast):
    approve(cast, file_document(cast, targets=[(cast.township_a, True)], occurs_on=dt.date(2021, 4, 1)))
    for url in (reverse("burden:overview"), reverse("burden:ledger")):
        response = cast.client(cast.officer).get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.context["year"] == 2021, url
        assert "Opened on 2021, the latest year with data" in response.content.decode()
    on_unit = cast.client(cast.cadre_a).get(reverse("burden:on_unit"), HTTP_ACCEPT_LANGUAGE="en")
    assert on_unit.context["year"] == 2021 and on_unit.context["result"].total_now == 1.0


def test_an_hour_row_and_the_total_round_the_same_way(cast):
    from jianfu.core.templatetags.jianfu import hours

    assert hours(59) == "1.0" and hours(89) == "1.5" and hours(None) == "—"
    approve(cast, file_document(cast, targets=[(cast.township_a, False)], occurs_on=TODAY))
    page = cast.client(cast.cadre_a).get(reverse("burden:on_unit"), {"year": TODAY.year}).content.decode()
    assert "<td>1.0</td>" in page
