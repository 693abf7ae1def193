"""Production details: health checks over plain HTTP, no anonymous admin or API docs, a warning on SQLite."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.checks.registry import registry
from django.test import Client
from django.urls import resolve

from jianfu.api.services import api_token_create
from jianfu.core.checks import sqlite_in_production
from tests.core.test_settings import clean_env, jianfu, production_env

API = "/api/v1"

# Asks a production process what it serves, without a database: the admin's address and the API's documents.
PROBE = """
import json
import sys
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
try:
    resolve("/admin/")
    admin = True
except Resolver404:
    admin = False
client = Client(HTTP_HOST="jianfu.example.gov.cn")
answers = {path: client.get(path, secure=True).status_code for path in sys.argv[1:]}
print(json.dumps({"admin": admin, "answers": answers, "health_exempt": settings.SECURE_REDIRECT_EXEMPT}))
"""


def probe(tmp_path, paths: tuple[str, ...], **values: str) -> dict:
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="jianfu.settings", **values)
    done = subprocess.run([sys.executable, "-c", PROBE, *paths], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthz_answers_over_plain_http_while_every_other_page_goes_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    health = Client().get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    login = Client().get("/login/")
    assert login.status_code == 301 and login["Location"].startswith("https://")


def test_production_serves_neither_the_admin_nor_the_api_documents_to_anyone_by_default(tmp_path):
    answered = probe(tmp_path, (f"{API}/openapi.json", f"{API}/docs"))
    assert answered["admin"] is False
    assert answered["answers"] == {f"{API}/openapi.json": 401, f"{API}/docs": 302}
    assert answered["health_exempt"] == ["^healthz$"]


def test_production_serves_the_admin_and_public_api_documents_when_set(tmp_path):
    # (Only openapi.json: the docs page needs the collected static files, which this bare process has not.)
    answered = probe(tmp_path, (f"{API}/openapi.json",), JIANFU_ADMIN_ENABLED="true", JIANFU_API_DOCS_PUBLIC="true")
    assert answered["admin"] is True
    assert answered["answers"] == {f"{API}/openapi.json": 200}


def test_development_and_tests_keep_the_admin():
    assert resolve("/admin/login/").app_name == "admin"


@pytest.mark.django_db
def test_unpublished_api_documents_need_a_login_or_an_api_token(settings, cast):
    settings.JIANFU_API_DOCS_PUBLIC = False
    anonymous = Client()
    refused = anonymous.get(f"{API}/openapi.json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
    assert "paths" not in refused.content.decode()
    docs = anonymous.get(f"{API}/docs")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/")
    _token, raw = api_token_create(by=cast.cadre_b, name="docs")
    for headers in ({"HTTP_AUTHORIZATION": f"Bearer {raw}"}, {"HTTP_X_API_TOKEN": raw}):
        assert "paths" in anonymous.get(f"{API}/openapi.json", **headers).json()
    assert anonymous.get(f"{API}/openapi.json", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert "paths" in cast.client(cast.leader).get(f"{API}/openapi.json").json()
    assert cast.client(cast.leader).get(f"{API}/docs").status_code == 200


def test_check_deploy_warns_when_production_runs_on_sqlite_and_not_on_postgresql(tmp_path):
    on_sqlite = jianfu(["check", "--deploy"], production_env(tmp_path))
    assert "jianfu.W001" in on_sqlite.stdout + on_sqlite.stderr
    postgres = jianfu(["check", "--deploy", "--fail-level", "WARNING"],
                      production_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/jianfu"))
    assert postgres.returncode == 0, postgres.stdout + postgres.stderr
    assert "jianfu.W001" not in postgres.stdout + postgres.stderr
    development = jianfu(["check", "--deploy"], clean_env(tmp_path))
    assert "jianfu.W001" not in development.stdout + development.stderr


def test_the_sqlite_check_runs_only_with_the_deployment_checks():
    assert sqlite_in_production in registry.get_checks(include_deployment_checks=True)
    assert sqlite_in_production not in registry.get_checks(include_deployment_checks=False)
