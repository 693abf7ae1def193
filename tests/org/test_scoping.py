"""Who sees and changes what: every organisation page and API endpoint, for every member of the cast."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from jianfu.api.services import api_token_create
from jianfu.audit.models import AuditRecord
from jianfu.org import services as org
from jianfu.org.models import Membership, Role, Unit, UnitType
from tests.exports import export_rows

pytestmark = pytest.mark.django_db

A_UNITS = ("township_a", "village_a")
A_PEOPLE = ("cadre_a", "village_cadre_a")
A_NAMES = ("土桥镇", "土桥村", "李镇", "王村")


def unit_read_pages(unit: Unit) -> list[str]:
    return [reverse("org:unit_detail", args=[unit.pk]), reverse("org:unit_children", args=[unit.pk])]


def unit_write_requests(cast, unit: Unit) -> list[tuple[str, str, dict]]:
    """Every page that changes a unit, with data that would succeed for someone allowed to."""
    member = Membership.objects.filter(unit=unit, active=True).first()
    return [
        ("get", reverse("org:unit_edit", args=[unit.pk]), {}),
        ("post", reverse("org:unit_edit", args=[unit.pk]),
         {"code": unit.code, "name": "改过的名字", "type": unit.type, "parent": unit.parent_id or "",
          "version": unit.version}),
        ("post", reverse("org:unit_toggle_active", args=[unit.pk]), {}),
        ("post", reverse("org:unit_set_liaison", args=[unit.pk]),
         {"person": member.person_id if member else ""}),
        ("get", reverse("org:unit_create") + f"?parent={unit.pk}", {}),
        ("post", reverse("org:unit_create"),
         {"code": "X" + unit.code, "name": "新单位", "type": UnitType.VILLAGE, "parent": unit.pk}),
    ]


def person_read_pages(person) -> list[str]:
    return [reverse("org:person_detail", args=[person.pk])]


def person_write_requests(cast, person) -> list[tuple[str, str, dict]]:
    membership = Membership.objects.filter(person=person, active=True).first()
    return [
        ("get", reverse("org:person_edit", args=[person.pk]), {}),
        ("post", reverse("org:person_edit", args=[person.pk]),
         {"username": person.username, "name": "改过的名字", "phone": "", "title": "",
          "version": person.version}),
        ("post", reverse("org:membership_add", args=[person.pk]),
         {"unit": cast.township_b.pk, "role": Role.GRASSROOTS_CADRE}),
        ("post", reverse("org:membership_revoke", args=[membership.pk]), {}),
        ("get", reverse("org:person_create"), {}),
        ("post", reverse("org:person_create"),
         {"username": "newcomer", "name": "新人", "phone": "", "title": ""}),
    ]


def send(client, method: str, url: str, data: dict):
    return client.post(url, data) if method == "post" else client.get(url)


def flat(rows: list[list]) -> str:
    return " ".join(str(c) for row in rows for c in row if c is not None)


def api_json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


# --- the outsider: cadre_b of township B sees nothing of township A ---

@pytest.mark.parametrize("unit_name", A_UNITS)
def test_township_b_cadre_gets_404_for_township_a_unit_pages(cast, unit_name):
    unit = getattr(cast, unit_name)
    client = cast.client(cast.cadre_b)
    for url in unit_read_pages(unit):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("unit_name", A_UNITS)
def test_township_b_cadre_gets_404_for_every_write_page_of_township_a_units(cast, unit_name):
    unit = getattr(cast, unit_name)
    client = cast.client(cast.cadre_b)
    records = AuditRecord.objects.count()
    for method, url, data in unit_write_requests(cast, unit):
        assert send(client, method, url, data).status_code == 404, (method, url)
    unit.refresh_from_db()
    assert unit.name != "改过的名字"
    assert unit.active
    assert not Unit.objects.filter(code="X" + unit.code).exists()
    assert AuditRecord.objects.count() == records


@pytest.mark.parametrize("person_name", A_PEOPLE)
def test_township_b_cadre_gets_404_for_township_a_people_pages(cast, person_name):
    person = getattr(cast, person_name)
    client = cast.client(cast.cadre_b)
    records = AuditRecord.objects.count()
    for url in person_read_pages(person):
        assert client.get(url).status_code == 404, url
    for method, url, data in person_write_requests(cast, person):
        assert send(client, method, url, data).status_code == 404, (method, url)
    person.refresh_from_db()
    assert person.name != "改过的名字"
    assert Membership.objects.filter(person=person, active=True).exists()
    assert AuditRecord.objects.count() == records


def test_township_b_cadre_cannot_name_a_liaison_in_township_a(cast):
    client = cast.client(cast.cadre_b)
    response = client.post(reverse("org:unit_set_liaison", args=[cast.township_a.pk]),
                           {"person": cast.cadre_a.pk})
    assert response.status_code == 404
    cast.township_a.refresh_from_db()
    assert cast.township_a.liaison_id is None


def test_township_b_cadre_unit_list_holds_only_township_b(cast):
    response = cast.client(cast.cadre_b).get(reverse("org:unit_list"))
    assert response.status_code == 200
    listed = {u.pk for u in response.context["page"].object_list}
    assert listed == {cast.township_b.pk, cast.village_b.pk}
    assert {u.pk for u in response.context["roots"]} == {cast.township_b.pk}
    content = response.content.decode()
    for name in A_NAMES:
        assert name not in content


def test_township_b_cadre_home_page_shows_nothing_of_township_a(cast):
    response = cast.client(cast.cadre_b).get(reverse("home"))
    assert response.status_code == 200
    assert [m.unit for m in response.context["memberships"]] == [cast.township_b]
    content = response.content.decode()
    for name in A_NAMES:
        assert name not in content


def test_township_b_cadre_unit_list_filtered_by_a_parent_is_empty(cast):
    response = cast.client(cast.cadre_b).get(reverse("org:unit_list"), {"parent": cast.township_a.pk})
    assert list(response.context["page"].object_list) == []


def test_township_b_cadre_person_list_holds_only_township_b_people(cast):
    response = cast.client(cast.cadre_b).get(reverse("org:person_list"))
    assert response.status_code == 200
    assert {p.pk for p in response.context["page"].object_list} == {cast.cadre_b.pk}
    content = response.content.decode()
    for name in A_NAMES:
        assert name not in content


def test_person_list_filters_do_not_reveal_memberships_outside_the_callers_scope(cast):
    """Someone who serves in both townships is listed for B, but never found by filtering on A."""
    both = org.person_create(by=None, username="both", name="两边跑", password=None)
    org.membership_grant(by=None, person=both, unit=cast.township_b, role=Role.GRASSROOTS_CADRE)
    org.membership_grant(by=None, person=both, unit=cast.village_a, role=Role.DEPARTMENT_CLERK)
    client = cast.client(cast.cadre_b)
    assert both in client.get(reverse("org:person_list")).context["page"].object_list
    by_unit = client.get(reverse("org:person_list"), {"unit": cast.village_a.pk})
    assert list(by_unit.context["page"].object_list) == []
    by_role = client.get(reverse("org:person_list"), {"role": Role.DEPARTMENT_CLERK})
    assert list(by_role.context["page"].object_list) == []
    detail = client.get(reverse("org:person_detail", args=[both.pk])).content.decode()
    assert "土桥村" not in detail
    api = api_json(client.get("/api/v1/org/people", {"unit": cast.village_a.pk}))
    assert api["items"] == []
    api = api_json(client.get(f"/api/v1/org/people/{both.pk}"))
    assert [m["unit_id"] for m in api["memberships"]] == [cast.township_b.pk]


def test_township_b_cadre_xlsx_exports_hold_only_township_b(cast):
    client = cast.client(cast.cadre_b)
    units = flat(export_rows(client, reverse("org:unit_list"), {"export": "xlsx"}))
    people = flat(export_rows(client, reverse("org:person_list"), {"export": "xlsx"}))
    liaisons = flat(export_rows(client, reverse("org:liaison_list"), {"export": "xlsx"}))
    assert "热水镇" in units and "热水村" in units
    assert "赵镇" in people
    assert "热水镇" in liaisons
    for text in (units, people, liaisons):
        for name in (*A_NAMES, "郴州市", "市委办", "专班"):
            assert name not in text


def test_township_b_cadre_sees_only_in_scope_rows_on_roles_task_force_and_liaison_pages(cast):
    client = cast.client(cast.cadre_b)
    roles = client.get(reverse("org:role_list"))
    assert roles.status_code == 200
    counts = {r["role"]: r["n"] for r in roles.context["roles"]}
    assert counts[Role.GRASSROOTS_CADRE] == 1
    assert counts[Role.TASK_FORCE_OFFICER] == 0
    task_force = client.get(reverse("org:task_force"))
    assert task_force.status_code == 200
    assert list(task_force.context["task_forces"]) == []
    liaisons = client.get(reverse("org:liaison_list"))
    assert liaisons.status_code == 200
    assert {u.pk for u in liaisons.context["page"].object_list} == {cast.township_b.pk, cast.village_b.pk}


def test_audit_log_and_jobs_pages_do_not_exist_for_a_township_cadre(cast):
    client = cast.client(cast.cadre_b)
    assert client.get(reverse("audit:list")).status_code == 404
    assert client.get(reverse("audit:verify")).status_code == 404
    assert client.get(reverse("core:jobs")).status_code == 404


def test_township_b_cadre_cannot_revoke_township_a_cadres_token(cast):
    token, _raw = api_token_create(by=cast.cadre_a, name="报表脚本")
    client = cast.client(cast.cadre_b)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.active
    assert "报表脚本" not in client.get(reverse("api_tokens")).content.decode()


@pytest.mark.parametrize("unit_name", A_UNITS)
def test_township_b_cadre_gets_404_for_township_a_units_in_the_api(cast, unit_name):
    unit = getattr(cast, unit_name)
    client = cast.client(cast.cadre_b)
    records = AuditRecord.objects.count()
    got = client.get(f"/api/v1/org/units/{unit.pk}")
    assert got.status_code == 404
    assert api_json(got)["code"] == "not_found"
    patched = client.patch(f"/api/v1/org/units/{unit.pk}", {"name": "改过的名字"},
                           content_type="application/json")
    assert patched.status_code == 404
    assert api_json(patched)["code"] == "not_found"
    unit.refresh_from_db()
    assert unit.name != "改过的名字"
    assert AuditRecord.objects.count() == records


@pytest.mark.parametrize("person_name", A_PEOPLE)
def test_township_b_cadre_gets_404_for_township_a_people_in_the_api(cast, person_name):
    person = getattr(cast, person_name)
    response = cast.client(cast.cadre_b).get(f"/api/v1/org/people/{person.pk}")
    assert response.status_code == 404
    assert api_json(response)["code"] == "not_found"


def test_township_b_cadre_api_lists_hold_only_township_b(cast):
    client = cast.client(cast.cadre_b)
    units = api_json(client.get("/api/v1/org/units"))
    assert {u["id"] for u in units["items"]} == {cast.township_b.pk, cast.village_b.pk}
    assert units["count"] == 2
    people = api_json(client.get("/api/v1/org/people"))
    assert {p["id"] for p in people["items"]} == {cast.cadre_b.pk}
    assert api_json(client.get("/api/v1/org/units", {"parent": cast.township_a.pk}))["items"] == []


def test_township_b_cadre_cannot_create_units_or_people_through_the_api(cast):
    client = cast.client(cast.cadre_b)
    records = AuditRecord.objects.count()
    under_a = client.post("/api/v1/org/units", {"code": "X1", "name": "新村", "type": UnitType.VILLAGE,
                                                "parent_code": cast.township_a.code},
                          content_type="application/json")
    under_b = client.post("/api/v1/org/units", {"code": "X2", "name": "新村", "type": UnitType.VILLAGE,
                                                "parent_code": cast.township_b.code},
                          content_type="application/json")
    person = client.post("/api/v1/org/people", {"username": "newcomer", "name": "新人"},
                         content_type="application/json")
    assert under_a.status_code == 403
    assert under_b.status_code == 403
    assert person.status_code == 403
    assert api_json(person)["code"] == "forbidden"
    assert not Unit.objects.filter(code__in=["X1", "X2"]).exists()
    assert AuditRecord.objects.count() == records


def test_unknown_and_out_of_scope_parent_codes_get_the_same_answer(cast):
    """Creating under a unit one cannot see must not tell whether that unit exists."""
    client = cast.client(cast.cadre_b)

    def create_under(parent_code):
        return client.post("/api/v1/org/units", {"code": "X1", "name": "新村", "type": UnitType.VILLAGE,
                                                 "parent_code": parent_code}, content_type="application/json")

    out_of_scope = create_under(cast.township_a.code)
    unknown = create_under("NO-SUCH-CODE")
    assert out_of_scope.status_code == unknown.status_code
    assert api_json(out_of_scope)["code"] == api_json(unknown)["code"]


# --- township A's own cadres ---------------------------------------

def test_township_a_cadre_sees_the_village_under_a(cast):
    client = cast.client(cast.cadre_a)
    for url in unit_read_pages(cast.village_a) + person_read_pages(cast.village_cadre_a):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/api/v1/org/units/{cast.village_a.pk}").status_code == 200
    assert client.get(f"/api/v1/org/people/{cast.village_cadre_a.pk}").status_code == 200
    units = api_json(client.get("/api/v1/org/units"))
    assert {u["id"] for u in units["items"]} == {cast.township_a.pk, cast.village_a.pk}
    children = client.get(reverse("org:unit_children", args=[cast.township_a.pk]))
    assert [u.pk for u in children.context["children"]] == [cast.village_a.pk]


def test_township_a_cadre_sees_nothing_of_township_b(cast):
    client = cast.client(cast.cadre_a)
    for url in unit_read_pages(cast.township_b) + person_read_pages(cast.cadre_b):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/api/v1/org/units/{cast.township_b.pk}").status_code == 404


def test_township_a_cadre_names_the_village_liaison_but_not_with_an_outsider(cast):
    client = cast.client(cast.cadre_a)
    url = reverse("org:unit_set_liaison", args=[cast.village_a.pk])
    assert client.post(url, {"person": cast.cadre_b.pk}).status_code == 302
    cast.village_a.refresh_from_db()
    assert cast.village_a.liaison_id is None
    assert client.post(url, {"person": cast.village_cadre_a.pk}).status_code == 302
    cast.village_a.refresh_from_db()
    assert cast.village_a.liaison_id == cast.village_cadre_a.pk


def test_village_cadre_sees_the_village_but_not_the_township_above(cast):
    client = cast.client(cast.village_cadre_a)
    assert client.get(reverse("org:unit_detail", args=[cast.village_a.pk])).status_code == 200
    assert client.get(reverse("org:unit_detail", args=[cast.township_a.pk])).status_code == 404
    assert client.get(reverse("org:person_detail", args=[cast.cadre_a.pk])).status_code == 404
    assert client.get(f"/api/v1/org/units/{cast.township_a.pk}").status_code == 404


def test_township_a_cadre_cannot_edit_units_or_people_without_the_manage_permission(cast):
    client = cast.client(cast.cadre_a)
    for method, url, data in unit_write_requests(cast, cast.village_a):
        if "liaison" in url:
            continue
        assert send(client, method, url, data).status_code == 404, (method, url)
    patched = client.patch(f"/api/v1/org/units/{cast.village_a.pk}", {"name": "改过的名字"},
                           content_type="application/json")
    assert patched.status_code == 403
    assert api_json(patched)["code"] == "forbidden"


# --- the task-force officer sees and changes everything ---

def test_task_force_officer_sees_every_unit_and_person(cast):
    client = cast.client(cast.officer)
    for unit in Unit.objects.all():
        for url in unit_read_pages(unit):
            assert client.get(url).status_code == 200, url
        assert client.get(reverse("org:unit_edit", args=[unit.pk])).status_code == 200
        assert client.get(f"/api/v1/org/units/{unit.pk}").status_code == 200
    for person in (cast.cadre_a, cast.village_cadre_a, cast.cadre_b, cast.clerk, cast.leader, cast.admin):
        assert client.get(reverse("org:person_detail", args=[person.pk])).status_code == 200
        assert client.get(reverse("org:person_edit", args=[person.pk])).status_code == 200
        assert client.get(f"/api/v1/org/people/{person.pk}").status_code == 200
    assert api_json(client.get("/api/v1/org/units"))["count"] == Unit.objects.count()
    assert client.get(reverse("audit:list")).status_code == 200


def test_task_force_officer_edits_a_township_a_unit_through_the_page(cast):
    client = cast.client(cast.officer)
    unit = cast.village_a
    response = client.post(reverse("org:unit_edit", args=[unit.pk]), {
        "code": unit.code, "name": "土桥新村", "type": unit.type, "parent": unit.parent_id,
        "version": unit.version, "reason": "村名更正"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "土桥新村"
    assert AuditRecord.objects.filter(action="unit.update", object_id=str(unit.pk),
                                      actor=cast.officer).exists()


# --- the leader reads everything and changes nothing ---

READ_LISTS = ["org:unit_list", "org:person_list", "org:role_list", "org:task_force", "org:liaison_list"]


def test_leader_reads_every_list_and_detail(cast):
    client = cast.client(cast.leader)
    for name in READ_LISTS:
        assert client.get(reverse(name)).status_code == 200, name
    for unit in (cast.township_a, cast.village_a, cast.township_b, cast.department, cast.task_force):
        for url in unit_read_pages(unit):
            assert client.get(url).status_code == 200, url
        assert client.get(f"/api/v1/org/units/{unit.pk}").status_code == 200
    for person in (cast.cadre_a, cast.village_cadre_a, cast.cadre_b, cast.officer):
        assert client.get(reverse("org:person_detail", args=[person.pk])).status_code == 200
        assert client.get(f"/api/v1/org/people/{person.pk}").status_code == 200
    assert client.get(reverse("api_tokens")).status_code == 200
    assert api_json(client.get("/api/v1/org/units"))["count"] == Unit.objects.count()


@pytest.mark.parametrize("unit_name", ["city", "township_a", "village_a", "department"])
def test_leader_gets_404_for_every_unit_write_page_and_no_audit_record_is_written(cast, unit_name):
    unit = getattr(cast, unit_name)
    client = cast.client(cast.leader)
    records = AuditRecord.objects.count()
    for method, url, data in unit_write_requests(cast, unit):
        assert send(client, method, url, data).status_code == 404, (method, url)
    unit.refresh_from_db()
    assert unit.name != "改过的名字"
    assert AuditRecord.objects.count() == records


def test_leader_gets_404_for_every_person_write_page_and_no_audit_record_is_written(cast):
    client = cast.client(cast.leader)
    records = AuditRecord.objects.count()
    for method, url, data in person_write_requests(cast, cast.cadre_a):
        assert send(client, method, url, data).status_code == 404, (method, url)
    assert client.get(reverse("audit:list")).status_code == 404
    assert client.get(reverse("core:jobs")).status_code == 404
    assert AuditRecord.objects.count() == records


def test_leader_pages_offer_no_write_controls(cast):
    client = cast.client(cast.leader)
    detail = client.get(reverse("org:unit_detail", args=[cast.township_a.pk]))
    assert detail.context["liaison_form"] is None
    assert not detail.context["can_manage"]
    assert not client.get(reverse("org:unit_list")).context["can_manage"]
    assert client.get(reverse("org:person_detail", args=[cast.cadre_a.pk])).context["membership_form"] is None


def test_leader_cannot_write_through_the_api(cast):
    client = cast.client(cast.leader)
    records = AuditRecord.objects.count()
    responses = [
        client.patch(f"/api/v1/org/units/{cast.township_a.pk}", {"name": "改过的名字"},
                     content_type="application/json"),
        client.post("/api/v1/org/units", {"code": "X1", "name": "新县", "type": UnitType.COUNTY,
                                          "parent_code": cast.city.code}, content_type="application/json"),
        client.post("/api/v1/org/units", {"code": "X2", "name": "新市", "type": UnitType.CITY},
                    content_type="application/json"),
        client.post("/api/v1/org/people", {"username": "newcomer", "name": "新人"},
                    content_type="application/json"),
    ]
    for response in responses:
        assert response.status_code in (403, 404), response.content
        body = api_json(response)
        assert body["code"] in ("forbidden", "not_found")
        assert body["message"]
    cast.township_a.refresh_from_db()
    assert cast.township_a.name == "土桥镇"
    assert not Unit.objects.filter(code__in=["X1", "X2"]).exists()
    assert AuditRecord.objects.count() == records


def test_leader_cannot_name_a_liaison_even_for_the_city(cast):
    client = cast.client(cast.leader)
    response = client.post(reverse("org:unit_set_liaison", args=[cast.city.pk]), {"person": cast.leader.pk})
    assert response.status_code == 404
    cast.city.refresh_from_db()
    assert cast.city.liaison_id is None


def test_a_person_without_any_role_sees_only_themself(cast):
    loner = org.person_create(by=None, username="loner", name="无岗位", password=None)
    client = cast.client(loner)
    assert list(client.get(reverse("org:unit_list")).context["page"].object_list) == []
    assert [p.pk for p in client.get(reverse("org:person_list")).context["page"].object_list] == [loner.pk]
    assert client.get(reverse("org:unit_detail", args=[cast.city.pk])).status_code == 404
    assert api_json(client.get("/api/v1/org/units"))["items"] == []


def test_an_inactive_units_members_lose_its_scope(cast):
    org.unit_set_active(by=None, unit=cast.village_b, active=False)
    org.unit_set_active(by=None, unit=cast.township_b, active=False)
    cadre_b = type(cast.cadre_b).objects.get(pk=cast.cadre_b.pk)
    client = cast.client(cadre_b)
    assert client.get(reverse("org:unit_detail", args=[cast.township_b.pk])).status_code == 404
