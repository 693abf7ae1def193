"""The API is as strict as the forms: the services refuse what no form would accept (a 400 naming the field),
and a character no database holds (a NUL, a lone surrogate) is refused anywhere in a request (a 422), where
the API used to store junk or fail with a 500."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.core.errors import ApplicationError
from jianfu.core.validation import TextError, clean_code, clean_login_name, clean_text
from jianfu.demands.models import Demand
from jianfu.inspections import services as inspections
from jianfu.org import services as org
from jianfu.org.models import Person, Unit
from jianfu.reportforms import services as reportforms
from tests.demands.filings import CHECKLIST_NO, file_document, valid_text

pytestmark = pytest.mark.django_db

API = "/api/v1"
HUGE = 99999999999999999999  # 20 digits: more than a bigint holds


def post(client, url, data):
    return client.post(f"{API}{url}", json.dumps(data, default=str), content_type="application/json")


def refused(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["message"].strip()
    if code is not None:
        assert body["code"] == code, body
    return body


def document(cast, **overrides) -> dict:
    today = timezone.localdate()
    return {"issuing_unit_code": cast.department.code, "title": "关于进一步做好基层减负工作的通知",
            "text": valid_text(date=today), "document_kind": "other", "issued_in_name": "committee_office",
            "occurs_on": today, "checklist": CHECKLIST_NO,
            "targets": [{"unit_code": cast.county.code, "include_below": True}]} | overrides


# The rules themselves -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["a\x00b", "a\x01b", "a\x1fb", "a\x7fb", "a\x85b", "a\ud800b", "a\nb", "a\tb",
                                   "a\u00adb", "a\u200bb", "a\u202eb", "a\ufeffb"])
def test_one_line_text_refuses_control_invisible_and_line_break_characters(value):
    with pytest.raises(TextError) as caught:
        clean_text(value, field="name", label="名称")
    assert caught.value.code == "name" and "名称" in str(caught.value.message)


def test_long_text_keeps_tabs_line_and_page_breaks_and_format_marks_but_never_a_nul():
    text = "第一段\t说明。\r\n第二段\u200b。\f\v"
    assert clean_text(text, field="body", multiline=True, strip=False) == text
    for bad in ("a\x00b", "a\x07b", "a\x1bb", "a\ud800b"):
        with pytest.raises(TextError):
            clean_text(bad, field="body", multiline=True)


@pytest.mark.parametrize("value", ["\u00ad", " \u200b ", "   ", "\u3000\u3000", "\t"])
def test_a_value_that_shows_nothing_is_empty(value):
    assert clean_text(value, field="name", multiline=True) == ""
    with pytest.raises(TextError):
        clean_code(value)


def test_text_longer_than_its_column_is_refused_with_the_count():
    with pytest.raises(TextError) as caught:
        clean_text("长" * 121, field="name", max_length=120)
    assert "121" in str(caught.value.message)


@pytest.mark.parametrize("value", ["<script>", "li\x01", "li si", "李\u200b四", "a/b", ""])
def test_a_login_name_holds_only_letters_digits_and_a_few_marks(value):
    with pytest.raises(TextError):
        clean_login_name(value)
    assert clean_login_name(" wang.li-2@tq ") == "wang.li-2@tq"


# Organisation ---------------------------------------------------------------------------------------------

def test_a_login_name_with_markup_and_a_control_character_is_refused_by_the_api_the_page_and_the_service(cast):
    officer = cast.client(cast.officer)
    refused(post(officer, "/org/people", {"username": "<script>\x01", "name": "新人"}), 400, "username")
    page = officer.post(reverse("org:person_create"), {"username": "<script>\x01", "name": "新人"})
    assert page.status_code == 400
    with pytest.raises(ApplicationError):
        org.person_create(by=cast.officer, username="<b>x</b>", name="新人")
    assert not Person.objects.filter(username__contains="<").exists()


@pytest.mark.parametrize("field", ["name", "title", "phone"])
def test_a_control_character_in_a_persons_texts_is_refused(cast, field):
    data = {"username": "newcomer", "name": "新人"} | {field: "x\x01y"}
    body = refused(post(cast.client(cast.officer), "/org/people", data), 400)
    assert body["code"] == field
    assert not Person.objects.filter(username="newcomer").exists()
    with pytest.raises(TextError):
        org.person_create(by=cast.officer, **({"username": "newcomer", "name": "新人"} | {field: "x\x00y"}))


def test_a_nul_in_a_unit_name_is_refused_on_create_and_on_change(cast):
    officer = cast.client(cast.officer)
    created = post(officer, "/org/units", {"code": "431026101299", "name": "新\x00村", "type": "village",
                                           "parent_code": cast.township_a.code})
    assert refused(created, 422, "invalid")["errors"][0]["loc"] == ["body", "name"]
    changed = officer.patch(f"{API}/org/units/{cast.village_a.pk}", {"name": "土桥\x01村", "reason": "更名"},
                            content_type="application/json")
    refused(changed, 400, "name")
    with pytest.raises(TextError):
        org.unit_update(by=cast.officer, unit=cast.village_a, name="土桥\x00村", reason="更名")
    assert Unit.objects.get(pk=cast.village_a.pk).name == "土桥村"


@pytest.mark.parametrize("code", ["\u00ad", "43\u200b1026101299", "  ", "\u3000", "4310 26"])
def test_a_unit_code_of_invisible_characters_or_spaces_is_refused_by_the_api_and_the_page(cast, code):
    officer = cast.client(cast.officer)
    response = post(officer, "/org/units", {"code": code, "name": "新村", "type": "village",
                                            "parent_code": cast.township_a.code})
    assert response.status_code == 400, response.content
    page = officer.post(reverse("org:unit_create"), {"code": code, "name": "新村", "type": "village",
                                                     "parent": cast.township_a.pk})
    assert page.status_code == 400
    assert not Unit.objects.filter(name="新村").exists()


def test_an_unknown_unit_type_is_a_422_in_the_api_and_refused_by_the_service(cast):
    response = post(cast.client(cast.officer), "/org/units", {"code": "X1", "name": "新", "type": "nosuch"})
    body = refused(response, 422, "invalid")
    assert body["errors"][0]["loc"] == ["body", "payload", "type"]
    with pytest.raises(ApplicationError) as caught:
        org.unit_create(by=cast.officer, code="X1", name="新", type="nosuch", parent=cast.city)
    assert caught.value.code == "type"
    with pytest.raises(ApplicationError):
        org.unit_update(by=cast.officer, unit=cast.village_a, type="nosuch", reason="改类型")


# The registry and the apps that plug into it --------------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "code"), [
    ("title", "关于\x07通知", "title"),
    ("title", "关于\n通知", "title"),
    ("title", "关于\u202e通知", "title"),
    ("text", "正文\x1b", "body"),
    ("title", "长" * 301, "title"),
])
def test_a_filing_with_a_control_character_or_a_broken_title_is_refused_and_nothing_is_stored(cast, field, value,
                                                                                              code):
    clerk = cast.client(cast.clerk)
    refused(post(clerk, "/demands/documents", document(cast, **{field: value})), 400, code)
    assert not Demand.objects.exists()
    assert not AuditRecord.objects.filter(action="demand.file").exists()


@pytest.mark.parametrize(("change", "where"), [
    ({"title": "关于\x00通知"}, ["body", "title"]),
    ({"text": "正文\x00"}, ["body", "text"]),
    ({"issuing_unit_code": "431000D02\x00"}, ["body", "issuing_unit_code"]),
    ({"targets": [{"unit_code": "431026\x00"}]}, ["body", "targets", 0, "unit_code"]),
    ({"title": "关于\ud800通知"}, ["body", "title"]),
])
def test_a_nul_or_a_lone_surrogate_anywhere_in_a_body_is_a_422_before_any_look_up(cast, change, where):
    response = post(cast.client(cast.clerk), "/demands/documents", document(cast, **change))
    errors = refused(response, 422, "invalid")["errors"]
    assert errors == [{"type": "unstorable_character", "loc": where,
                       "msg": "NUL characters and unpaired surrogates cannot be stored"}]
    assert not Demand.objects.exists()


def test_the_services_refuse_a_nul_in_a_kinds_details_before_it_reaches_the_json_column(cast):
    today = timezone.localdate()
    meeting = {"issuing_unit_code": cast.department.code, "title": "全市推进会", "occurs_on": today,
               "planned_minutes": 60, "mode": "video", "attendees": 30, "replaceable": "no",
               "attendee_roles": "分管\x01负责人", "targets": [{"unit_code": cast.county.code}]}
    refused(post(cast.client(cast.clerk), "/demands/meetings", meeting), 400, "attendee_roles")
    with pytest.raises(TextError):
        file_document(cast, checklist=dict(CHECKLIST_NO) | {"bad\x00key": True})
    with pytest.raises(TextError):
        file_document(cast, body=valid_text() + "\x00")
    assert not Demand.objects.exists()


def test_a_review_reason_with_a_control_character_is_refused(cast):
    from jianfu.demands import services

    demand = file_document(cast)
    demand = services.demand_submit(by=cast.clerk, demand=demand, version=demand.version)
    response = post(cast.client(cast.officer), f"/demands/{demand.pk}/review",
                    {"version": demand.version, "decision": "return", "reason": "请\x02修改"})
    refused(response, 400, "reason")


def test_an_inspection_item_a_burden_note_and_a_dictionary_field_refuse_control_characters(cast):
    plan = inspections.inspection_plan_create(by=cast.officer, unit=cast.city, year=dt.date.today().year + 1)
    item = {"proposing_unit_code": cast.department.code, "title": "安全\x01检查", "method": "on_site",
            "months": [3], "targets": [{"unit_code": cast.county.code}]}
    refused(post(cast.client(cast.clerk), f"/inspections/plans/{plan.pk}/items", item), 400, "title")
    item |= {"title": "安全检查", "prepares": "台账\x01"}
    refused(post(cast.client(cast.clerk), f"/inspections/plans/{plan.pk}/items", item), 400, "prepares")

    demand = file_document(cast)
    estimate = {"lines": [{"activity": "fill_form", "complexity": "simple"}], "occurrences": 1, "note": "重估\x01"}
    refused(post(cast.client(cast.officer), f"/burden/demands/{demand.pk}/re-estimate", estimate), 400, "note")

    with pytest.raises(ApplicationError):
        reportforms.field_definition_create(by=cast.officer, name="人口\x00数")
    with pytest.raises(ApplicationError):
        reportforms.field_definition_create(by=cast.officer, name="人口数", notes="备注\x00")


# Numbers the database cannot hold -------------------------------------------------------------------------

@pytest.mark.parametrize("path", [f"/demands/{HUGE}", f"/org/units/{HUGE}", f"/org/people/{HUGE}",
                                  f"/reportforms/fields/{HUGE}", f"/inspections/plans/{HUGE}",
                                  f"/demands/{2**63}", "/demands/0"])
def test_an_id_too_large_for_the_database_is_a_json_404(cast, path):
    refused(cast.client(cast.officer).get(f"{API}{path}"), 404, "not_found")


@pytest.mark.parametrize("query", [f"parent={HUGE}", "page=1000000000000", "page_size=99999999999999999999"])
def test_a_number_too_large_in_a_list_query_is_a_422(cast, query):
    refused(cast.client(cast.officer).get(f"{API}/org/units?{query}"), 422, "invalid")


def test_keyset_paging_refuses_an_id_past_the_largest_key(cast):
    refused(cast.client(cast.officer).get(f"{API}/demands/?after={HUGE}"), 422, "invalid")
    assert cast.client(cast.officer).get(f"{API}/demands/?after={2**63 - 1}").status_code == 200


def test_ids_too_large_in_a_body_are_a_422(cast):
    clerk = cast.client(cast.clerk)
    refused(post(clerk, "/demands/documents", document(cast, list_item_id=HUGE)), 422, "invalid")
    form = {"issuing_unit_code": cast.department.code, "title": "人口统计表", "occurs_on": timezone.localdate(),
            "frequency": "monthly", "material_type": "report_set", "minutes_per_response": 30,
            "fields": [{"id": HUGE}], "targets": [{"unit_code": cast.county.code}]}
    refused(post(clerk, "/demands/report-forms", form), 422, "invalid")
    plan = inspections.inspection_plan_create(by=cast.officer, unit=cast.city, year=dt.date.today().year + 1)
    refused(post(cast.client(cast.officer), f"/inspections/plans/{plan.pk}/merge",
                 {"keep_id": HUGE, "absorb_ids": [HUGE]}), 422, "invalid")
    assert not Demand.objects.exists()


def test_a_nul_in_a_query_or_path_parameter_is_a_422_not_a_failed_search(cast):
    body = refused(cast.client(cast.officer).get(f"{API}/org/units?q=%00"), 422, "invalid")
    assert [e["loc"] for e in body["errors"]] == [["query", "q"]]
    refused(cast.client(cast.officer).get(f"{API}/demands/?q=a%00b"), 422, "invalid")
    refused(cast.client(cast.officer).get(f"{API}/demands/verify?number=WJ%00"), 422, "invalid")
    refused(cast.client(cast.officer).get(f"{API}/burden/units/4310%00?year=2019"), 422, "invalid")
