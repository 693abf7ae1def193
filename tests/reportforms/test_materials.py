"""Report materials against each department's baseline, computed from the registry's rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jianfu.core.errors import ApplicationError
from jianfu.org.models import Person, Unit
from jianfu.reportforms import services
from jianfu.reportforms.models import MaterialType
from jianfu.reportforms.selectors import material_counts, materials_figures
from tests.exports import export_rows

from .conftest import approve, findings, register

pytestmark = pytest.mark.django_db


def ledger(cast, n, *, material, year=2018, unit=None):
    for i in range(n):
        services.report_form_record_ledger(by=None, title=f"旧表{i}", issuing_unit=unit or cast.department,
                                           filed_by=cast.clerk, occurs_on=dt.date(year, 3, 1 + i),
                                           material_type=material)


def test_a_monthly_form_counts_once_in_each_year_its_validity_overlaps(cast, dictionary):
    demand = approve(cast, register(cast, dictionary, ["户籍人口"], occurs_on=dt.date(2019, 6, 1)),
                     valid_until=dt.date(2020, 5, 31))
    for year in (2019, 2020):
        assert material_counts(year=year) == {demand.issuing_unit_id: {MaterialType.REPORT_SET: 1}}
    assert material_counts(year=2021) == {}


def test_drafts_and_withdrawn_forms_are_not_counted(cast, dictionary):
    register(cast, dictionary, ["户籍人口"], occurs_on=dt.date(2019, 6, 1))
    assert material_counts(year=2019) == {}


def test_the_cut_is_measured_against_the_latest_baseline_before_the_year(cast, dictionary):
    ledger(cast, 6, material=MaterialType.REPORT_SET)
    ledger(cast, 2, material=MaterialType.BRIEFING)
    services.material_baseline_set(by=cast.officer, unit=cast.department, year=2018, report_sets=6, briefings=2)
    for name in ("户籍人口", "耕地面积", "常住人口"):
        approve(cast, register(cast, dictionary, [name], title=f"{name}表", occurs_on=dt.date(2019, 6, 1)),
                valid_until=dt.date(2019, 12, 31))
    [row] = materials_figures(actor=cast.officer, year=2019)
    assert (row.baseline.total, row.now_total, row.cut, row.target, row.meets) == (8, 3, 62.5, 50, True)


def test_registering_nothing_in_a_year_is_not_measurable_never_a_100_percent_cut(cast, dictionary):
    services.material_baseline_set(by=cast.officer, unit=cast.department, year=2018, report_sets=6, briefings=2)
    approve(cast, register(cast, dictionary, ["户籍人口"], occurs_on=dt.date(2019, 6, 1)),
            valid_until=dt.date(2019, 12, 31))
    [row] = materials_figures(actor=cast.officer, year=2021)
    assert (row.measurable, row.cut, row.meets) == (False, None, None)
    page = cast.client(cast.officer).get(reverse("reportforms:materials"), {"year": 2021},
                                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not measurable: nothing registered this year" in page and "100.0%" not in page
    assert materials_figures(actor=cast.officer, year=2021, short_only=True) == []


def test_the_materials_page_opens_on_the_latest_year_with_forms_and_says_so(cast, dictionary):
    services.material_baseline_set(by=cast.officer, unit=cast.department, year=2018, report_sets=6)
    approve(cast, register(cast, dictionary, ["户籍人口"], occurs_on=dt.date(2020, 6, 1)),
            valid_until=dt.date(2020, 12, 31))
    response = cast.client(cast.officer).get(reverse("reportforms:materials"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["year"] == 2020
    assert "Opened on 2020" in response.content.decode()


def test_the_gate_blocks_a_form_that_would_take_the_department_past_its_cut(cast, dictionary):
    services.material_baseline_set(by=cast.officer, unit=cast.department, year=2018, report_sets=4)
    for name in ("户籍人口", "耕地面积"):
        approve(cast, register(cast, dictionary, [name], title=f"{name}表", occurs_on=dt.date(2019, 6, 1)),
                valid_until=dt.date(2019, 12, 31))
    third = register(cast, dictionary, ["常住人口"], title="第三张表", occurs_on=dt.date(2019, 7, 1))
    cut = [f for f in findings(third) if f.rule_code == "report_forms.material_cut"]
    assert len(cut) == 1 and cut[0].severity == "block"
    assert cut[0].params == {"unit": "市委办", "baseline": 4, "base_year": "2018", "cut": 50, "allowed": 2,
                             "year": "2019", "now": 3}


def test_only_the_task_force_sets_baselines(cast):
    with pytest.raises(ApplicationError):
        services.material_baseline_set(by=cast.clerk, unit=cast.department, year=2018, report_sets=4)
    response = cast.client(cast.leader).post(reverse("reportforms:baselines"), {
        "unit": cast.department.pk, "year": 2018, "report_sets": 4, "briefings": 0, "ledgers": 0, "others": 0})
    assert response.status_code == 404


def test_the_materials_page_links_every_number_to_the_rows_behind_it(cast, dictionary):
    ledger(cast, 4, material=MaterialType.REPORT_SET)
    services.material_baseline_set(by=cast.officer, unit=cast.department, year=2018, report_sets=4)
    approve(cast, register(cast, dictionary, ["户籍人口"], occurs_on=dt.date(2019, 6, 1)),
            valid_until=dt.date(2019, 12, 31))
    client = cast.client(cast.officer)
    html = client.get(reverse("reportforms:materials"), {"year": 2019}).content.decode()
    link = f"/reportforms/?issuer={cast.department.pk}&amp;year=2019&amp;counted=1&amp;material_type=report_set"
    assert link in html
    listed = client.get(link.replace("&amp;", "&")).context["page"].object_list
    assert [d.title for d in listed] == ["贫困人口动态监测月报表"]
    base = client.get(f"/reportforms/?issuer={cast.department.pk}&year=2018&counted=1").context["page"]
    assert base.paginator.count == 4


def test_outsiders_see_no_department_on_the_materials_page(cast, dictionary):
    services.material_baseline_set(by=cast.officer, unit=cast.department, year=2018, report_sets=4)
    response = cast.client(cast.cadre_b).get(reverse("reportforms:materials"), {"year": 2019})
    assert response.status_code == 200 and response.context["rows"] == []
    assert cast.client(cast.cadre_b).get(reverse("reportforms:baselines"),
                                         {"unit": cast.department.pk}).status_code == 404


# --- the demo city ----------------------------------------------------------------------------------------

@pytest.fixture
def officer(demo_city) -> Client:
    client = Client()
    client.force_login(Person.objects.get(username="tf_officer"))
    return client


def test_the_demo_discipline_commission_cuts_report_sets_from_11_to_3_and_briefings_from_5_to_1(officer):
    response = officer.get(reverse("reportforms:materials"), {"year": 2019})
    rows = {r["row"].unit.code: r["row"] for r in response.context["rows"]}
    commission = rows["431000D01"]
    assert commission.unit.name == "市纪委市监委"
    assert (commission.baseline.year, commission.baseline.report_sets, commission.baseline.briefings) == (2018, 11, 5)
    assert (commission.now[MaterialType.REPORT_SET], commission.now[MaterialType.BRIEFING]) == (3, 1)
    # The baseline itself counts the 2018 rows recorded from the old ledger.
    unit = Unit.objects.get(code="431000D01")
    assert material_counts(year=2018, unit_ids=[unit.pk])[unit.pk] == {MaterialType.REPORT_SET: 11,
                                                                        MaterialType.BRIEFING: 5}


def test_the_demo_has_departments_meeting_the_cut_and_one_short_of_it(officer):
    rows = officer.get(reverse("reportforms:materials"), {"year": 2019}).context["rows"]
    meets = {r["row"].unit.name: r["row"].meets for r in rows}
    assert meets["市教育局"] is True and meets["市应急管理局"] is True
    assert [name for name, ok in meets.items() if ok is False] == ["市农业农村局"]
    short = officer.get(reverse("reportforms:materials"), {"year": 2019, "short": "1"}).context["rows"]
    assert [r["row"].unit.name for r in short] == ["市农业农村局"]


def test_the_demo_materials_export_has_the_figures(officer):
    export = export_rows(officer, reverse("reportforms:materials"), {"year": 2019, "export": "xlsx"})
    rows = {r[0]: r for r in export[1:]}
    assert rows["市纪委市监委"][1] == 2018 and rows["市纪委市监委"][-3] == 75


def test_the_demo_draft_is_proposed_for_merging_into_the_agriculture_form(officer):
    from jianfu.demands.models import Demand

    draft = Demand.objects.get(title="村级基本情况统计表")
    found = list(draft.current_revision.findings.all())
    merge = [f for f in found if f.detail.get("proposal") == "merge"]
    assert len(merge) == 1 and "农村基本情况年报表" in merge[0].text()
    assert any("市应急管理局" in f.text() for f in found)
    assert any("≈" in f.params.get("fields", "") for f in found)
