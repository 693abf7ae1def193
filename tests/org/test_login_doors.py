"""Every door that takes a password counts failures the same way; a guesser locks only themself, the real user
gets in; failures and locks are audited without the password."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from jianfu.audit.models import AuditRecord
from jianfu.org.backends import DEVICE_COOKIE
from jianfu.org.models import LoginFailure

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def admin_log_in(client: Client, username: str, password: str = PASSWORD):
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})


def test_twelve_wrong_admin_passwords_lock_the_admin_out_of_the_admin_site(cast):
    guesser = Client(REMOTE_ADDR="10.0.0.9")
    for n in range(12):
        admin_log_in(guesser, "admin", f"wrong-{n}")
    response = admin_log_in(guesser, "admin")
    assert response.status_code == 200  # the admin's login form again, not a redirect into the site
    assert "_auth_user_id" not in guesser.session
    assert LoginFailure.objects.get(username="admin", client__regex=r"^[0-9a-f]+$").locked_until is not None


def test_the_admin_site_and_the_login_page_share_one_count(cast):
    client = Client(REMOTE_ADDR="10.0.0.8")
    for n in range(settings.JIANFU_LOCKOUT_FAILURES - 1):
        admin_log_in(client, "cadre_a", f"wrong-{n}")
    assert log_in(client, "cadre_a", "wrong-again").status_code == 429
    assert log_in(client, "cadre_a").status_code == 429


def test_a_guesser_locks_only_their_own_client_and_the_real_user_logs_in_elsewhere(cast):
    guesser, user = Client(REMOTE_ADDR="10.0.0.66"), Client(REMOTE_ADDR="10.0.0.77")
    for n in range(settings.JIANFU_LOCKOUT_FAILURES * 3):
        log_in(guesser, "officer", f"wrong-{n}")
    assert log_in(guesser, "officer").status_code == 429  # even the right password, from the guesser
    assert log_in(user, "officer").status_code == 302


def test_guesses_from_many_addresses_slow_the_name_for_new_browsers_but_not_the_users_own(cast, settings):
    settings.JIANFU_LOCKOUT_NAME_FAILURES = 6
    own = Client(REMOTE_ADDR="10.1.0.1")
    assert log_in(own, "officer").status_code == 302
    assert DEVICE_COOKIE in own.cookies  # this browser is now known for the name
    own.post(reverse("logout"))
    for n in range(8):  # spread so no single address reaches its own lock
        log_in(Client(REMOTE_ADDR=f"10.2.0.{n}"), "officer", "wrong")
    stranger = log_in(Client(REMOTE_ADDR="10.3.0.1"), "officer")
    assert stranger.status_code == 429 and int(stranger["Retry-After"]) > 0
    assert log_in(own, "officer").status_code == 302  # the real user's browser is not held up


def test_a_forged_device_cookie_does_not_get_past_the_slowdown(cast, settings):
    settings.JIANFU_LOCKOUT_NAME_FAILURES = 3
    for n in range(5):
        log_in(Client(REMOTE_ADDR=f"10.4.0.{n}"), "officer", "wrong")
    forged = Client(REMOTE_ADDR="10.5.0.1")
    forged.cookies[DEVICE_COOKIE] = '["officer"]'
    assert log_in(forged, "officer").status_code == 429


def test_failed_logins_and_locks_are_audited_without_the_password(cast):
    client = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(settings.JIANFU_LOCKOUT_FAILURES):
        log_in(client, "cadre_b", "S3cret-guess!")
    failed = AuditRecord.objects.filter(action="login.failed", object_id="cadre_b")
    assert failed.count() == settings.JIANFU_LOCKOUT_FAILURES
    assert AuditRecord.objects.filter(action="login.locked", object_id="cadre_b").count() == 1
    stored = " ".join(str(r.after) + str(r.before) + r.object_repr for r in AuditRecord.objects.all())
    assert "S3cret-guess!" not in stored and "10.0.0.5" not in stored


def test_no_client_address_is_stored_with_a_failure(cast):
    log_in(Client(REMOTE_ADDR="192.168.7.7"), "cadre_a", "wrong")
    for row in LoginFailure.objects.all():
        assert "192.168" not in row.client


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(cast, settings):
    settings.JIANFU_PROXY_HOPS = 1
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for n in range(settings.JIANFU_LOCKOUT_FAILURES):
        log_in(guesser, "cadre_a", f"wrong-{n}")
    assert log_in(guesser, "cadre_a").status_code == 429
    # another client behind the same proxy is not locked
    assert log_in(Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6"), "cadre_a").status_code == 302
