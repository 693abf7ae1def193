"""Report forms through the JSON API: the dictionary, the reuse lookup and the materials figures, scoped."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from jianfu.api.services import api_token_create
from jianfu.reportforms import services

from .conftest import approve, register

pytestmark = pytest.mark.django_db


def _client(person) -> Client:
    _, raw = api_token_create(by=person, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_dictionary_lists_and_reads_fields(cast, dictionary):
    client = _client(cast.clerk)
    listed = client.get("/api/v1/reportforms/fields", {"q": "贫困"}).json()
    assert [f["name"] for f in listed["items"]] == ["贫困人口数", "贫困户数"]
    one = client.get(f"/api/v1/reportforms/fields/{dictionary['户籍人口'].pk}").json()
    assert one["unit_of_measure"] == "人" and one["forms"] == []
    assert client.get("/api/v1/reportforms/fields/999999").status_code == 404


def test_the_reuse_lookup_names_the_forms_that_collect_each_field(cast, dictionary):
    first = approve(cast, register(cast, dictionary, ["户籍人口", "贫困户数", "耕地面积"], title="脱贫攻坚月报表"))
    response = _client(cast.cadre_a).post("/api/v1/reportforms/fields/reuse",
                                          json.dumps({"names": ["户籍人口", "贫困人口", "村干部人数"]}),
                                          content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [f["collected"] for f in body["fields"]] == [True, False, False]
    match = body["fields"][0]["matches"][0]
    assert (match["how"], match["form"]["control_number"]) == ("same", first.control_number)
    assert body["merge"] is None and body["threshold"] == 0.6


def test_the_reuse_lookup_refuses_an_empty_list(cast):
    response = _client(cast.clerk).post("/api/v1/reportforms/fields/reuse", json.dumps({"names": []}),
                                        content_type="application/json")
    assert response.status_code == 422


def test_the_materials_figures_are_scoped_to_the_callers_units(cast, dictionary):
    services.material_baseline_set(by=cast.officer, unit=cast.department, year=2018, report_sets=4, briefings=2)
    approve(cast, register(cast, dictionary, ["户籍人口"], occurs_on=dt.date(2019, 6, 1)),
            valid_until=dt.date(2019, 12, 31))
    rows = _client(cast.officer).get("/api/v1/reportforms/materials", {"year": 2019}).json()["rows"]
    assert rows == [{"unit_code": "431000D02", "unit_name": "市委办", "base_year": 2018,
                     "baseline": {"report_set": 4, "briefing": 2, "ledger": 0, "other": 0, "total": 6},
                     "now": {"report_set": 1, "briefing": 0, "ledger": 0, "other": 0, "total": 1},
                     "cut_percent": 83.3, "target_percent": 50, "meets_target": True}]
    assert _client(cast.cadre_b).get("/api/v1/reportforms/materials", {"year": 2019}).json()["rows"] == []


def test_a_field_read_through_the_api_lists_only_forms_the_caller_may_see(cast, dictionary):
    register(cast, dictionary, ["户籍人口"], by=cast.cadre_a, unit=cast.township_a, title="土桥镇村情表",
             targets=[(cast.village_a, False)])
    path = f"/api/v1/reportforms/fields/{dictionary['户籍人口'].pk}"
    assert [f["title"] for f in _client(cast.cadre_a).get(path).json()["forms"]] == ["土桥镇村情表"]
    assert _client(cast.cadre_b).get(path).json()["forms"] == []


def test_the_api_needs_a_login(cast):
    assert Client().get("/api/v1/reportforms/fields").status_code == 401


def test_a_report_form_is_registered_through_the_registry_api_and_its_reuse_is_named(cast, dictionary):
    approve(cast, register(cast, dictionary, ["户籍人口", "贫困户数"], title="人口和贫困户月报"))
    payload = {"issuing_unit_code": cast.department.code, "title": "贫困户动态季报", "occurs_on": str(dt.date.today()),
               "frequency": "quarterly", "material_type": "report_set", "minutes_per_response": 20,
               "fields": [{"id": dictionary["贫困户数"].pk}, {"id": dictionary["耕地面积"].pk}],
               "targets": [{"unit_code": cast.township_a.code, "include_below": False}]}
    response = cast.client(cast.clerk).post("/api/v1/demands/report-forms", payload, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "report_form" and body["burden_minutes"] == 4 * 20
    assert any(f["rule"] == "report_forms.field_reuse" for f in body["findings"])
    other = cast.client(cast.cadre_b).post("/api/v1/demands/report-forms", payload, content_type="application/json")
    assert other.status_code == 403
