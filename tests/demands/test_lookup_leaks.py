"""Outside your scope, nothing — not even a title: verification, the related-meeting and near-duplicate checks,
field reuse, drafts before they are issued, and the receiving units a filer may name."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from jianfu.api.services import api_token_create
from jianfu.demands import selectors
from jianfu.demands.models import Status

from .filings import CHECKLIST_NO, approve, file_meeting, submit, valid_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _api(person):
    from django.test import Client

    _, raw = api_token_create(by=person, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


# --- verification -------------------------------------------------------------------------------------------

def test_a_number_for_another_township_says_only_that_it_is_registered_for_other_units(cast, file_document):
    demand = approve(cast, file_document(targets=[(cast.township_a, True)]))
    response = cast.client(cast.cadre_b).get(reverse("demands:verify"), {"number": demand.control_number})
    page = response.content.decode()
    assert response.context["result"].result == "not_yours"
    assert demand.title not in page and cast.department.name not in page
    assert demand.valid_until.strftime("%Y-%m-%d") not in page
    api = _api(cast.cadre_b).get("/api/v1/demands/verify", {"number": demand.control_number}).json()
    assert api["result"] == "not_yours" and api["demand"] is None and demand.title not in json.dumps(api)


def test_a_withdrawn_number_outside_scope_does_not_reveal_its_state(cast, file_document):
    from jianfu.demands import services

    demand = approve(cast, file_document(targets=[(cast.township_a, True)]))
    services.demand_withdraw(by=cast.officer, demand=demand, version=demand.version, reason="撤回")
    result = selectors.control_number_verify(actor=cast.cadre_b, raw=demand.control_number, on=demand.valid_from)
    assert result.result == "not_yours" and result.demand is None


def test_the_receiving_unit_and_the_task_force_still_see_everything(cast, file_document):
    demand = approve(cast, file_document(targets=[(cast.township_a, True)]))
    for who in (cast.cadre_a, cast.village_cadre_a, cast.officer, cast.clerk):
        result = selectors.control_number_verify(actor=who, raw=demand.control_number, on=demand.valid_from)
        assert result.result == "valid" and result.demand == demand, who


def test_walking_control_numbers_is_slowed(cast, file_document, settings):
    settings.JIANFU_VERIFY_PER_MINUTE = 5
    demand = approve(cast, file_document(targets=[(cast.township_a, True)]))
    client = cast.client(cast.cadre_b)
    statuses = [client.get(reverse("demands:verify"), {"number": demand.control_number}).status_code
                for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    api = _api(cast.cadre_b).get("/api/v1/demands/verify", {"number": demand.control_number})
    assert api.status_code == 429 and int(api["Retry-After"]) > 0


def test_misses_are_limited_per_hour(cast, file_document, settings):
    settings.JIANFU_VERIFY_MISSES_PER_HOUR = 3
    demand = approve(cast, file_document(targets=[(cast.township_a, True)]))
    client = cast.client(cast.cadre_b)
    statuses = [client.get(reverse("demands:verify"), {"number": demand.control_number}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


# --- drafts --------------------------------------------------------------------------------------------------

def test_a_receiving_unit_sees_a_demand_only_once_it_is_issued(cast, file_document):
    draft = file_document(targets=[(cast.county, True)])
    assert not selectors.demands_visible(cast.cadre_a).filter(pk=draft.pk).exists()
    assert cast.client(cast.cadre_a).get(draft.get_absolute_url()).status_code == 404
    checked = submit(cast, draft)
    assert checked.status == Status.CHECKED
    assert not selectors.demands_visible(cast.cadre_a).filter(pk=draft.pk).exists()
    approve_ = approve(cast, file_document(title="关于做好基层减负有关工作的通知", targets=[(cast.county, True)]))
    assert selectors.demands_visible(cast.cadre_a).filter(pk=approve_.pk).exists()
    assert selectors.demands_visible(cast.clerk).filter(pk=draft.pk).exists()  # the issuer sees its own draft


def test_a_draft_is_not_in_a_receiving_units_list_or_api(cast, file_document):
    draft = file_document(title="尚未审核的草稿通知", targets=[(cast.county, True)])
    assert draft.title not in cast.client(cast.cadre_a).get(reverse("demands:list")).content.decode()
    assert draft.title not in _api(cast.cadre_a).get("/api/v1/demands/").content.decode()


# --- related meetings and near-duplicates -------------------------------------------------------------------

def test_a_related_meeting_outside_scope_is_told_but_not_named(cast):
    theirs = file_meeting(cast, by=cast.cadre_a, unit=cast.township_a, title="土桥镇基层减负工作推进会",
                          targets=[(cast.village_a, False)], city_wide=False)
    mine = file_meeting(cast, by=cast.cadre_b, unit=cast.township_b, title="热水镇基层减负工作推进会",
                        targets=[(cast.village_b, False)], city_wide=False, occurs_on=theirs.occurs_on)
    mine.refresh_from_db()
    stored = [f for f in mine.current_revision.findings.all() if f.detail.get("demand_id") == theirs.pk]
    assert stored, "the check decides with every filing"
    page = cast.client(cast.cadre_b).get(mine.get_absolute_url()).content.decode()
    assert theirs.title not in page and reverse("demands:detail", args=[theirs.pk]) not in page
    api = cast.client(cast.cadre_b).get(f"/api/v1/demands/{mine.pk}").content.decode()
    assert theirs.title not in api
    officer = cast.client(cast.officer).get(mine.get_absolute_url()).content.decode()
    assert theirs.title in officer


# --- field reuse ---------------------------------------------------------------------------------------------

def test_field_reuse_outside_scope_shows_field_names_and_the_department_not_the_form(cast):
    from jianfu.reportforms import services as rf

    fields = [rf.field_definition_create(by=cast.officer, name=name, definition="", unit_of_measure="人")
              for name in ("户籍人口数", "常住人口数")]
    form = rf.report_form_file(by=cast.clerk, issuing_unit=cast.department, title="市委办内部统计表",
                               frequency="monthly",
                               minutes_per_response=30, material_type="report_set",
                               field_ids=[(f.pk, True) for f in fields], targets=[(cast.county, True)])
    submit(cast, form)  # checked, awaiting review: another department's draft
    response = _api(cast.cadre_b).post("/api/v1/reportforms/fields/reuse",
                                       json.dumps({"names": ["户籍人口数", "常住人口数"]}),
                                       content_type="application/json")
    body = response.json()
    assert response.status_code == 200, body
    text = json.dumps(body, ensure_ascii=False)
    assert "市委办内部统计表" not in text and cast.department.name in text
    assert body["fields"][0]["collected"] is True
    assert all(m["form"]["id"] is None and m["form"]["status"] is None
               for f in body["fields"] for m in f["matches"])
    officer = _api(cast.officer).post("/api/v1/reportforms/fields/reuse",
                                      json.dumps({"names": ["户籍人口数"]}), content_type="application/json")
    assert "市委办内部统计表" in json.dumps(officer.json(), ensure_ascii=False)


# --- receiving units ----------------------------------------------------------------------------------------

def test_an_unknown_code_and_a_code_out_of_reach_get_the_same_answer(cast):
    client = _api(cast.cadre_b)

    def file(code):
        return client.post("/api/v1/demands/documents", json.dumps({
            "issuing_unit_code": cast.township_b.code, "title": "关于进一步做好基层减负工作的通知",
            "text": valid_text(), "document_kind": "other", "issued_in_name": "committee_office",
            "occurs_on": str(timezone.localdate()), "checklist": CHECKLIST_NO,
            "targets": [{"unit_code": code, "include_below": False}]}), content_type="application/json")

    out_of_reach, unknown = file(cast.village_a.code), file("999999999999")
    assert out_of_reach.status_code == unknown.status_code
    assert out_of_reach.json()["message"].replace(cast.village_a.code, "X") == \
        unknown.json()["message"].replace("999999999999", "X")


def test_the_leader_cannot_report_an_unregistered_demand(cast):
    response = cast.client(cast.leader).post(reverse("demands:unregistered_new"), {
        "unit": cast.city.pk, "number": "", "issuer_text": "某单位", "description": "要求报材料"})
    assert response.status_code in (400, 403, 404)
    from jianfu.demands.models import UnregisteredReport

    assert not UnregisteredReport.objects.exists()
