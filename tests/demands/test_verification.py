"""A receiving unit verifies a control number, reports an unregistered demand, and sees the demands on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jianfu.demands import services
from jianfu.demands.control_numbers import format_number
from jianfu.demands.models import Status, UnregisteredReport

from .filings import approve

pytestmark = pytest.mark.django_db


def verify(client, number: str):
    response = client.get(reverse("demands:verify"), {"number": number})
    assert response.status_code == 200
    return response


def test_a_valid_number_says_what_it_demands_and_until_when(cast, file_document):
    demand = approve(cast, file_document(targets=[(cast.county, True)]))
    response = verify(cast.client(cast.cadre_a), demand.control_number)
    result = response.context["result"]
    assert result.result == "valid"
    assert result.demand == demand
    assert result.targets_viewer is True
    page = response.content.decode()
    assert demand.title in page
    assert demand.valid_until.strftime("%Y-%m-%d") in page
    assert response.context["report_form"] is None


def test_a_number_typed_loosely_is_still_found(cast, file_document):
    demand = approve(cast, file_document())
    typed = " " + demand.control_number.lower().replace("-", "") + " "
    assert verify(cast.client(cast.cadre_a), typed).context["result"].result == "valid"


def test_a_well_formed_number_nobody_issued_is_unknown(cast):
    number = format_number("WJ", 2019, 99999)
    response = verify(cast.client(cast.cadre_a), number)
    assert response.context["result"].result == "unknown"
    assert "不是已登记的准入编号" in response.content.decode()
    assert response.context["report_form"] is not None


def test_a_number_with_a_wrong_check_character_is_malformed(cast, file_document):
    demand = approve(cast, file_document())
    wrong = demand.control_number[:-1] + ("A" if demand.control_number[-1] != "A" else "B")
    assert verify(cast.client(cast.cadre_a), wrong).context["result"].result == "malformed"
    assert verify(cast.client(cast.cadre_a), "郴办发〔2019〕5号").context["result"].result == "malformed"


def test_an_expired_number_says_so(cast, file_document):
    demand = approve(cast, file_document(occurs_on=dt.date(2019, 3, 4)))
    response = verify(cast.client(cast.cadre_a), demand.control_number)
    assert response.context["result"].result == "expired"
    assert "已过期" in response.content.decode()


def test_a_number_past_its_validity_is_expired_before_the_daily_job_runs(cast, file_document):
    demand = approve(cast, file_document(), valid_until=timezone.localdate())
    type(demand).objects.filter(pk=demand.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert verify(cast.client(cast.cadre_a), demand.control_number).context["result"].result == "expired"


def test_a_withdrawn_number_says_so(cast, file_document):
    demand = approve(cast, file_document())
    services.demand_withdraw(by=cast.officer, demand=demand, version=demand.version, reason="与新文件重复")
    response = verify(cast.client(cast.cadre_a), demand.control_number)
    assert response.context["result"].result == "withdrawn"
    assert "已撤回" in response.content.decode()


def test_an_approved_meeting_before_its_day_is_valid_to_prepare_for_and_says_when_it_takes_effect(
        cast, file_meeting):
    day = timezone.localdate() + dt.timedelta(days=7)
    demand = approve(cast, file_meeting(occurs_on=day, targets=[(cast.county, True)]))
    assert demand.status == Status.APPROVED
    response = verify(cast.client(cast.cadre_a), demand.control_number)
    result = response.context["result"]
    assert (result.result, result.in_force, result.takes_effect_on) == ("valid", False, day)
    page = response.content.decode()
    assert day.isoformat() in page and "无须承办" not in page
    assert response.context["report_form"] is None
    assert "报告" not in page.split('role="status"', 1)[1]


def test_a_valid_number_cannot_be_reported_as_unregistered(cast, file_meeting):
    demand = approve(cast, file_meeting(occurs_on=timezone.localdate() + dt.timedelta(days=7),
                                        targets=[(cast.county, True)]))
    response = cast.client(cast.cadre_a).post(reverse("demands:unregistered_new"), {
        "unit": cast.township_a.pk, "number": demand.control_number, "description": "提前通知"})
    assert response.status_code == 400
    assert not UnregisteredReport.objects.exists()


def test_the_api_says_a_number_takes_effect_later(cast, file_meeting):
    day = timezone.localdate() + dt.timedelta(days=7)
    demand = approve(cast, file_meeting(occurs_on=day, targets=[(cast.county, True)]))
    body = cast.client(cast.cadre_a).get("/api/v1/demands/verify", {"number": demand.control_number}).json()
    assert (body["result"], body["in_force"], body["takes_effect_on"]) == ("valid", False, day.isoformat())


def test_an_outsider_learns_only_that_a_number_is_registered_for_other_units(cast, file_document):
    demand = approve(cast, file_document(by=cast.cadre_a, unit=cast.township_a, targets=[(cast.village_a, False)]))
    response = verify(cast.client(cast.cadre_b), demand.control_number)
    result = response.context["result"]
    assert result.result == "not_yours" and result.demand is None and result.targets_viewer is False
    assert demand.title not in response.content.decode()
    assert response.context["report_form"] is not None  # it reached them anyway: they may report it


# --- one click from the verify page files an unregistered-demand report ---

def one_click(client, number: str):
    """Submit the report form exactly as the verify page renders it."""
    form = verify(client, number).context["report_form"]
    assert form is not None
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse("demands:unregistered_new"), {k: v for k, v in data.items() if v is not None})


def test_one_click_on_the_verify_page_files_an_unregistered_demand_report(cast):
    number = format_number("WJ", 2019, 99999)
    client = cast.client(cast.cadre_a)
    response = one_click(client, number)
    assert response.status_code == 302, response.context["form"].errors
    report = UnregisteredReport.objects.get()
    assert (report.reporter, report.unit, report.number_entered, report.lookup_result) == (
        cast.cadre_a, cast.township_a, number, "unknown")
    assert report.status == UnregisteredReport.Status.NEW


def test_a_repeated_click_within_ten_minutes_does_not_file_twice(cast):
    number = format_number("WJ", 2019, 99999)
    client = cast.client(cast.cadre_a)
    assert one_click(client, number).status_code == 302
    assert one_click(client, number).status_code == 302
    assert UnregisteredReport.objects.count() == 1


def test_a_report_on_a_withdrawn_number_points_at_the_filing(cast, file_document):
    demand = approve(cast, file_document())
    services.demand_withdraw(by=cast.officer, demand=demand, version=demand.version, reason="与新文件重复")
    assert one_click(cast.client(cast.cadre_a), demand.control_number).status_code == 302
    report = UnregisteredReport.objects.get()
    assert (report.lookup_result, report.demand) == ("withdrawn", demand)


def test_a_report_without_a_number_needs_a_description(cast):
    client = cast.client(cast.cadre_a)
    response = client.post(reverse("demands:unregistered_new"), {"unit": cast.township_a.pk, "number": ""})
    assert response.status_code == 400
    assert not UnregisteredReport.objects.exists()
    response = client.post(reverse("demands:unregistered_new"), {
        "unit": cast.township_a.pk, "number": "", "issuer_text": "某县直部门",
        "description": "要求各村每周报送工作照片和签到表"})
    assert response.status_code == 302
    assert UnregisteredReport.objects.get().description == "要求各村每周报送工作照片和签到表"


def test_nobody_reports_for_a_unit_outside_their_scope(cast):
    response = cast.client(cast.cadre_b).post(reverse("demands:unregistered_new"), {
        "unit": cast.township_a.pk, "number": "", "description": "冒名举报"})
    assert response.status_code == 400
    assert not UnregisteredReport.objects.exists()


def test_the_reports_are_listed_for_the_task_force_and_the_unit_but_not_the_outsider(cast):
    one_click(cast.client(cast.cadre_a), format_number("WJ", 2019, 99999))
    report = UnregisteredReport.objects.get()
    listed = {who: list(cast.client(getattr(cast, who)).get(reverse("demands:unregistered_list"))
                        .context["page"].object_list) for who in ("officer", "cadre_a", "cadre_b")}
    assert listed == {"officer": [report], "cadre_a": [report], "cadre_b": []}


# --- demands on us ---

def test_a_demand_on_the_county_and_every_unit_below_falls_on_township_a(cast, file_document):
    demand = approve(cast, file_document(targets=[(cast.county, True)]))
    for who in ("cadre_a", "village_cadre_a", "cadre_b"):
        page = cast.client(getattr(cast, who)).get(reverse("demands:on_us"))
        assert list(page.context["page"].object_list) == [demand], who


def test_a_demand_on_the_county_alone_does_not_fall_on_its_townships(cast, file_document):
    approve(cast, file_document(targets=[(cast.county, False)]))
    assert list(cast.client(cast.cadre_a).get(reverse("demands:on_us")).context["page"].object_list) == []


def test_a_demand_on_township_a_does_not_fall_on_township_b(cast, file_document):
    demand = approve(cast, file_document(targets=[(cast.township_a, False)]))
    on_a = cast.client(cast.cadre_a).get(reverse("demands:on_us"))
    on_b = cast.client(cast.cadre_b).get(reverse("demands:on_us"))
    assert list(on_a.context["page"].object_list) == [demand]
    assert list(on_b.context["page"].object_list) == []
    assert demand.title not in on_b.content.decode()


def test_drafts_withdrawn_and_expired_demands_are_not_on_us(cast, file_document):
    file_document(targets=[(cast.township_a, False)])
    approve(cast, file_document(targets=[(cast.township_a, False)], occurs_on=dt.date(2019, 3, 4)))
    withdrawn = approve(cast, file_document(targets=[(cast.township_a, False)], title="关于加强安全生产工作的通知"))
    services.demand_withdraw(by=cast.officer, demand=withdrawn, version=withdrawn.version, reason="重复")
    assert list(cast.client(cast.cadre_a).get(reverse("demands:on_us")).context["page"].object_list) == []


def test_a_unit_filter_outside_the_scope_is_404(cast):
    assert cast.client(cast.cadre_b).get(reverse("demands:on_us"), {"unit": cast.township_a.pk}).status_code == 404
