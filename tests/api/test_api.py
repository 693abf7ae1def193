"""The JSON API: its spec, its error shape, and its writes."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jianfu.audit.models import AuditRecord
from jianfu.org.models import Unit, UnitType

pytestmark = pytest.mark.django_db

API = "/api/v1"


def body(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    data = body(response)
    assert isinstance(data.get("code"), str) and data["code"]
    assert isinstance(data.get("message"), str) and data["message"].strip()
    if code is not None:
        assert data["code"] == code
    return data


def test_openapi_spec_is_valid_json_listing_every_path():
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    spec = body(response)
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"]
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths[f"{API}/org/units"])
    assert {"get", "patch"} <= set(paths[f"{API}/org/units/{{unit_id}}"])
    assert {"get", "post"} <= set(paths[f"{API}/org/people"])
    assert "get" in paths[f"{API}/org/people/{{person_id}}"]
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_openapi_spec_declares_the_error_shape():
    spec = body(Client().get(f"{API}/openapi.json"))
    error = spec["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "message"}
    responses = spec["paths"][f"{API}/org/units/{{unit_id}}"]["get"]["responses"]
    assert "404" in responses


@pytest.mark.parametrize("path", ["/org/units", "/org/units/1", "/org/people", "/org/people/1"])
def test_no_auth_gets_401_json(db, path):
    assert_error(Client().get(f"{API}{path}"), 401, "unauthorized")


def test_no_auth_cannot_write(cast):
    client = Client()
    assert_error(client.post(f"{API}/org/units", {"code": "X", "name": "新", "type": "city"},
                             content_type="application/json"), 401)
    assert_error(client.patch(f"{API}/org/units/{cast.city.pk}", {"name": "新"},
                              content_type="application/json"), 401)
    assert not Unit.objects.filter(code="X").exists()


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_errors_carry_a_code_and_a_message_in_every_language(cast, language):
    anonymous = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert_error(anonymous.get(f"{API}/org/units"), 401, "unauthorized")
    client = cast.client(cast.cadre_b)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    assert_error(client.get(f"{API}/org/units/{cast.township_a.pk}"), 404, "not_found")
    assert_error(client.post(f"{API}/org/people", {"username": "x", "name": "新"},
                             content_type="application/json"), 403, "forbidden")
    officer = cast.client(cast.officer)
    officer.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    assert_error(officer.post(f"{API}/org/units", {"code": cast.city.code, "name": "重复", "type": "city"},
                              content_type="application/json"), 400, "duplicate_code")
    missing_code = officer.post(f"{API}/org/units", {"name": "缺代码"}, content_type="application/json")
    invalid = assert_error(missing_code, 422, "invalid")
    assert invalid["errors"]


def test_a_stale_patch_gets_409(cast):
    client = cast.client(cast.officer)
    url = f"{API}/org/units/{cast.village_a.pk}"
    first = client.patch(url, {"name": "土桥新村", "version": 1, "reason": "更名"}, content_type="application/json")
    assert first.status_code == 200
    assert body(first)["name"] == "土桥新村"
    stale = client.patch(url, {"name": "覆盖", "version": 1, "reason": "更名"}, content_type="application/json")
    assert_error(stale, 409, "stale")
    assert Unit.objects.get(pk=cast.village_a.pk).name == "土桥新村"


def test_officer_creates_and_moves_units_through_the_api(cast):
    client = cast.client(cast.officer)
    created = client.post(f"{API}/org/units", {"code": "431026101299", "name": "新村",
                                               "type": UnitType.VILLAGE, "parent_code": cast.township_a.code},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    data = body(created)
    assert data["parent_code"] == cast.township_a.code
    assert data["level"] == cast.township_a.level + 1
    moved = client.patch(f"{API}/org/units/{data['id']}", {"parent_code": cast.township_b.code, "reason": "区划调整"},
                         content_type="application/json")
    assert moved.status_code == 200
    assert body(moved)["parent_id"] == cast.township_b.pk
    assert Unit.objects.get(pk=data["id"]).path.startswith(cast.township_b.path)
    assert AuditRecord.objects.filter(object_type="org.unit", object_id=str(data["id"])).count() == 2


def test_patch_refuses_broken_business_rules_with_400(cast):
    client = cast.client(cast.officer)
    assert_error(client.patch(f"{API}/org/units/{cast.county.pk}", {"parent_code": cast.township_a.code},
                              content_type="application/json"), 400)
    assert_error(client.patch(f"{API}/org/units/{cast.village_a.pk}", {"name": "  "},
                              content_type="application/json"), 400, "required")
    assert_error(client.patch(f"{API}/org/units/{cast.township_a.pk}", {"active": False},
                              content_type="application/json"), 400, "has_children")
    assert_error(client.patch(f"{API}/org/units/{cast.village_a.pk}", {"parent_code": "NO-SUCH"},
                              content_type="application/json"), 400, "parent")
    assert Unit.objects.get(pk=cast.township_a.pk).active


def test_patch_with_nulls_changes_nothing_rather_than_failing(cast):
    client = cast.client(cast.officer)
    response = client.patch(f"{API}/org/units/{cast.village_a.pk}", {"name": None, "active": None},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    unit = Unit.objects.get(pk=cast.village_a.pk)
    assert (unit.name, unit.active) == ("土桥村", True)


def test_api_unit_detail_shows_only_visible_ancestors(cast):
    data = body(cast.client(cast.cadre_a).get(f"{API}/org/units/{cast.village_a.pk}"))
    assert data["ancestors"] == ["土桥镇"]
    assert data["children_count"] == 0
    data = body(cast.client(cast.officer).get(f"{API}/org/units/{cast.village_a.pk}"))
    assert data["ancestors"] == ["郴州市", "汝城县", "土桥镇"]


def test_officer_adds_a_person_and_a_bad_phone_is_refused(cast):
    client = cast.client(cast.officer)
    created = client.post(f"{API}/org/people",
                          {"username": "newcomer", "name": "新人", "phone": "13807359999"},
                          content_type="application/json")
    assert created.status_code == 201
    assert body(created)["memberships"] == []
    assert_error(client.post(f"{API}/org/people", {"username": "other", "name": "新人", "phone": "12345"},
                             content_type="application/json"), 400, "phone")
    assert_error(client.post(f"{API}/org/people", {"username": "newcomer", "name": "重名"},
                             content_type="application/json"), 400, "duplicate_username")


def test_api_lists_are_paginated_and_filterable(cast):
    client = cast.client(cast.officer)
    units = body(client.get(f"{API}/org/units", {"type": UnitType.VILLAGE}))
    assert {u["id"] for u in units["items"]} == {cast.village_a.pk, cast.village_b.pk}
    assert body(client.get(f"{API}/org/units", {"q": "土桥"}))["count"] == 2
    people = body(client.get(f"{API}/org/people", {"unit": cast.township_a.pk}))
    assert [p["username"] for p in people["items"]] == ["cadre_a"]
    assert people["items"][0]["memberships"][0]["unit_code"] == cast.township_a.code
    assert body(client.get(f"{API}/org/units", {"page": 99}))["items"] == []


def test_error_messages_follow_the_callers_language(cast):
    from django.conf import settings

    if not (settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo").exists():
        pytest.skip("translations are not compiled; `jianfu buildmessages` compiles them")
    messages = {}
    for language in ("en", "zh-hans", "zh-hant"):
        client = cast.client(cast.cadre_b)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        messages[language] = assert_error(client.get(f"{API}/org/units/{cast.township_a.pk}"), 404)["message"]
    assert messages["en"].isascii()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in messages["zh-hans"])
    assert len(set(messages.values())) == 3
