"""A busy database (SQLite locked, a PostgreSQL lock wait timed out) answers 503 with Retry-After, never 500:
a page in the reader's language, JSON under /api/."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import path

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.test_database_busy")]


class LockNotAvailable(Exception):
    """What psycopg raises when PostgreSQL's lock_timeout runs out (SQLSTATE 55P03)."""

    sqlstate = "55P03"


def locked(request):
    raise OperationalError("database is locked")


def lock_timeout(request):
    try:
        raise LockNotAvailable("canceling statement due to lock timeout")
    except LockNotAvailable as exc:
        raise OperationalError("canceling statement due to lock timeout") from exc


def broken(request):
    raise OperationalError("no such table: org_unit")


def writes_the_session(request):
    request.session["seen"] = True
    return HttpResponse("ok")


urlpatterns = [
    path("busy/", locked),
    path("pg-busy/", lock_timeout),
    path("broken/", broken),
    path("session/", writes_the_session),
    path("api/v1/busy/", locked),
]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_locked_database_answers_503_with_retry_after_in_the_readers_language(client):
    response = client.get("/busy/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="zh-Hans">' in page
    english = client.get("/busy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english and "Busy, try again in a moment" in english


def test_a_locked_database_under_the_api_answers_json(client):
    response = client.post("/api/v1/busy/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json() == {"code": "database_busy",
                               "message": "The database is busy with a long write. Try again in a few seconds."}


def test_a_postgresql_lock_timeout_answers_503(client):
    response = client.get("/pg-busy/")
    assert response.status_code == 503 and response["Retry-After"] == "5"


def test_any_other_database_error_is_still_a_500(client):
    assert client.get("/broken/").status_code == 500


def test_a_lock_met_while_saving_the_session_after_the_view_answers_503(client, monkeypatch):
    def save(self, must_create=False):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", save)
    response = client.get("/session/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
