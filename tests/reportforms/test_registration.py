"""Registering a report form at the gate: its fields as rows, its burden, and the reuse proposals (一表通)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jianfu.core.errors import ApplicationError
from jianfu.demands.models import Kind, Status
from jianfu.reportforms import services
from jianfu.reportforms.models import FieldDefinition, FormField, FormProfile
from jianfu.reportforms.services import NewField

from .conftest import approve, findings, register

pytestmark = pytest.mark.django_db

POVERTY = ["户籍人口", "贫困户数", "贫困人口数", "耕地面积"]


def test_a_registered_form_is_a_report_form_demand_with_a_bb_control_number(cast, dictionary):
    demand = approve(cast, register(cast, dictionary, POVERTY))
    assert demand.kind == Kind.REPORT_FORM
    assert demand.status == Status.IN_FORCE
    assert demand.control_number.startswith("BB-")


def test_the_form_fields_are_stored_as_rows_in_order_and_as_ids_on_the_version(cast, dictionary):
    demand = register(cast, dictionary, POVERTY)
    rows = list(FormField.objects.filter(demand=demand).order_by("position").values_list("field__name", "position"))
    assert rows == [(name, i) for i, name in enumerate(POVERTY, start=1)]
    assert [f["id"] for f in demand.current_revision.data["fields"]] == [dictionary[n].pk for n in POVERTY]


def test_burden_is_respondent_units_times_responses_a_year_times_minutes(cast, dictionary):
    # The county and every unit below it: county, two townships, two villages.
    demand = register(cast, dictionary, POVERTY, frequency="quarterly", minutes=45)
    assert FormProfile.objects.get(demand=demand).respondents == 5
    assert demand.burden_minutes == 5 * 4 * 45


def test_burden_of_a_per_event_form_uses_the_responses_the_filer_gives(cast, dictionary):
    demand = services.report_form_file(
        by=cast.clerk, issuing_unit=cast.department, title="安全事故快报", frequency="per_event",
        responses_per_year=6, minutes_per_response=20, material_type="report_set",
        field_ids=[(dictionary["安全隐患整改数"].pk, True)], targets=[(cast.township_a, False)])
    assert demand.burden_minutes == 1 * 6 * 20


def test_a_revision_replaces_the_field_rows(cast, dictionary):
    demand = register(cast, dictionary, POVERTY)
    demand = services.report_form_revise(
        by=cast.clerk, demand=demand, version=demand.version, title=demand.title, frequency="monthly",
        minutes_per_response=30, material_type="report_set", field_ids=[(dictionary["常住人口"].pk, True)])
    assert list(FormField.objects.filter(demand=demand).values_list("field__name", flat=True)) == ["常住人口"]
    assert demand.current_revision.number == 2


def test_typed_fields_the_dictionary_lacks_are_proposed_and_known_names_are_reused(cast, dictionary):
    demand = register(cast, dictionary, ["户籍人口"], new_fields=[
        NewField("户籍人口"), NewField("危房户数", "经鉴定为C级、D级危房的农户数", "户")])
    assert FormField.objects.filter(demand=demand).count() == 2
    proposed = FieldDefinition.objects.get(name="危房户数")
    assert proposed.proposed and proposed.proposed_by == cast.clerk
    assert FieldDefinition.objects.filter(name="户籍人口").count() == 1


def test_the_gate_names_the_other_form_that_already_collects_the_same_fields(cast, dictionary):
    first = approve(cast, register(cast, dictionary, POVERTY, title="脱贫攻坚月报表"))
    second = register(cast, dictionary, ["户籍人口", "安全生产检查次数"], title="综合情况季报")
    reuse = [f for f in findings(second) if f.rule_code == "report_forms.field_reuse"]
    assert len(reuse) == 1
    assert reuse[0].severity == "warn"
    assert first.control_number in reuse[0].text() and "脱贫攻坚月报表" in reuse[0].text()
    assert "户籍人口" in reuse[0].params["fields"]
    assert reuse[0].detail["demand_id"] == first.pk


def test_the_gate_proposes_merging_when_most_fields_are_already_collected_by_one_form(cast, dictionary):
    first = approve(cast, register(cast, dictionary, POVERTY, title="脱贫攻坚月报表"))
    second = register(cast, dictionary, ["户籍人口", "贫困户数", "贫困人口数", "常住人口"], title="扶贫对象统计表")
    merge = [f for f in findings(second) if f.detail.get("proposal") == "merge"]
    assert len(merge) == 1
    assert merge[0].params["covered"] == 3 and merge[0].params["total"] == 4
    assert first.control_number in merge[0].fix_text()


def test_a_similar_field_is_found_through_the_dictionary_index_with_its_shared_terms(cast, dictionary):
    approve(cast, register(cast, dictionary, POVERTY, title="脱贫攻坚月报表"))
    second = register(cast, dictionary, [], title="帮扶台账", new_fields=[NewField("贫困人口", "建档立卡贫困户人口数")])
    text = next(f for f in findings(second) if "fields" in f.params).params["fields"]
    assert "贫困人口 ≈ 贫困人口数" in text
    assert "贫困人口" in text.split("[", 1)[1]


def test_drafts_and_withdrawn_forms_are_not_proposed_for_reuse(cast, dictionary):
    register(cast, dictionary, POVERTY, title="还在起草的表")
    second = register(cast, dictionary, POVERTY, title="另一张表")
    assert [f for f in findings(second) if f.rule_code == "report_forms.field_reuse"] == []


def test_a_form_without_fields_or_with_a_retired_field_is_refused(cast, dictionary):
    with pytest.raises(ApplicationError):
        register(cast, dictionary, [])
    services.field_definition_update(by=cast.officer, field=dictionary["耕地面积"], name="耕地面积", active=False)
    with pytest.raises(ApplicationError, match="耕地面积"):
        register(cast, dictionary, ["耕地面积"])


def test_the_registration_page_files_a_draft_and_the_filing_page_shows_who_collects_each_field(cast, dictionary):
    first = approve(cast, register(cast, dictionary, POVERTY, title="脱贫攻坚月报表"))
    client = cast.client(cast.clerk)
    response = client.post(reverse("reportforms:new"), {
        "title": "村情统计表", "issuing_unit": cast.department.pk, "occurs_on": "2026-03-01",
        "targets": [cast.county.pk], "include_below": "on", "material_type": "report_set", "frequency": "yearly",
        "minutes_per_response": "60", "dictionary_fields": [dictionary["户籍人口"].pk, dictionary["耕地面积"].pk],
        "new_fields": "村民小组数 | 行政村下设村民小组个数 | 个", "action": "save"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "村民小组数" in page and first.control_number in page


def test_the_preview_shows_reuse_and_keeps_what_was_typed_without_saving(cast, dictionary):
    first = approve(cast, register(cast, dictionary, POVERTY, title="脱贫攻坚月报表"))
    before = FieldDefinition.objects.count()
    response = cast.client(cast.clerk).post(reverse("reportforms:new"), {
        "title": "村情统计表", "issuing_unit": cast.department.pk, "occurs_on": "2026-03-01",
        "targets": [cast.county.pk], "material_type": "report_set", "frequency": "yearly",
        "minutes_per_response": "60", "dictionary_fields": [dictionary["户籍人口"].pk],
        "new_fields": "村民小组数", "action": "preview"})
    assert response.status_code == 200
    html = response.content.decode()
    assert first.control_number in html and "村民小组数" in html and "村情统计表" in html
    assert FieldDefinition.objects.count() == before


def test_a_bad_registration_keeps_what_was_typed_and_says_what_is_missing(cast, dictionary):
    response = cast.client(cast.clerk).post(reverse("reportforms:new"), {
        "title": "村情统计表", "issuing_unit": cast.department.pk, "occurs_on": "2026-03-01",
        "material_type": "report_set", "frequency": "per_event", "minutes_per_response": "60",
        "new_fields": "村民小组数", "action": "save"})
    assert response.status_code == 400
    assert "村情统计表" in response.content.decode()
    assert response.context["form"].errors["responses_per_year"]


def test_an_optional_field_stays_optional_through_the_edit_page(cast, dictionary):
    demand = register(cast, dictionary, ["户籍人口"], new_fields=[NewField("耕地面积", required=False)])
    client = cast.client(cast.clerk)
    form = client.get(reverse("reportforms:edit", args=[demand.pk])).context["form"]
    assert form.initial["new_fields"] == "耕地面积 | | | 选填".replace("| | |", "|  |  |")
    response = client.post(reverse("reportforms:edit", args=[demand.pk]), {
        "title": demand.title, "issuing_unit": cast.department.pk, "occurs_on": "2026-03-01",
        "targets": [cast.county.pk], "material_type": "report_set", "frequency": "monthly",
        "minutes_per_response": "30", "dictionary_fields": [dictionary["户籍人口"].pk],
        "new_fields": form.initial["new_fields"], "version": demand.version, "action": "save"})
    assert response.status_code == 302
    rows = FormField.objects.filter(demand=demand).order_by("position").values_list("field__name", "required")
    assert list(rows) == [("户籍人口", True), ("耕地面积", False)]
