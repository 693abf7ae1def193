"""The demo's inspection plans: the city's 174 items of 2018 cut and merged to 19 for 2019, counties ≤ 19.

2018 is approved as it was (no cap was in force). For 2019 the departments propose 31 items; the
overlapping ones are found by the same grouping the plan page shows and merged by the same service the
task force uses, which leaves 19, and the plan is approved within the cap. Each county's 2019 plan stays
within 19. One inspection outside the plan has a recorded one-off approval; another, a renamed copy of a
plan item, waits for review with the drift flagged. All figures are computed from these rows.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from jianfu.demands import services as demand_services
from jianfu.demands.demo import backdate_decisions
from jianfu.demands.models import Demand, Kind, Review
from jianfu.org.models import Person, Unit, UnitType

from . import services
from .models import InspectionPlan, Method
from .selectors import plan_overlaps

THEMES_2018 = ["安全生产", "环境保护", "脱贫攻坚", "党风廉政", "基层党建", "河长制", "森林防火", "防汛抗旱",
               "食品安全", "校园安全", "消防安全", "道路交通", "扫黑除恶", "信访维稳", "营商环境", "文明创建",
               "农村人居环境", "耕地保护", "征地拆迁", "医疗卫生", "社会保障", "统计数据", "财政资金", "审计整改",
               "重点项目", "招商引资", "政务公开", "意识形态", "宗教事务", "国家安全"]
FORMS_2018 = ["专项检查", "督查", "考核", "暗访", "半年督查", "年终考评"]

# The 19 items of 2019: lead department, title, what is inspected, months, method.
ITEMS_2019 = [
    ("D01", "市委巡察", "对县市区和市直单位开展常规巡察，发现问题线索并督促整改", [4, 5], Method.INTERVIEW),
    ("D07", "集中整治形式主义官僚主义督查", "暗访督查文山会海、督查检查考核过多过频、过度留痕等问题", [6],
     Method.RANDOM),
    ("D14", "环境保护督察", "中央环保督察反馈问题整改落实、污染防治攻坚战重点任务推进情况", [5, 9], Method.ON_SITE),
    ("D16", "脱贫攻坚督查考核", "精准识别、精准帮扶、精准退出，“两不愁三保障”落实和扶贫资金使用", [3, 11],
     Method.ON_SITE),
    ("D03", "政府大督查", "市政府重点工作、为民办实事项目和重大决策部署落实情况", [8], Method.DOCUMENTS),
    ("D04", "基层党建考核", "基层党组织标准化建设、党员教育管理、村级组织运转经费保障", [12], Method.ASSESSMENT),
    ("D18", "安全生产检查", "危险化学品、非煤矿山、建筑施工等重点行业领域隐患排查治理", [3, 10], Method.ON_SITE),
    ("D18", "防汛抗旱和地质灾害防治检查", "汛前准备、隐患点监测预警、应急预案和物资储备", [4], Method.ON_SITE),
    ("D13", "耕地保护和违法占地整治检查", "耕地保护责任目标、违法占用耕地建房问题整治", [7], Method.ONLINE),
    ("D09", "教育工作督导评估", "义务教育均衡发展、控辍保学、校园安全管理", [10], Method.ON_SITE),
    ("D17", "卫生健康工作考核", "基层医疗卫生服务能力、公共卫生项目和疫病防控", [11], Method.DOCUMENTS),
    ("D19", "食品药品安全检查", "食品生产经营、校园食堂和农村集体聚餐食品安全", [6, 12], Method.RANDOM),
    ("D15", "城乡建设和农村危房改造检查", "农村危房改造质量安全、城镇老旧小区改造进度", [9], Method.ON_SITE),
    ("D12", "就业和社会保障工作考核", "就业扶贫、社会保险扩面征缴和基金安全", [11], Method.DOCUMENTS),
    ("D08", "重点项目建设督查", "市级重点项目投资进度、征地拆迁和要素保障", [6], Method.DOCUMENTS),
    ("D06", "平安建设和扫黑除恶考核", "扫黑除恶专项斗争、矛盾纠纷排查化解和信访积案化解", [12], Method.ASSESSMENT),
    ("D11", "财政资金使用绩效评价", "涉农资金统筹整合、专项资金使用绩效和“三保”支出保障", [10], Method.DOCUMENTS),
    ("D05", "意识形态工作责任制检查", "意识形态工作责任制落实和网络舆情处置", [11], Method.DOCUMENTS),
    ("D20", "政务服务“一次办结”改革督查", "政务服务事项网上可办率、审批时限压缩和证明材料取消", [9], Method.ONLINE),
]

# What other departments proposed on the same subjects for 2019 before they were merged (index into ITEMS_2019).
OVERLAPPING_2019 = [
    (0, "D04", "市委巡察（党建专项）", "对县市区和市直单位开展常规巡察，发现问题线索并督促整改，重点看基层党建", [5]),
    (1, "D01", "形式主义官僚主义问题暗访督查", "暗访督查文山会海、督查检查考核过多过频、过度留痕等问题，通报曝光", [6]),
    (2, "D16", "农村环境保护督察", "中央环保督察反馈问题整改落实、污染防治攻坚战重点任务推进和农村人居环境整治", [5]),
    (3, "D11", "脱贫攻坚督查考核（资金）", "精准识别、精准帮扶、精准退出，“两不愁三保障”落实和扶贫资金使用绩效", [11]),
    (3, "D04", "脱贫攻坚督查考核（驻村帮扶）", "精准识别、精准帮扶、精准退出，“两不愁三保障”落实和驻村帮扶", [11]),
    (6, "D15", "建筑施工安全生产检查", "危险化学品、非煤矿山、建筑施工等重点行业领域隐患排查治理和建筑工地", [10]),
    (6, "D10", "道路交通安全生产检查", "危险化学品、非煤矿山、建筑施工等重点行业领域隐患排查治理，道路交通安全", [3]),
    (9, "D18", "校园安全检查", "义务教育均衡发展、控辍保学、校园安全管理和校舍安全", [10]),
    (11, "D09", "校园食堂食品安全检查", "食品生产经营、校园食堂和农村集体聚餐食品安全抽查", [6]),
    (14, "D13", "重点项目用地督查", "市级重点项目投资进度、征地拆迁和要素保障，用地报批", [6]),
    (15, "D10", "扫黑除恶专项斗争考核", "扫黑除恶专项斗争、矛盾纠纷排查化解和信访积案化解", [12]),
    (18, "D03", "“一次办结”改革督查", "政务服务事项网上可办率、审批时限压缩和证明材料取消，“一件事一次办”", [9]),
]

COUNTY_ITEMS = ["安全生产检查", "环境保护督察", "脱贫攻坚督查", "基层党建考核", "河长制工作督查", "森林防火检查",
                "防汛抗旱检查", "食品安全检查", "校园安全检查", "扫黑除恶考核", "信访维稳督查", "重点项目督查",
                "财政资金绩效评价", "政务服务督查", "耕地保护检查", "农村人居环境整治督查", "意识形态工作检查",
                "年度绩效考核"]


def inspections_demo_load(*, people: dict[str, Person], units: dict[str, Unit]) -> dict[str, int]:
    rng = random.Random(174)
    officer = people["tf_officer"]
    city = units["431000"]
    counties = list(Unit.objects.filter(parent=city, type=UnitType.COUNTY).order_by("code"))
    departments = {u.code[-3:]: u for u in Unit.objects.filter(parent=city, type=UnitType.DEPARTMENT)}
    everywhere = [(c, True) for c in counties]

    # 2018: the city's 174 items as they were approved, every department inspecting on its own.
    plan_2018 = services.inspection_plan_create(by=None, unit=city, year=2018)
    n = 0
    codes = sorted(departments)
    while n < 174:
        dept = departments[codes[n % len(codes)]]
        theme = THEMES_2018[(n * 7) % len(THEMES_2018)]
        form = FORMS_2018[(n // len(codes)) % len(FORMS_2018)]
        some = rng.sample(counties, rng.randint(3, len(counties)))
        services.plan_item_propose(
            by=None, plan=plan_2018, proposing_unit=dept, proposed_by=officer, title=f"{dept.name}{theme}{form}",
            description=f"{dept.name}对县市区{theme}工作开展{form}（{n + 1}）", method=rng.choice(Method.values),
            times_per_year=rng.choice([1, 1, 2, 4]), months=[rng.randint(1, 12)], targets=[(c, True) for c in some])
        n += 1
    services.inspection_plan_approve(by=officer, plan=plan_2018, version=plan_2018.version)

    # 2019: proposals from the departments, overlapping ones merged, 19 approved within the cap.
    plan = services.inspection_plan_create(by=None, unit=city, year=2019)
    for code, title, description, months, method in ITEMS_2019:
        services.plan_item_propose(by=None, plan=plan, proposing_unit=departments[code], proposed_by=officer,
                                   title=title, description=description, method=method, months=months,
                                   prepares="工作台账、自查报告", targets=everywhere)
    for _index, code, title, description, months in OVERLAPPING_2019:
        services.plan_item_propose(by=None, plan=plan, proposing_unit=departments[code], proposed_by=officer,
                                   title=title, description=description, method=Method.ON_SITE, months=months,
                                   prepares="佐证材料", targets=everywhere)
    for group in plan_overlaps(plan=plan):
        services.plan_items_merge(by=officer, keep=group.keep, absorb=[i for i in group.items if i != group.keep])
    plan.refresh_from_db()
    services.inspection_plan_approve(by=officer, plan=plan, version=plan.version)

    # Each county's 2019 plan, within its cap of 19.
    for index, county in enumerate(counties):
        county_plan = services.inspection_plan_create(by=None, unit=county, year=2019)
        townships = list(Unit.objects.filter(parent=county).order_by("code"))
        for title in COUNTY_ITEMS[: 12 + index % 7]:
            services.plan_item_propose(
                by=None, plan=county_plan, proposing_unit=county, proposed_by=officer,
                title=f"{county.name}{title}", description=f"{county.name}对乡镇（街道）{title}",
                method=Method.ON_SITE, months=[rng.randint(1, 12)], targets=[(t, True) for t in townships])
        county_plan.refresh_from_db()
        services.inspection_plan_approve(by=officer, plan=county_plan, version=county_plan.version)

    _off_plan_demo(people=people, departments=departments, counties=counties)
    _backdate_approvals()
    backdate_decisions(Demand.objects.filter(kind=Kind.INSPECTION, plan_item__isnull=True, occurs_on__year=2019))
    return {"plans": InspectionPlan.objects.count()}


def _backdate_approvals() -> None:
    """Past years' plans were approved before their year began, not on the day the demo was loaded."""
    tz = timezone.get_current_timezone()
    for plan in InspectionPlan.objects.filter(status=InspectionPlan.Status.APPROVED,
                                              year__lt=timezone.localdate().year):
        at = dt.datetime.combine(dt.date(plan.year - 1, 12, 20), dt.time(10, 0), tzinfo=tz)
        InspectionPlan.objects.filter(pk=plan.pk).update(approved_at=at)
        Review.objects.filter(demand__plan_item__plan=plan, decision=Review.Decision.APPROVE).update(at=at)


