"""Annual inspection plans: proposals, the cap, overlaps and merging, approval with control numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jianfu.core.errors import ApplicationError, StaleEditError
from jianfu.demands.control_numbers import normalise_number
from jianfu.demands.models import Demand, Kind, Status
from jianfu.inspections import services
from jianfu.inspections.models import InspectionPlan, Method, PlanItem
from jianfu.inspections.selectors import plan_overlaps
from jianfu.rules.services import rule_change
from tests.exports import export_rows

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year + 1


@pytest.fixture
def plan(cast):
    return services.inspection_plan_create(by=cast.officer, unit=cast.city, year=YEAR)


def propose(cast, plan, title, *, description="", months=(6,), targets=None, by=None, unit=None):
    return services.plan_item_propose(by=by or cast.clerk, plan=plan, proposing_unit=unit or cast.department,
                                      title=title, description=description, method=Method.ON_SITE,
                                      months=list(months), targets=targets or [(cast.county, True)])


def test_a_department_proposes_an_item_for_the_city_plan_through_the_page(cast, plan):
    response = cast.client(cast.clerk).post(reverse("inspections:item_new", args=[plan.pk]), {
        "title": "安全生产大检查", "proposing_unit": cast.department.pk, "description": "危化品企业和消防安全",
        "method": Method.ON_SITE, "times_per_year": 2, "on_site": "on", "months": ["3", "10"],
        "prepares": "安全台账", "targets": [cast.county.pk], "include_below": "on"})
    assert response.status_code == 302
    item = plan.items.get()
    assert (item.title, item.times_per_year, item.months) == ("安全生产大检查", 2, [3, 10])
    assert item.proposed_by == cast.clerk
    assert [(t.unit, t.include_below) for t in item.targets.all()] == [(cast.county, True)]


def test_a_proposal_without_units_is_refused_and_keeps_what_was_typed(cast, plan):
    response = cast.client(cast.clerk).post(reverse("inspections:item_new", args=[plan.pk]), {
        "title": "安全生产大检查", "proposing_unit": cast.department.pk, "method": Method.ON_SITE,
        "times_per_year": 1})
    assert response.status_code == 400
    assert "安全生产大检查" in response.content.decode()
    assert not plan.items.exists()


def test_a_plan_over_its_cap_is_kept_as_a_draft_but_cannot_be_approved(cast, plan):
    for n in range(20):
        propose(cast, plan, f"第{n}项专项检查：{'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉'[n]}类事项")
    plan.refresh_from_db()
    with pytest.raises(ApplicationError) as err:
        services.inspection_plan_approve(by=cast.officer, plan=plan, version=plan.version)
    assert err.value.code == "over_cap"
    assert "inspections.annual_cap" in str(err.value.message) and "20" in str(err.value.message)
    plan.refresh_from_db()
    assert plan.status == InspectionPlan.Status.DRAFT
    assert plan.items.filter(status=PlanItem.Status.PROPOSED).count() == 20
    assert not Demand.objects.filter(kind=Kind.INSPECTION).exists()


def test_the_plan_page_shows_the_count_against_the_cap_and_refuses_approval_over_it(cast, plan):
    for n in range(20):
        propose(cast, plan, f"第{n}项：{'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉'[n]}类事项检查")
    client = cast.client(cast.officer)
    page = client.get(reverse("inspections:plan", args=[plan.pk]))
    assert page.context["counting"] == 20 and page.context["cap"] == 19 and page.context["over"] == 1
    plan.refresh_from_db()
    response = client.post(reverse("inspections:approve", args=[plan.pk]), {"version": plan.version}, follow=True)
    assert "inspections.annual_cap" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == InspectionPlan.Status.DRAFT


def test_a_stricter_cap_for_a_county_is_data_of_the_rulebook(cast):
    rule_change(by=cast.officer, code="inspections.annual_cap", value=2, severity="block",
                source_clause="县级层面的年度督查检查考核事项均未超过19项", effective_from=dt.date(YEAR, 1, 1),
                scope_unit=cast.county, note="县级更严")
    county_plan = services.inspection_plan_create(by=cast.officer, unit=cast.county, year=YEAR)
    city_plan = services.inspection_plan_create(by=cast.officer, unit=cast.city, year=YEAR)
    assert services.plan_cap(county_plan)[0] == 2
    assert services.plan_cap(city_plan)[0] == 19


def test_overlapping_proposals_are_grouped_with_a_suggested_merge_and_the_reasons(cast, plan):
    text = "对危险化学品、非煤矿山、建筑施工等重点行业开展隐患排查治理"
    a = propose(cast, plan, "安全生产大检查", description=text, months=[3])
    b = propose(cast, plan, "建筑施工安全生产检查", description=text + "和工地检查", months=[2])
    propose(cast, plan, "安全生产大检查（秋季）", description=text, months=[10])  # another season: not grouped
    propose(cast, plan, "校园食品安全检查", description="学校食堂和校外培训机构食品安全抽查", months=[3])
    groups = plan_overlaps(plan=plan)
    assert len(groups) == 1
    group = groups[0]
    assert {i.pk for i in group.items} == {a.pk, b.pk}
    assert group.keep == a
    link = group.links[0]
    assert link.shared_units == frozenset({cast.county.pk}) and link.shared_quarters == frozenset({1})
    assert any("隐患排查治理" in term for term in link.shared_terms)
    page = cast.client(cast.officer).get(reverse("inspections:plan", args=[plan.pk])).content.decode()
    assert "隐患排查治理" in page and reverse("inspections:merge", args=[plan.pk]) in page


def test_merging_folds_units_months_and_descriptions_into_the_kept_item(cast, plan):
    a = propose(cast, plan, "安全生产大检查", description="重点行业隐患排查", months=[3],
                targets=[(cast.township_a, False)])
    b = propose(cast, plan, "建筑施工安全检查", description="建筑工地检查", months=[4],
                targets=[(cast.township_b, True)])
    response = cast.client(cast.officer).post(reverse("inspections:merge", args=[plan.pk]), {
        "keep": a.pk, "absorb": str(b.pk), "title": "安全生产和建筑施工检查", "reason": "内容重叠"})
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.title == "安全生产和建筑施工检查" and a.months == [3, 4]
    assert "重点行业隐患排查" in a.description and "建筑工地检查" in a.description
    assert {(t.unit_id, t.include_below) for t in a.targets.all()} == {(cast.township_a.pk, False),
                                                                       (cast.township_b.pk, True)}
    assert (b.status, b.merged_into, b.note) == (PlanItem.Status.MERGED, a, "内容重叠")


def test_approving_the_plan_gives_every_item_a_control_number_on_the_registry(cast, plan):
    a = propose(cast, plan, "安全生产大检查", targets=[(cast.township_a, True)])
    dropped = propose(cast, plan, "重复的检查")
    services.plan_item_drop(by=cast.clerk, item=dropped, version=dropped.version, reason="与安全生产大检查重复")
    plan.refresh_from_db()
    services.inspection_plan_approve(by=cast.officer, plan=plan, version=plan.version)
    a.refresh_from_db()
    demand = a.demand
    assert a.status == PlanItem.Status.APPROVED
    assert demand.kind == Kind.INSPECTION and demand.status == Status.APPROVED
    assert demand.control_number.startswith(f"DC-{YEAR}-") and normalise_number(demand.control_number)
    assert (demand.valid_from, demand.valid_until) == (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    assert [t.unit for t in demand.targets.all()] == [cast.township_a]
    assert Demand.objects.filter(kind=Kind.INSPECTION).count() == 1
    # The township sees it among the demands on it.
    page = cast.client(cast.cadre_a).get(reverse("demands:on_us")).content.decode()
    assert demand.control_number in page


def test_an_approved_plan_cannot_be_changed(cast, plan):
    item = propose(cast, plan, "安全生产大检查")
    plan.refresh_from_db()
    services.inspection_plan_approve(by=cast.officer, plan=plan, version=plan.version)
    item.refresh_from_db()
    with pytest.raises(ApplicationError) as err:
        services.plan_item_update(by=cast.clerk, item=item, version=item.version, title="改名后的检查",
                                  targets=[(cast.county, True)])
    assert err.value.code == "approved"
    with pytest.raises(ApplicationError):
        propose(cast, plan, "追加的检查")


def test_a_second_editor_of_the_same_item_is_told_it_changed(cast, plan):
    item = propose(cast, plan, "安全生产大检查")
    version = item.version
    services.plan_item_update(by=cast.clerk, item=item, version=version, title="安全生产检查",
                              targets=[(cast.county, True)])
    with pytest.raises(StaleEditError):
        services.plan_item_update(by=cast.officer, item=item, version=version, title="另一个名字",
                                  targets=[(cast.county, True)])


def test_a_department_cannot_propose_into_a_county_plan_or_for_another_unit(cast):
    county_plan = services.inspection_plan_create(by=cast.officer, unit=cast.county, year=YEAR)
    with pytest.raises(ApplicationError):
        services.plan_item_propose(by=cast.clerk, plan=county_plan, proposing_unit=cast.department,
                                   title="越级检查", targets=[(cast.township_a, True)])
    city_plan = services.inspection_plan_create(by=cast.officer, unit=cast.city, year=YEAR)
    with pytest.raises(ApplicationError):
        services.plan_item_propose(by=cast.cadre_a, plan=city_plan, proposing_unit=cast.township_a,
                                   title="乡镇提的检查", targets=[(cast.village_a, False)])


def test_outsiders_get_404_and_the_leader_only_reads(cast, plan):
    item = propose(cast, plan, "安全生产大检查")
    county_plan = services.inspection_plan_create(by=cast.officer, unit=cast.county, year=YEAR)
    for person in (cast.cadre_a, cast.cadre_b, cast.village_cadre_a):
        client = cast.client(person)
        assert client.get(reverse("inspections:plan", args=[plan.pk])).status_code == 404
        assert client.get(reverse("inspections:plan", args=[county_plan.pk])).status_code == 404
        assert client.get(reverse("inspections:item", args=[item.pk])).status_code == 404
    leader = cast.client(cast.leader)
    assert leader.get(reverse("inspections:plan", args=[plan.pk])).status_code == 200
    plan.refresh_from_db()
    assert leader.post(reverse("inspections:approve", args=[plan.pk]), {"version": plan.version}).status_code == 404
    assert leader.get(reverse("inspections:item_new", args=[plan.pk])).status_code == 404
    plan.refresh_from_db()
    assert plan.status == InspectionPlan.Status.DRAFT


def test_a_department_sees_its_own_proposals_and_the_approved_items_only(cast, plan):
    mine = propose(cast, plan, "市委办的检查")
    theirs = propose(cast, plan, "专班录入的检查", by=cast.officer)
    other_dept_item = PlanItem.objects.filter(pk=theirs.pk)
    other_dept_item.update(proposing_unit=cast.task_force)
    page = cast.client(cast.clerk).get(reverse("inspections:plan", args=[plan.pk]))
    titles = {i.title for i in page.context["page"]}
    assert titles == {mine.title}
    assert cast.client(cast.clerk).get(reverse("inspections:item", args=[theirs.pk])).status_code == 404


def test_the_overview_compares_each_plan_with_the_year_before_and_exports(cast):
    before = services.inspection_plan_create(by=cast.officer, unit=cast.city, year=YEAR - 1)
    for n in range(4):
        propose(cast, before, f"去年的第{n}项{'甲乙丙丁'[n]}检查")
    before.refresh_from_db()
    services.inspection_plan_approve(by=cast.officer, plan=before, version=before.version)
    now = services.inspection_plan_create(by=cast.officer, unit=cast.city, year=YEAR)
    propose(cast, now, "今年唯一的检查")
    client = cast.client(cast.officer)
    response = client.get(reverse("inspections:plans"), {"year": YEAR})
    row = next(r for r in response.context["rows"] if r.unit == cast.city)
    assert (row.items, row.previous, row.cap, round(row.change)) == (1, 4, 19, -75)
    rows = export_rows(client, reverse("inspections:plans"), {"year": YEAR, "format": "xlsx"})
    city = next(r for r in rows if r[0] == cast.city.name)
    assert (city[2], city[3], city[5]) == (1, 19, 4)


def test_a_plans_items_export_holds_what_its_reader_may_see_of_it(cast):
    plan = services.inspection_plan_create(by=cast.officer, unit=cast.city, year=YEAR)
    propose(cast, plan, "安全生产大检查")
    rows = export_rows(cast.client(cast.officer), reverse("inspections:plan", args=[plan.pk]), {"format": "xlsx"})
    assert [r[0] for r in rows[1:]] == ["安全生产大检查"]
    from jianfu.core.errors import NotFoundError
    from jianfu.inspections.exports import plan_items_build

    with pytest.raises(NotFoundError):
        plan_items_build(cast.cadre_b, {"plan": str(plan.pk)})


def test_the_approved_city_plan_becomes_its_inspections_list_of_the_5_lists(cast, plan):
    from jianfu.demands.models import AnnualList, ListKind

    propose(cast, plan, "安全生产大检查", months=[3, 10])
    plan.refresh_from_db()
    services.inspection_plan_approve(by=cast.officer, plan=plan, version=plan.version)
    annual = AnnualList.objects.get(kind=ListKind.INSPECTIONS, year=YEAR, scope_unit=cast.city)
    assert annual.status == AnnualList.Status.APPROVED
    item = annual.items.get()
    assert (item.title, item.responsible_unit, item.planned_month) == ("安全生产大检查", cast.department, 3)


def test_a_plan_inspects_only_units_under_its_own_unit(cast):
    county_plan = services.inspection_plan_create(by=cast.officer, unit=cast.county, year=YEAR)
    with pytest.raises(ApplicationError) as err:
        services.plan_item_propose(by=cast.officer, plan=county_plan, proposing_unit=cast.county, title="越界检查",
                                   targets=[(cast.department, False)])
    assert err.value.code == "targets"
    assert not county_plan.items.exists()


def test_changing_an_item_keeps_each_units_own_and_below(cast, plan):
    item = propose(cast, plan, "安全生产大检查", targets=[(cast.township_a, False), (cast.township_b, True)])
    cast.client(cast.clerk).post(reverse("inspections:item_edit", args=[item.pk]), {
        "title": "安全生产检查", "proposing_unit": cast.department.pk, "method": Method.ON_SITE,
        "times_per_year": 1, "targets": [cast.township_a.pk, cast.township_b.pk], "include_below": "on",
        "version": item.version})
    item.refresh_from_db()
    assert item.title == "安全生产检查"
    assert {(t.unit_id, t.include_below) for t in item.targets.all()} == {(cast.township_a.pk, False),
                                                                         (cast.township_b.pk, True)}


# --- the grassroots see the approved items that inspect them, read only ---

def test_township_and_village_cadres_see_the_approved_items_that_inspect_them(cast):
    from jianfu.inspections import selectors

    plan = services.inspection_plan_create(by=cast.officer, unit=cast.city, year=dt.date.today().year)
    on_a = services.plan_item_propose(by=cast.clerk, plan=plan, proposing_unit=cast.department, title="安全生产大检查",
                                      description="隐患排查", method=Method.ON_SITE, months=[3],
                                      targets=[(cast.township_a, True)], prepares="隐患排查台账")
    on_b = services.plan_item_propose(by=cast.clerk, plan=plan, proposing_unit=cast.department, title="防汛检查",
                                      description="防汛准备", method=Method.ON_SITE, months=[5],
                                      targets=[(cast.township_b, False)])
    plan.refresh_from_db()
    services.inspection_plan_approve(by=cast.officer, plan=plan, version=plan.version)
    year = dt.date.today().year
    assert list(selectors.items_on_units(actor=cast.cadre_a, year=year)) == [on_a]
    assert list(selectors.items_on_units(actor=cast.village_cadre_a, year=year)) == [on_a]
    assert list(selectors.items_on_units(actor=cast.cadre_b, year=year)) == [on_b]
    page = cast.client(cast.cadre_a).get(reverse("inspections:on_us"))
    assert page.status_code == 200 and "安全生产大检查" in page.content.decode()
    assert "防汛检查" not in page.content.decode()
    item = cast.client(cast.village_cadre_a).get(reverse("inspections:item", args=[on_a.pk]))
    assert item.status_code == 200 and "隐患排查台账" in item.content.decode()
    assert cast.client(cast.cadre_b).get(reverse("inspections:item", args=[on_a.pk])).status_code == 404
    # Read only: the plan itself stays the city's and the task force's.
    assert cast.client(cast.cadre_a).get(plan.get_absolute_url()).status_code == 404


def test_a_proposed_item_is_not_shown_to_the_grassroots_before_the_plan_is_approved(cast):
    from jianfu.inspections import selectors

    plan = services.inspection_plan_create(by=cast.officer, unit=cast.city, year=dt.date.today().year)
    services.plan_item_propose(by=cast.clerk, plan=plan, proposing_unit=cast.department, title="安全生产大检查",
                               description="隐患排查", method=Method.ON_SITE, months=[3],
                               targets=[(cast.township_a, True)])
    assert list(selectors.items_on_units(actor=cast.cadre_a)) == []
