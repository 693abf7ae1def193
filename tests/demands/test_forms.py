"""Filing forms that respect a clerk's time: answers that start at No, one "and below" for every kind with
its effect shown before saving, the 5-list items of the filing's year, the next filing to review in one click."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jianfu.demands import services
from jianfu.demands.models import ListKind
from tests.demands.filings import file_document, submit
from tests.html import form_data

pytestmark = pytest.mark.django_db


def test_the_no_issuance_questions_start_at_no_and_one_control_answers_them_all(cast):
    html = cast.client(cast.clerk).get(reverse("demands:new", args=["document"])).content.decode()
    data = form_data(html, having="title")
    answers = {k: v for k, v in data.items() if k.startswith("no_issue_")}
    assert len(answers) == 10 and set(answers.values()) == {"no"}
    assert 'data-set-all="no"' in html


def test_every_filing_form_has_the_same_and_below_checkbox_and_a_burden_preview(cast):
    client = cast.client(cast.clerk)
    pages = [reverse("demands:new", args=[k]) for k in ("document", "meeting", "trace", "inspection")]
    pages.append(reverse("reportforms:new"))
    for url in pages:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'name="targets_picker"' in html and "Also the units below it" in html, url
        assert reverse("burden:preview") in html, url


def test_the_preview_shows_what_and_below_adds_before_saving(cast):
    client = cast.client(cast.clerk)
    base = {"kind": "document", "targets": [cast.county.pk], "occurs_on": "2026-12-01",
            "document_kind": "other"}
    alone = client.post(reverse("burden:preview"), base, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    below = client.post(reverse("burden:preview"), base | {"include_below": "on"},
                        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-units="1"' in alone
    # 汝城县, 土桥镇, 土桥村, 热水镇, 热水村.
    assert 'data-units="5"' in below and "1 without the units below" in below
    empty = client.post(reverse("burden:preview"), {"kind": "document"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Choose the receiving units" in empty.content.decode()


def test_the_5_list_picker_refuses_an_item_of_another_year(cast):
    annual = services.annual_list_create(by=cast.officer, kind=ListKind.REGULATIONS_DOCUMENTS, year=2025)
    item = services.list_item_add(by=cast.officer, annual_list=annual, title="关于基层减负的规范性文件")
    services.annual_list_approve(by=cast.officer, annual_list=annual)
    client = cast.client(cast.clerk)
    html = client.get(reverse("demands:new", args=["document"])).content.decode()
    assert f'value="{item.pk}" data-year="2025"' in html
    data = form_data(html, having="title") | {"title": "关于基层减负的规范性文件", "occurs_on": "2026-03-01",
                                              "document_kind": "normative", "issued_in_name": "committee_office",
                                              "body": "正文", "list_item": str(item.pk),
                                              "targets": [str(cast.county.pk)]}
    response = client.post(reverse("demands:new", args=["document"]), data)
    assert response.status_code == 400 and "2026" in response.content.decode()


def test_after_a_decision_the_next_filing_in_the_queue_is_one_click_away(cast):
    first = submit(cast, file_document(cast, title="关于精简会议的通知", occurs_on=dt.date(2026, 11, 1)))
    second = submit(cast, file_document(cast, title="关于规范村级事务的通知", occurs_on=dt.date(2026, 11, 2)))
    client = cast.client(cast.officer)
    page = client.get(first.get_absolute_url())
    assert page.context["queue_left"] == 1
    assert f'{reverse("demands:review_next")}?after={first.pk}' in page.content.decode()
    response = client.get(reverse("demands:review_next"), {"after": first.pk})
    assert response["Location"] == second.get_absolute_url()
    services.demand_review(by=cast.officer, demand=second, version=second.version, decision="approve")
    services.demand_review(by=cast.officer, demand=first, version=first.version, decision="approve")
    assert client.get(reverse("demands:review_next"))["Location"] == reverse("demands:review_queue")


def test_the_preview_counts_each_units_own_and_below_from_the_picker(cast):
    client = cast.client(cast.clerk)
    base = {"kind": "document", "targets": [cast.township_a.pk, cast.township_b.pk], "targets_picker": "1",
            "occurs_on": "2026-12-01", "document_kind": "other"}
    html = client.post(reverse("burden:preview"), base | {"targets_below": [cast.township_a.pk]},
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # 土桥镇 and 土桥村, and 热水镇 alone.
    assert 'data-units="3"' in html


def test_the_preview_says_nothing_of_units_the_person_may_not_place_demands_on(cast):
    client = cast.client(cast.village_cadre_a)
    html = client.post(reverse("burden:preview"), {"kind": "document", "targets": [cast.county.pk],
                                                   "include_below": "on"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-units" not in html and "Choose the receiving units" in html