def _off_plan_demo(*, people, departments, counties) -> None:
    """One inspection outside the plan approved with its one-off approval; one renamed copy of a plan item."""
    officer, leader = people["tf_officer"], people["leader"]
    clerk = people["clerk"]
    urgent = demand_services.demand_file(
        by=clerk, kind=Kind.INSPECTION, issuing_unit=departments["D02"],
        title="“6·16”暴雨灾后重建专项督查", body="对受灾乡镇灾后重建、群众安置和救灾资金发放开展一次性专项督查。",
        data={"method": Method.ON_SITE, "times_per_year": 1, "on_site": True, "months": [7],
              "prepares": "受灾群众安置台账", "why_outside_plan": "6月16日特大暴雨后新增的紧急任务，年初计划未列入。"},
        targets=[(counties[8], True)], occurs_on=dt.date(2019, 7, 1))
    urgent = demand_services.demand_submit(by=clerk, demand=urgent, version=urgent.version)
    services.one_off_approval_record(by=officer, demand=urgent, approver=leader, approved_on=dt.date(2019, 6, 28),
                                     reason="灾后重建时间紧迫，经市委主要领导同意，一事一报。")
    demand_services.demand_review(by=officer, demand=urgent, version=urgent.version,
                                  decision=Review.Decision.APPROVE, valid_until=dt.date(2019, 7, 31))
    renamed = demand_services.demand_file(
        by=clerk, kind=Kind.INSPECTION, issuing_unit=departments["D02"], title="基层减负落实情况专项检查",
        body="暗访督查文山会海、督查检查考核过多过频、过度留痕等问题",
        data={"method": Method.RANDOM, "times_per_year": 1, "on_site": True, "months": [9],
              "prepares": "", "why_outside_plan": "上半年督查后需再查一次。"},
        targets=[(c, True) for c in counties], occurs_on=dt.date(2019, 9, 1))
    demand_services.demand_submit(by=clerk, demand=renamed, version=renamed.version)
