"""The OpenAPI document tells the truth: enumerations are enums, every error an operation can give is listed
with the one error shape, and every path under /api/v1/ answers JSON, a wrong id included."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jianfu.demands.models import DocumentKind, Kind, LookupResult, Status
from jianfu.org.models import Role, UnitType

pytestmark = pytest.mark.django_db

API = "/api/v1"
UNSAFE = {"post", "put", "patch", "delete"}


@pytest.fixture
def spec(db) -> dict:
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def component(spec, name: str) -> dict:
    return spec["components"]["schemas"][name]


def enum_of(spec, schema: dict) -> list:
    """The enum a property states, through $ref, anyOf (nullable) and arrays."""
    if "$ref" in schema:
        return enum_of(spec, component(spec, schema["$ref"].rsplit("/", 1)[1]))
    if "enum" in schema:
        return schema["enum"]
    if "items" in schema:
        return enum_of(spec, schema["items"])
    for option in schema.get("anyOf", []):
        found = enum_of(spec, option)
        if found:
            return found
    return []


@pytest.mark.parametrize(("schema", "prop", "choices"), [
    ("UnitOut", "type", UnitType), ("UnitCreateIn", "type", UnitType), ("MembershipOut", "role", Role),
    ("DemandOut", "kind", Kind), ("DemandOut", "status", Status), ("DemandDetailOut", "status", Status),
    ("DocumentIn", "document_kind", DocumentKind), ("VerifyOut", "result", LookupResult),
])
def test_enumerations_are_stated_as_enums_with_every_value(spec, schema, prop, choices):
    assert enum_of(spec, component(spec, schema)["properties"][prop]) == list(choices.values)


@pytest.mark.parametrize(("schema", "prop", "values"), [
    ("ReviewIn", "decision", ["approve", "return", "reject"]),
    ("MeetingIn", "mode", ["in_person", "video", "both"]),
    ("MeetingIn", "replaceable", ["no", "phone", "document", "news"]),
    ("TraceIn", "trace_types", ["photos", "sign_in_sheets", "ledgers", "work_notes", "other"]),
    ("PlanItemOut", "status", ["proposed", "merged", "dropped", "approved"]),
    ("LineIn", "activity", None), ("FindingOut", "severity", ["block", "warn"]),
    ("RuleOut", "severity", ["block", "warn"]), ("ReuseMatchOut", "how", ["same", "alias", "similar"]),
])
def test_more_enumerations_of_requests_and_answers(spec, schema, prop, values):
    found = enum_of(spec, component(spec, schema)["properties"][prop])
    assert found and (values is None or found == values)


def test_the_list_filters_state_their_choices(spec):
    params = {p["name"]: p for p in spec["paths"][f"{API}/org/units"]["get"]["parameters"]}
    assert enum_of(spec, params["type"]["schema"]) == ["", *UnitType.values]
    params = {p["name"]: p for p in spec["paths"][f"{API}/demands/"]["get"]["parameters"]}
    assert enum_of(spec, params["status"]["schema"]) == ["", *Status.values]
    assert enum_of(spec, params["kind"]["schema"]) == ["", *Kind.values]


def test_the_registry_states_the_choices_of_later_apps_kinds_as_those_apps_define_them():
    from jianfu.demands import schemas
    from jianfu.inspections.models import Method
    from jianfu.reportforms.models import Frequency, MaterialType

    assert list(schemas.REPORT_FREQUENCIES) == Frequency.values
    assert list(schemas.MATERIAL_TYPES) == MaterialType.values
    assert list(schemas.INSPECTION_METHODS) == Method.values


def test_every_operation_lists_the_errors_it_can_give_in_the_one_error_shape(spec):
    for path, method, operation in operations(spec):
        responses = {str(k): v for k, v in operation["responses"].items()}
        where = f"{method.upper()} {path}"
        assert "401" in responses and "503" in responses, where
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in responses, where
        if "{" in path:
            assert "404" in responses, where
        if method in UNSAFE:
            assert "403" in responses, where
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ValidationErrorOut" if status == "422" else "/ErrorOut"), (where, status)
                assert response["description"].strip()


def test_operations_that_check_a_version_or_are_throttled_say_so(spec):
    paths = spec["paths"]
    assert "409" in paths[f"{API}/org/units/{{unit_id}}"]["patch"]["responses"]
    assert "409" in paths[f"{API}/demands/{{demand_id}}/review"]["post"]["responses"]
    assert "429" in paths[f"{API}/demands/verify"]["get"]["responses"]


def test_the_error_shapes_are_declared_once(spec):
    error = component(spec, "ErrorOut")
    assert set(error["required"]) == {"code", "message"}
    invalid = component(spec, "ValidationErrorOut")
    assert set(invalid["required"]) == {"code", "message", "errors"}


def test_path_ids_are_documented_as_positive_integers(spec):
    parameters = spec["paths"][f"{API}/demands/{{demand_id}}"]["get"]["parameters"]
    assert parameters[0]["schema"]["type"] == "integer"


@pytest.mark.parametrize("path", ["/demands/abc", "/org/units/abc", "/org/people/1x", "/inspections/plans/-1",
                                  "/demands/abc/submit", "/no/such/path", "/demands/1.5"])
def test_a_path_no_operation_matches_answers_json_404_under_the_api(cast, path):
    for client in (cast.client(cast.officer), Client()):
        response = client.get(f"{API}{path}")
        assert response.status_code == 404, (path, response.content[:100])
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "not_found"
    posted = cast.client(cast.officer).post(f"{API}{path}", "{}", content_type="application/json")
    assert posted.status_code == 404 and posted.json()["code"] == "not_found"


def test_the_site_outside_the_api_keeps_its_html_404(cast):
    response = cast.client(cast.officer).get("/demands/abc/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_422_answer_matches_its_documented_shape(cast):
    response = cast.client(cast.officer).post(f"{API}/org/units", {"code": "X"}, content_type="application/json")
    body = response.json()
    assert response.status_code == 422 and body["code"] == "invalid" and body["message"]
    assert all({"type", "loc", "msg"} <= set(e) for e in body["errors"])
