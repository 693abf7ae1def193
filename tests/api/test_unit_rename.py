"""Renaming or moving a unit needs the organisation permission and a reason, which the audit record keeps;
the API and the page agree."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from jianfu.audit.models import AuditRecord
from jianfu.core.errors import ApplicationError
from jianfu.org import services as org
from jianfu.org.models import Unit

pytestmark = pytest.mark.django_db

API = "/api/v1"


def patch(client, unit, data):
    return client.patch(f"{API}/org/units/{unit.pk}", json.dumps(data), content_type="application/json")


def last_update(unit) -> AuditRecord:
    return AuditRecord.objects.filter(action="unit.update", object_id=str(unit.pk)).order_by("-pk").first()


@pytest.mark.parametrize("change", [{"name": "__main__"}, {"code": "431026101999"},
                                    {"parent_code": "431026102"}])
def test_renaming_or_moving_a_unit_through_the_api_without_a_reason_is_refused(cast, change):
    response = patch(cast.client(cast.officer), cast.village_a, change)
    assert response.status_code == 400 and response.json()["code"] == "reason", response.content
    unit = Unit.objects.get(pk=cast.village_a.pk)
    assert (unit.name, unit.code, unit.parent_id) == ("土桥村", "431026101201", cast.township_a.pk)
    assert last_update(unit) is None


@pytest.mark.parametrize("reason", ["", "   ", "\u200b"])
def test_a_reason_that_says_nothing_is_no_reason(cast, reason):
    response = patch(cast.client(cast.officer), cast.village_a, {"name": "土桥新村", "reason": reason})
    assert response.status_code == 400 and response.json()["code"] == "reason"


def test_the_reason_is_kept_in_the_audit_record_of_a_rename_and_of_a_move(cast):
    officer = cast.client(cast.officer)
    renamed = patch(officer, cast.village_a, {"name": "土桥新村", "reason": "村级建制调整，经县政府批复更名"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "土桥新村"
    record = last_update(cast.village_a)
    assert record.after["reason"] == "村级建制调整，经县政府批复更名"
    assert (record.before["name"], record.after["name"]) == ("土桥村", "土桥新村")
    moved = patch(officer, cast.village_a, {"parent_code": cast.township_b.code, "reason": "行政区划调整"})
    assert moved.status_code == 200 and moved.json()["parent_id"] == cast.township_b.pk
    assert last_update(cast.village_a).after["reason"] == "行政区划调整"


def test_a_patch_that_changes_nothing_of_name_code_type_or_parent_needs_no_reason(cast):
    officer = cast.client(cast.officer)
    same = patch(officer, cast.village_a, {"name": "土桥村", "code": cast.village_a.code})
    assert same.status_code == 200
    assert org.unit_set_active(by=cast.officer, unit=cast.village_a, active=False).active is False


@pytest.mark.parametrize(("who", "status"), [("cadre_a", 403), ("village_cadre_a", 403), ("leader", 403),
                                             ("clerk", 404), ("cadre_b", 404)])
def test_without_the_organisation_permission_a_unit_is_not_renamed_even_with_a_reason(cast, who, status):
    """A unit the person can see answers 403; one outside their units answers 404, as every object does."""
    person = getattr(cast, who)
    response = patch(cast.client(person), cast.village_a, {"name": "__main__", "reason": "测试"})
    assert response.status_code == status
    assert response.json()["code"] == ("forbidden" if status == 403 else "not_found")
    page = cast.client(person).post(reverse("org:unit_edit", args=[cast.village_a.pk]), {
        "code": cast.village_a.code, "name": "__main__", "type": "village", "parent": cast.township_a.pk,
        "reason": "测试"})
    assert page.status_code == 404
    with pytest.raises(ApplicationError):
        org.unit_update(by=person, unit=cast.village_a, name="__main__", reason="测试")
    assert Unit.objects.get(pk=cast.village_a.pk).name == "土桥村"


def _edit_form(unit, **changes) -> dict:
    return {"code": unit.code, "name": unit.name, "type": unit.type, "parent": unit.parent_id,
            "version": unit.version} | changes


def test_the_edit_page_asks_for_the_reason_and_refuses_a_rename_without_one(cast):
    client = cast.client(cast.officer)
    url = reverse("org:unit_edit", args=[cast.village_a.pk])
    assert 'name="reason"' in client.get(url).content.decode()
    response = client.post(url, _edit_form(cast.village_a, name="土桥新村"))
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert Unit.objects.get(pk=cast.village_a.pk).name == "土桥村"


def test_the_edit_page_renames_with_a_reason_and_the_audit_record_keeps_it(cast):
    client = cast.client(cast.officer)
    url = reverse("org:unit_edit", args=[cast.village_a.pk])
    response = client.post(url, _edit_form(cast.village_a, name="土桥新村", reason="经县政府批复更名"))
    assert response.status_code == 302
    assert Unit.objects.get(pk=cast.village_a.pk).name == "土桥新村"
    assert last_update(cast.village_a).after["reason"] == "经县政府批复更名"


def test_the_audit_log_shows_the_reason_as_a_labelled_change(cast):
    from django.utils.translation import gettext

    from jianfu.audit.describe import describe

    org.unit_update(by=cast.officer, unit=cast.village_a, name="土桥新村", reason="更名")
    changes = {c.field_label: c.after_text for c in describe(last_update(cast.village_a)).changes}
    assert changes.get(gettext("reason")) == "更名"
