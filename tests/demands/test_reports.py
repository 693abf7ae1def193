"""An unregistered-demand report is taken on, sent to the unit concerned, answered and closed; the reporter
reads each step on the report, at home and in the inbox; nobody outside sees it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jianfu.core.errors import ApplicationError, StaleEditError
from jianfu.demands import reports
from jianfu.demands.models import ReportEvent, UnregisteredReport
from jianfu.site.services import inbox_mark_seen
from tests.exports import export_rows

pytestmark = pytest.mark.django_db

Status = UnregisteredReport.Status


@pytest.fixture
def report(cast):
    return reports.unregistered_report_create(
        by=cast.village_cadre_a, unit=cast.village_a, number_entered="", lookup_result="none",
        issuer_text="镇直某站所", description="电话通知每周一上报村级工作台账")


def test_the_task_force_accepts_routes_answers_and_closes_a_report(cast, report):
    r = reports.unregistered_report_accept(by=cast.officer, report=report, version=report.version)
    r = reports.unregistered_report_route(by=cast.officer, report=r, version=r.version, unit=cast.township_a,
                                          note="请说明是否下发过该要求")
    assert (r.status, r.routed_to) == (Status.ROUTED, cast.township_a)
    r = reports.unregistered_report_reply(by=cast.cadre_a, report=r, version=r.version,
                                          text="经查，系镇农业站电话通知，已撤回。")
    assert r.status == Status.ANSWERED and r.answered_at is not None
    r = reports.unregistered_report_close(by=cast.officer, report=r, version=r.version, note="已撤回，办结。")
    assert r.status == Status.CLOSED
    assert list(r.events.values_list("kind", flat=True)) == ["accept", "route", "reply", "close"]
    assert r.events.get(kind="reply").by_unit == cast.township_a


def test_the_reporter_reads_the_answer_on_the_report_on_the_home_page_and_in_the_inbox(cast, report):
    r = reports.unregistered_report_accept(by=cast.officer, report=report, version=report.version)
    reports.unregistered_report_reply(by=cast.officer, report=r, version=r.version, text="该要求未经准入，无须报送。")
    client = cast.client(cast.village_cadre_a)
    assert "该要求未经准入，无须报送。" in client.get(report.get_absolute_url()).content.decode()
    home = client.get("/")
    assert "该要求未经准入，无须报送。" in home.content.decode()
    assert "answers" in {c["key"] for c in home.context["cards"]}
    badge = client.get(reverse("site:inbox_badge")).content.decode()
    assert ">1<" in badge.replace(" ", "")
    inbox = client.get(reverse("site:inbox")).content.decode()
    assert "该要求未经准入" in inbox
    assert client.get(reverse("site:inbox_badge")).content.decode().strip() == ""


def test_the_unit_a_report_is_sent_to_answers_it_and_no_one_else(cast, report):
    r = reports.unregistered_report_route(by=cast.officer, report=report, version=report.version,
                                          unit=cast.township_a, note="请说明")
    with pytest.raises(ApplicationError):
        reports.unregistered_report_reply(by=cast.cadre_b, report=r, version=r.version, text="与我无关")
    with pytest.raises(ApplicationError):
        reports.unregistered_report_close(by=cast.cadre_a, report=r, version=r.version, note="自行办结")
    page = cast.client(cast.cadre_a).get(r.get_absolute_url())
    assert page.status_code == 200 and page.context.get("reply_form") is not None
    assert page.context.get("close_form") is None


def test_outsiders_get_404_and_find_nothing_in_the_list(cast, report):
    assert cast.client(cast.cadre_b).get(report.get_absolute_url()).status_code == 404
    listed = cast.client(cast.cadre_b).get(reverse("demands:unregistered_list")).context["page"].object_list
    assert list(listed) == []
    response = cast.client(cast.cadre_b).post(reverse("demands:unregistered_accept", args=[report.pk]),
                                              {"version": report.version})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_the_leader_reads_reports_but_cannot_file_or_handle_one(cast, report):
    assert cast.client(cast.leader).get(report.get_absolute_url()).status_code == 200
    with pytest.raises(ApplicationError):
        reports.unregistered_report_create(by=cast.leader, unit=cast.city, number_entered="",
                                           lookup_result="none", description="领导代报")
    response = cast.client(cast.leader).post(reverse("demands:unregistered_new"),
                                             {"unit": cast.city.pk, "description": "领导代报"})
    assert response.status_code == 400 and UnregisteredReport.objects.count() == 1
    cast.client(cast.leader).post(reverse("demands:unregistered_accept", args=[report.pk]),
                                  {"version": report.version})
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_a_second_officer_acting_on_a_stale_page_is_told_what_happened(cast, report):
    reports.unregistered_report_accept(by=cast.officer, report=report, version=report.version)
    with pytest.raises(StaleEditError):
        reports.unregistered_report_accept(by=cast.admin, report=report, version=report.version)


def test_an_answer_and_a_closing_note_cannot_be_empty(cast, report):
    with pytest.raises(ApplicationError):
        reports.unregistered_report_reply(by=cast.officer, report=report, version=report.version, text="  ")
    with pytest.raises(ApplicationError):
        reports.unregistered_report_close(by=cast.officer, report=report, version=report.version, note="")
    assert not ReportEvent.objects.exists()


def test_the_pages_take_the_task_force_through_the_steps(cast, report):
    client = cast.client(cast.officer)
    page = client.get(report.get_absolute_url())
    assert page.context["accept_form"] is not None
    client.post(reverse("demands:unregistered_accept", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    client.post(reverse("demands:unregistered_reply", args=[report.pk]),
                {"version": report.version, "text": "已转县里核查"})
    report.refresh_from_db()
    assert report.status == Status.ANSWERED
    response = client.post(reverse("demands:unregistered_close", args=[report.pk]),
                           {"version": report.version, "note": "办结"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CLOSED


def test_the_task_forces_inbox_lists_a_new_report_until_it_is_taken_on(cast, report):
    client = cast.client(cast.officer)
    assert "电话通知每周一上报村级工作台账" in client.get(reverse("site:inbox")).content.decode()
    inbox_mark_seen(person=cast.officer)
    reports.unregistered_report_accept(by=cast.officer, report=report, version=report.version)
    assert "电话通知每周一上报村级工作台账" not in client.get(reverse("site:inbox")).content.decode()


def test_the_report_list_filters_and_exports(cast, report):
    client = cast.client(cast.officer)
    assert list(client.get(reverse("demands:unregistered_list"), {"status": "closed"}).context["page"]) == []
    assert list(client.get(reverse("demands:unregistered_list"), {"q": "台账"}).context["page"]) == [report]
    rows = export_rows(client, reverse("demands:unregistered_list"), {"export": "xlsx"})
    assert len(rows) == 2 and "电话通知每周一上报村级工作台账" in rows[1]
