"""A person changes their own password; an administrator gives a temporary one or a first-login link; all
audited, none stored in the log."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from jianfu.audit.models import AuditRecord
from jianfu.org import services as org

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Yet-another-password-7"


def log_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_person_changes_their_own_password_with_the_current_one(cast):
    client = cast.client(cast.cadre_a)
    url = reverse("org:password_change")
    wrong = client.post(url, {"current": "not-it", "new": NEW, "again": NEW})
    assert wrong.status_code == 400
    assert client.post(url, {"current": PASSWORD, "new": NEW, "again": NEW}).status_code == 302
    assert client.get(reverse("home")).status_code == 200  # still logged in on this browser
    assert log_in(Client(), "cadre_a", NEW).status_code == 302
    assert log_in(Client(), "cadre_a", PASSWORD).status_code == 400
    assert AuditRecord.objects.filter(action="person.password_change", object_id=str(cast.cadre_a.pk)).exists()


def test_a_weak_or_mistyped_new_password_is_refused_and_nothing_changes(cast):
    client = cast.client(cast.cadre_a)
    url = reverse("org:password_change")
    assert client.post(url, {"current": PASSWORD, "new": "12345678901", "again": "12345678901"}).status_code == 400
    assert client.post(url, {"current": PASSWORD, "new": NEW, "again": NEW + "x"}).status_code == 400
    cast.cadre_a.refresh_from_db()
    assert cast.cadre_a.check_password(PASSWORD)


def test_a_temporary_password_must_be_changed_at_the_next_login(cast):
    admin = cast.client(cast.admin)
    page = admin.post(reverse("org:person_password", args=[cast.cadre_b.pk]), {"what": "temporary"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    temporary = re.search(r'id="secret">([^<]+)<', page.content.decode()).group(1)
    client = Client()
    assert log_in(client, "cadre_b", temporary).status_code == 302
    blocked = client.get(reverse("demands:list"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("org:password_change"))
    client.post(reverse("org:password_change"), {"current": temporary, "new": NEW, "again": NEW})
    assert client.get(reverse("demands:list")).status_code == 200
    record = AuditRecord.objects.get(action="person.password_temporary")
    assert temporary not in str(record.after) and record.actor_id == cast.admin.pk


def test_an_imported_person_without_a_password_sets_one_through_a_first_login_link(cast):
    newcomer = org.person_create(by=None, username="newcomer", name="新人")
    org.membership_grant(by=None, person=newcomer, unit=cast.village_a, role="grassroots_cadre")
    assert not newcomer.has_usable_password()
    page = cast.client(cast.admin).post(reverse("org:person_password", args=[newcomer.pk]), {"what": "link"})
    link = re.search(r'id="secret">([^<]+)<', page.content.decode()).group(1)
    path = link.split("testserver", 1)[-1]
    anonymous = Client()
    assert "newcomer" in anonymous.get(path).content.decode()
    assert anonymous.post(path, {"new": NEW, "again": NEW}).status_code == 302
    assert log_in(Client(), "newcomer", NEW).status_code == 302
    assert anonymous.get(path).status_code == 404  # used once
    assert AuditRecord.objects.filter(action="person.first_login_link").exists()
    assert AuditRecord.objects.filter(action="person.password_first_set", actor_id=newcomer.pk).exists()


def test_only_an_administrator_in_scope_may_set_someone_elses_password(cast):
    url = reverse("org:person_password", args=[cast.cadre_a.pk])
    for outsider in (cast.cadre_b, cast.leader, cast.village_cadre_a):
        response = cast.client(outsider).post(url, {"what": "temporary"})
        assert response.status_code in (302, 403, 404)
    cast.cadre_a.refresh_from_db()
    assert cast.cadre_a.check_password(PASSWORD) and not cast.cadre_a.must_change_password
    assert not AuditRecord.objects.filter(action="person.password_temporary").exists()


def test_the_person_page_offers_the_password_actions_to_an_administrator_only(cast):
    url = reverse("org:person_detail", args=[cast.cadre_a.pk])
    action = reverse("org:person_password", args=[cast.cadre_a.pk])
    assert action in cast.client(cast.admin).get(url).content.decode()
    leader_page = cast.client(cast.leader).get(url)
    assert leader_page.status_code == 200 and action not in leader_page.content.decode()


def test_after_an_import_an_administrator_downloads_first_login_links_for_everyone_without_a_password(cast):
    from django.urls import reverse as r

    from tests.exports import export_rows

    newcomers = []
    for username, unit in (("new_a", cast.village_a), ("new_b", cast.village_b)):
        p = org.person_create(by=None, username=username, name=f"新人{username}")
        org.membership_grant(by=None, person=p, unit=unit, role="grassroots_cadre")
        newcomers.append(p)
    rows = export_rows(cast.client(cast.admin), r("org:person_list"), {"export": "first_login_links"})
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"new_a", "new_b"}  # the cast all have passwords
    link = by_name["new_a"][3]
    assert link.startswith("http://testserver/login/first/")
    anonymous = Client()
    path = link.split("testserver", 1)[1]
    assert anonymous.post(path, {"new": NEW, "again": NEW}).status_code == 302
    assert log_in(Client(), "new_a", NEW).status_code == 302
    assert AuditRecord.objects.filter(action="person.first_login_link").count() == 2


def test_the_first_login_links_export_is_refused_to_whoever_may_not_manage_people(cast):
    from django.urls import reverse as r

    from jianfu.core.models import ExportJob

    org.person_create(by=None, username="new_c", name="新人")
    response = cast.client(cast.leader).get(r("org:person_list"), {"export": "first_login_links"})
    job = ExportJob.objects.filter(person=cast.leader).first()
    assert job is None or job.status != ExportJob.Status.DONE
    assert not AuditRecord.objects.filter(action="person.first_login_link").exists()
    assert response.status_code in (302, 403, 404)
