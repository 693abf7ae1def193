"""The organisation pages and the login: they render, they write through services, and login is guarded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.org import services as org
from jianfu.org.models import LoginFailure, Membership, Person, Role, Unit, UnitType
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


# --- login, lockout, logout -----------------------------------------

def test_the_login_page_renders(db):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_pages_send_anonymous_visitors_to_the_login_page(db):
    response = Client().get(reverse("org:unit_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('org:unit_list')}"


def test_a_right_password_logs_in_and_the_session_cookie_is_http_only(cast):
    client = Client()
    response = log_in(client, "cadre_a")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(cast):
    response = log_in(Client(), "cadre_a", "wrong-password")
    assert response.status_code == 400
    assert errors(response)
    assert LoginFailure.objects.exclude(client="*").get(username="cadre_a").count == 1


def test_a_login_name_is_locked_after_the_configured_failures_even_with_the_right_password(cast):
    client = Client()
    limit = settings.JIANFU_LOCKOUT_FAILURES
    statuses = [log_in(client, "cadre_a", f"wrong-{n}").status_code for n in range(limit)]
    assert statuses == [400] * (limit - 1) + [429]
    locked = log_in(client, "cadre_a")
    assert locked.status_code == 429
    message = " ".join(errors(locked))
    assert str(settings.JIANFU_LOCKOUT_MINUTES) in message
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("limit", [1, 3])
def test_the_lockout_threshold_follows_the_setting(cast, settings, limit):
    settings.JIANFU_LOCKOUT_FAILURES = limit
    client = Client()
    for n in range(limit):
        log_in(client, "cadre_b", f"wrong-{n}")
    assert log_in(client, "cadre_b").status_code == 429


def test_an_unknown_login_name_locks_the_same_way_so_names_cannot_be_enumerated(cast):
    limit = settings.JIANFU_LOCKOUT_FAILURES
    known = [log_in(Client(), "cadre_a", "wrong").status_code for _ in range(limit + 1)]
    unknown = [log_in(Client(), "nobody_here", "wrong").status_code for _ in range(limit + 1)]
    assert known == unknown
    assert unknown[-1] == 429
    assert LoginFailure.objects.filter(username="nobody_here").exists()


def test_lockout_ignores_the_case_of_the_login_name(cast):
    for n in range(settings.JIANFU_LOCKOUT_FAILURES):
        log_in(Client(), "CADRE_A" if n % 2 else "cadre_a", "wrong")
    assert log_in(Client(), "cadre_a").status_code == 429


def test_a_successful_login_clears_the_failures(cast):
    limit = settings.JIANFU_LOCKOUT_FAILURES
    for _ in range(limit - 1):
        log_in(Client(), "cadre_a", "wrong")
    assert log_in(Client(), "cadre_a").status_code == 302
    assert not LoginFailure.objects.filter(username="cadre_a").exclude(client="*").exists()
    for _ in range(limit - 1):
        assert log_in(Client(), "cadre_a", "wrong").status_code == 400
    assert log_in(Client(), "cadre_a").status_code == 302


def test_the_lock_ends_after_the_lockout_minutes(cast):
    for _ in range(settings.JIANFU_LOCKOUT_FAILURES):
        log_in(Client(), "cadre_a", "wrong")
    assert log_in(Client(), "cadre_a").status_code == 429
    past = timezone.now() - dt.timedelta(minutes=settings.JIANFU_LOCKOUT_MINUTES + 1)
    LoginFailure.objects.filter(username="cadre_a").update(locked_until=past, first_at=past)
    assert log_in(Client(), "cadre_a").status_code == 302


def test_a_locked_name_does_not_lock_anyone_else(cast):
    for _ in range(settings.JIANFU_LOCKOUT_FAILURES):
        log_in(Client(), "cadre_a", "wrong")
    assert log_in(Client(), "cadre_b").status_code == 302


def test_an_inactive_person_cannot_log_in(cast):
    org.person_update(by=None, person=cast.cadre_a, is_active=False)
    assert log_in(Client(), "cadre_a").status_code == 400


@pytest.mark.parametrize("target", ["/org/units/", "/org/people/?q=%E6%9D%8E"])
def test_next_redirects_within_the_site(cast, target):
    response = log_in(Client(), "cadre_a", next=target)
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/", "http://testserver.evil/",
                                    "javascript:alert(1)", "/\\evil.example.com"])
def test_next_never_redirects_to_another_host(cast, target):
    response = log_in(Client(), "cadre_a", next=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_next_from_the_query_string_is_kept_through_the_login_form(cast):
    client = Client()
    page = client.get(reverse("login"), {"next": "/org/people/"})
    assert 'value="/org/people/"' in page.content.decode()
    assert client.get(reverse("login"), {"next": "https://evil.example.com/"}).context["next"] == ""


def test_a_logged_in_person_visiting_the_login_page_goes_home(cast):
    response = cast.client(cast.cadre_a).get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_is_a_post(cast):
    client = cast.client(cast.cadre_a)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_login_sets_the_persons_preferred_language(cast):
    org.person_update(by=None, person=cast.cadre_a, preferred_language="en")
    response = log_in(Client(), "cadre_a")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


# --- pages render for every member of the cast ---

CAST_NAMES = ["officer", "clerk", "cadre_a", "village_cadre_a", "cadre_b", "leader", "admin"]


@pytest.mark.parametrize("who", CAST_NAMES)
def test_every_cast_member_gets_a_home_page_and_the_list_pages(cast, who):
    client = cast.client(getattr(cast, who))
    for name in ("home", "org:unit_list", "org:person_list", "org:role_list", "org:task_force",
                 "org:liaison_list", "api_tokens"):
        assert client.get(reverse(name)).status_code == 200, name


def test_the_unit_tree_expands_one_level_at_a_time(cast):
    client = cast.client(cast.officer)
    roots = client.get(reverse("org:unit_list")).context["roots"]
    assert [u.pk for u in roots] == [cast.city.pk]
    children = client.get(reverse("org:unit_children", args=[cast.county.pk]), HTTP_HX_REQUEST="true")
    assert children.status_code == 200
    assert {u.pk for u in children.context["children"]} == {cast.township_a.pk, cast.township_b.pk}
    assert "<html" not in children.content.decode()


def test_unit_list_filters_by_type_and_search(cast):
    client = cast.client(cast.officer)
    villages = client.get(reverse("org:unit_list"), {"type": UnitType.VILLAGE}).context["page"].object_list
    assert {u.pk for u in villages} == {cast.village_a.pk, cast.village_b.pk}
    found = client.get(reverse("org:unit_list"), {"q": "热水"}).context["page"].object_list
    assert {u.pk for u in found} == {cast.township_b.pk, cast.village_b.pk}


def test_officer_creates_a_unit_through_the_page(cast):
    client = cast.client(cast.officer)
    assert client.get(reverse("org:unit_create"), {"parent": cast.township_a.pk}).status_code == 200
    response = client.post(reverse("org:unit_create"), {
        "code": "431026101202", "name": "永丰村", "type": UnitType.VILLAGE, "parent": cast.township_a.pk})
    assert response.status_code == 302
    unit = Unit.objects.get(code="431026101202")
    assert response["Location"] == unit.get_absolute_url()
    assert unit.path.startswith(cast.township_a.path)
    assert AuditRecord.objects.filter(action="unit.create", object_id=str(unit.pk),
                                      actor=cast.officer).exists()


def test_the_unit_form_shows_a_broken_rule_beside_what_was_typed(cast):
    response = cast.client(cast.officer).post(reverse("org:unit_create"), {
        "code": cast.village_b.code, "name": "重复", "type": UnitType.VILLAGE, "parent": cast.township_a.pk})
    assert response.status_code == 400
    assert cast.village_b.code in " ".join(errors(response))


def test_a_stale_unit_edit_is_refused_with_a_message(cast):
    client = cast.client(cast.officer)
    url = reverse("org:unit_edit", args=[cast.village_a.pk])
    data = {"code": cast.village_a.code, "type": UnitType.VILLAGE, "parent": cast.township_a.pk, "version": 1,
            "reason": "村名更正"}
    assert client.post(url, {**data, "name": "第一次"}).status_code == 302
    response = client.post(url, {**data, "name": "第二次"})
    assert response.status_code == 400
    assert errors(response)
    assert Unit.objects.get(pk=cast.village_a.pk).name == "第一次"


def test_the_edit_page_does_not_offer_the_unit_or_its_descendants_as_parent(cast):
    response = cast.client(cast.officer).get(reverse("org:unit_edit", args=[cast.township_a.pk]))
    offered = set(response.context["form"].fields["parent"].queryset.values_list("pk", flat=True))
    assert cast.county.pk in offered
    assert not offered & {cast.township_a.pk, cast.village_a.pk}


def test_toggling_a_unit_with_active_children_shows_an_error_and_changes_nothing(cast):
    client = cast.client(cast.officer)
    response = client.post(reverse("org:unit_toggle_active", args=[cast.township_a.pk]), follow=True)
    assert response.status_code == 200
    assert Unit.objects.get(pk=cast.township_a.pk).active
    assert client.post(reverse("org:unit_toggle_active", args=[cast.village_a.pk])).status_code == 302
    assert not Unit.objects.get(pk=cast.village_a.pk).active


def test_write_pages_refuse_get_where_they_change_state(cast):
    client = cast.client(cast.officer)
    membership = Membership.objects.get(person=cast.cadre_a)
    for url in (reverse("org:unit_toggle_active", args=[cast.village_a.pk]),
                reverse("org:unit_set_liaison", args=[cast.village_a.pk]),
                reverse("org:membership_add", args=[cast.cadre_a.pk]),
                reverse("org:membership_revoke", args=[membership.pk])):
        assert client.get(url).status_code == 405, url


def test_officer_adds_a_person_grants_and_revokes_a_role(cast):
    client = cast.client(cast.officer)
    response = client.post(reverse("org:person_create"), {"username": "li_si", "name": "李四",
                                                          "phone": "138 0735 1234", "title": "村委委员"})
    assert response.status_code == 302
    person = Person.objects.get(username="li_si")
    assert person.phone == "13807351234"
    assert not person.has_usable_password()
    granted = client.post(reverse("org:membership_add", args=[person.pk]),
                          {"unit": cast.village_a.pk, "role": Role.GRASSROOTS_CADRE})
    assert granted.status_code == 302
    membership = Membership.objects.get(person=person, unit=cast.village_a)
    assert membership.active
    assert person in cast.client(cast.cadre_a).get(reverse("org:person_list")).context["page"].object_list
    assert client.post(reverse("org:membership_revoke", args=[membership.pk])).status_code == 302
    membership.refresh_from_db()
    assert not membership.active


def test_a_bad_phone_number_is_a_field_error(cast):
    response = cast.client(cast.officer).post(reverse("org:person_create"),
                                              {"username": "li_si", "name": "李四", "phone": "12345"})
    assert response.status_code == 400
    assert response.context["form"].errors["phone"]
    assert not Person.objects.filter(username="li_si").exists()


def test_a_stale_person_edit_is_refused(cast):
    client = cast.client(cast.officer)
    url = reverse("org:person_edit", args=[cast.cadre_a.pk])
    data = {"username": "ignored", "phone": "", "title": "", "version": 1}
    assert client.post(url, {**data, "name": "李镇长"}).status_code == 302
    assert client.post(url, {**data, "name": "覆盖"}).status_code == 400
    person = Person.objects.get(pk=cast.cadre_a.pk)
    assert (person.name, person.username) == ("李镇长", "cadre_a")


def test_the_liaison_list_can_show_only_units_missing_a_liaison(cast):
    org.liaison_set(by=None, unit=cast.township_a, person=cast.cadre_a)
    client = cast.client(cast.cadre_a)
    everything = client.get(reverse("org:liaison_list")).context["page"].object_list
    missing = client.get(reverse("org:liaison_list"), {"missing": "1"}).context["page"].object_list
    assert {u.pk for u in everything} == {cast.township_a.pk, cast.village_a.pk}
    assert {u.pk for u in missing} == {cast.village_a.pk}


def test_the_unit_detail_shows_its_history_to_officers_only(cast):
    org.unit_update(by=cast.officer, reason="区划调整", unit=cast.township_a, name="土桥镇（新）")
    officer = cast.client(cast.officer).get(reverse("org:unit_detail", args=[cast.township_a.pk]))
    assert [r.action for r in officer.context["history"]][:1] == ["unit.update"]
    cadre = cast.client(cast.cadre_a).get(reverse("org:unit_detail", args=[cast.township_a.pk]))
    assert cadre.context["history"] is None


def test_an_unknown_page_is_a_404(cast):
    response = cast.client(cast.cadre_a).get(reverse("org:unit_detail", args=[999999]))
    assert response.status_code == 404
    assert cast.client(cast.cadre_a).get("/org/units/not-a-number/").status_code == 404
