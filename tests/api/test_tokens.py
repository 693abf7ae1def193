"""Personal API tokens: shown once, stored as a digest, revocable."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from jianfu.api.models import ApiToken
from jianfu.api.services import api_token_create, api_token_revoke
from jianfu.audit.models import AuditRecord
from jianfu.org import services as org
from jianfu.org.models import Person

pytestmark = pytest.mark.django_db

SECRET_RE = re.compile(r'<code class="secret">([^<]+)</code>')


def create_on_page(client, name="报表脚本") -> str:
    response = client.post(reverse("api_tokens"), {"name": name})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    found = SECRET_RE.search(response.content.decode())
    assert found, "the new token's secret is shown on the page"
    return found.group(1)


def every_stored_value() -> str:
    """Every value in every table, as text, to prove a secret is stored nowhere."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


def test_the_tokens_page_shows_the_secret_once(cast):
    client = cast.client(cast.cadre_a)
    raw = create_on_page(client)
    assert raw.startswith("jf_")
    again = client.get(reverse("api_tokens"))
    assert again.status_code == 200
    assert raw not in again.content.decode()
    assert "报表脚本" in again.content.decode()


def test_only_a_sha256_digest_of_the_token_is_stored(cast):
    raw = create_on_page(cast.client(cast.cadre_a))
    token = ApiToken.objects.get(person=cast.cadre_a)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix)
    assert raw not in every_stored_value()


def test_token_creation_and_revocation_are_audited(cast):
    token, _raw = api_token_create(by=cast.cadre_a, name="脚本")
    api_token_revoke(by=cast.cadre_a, token=token)
    actions = list(AuditRecord.objects.filter(object_type="api.apitoken").values_list("action", flat=True))
    assert actions == ["api_token.create", "api_token.revoke"]


def test_bearer_token_authenticates_as_its_owner_and_keeps_their_scope(cast):
    _token, raw = api_token_create(by=cast.cadre_b, name="脚本")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    units = client.get("/api/v1/org/units")
    assert units.status_code == 200
    assert {u["id"] for u in json.loads(units.content)["items"]} == {cast.township_b.pk, cast.village_b.pk}
    assert client.get(f"/api/v1/org/units/{cast.township_a.pk}").status_code == 404
    assert ApiToken.objects.get(person=cast.cadre_b).last_used_at is not None


def test_the_x_api_token_header_works_too(cast):
    _token, raw = api_token_create(by=cast.officer, name="脚本")
    assert Client(HTTP_X_API_TOKEN=raw).get("/api/v1/org/people").status_code == 200


def test_a_bearer_token_can_write_what_its_owner_may(cast):
    _token, raw = api_token_create(by=cast.officer, name="脚本")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").patch(
        f"/api/v1/org/units/{cast.village_a.pk}", {"name": "土桥新村", "reason": "更名"},
        content_type="application/json")
    assert response.status_code == 200
    assert AuditRecord.objects.filter(action="unit.update", actor=cast.officer).exists()


@pytest.mark.parametrize("header", ["Bearer jf_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz",
                                    "Bearer jf_" + "x" * 200])
def test_a_wrong_token_gets_401_json(cast, header):
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/org/units")
    assert response.status_code == 401
    data = json.loads(response.content)
    assert data["code"] == "unauthorized"
    assert data["message"]


def test_a_revoked_token_gets_401_json(cast):
    client = cast.client(cast.cadre_a)
    raw = create_on_page(client)
    token = ApiToken.objects.get(person=cast.cadre_a)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/org/units").status_code == 200
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert not token.active
    for language in ("en", "zh-hans"):
        response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=language).get(
            "/api/v1/org/units")
        assert response.status_code == 401
        data = json.loads(response.content)
        assert data["code"] == "unauthorized"
        assert data["message"].strip()


def test_a_deactivated_persons_token_stops_working(cast):
    _token, raw = api_token_create(by=cast.cadre_a, name="脚本")
    org.person_update(by=None, person=cast.cadre_a, is_active=False)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/org/units").status_code == 401


def test_revoking_is_a_post(cast):
    token, _raw = api_token_create(by=cast.cadre_a, name="脚本")
    client = cast.client(cast.cadre_a)
    assert client.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.active


def test_a_token_needs_a_name(cast):
    response = cast.client(cast.cadre_a).post(reverse("api_tokens"), {"name": "   "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_person_without_the_token_permission_gets_404_on_the_tokens_page(cast):
    loner = org.person_create(by=None, username="loner", name="无岗位", password=None)
    client = cast.client(loner)
    assert client.get(reverse("api_tokens")).status_code == 404
    assert client.post(reverse("api_tokens"), {"name": "脚本"}).status_code == 404
    assert not ApiToken.objects.exists()


def test_the_tokens_page_needs_a_login(db):
    response = Client().get(reverse("api_tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_session_authenticated_api_writes_need_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer)
    assert client.get("/api/v1/org/units").status_code == 200
    response = client.post("/api/v1/org/people", {"username": "newcomer", "name": "新人"},
                           content_type="application/json")
    assert response.status_code == 403
    assert json.loads(response.content)["message"]
    assert not Person.objects.filter(username="newcomer").exists()


def test_token_authenticated_api_writes_need_no_csrf_token(cast):
    _token, raw = api_token_create(by=cast.officer, name="脚本")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.post("/api/v1/org/people", {"username": "newcomer", "name": "新人"},
                           content_type="application/json")
    assert response.status_code == 201
