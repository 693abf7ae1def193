"""The registry through the JSON API: the same scoping, rules and lifecycle as the pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from jianfu.api.services import api_token_create
from jianfu.demands.models import Demand, Status

from .filings import CHECKLIST_NO, approve, file_document, valid_text

pytestmark = pytest.mark.django_db


def _client(person) -> Client:
    _, raw = api_token_create(by=person, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_a_clerk_files_submits_and_the_officer_approves_through_the_api(cast):
    clerk, officer = _client(cast.clerk), _client(cast.officer)
    today = timezone.localdate()
    response = _post(clerk, "/api/v1/demands/documents", {
        "issuing_unit_code": cast.department.code, "title": "关于进一步做好基层减负工作的通知",
        "text": valid_text(date=today), "document_kind": "other", "issued_in_name": "committee_office",
        "occurs_on": today, "checklist": CHECKLIST_NO,
        "targets": [{"unit_code": cast.county.code, "include_below": True}]})
    assert response.status_code == 201, response.content
    filed = response.json()
    assert filed["status"] == Status.DRAFT and filed["blocking"] == 0 and filed["targets"] == [cast.county.code]
    submitted = _post(clerk, f"/api/v1/demands/{filed['id']}/submit", {"version": filed["version"]})
    assert submitted.status_code == 200 and submitted.json()["status"] == Status.CHECKED
    reviewed = _post(officer, f"/api/v1/demands/{filed['id']}/review",
                     {"version": submitted.json()["version"], "decision": "approve"})
    assert reviewed.status_code == 200
    number = reviewed.json()["control_number"]
    verified = _client(cast.cadre_a).get(f"/api/v1/demands/verify?number={number}").json()
    assert verified["result"] == "valid" and verified["falls_on_caller"] is True


def test_a_second_review_of_the_same_version_gets_409(cast):
    demand = file_document(cast)
    from jianfu.demands import services

    demand = services.demand_submit(by=cast.clerk, demand=demand, version=demand.version)
    officer = _client(cast.officer)
    first = _post(officer, f"/api/v1/demands/{demand.pk}/review", {"version": demand.version, "decision": "approve"})
    second = _post(officer, f"/api/v1/demands/{demand.pk}/review",
                   {"version": demand.version, "decision": "reject", "reason": "重复"})
    assert first.status_code == 200
    assert second.status_code == 409 and second.json()["code"] == "stale"
    assert Demand.objects.get(pk=demand.pk).status == Status.IN_FORCE


def test_a_blocked_filing_cannot_be_submitted_and_says_why(cast):
    demand = file_document(cast, checklist={})
    response = _post(_client(cast.clerk), f"/api/v1/demands/{demand.pk}/submit", {"version": demand.version})
    assert response.status_code == 400 and response.json()["code"] == "blocked" and response.json()["message"]


def test_township_b_gets_404_for_a_filing_that_concerns_only_township_a(cast):
    demand = file_document(cast, by=cast.cadre_a, unit=cast.township_a, targets=[(cast.village_a, False)])
    outsider = _client(cast.cadre_b)
    assert outsider.get(f"/api/v1/demands/{demand.pk}").status_code == 404
    assert demand.pk not in [d["id"] for d in outsider.get("/api/v1/demands/").json()["items"]]
    assert outsider.post(f"/api/v1/demands/{demand.pk}/submit", json.dumps({"version": 1}),
                         content_type="application/json").status_code == 404


def test_the_leader_reads_but_cannot_file_or_review(cast):
    demand = approve(cast, file_document(cast))
    leader = _client(cast.leader)
    assert leader.get(f"/api/v1/demands/{demand.pk}").status_code == 200
    today = timezone.localdate()
    filed = _post(leader, "/api/v1/demands/documents", {
        "issuing_unit_code": cast.city.code, "title": "关于测试的通知", "text": valid_text(date=today),
        "document_kind": "other", "issued_in_name": "committee_office", "occurs_on": today})
    assert filed.status_code == 403
    assert _post(leader, f"/api/v1/demands/{demand.pk}/review",
                 {"version": demand.version, "decision": "reject", "reason": "x"}).status_code == 403


def test_the_check_endpoint_counts_and_finds_without_filing(cast):
    before = Demand.objects.count()
    response = _post(_client(cast.clerk), "/api/v1/demands/check", {"text": "减负" * 1100, "kind": "special"})
    body = response.json()
    assert response.status_code == 200 and body["char_count"] == 2200 and body["blocking"] == 1
    assert any(f["rule"] == "document.max_chars.special" for f in body["findings"])
    assert Demand.objects.count() == before


def test_the_figures_endpoint_compares_with_the_same_period_a_year_before(cast):
    response = _client(cast.officer).get("/api/v1/demands/figures?kind=document&year=2019&to_month=5&name=city")
    body = response.json()
    assert response.status_code == 200
    assert (body["start"], body["end"], body["previous_start"]) == ("2019-01-01", "2019-05-31", "2018-01-01")
    assert _client(cast.officer).get("/api/v1/demands/figures?kind=bogus").status_code == 422


def test_the_rulebook_endpoint_lists_the_rules_in_force(cast):
    rules = {r["code"]: r for r in _client(cast.cadre_b).get("/api/v1/rules/").json()}
    assert rules["document.max_chars.special"]["value"] == 2000
    assert rules["meeting.max_minutes"]["value"] == 120
