"""The report-form demo: a field dictionary, the source's figures for the discipline commission and a few
departments' cuts against their 2018 baselines, and forms of this year that overlap so 一表通 proposals show.

The source: 市纪委监委 cut briefings from 5 to 1 and monthly report sets from 11 to 3; every department is to
cut its report materials by 50% or more. The 2018 forms are recorded from the old ledger, the baselines are set
by the task force from those rows, and the 2019 forms go through the gate (except the early-2019 forms of one
department, recorded from the ledger like 2018's). The materials page computes every figure from these rows.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianfu.demands import services as registry
from jianfu.demands.demo import backdate_decisions
from jianfu.demands.models import Demand, Kind, Review
from jianfu.org import services as org
from jianfu.org.models import Person, Role, Unit

from . import services
from .models import FieldDefinition, Frequency, MaterialType
from .selectors import material_counts
from .services import NewField

# name, definition, unit of measure, holder (department code suffix, or "" for none), other names
FIELDS = [
    ("户籍人口", "户籍登记在本辖区的人口数（年末数）", "人", "D10", "户籍人口数"),
    ("常住人口", "在本辖区居住半年以上的人口数", "人", "D08", "常住人口数"),
    ("户数", "本辖区户籍户数", "户", "D10", "总户数"),
    ("村民小组数", "行政村下设村民小组个数", "个", "D16", ""),
    ("外出务工人数", "离开本乡镇外出务工半年以上的人数", "人", "D12", "外出务工人员数"),
    ("贫困户数", "建档立卡贫困户的户数", "户", "D16", "建档立卡贫困户数"),
    ("贫困人口数", "建档立卡贫困户的人口数", "人", "D16", "建档立卡贫困人口"),
    ("脱贫户数", "已标注脱贫的建档立卡贫困户户数", "户", "D16", ""),
    ("低保户数", "享受农村最低生活保障的户数", "户", "", "农村低保户数"),
    ("特困供养人数", "纳入特困人员救助供养的人数", "人", "", ""),
    ("危房户数", "经鉴定为C级、D级危房的农户数", "户", "D15", ""),
    ("危房改造户数", "本年度完成农村危房改造的户数", "户", "D15", ""),
    ("耕地面积", "年末实有耕地面积", "亩", "D13", "实有耕地面积"),
    ("粮食播种面积", "本年度粮食作物播种面积", "亩", "D16", ""),
    ("粮食总产量", "本年度粮食作物总产量", "吨", "D16", ""),
    ("村集体经济收入", "村集体经济组织本年度经营性收入", "万元", "D16", "村级集体经济收入"),
    ("农村居民人均可支配收入", "农村常住居民人均可支配收入", "元", "D08", ""),
    ("新型农业经营主体数", "家庭农场、农民合作社等新型农业经营主体个数", "个", "D16", ""),
    ("安全生产检查次数", "本期内组织开展安全生产检查的次数", "次", "D18", "安全检查次数"),
    ("安全隐患排查数", "本期内排查发现的安全隐患数", "处", "D18", ""),
    ("安全隐患整改数", "本期内排查发现并整改到位的安全隐患数", "处", "D18", "隐患整改数"),
    ("生产安全事故起数", "本期内发生的生产安全事故起数", "起", "D18", ""),
    ("事故死亡人数", "本期内生产安全事故造成的死亡人数", "人", "D18", ""),
    ("应急演练次数", "本期内组织开展应急演练的次数", "次", "D18", ""),
    ("地质灾害隐患点数", "在册地质灾害隐患点个数", "处", "D13", ""),
    ("森林火灾起数", "本期内发生的森林火灾起数", "起", "D18", ""),
    ("河长巡河次数", "各级河长本期内巡河次数", "次", "D14", ""),
    ("空气质量优良天数", "本期内空气质量优良的天数", "天", "D14", ""),
    ("黑臭水体整治数", "本期内完成整治的黑臭水体个数", "个", "D14", ""),
    ("学校数", "本辖区各级各类学校个数", "所", "D09", ""),
    ("在校学生数", "本辖区各级各类学校在校学生人数", "人", "D09", ""),
    ("专任教师数", "本辖区各级各类学校专任教师人数", "人", "D09", ""),
    ("控辍保学劝返人数", "本期内劝返复学的义务教育阶段失学辍学学生人数", "人", "D09", ""),
    ("教育资助学生人次", "本期内享受各类教育资助的学生人次", "人次", "D09", ""),
    ("村卫生室数", "本辖区村卫生室个数", "个", "D17", ""),
    ("家庭医生签约人数", "与家庭医生团队签约的居民人数", "人", "D17", ""),
    ("基本医疗保险参保人数", "参加城乡居民基本医疗保险的人数", "人", "D12", "医保参保人数"),
    ("养老保险参保人数", "参加城乡居民基本养老保险的人数", "人", "D12", ""),
    ("新增就业人数", "本期内城镇新增就业人数", "人", "D12", ""),
    ("市场主体数", "本辖区登记在册的市场主体户数", "户", "D19", ""),
    ("食品安全抽检批次", "本期内完成的食品安全监督抽检批次", "批次", "D19", ""),
    ("政务服务事项数", "本级政务服务事项总数", "项", "D20", ""),
    ("网上可办事项数", "可全程网上办理的政务服务事项数", "项", "D20", ""),
    ("党员人数", "本单位（辖区）中共党员人数", "人", "D04", ""),
    ("基层党组织数", "本辖区基层党组织个数", "个", "D04", ""),
    ("主题党日开展次数", "本期内基层党组织开展主题党日活动次数", "次", "D04", ""),
    ("信访件数", "本期内受理的群众来信来访件次", "件", "D06", "信访总量"),
    ("矛盾纠纷调处数", "本期内排查调处的矛盾纠纷件数", "件", "D06", ""),
    ("信访举报件数", "本期内纪检监察机关受理的信访举报件数", "件", "D01", "信访举报数"),
    ("问题线索处置数", "本期内处置的问题线索件数", "件", "D01", ""),
    ("立案数", "本期内纪检监察机关立案审查调查件数", "件", "D01", "立案件数"),
    ("党纪政务处分人数", "本期内给予党纪政务处分的人数", "人", "D01", "处分人数"),
    ("谈话函询人次", "本期内开展谈话函询的人次", "人次", "D01", ""),
    ("形式主义官僚主义问题数", "本期内查处的形式主义官僚主义问题个数", "个", "D01", ""),
    ("违反中央八项规定精神问题数", "本期内查处的违反中央八项规定精神问题个数", "个", "D01", ""),
    ("追责问责人数", "本期内被追责问责的人数", "人", "D01", ""),
    ("澄清正名人数", "本期内为受到不实举报的干部澄清正名的人数", "人", "D01", ""),
    ("容错纠错人数", "本期内适用容错纠错的人数", "人", "D01", ""),
    ("发文数量", "本期内以本单位名义印发的文件数", "件", "D02", ""),
    ("会议数量", "本期内召开的全市性会议数", "个", "D02", ""),
    ("督查检查考核事项数", "本期内开展的督查检查考核事项数", "项", "D02", ""),
]

# 2018 from the old ledger and 2019 numbers per department: (report sets, briefings, ledgers) each year.
DEPARTMENT_FORMS = {
    # The source's own figures: monthly report sets 11 → 3, briefings 5 → 1.
    "D01": {"clerk": ("clerk_d01", "纪经办"), "2018": (11, 5, 0), "2019": (3, 1, 0), "via_gate": True},
    "D09": {"clerk": ("clerk_d09", "教经办"), "2018": (9, 3, 4), "2019": (4, 1, 2), "via_gate": True},
    "D18": {"clerk": ("clerk_d18", "应经办"), "2018": (10, 2, 6), "2019": (5, 1, 2), "via_gate": True},
    # Short of the target: its early-2019 forms were issued before the gate and are kept from the ledger.
    "D16": {"clerk": ("clerk_d16", "农经办"), "2018": (12, 4, 6), "2019": (9, 2, 3), "via_gate": False},
}
THEMES = {
    "D01": ["信访举报件数", "问题线索处置数", "立案数", "党纪政务处分人数", "谈话函询人次", "形式主义官僚主义问题数",
            "违反中央八项规定精神问题数", "追责问责人数", "澄清正名人数", "容错纠错人数"],
    "D09": ["学校数", "在校学生数", "专任教师数", "控辍保学劝返人数", "教育资助学生人次", "户籍人口"],
    "D18": ["安全生产检查次数", "安全隐患排查数", "安全隐患整改数", "生产安全事故起数", "事故死亡人数", "应急演练次数",
            "森林火灾起数"],
    "D16": ["户籍人口", "常住人口", "村民小组数", "贫困户数", "贫困人口数", "耕地面积", "村集体经济收入"],
}
TITLES = {
    "D01": ("纪检监察工作{n}号月报表", "纪检监察工作简报（第{n}期）", "纪检监察工作台账（{n}）"),
    "D09": ("教育事业统计{n}号月报表", "教育工作简报（第{n}期）", "教育工作台账（{n}）"),
    "D18": ("安全生产统计{n}号月报表", "应急管理工作简报（第{n}期）", "安全生产工作台账（{n}）"),
    "D16": ("农业农村统计{n}号月报表", "农业农村工作简报（第{n}期）", "农业农村工作台账（{n}）"),
}
KINDS = (MaterialType.REPORT_SET, MaterialType.BRIEFING, MaterialType.LEDGER)


def _clerks(units: dict[str, Unit]) -> dict[str, Person]:
    out = {}
    for suffix, spec in DEPARTMENT_FORMS.items():
        username, name = spec["clerk"]
        unit = units[f"431000{suffix}"]
        person = org.person_create(by=None, username=username, name=name, title=f"{unit.name}经办人")
        org.membership_grant(by=None, person=person, unit=unit, role=Role.DEPARTMENT_CLERK)
        out[suffix] = person
    return out


def _dictionary(officer: Person, units: dict[str, Unit]) -> dict[str, FieldDefinition]:
    return {name: services.field_definition_create(
        by=officer, name=name, definition=definition, unit_of_measure=unit_of_measure,
        holder=units.get(f"431000{holder}") if holder else None, aliases=aliases)
        for name, definition, unit_of_measure, holder, aliases in FIELDS}


def _approve(officer: Person, demand, valid_until: dt.date | None = None):
    demand = registry.demand_submit(by=demand.filed_by, demand=demand, version=demand.version)
    return registry.demand_review(by=officer, demand=demand, version=demand.version,
                                  decision=Review.Decision.APPROVE, valid_until=valid_until)


def _targets(suffix: str) -> list[tuple[Unit, bool]]:
    counties = list(Unit.objects.filter(type="county").order_by("code"))
    # Briefings and report sets go to the county-level bodies; the grassroots fill the agriculture forms.
    return [(c, suffix == "D16") for c in counties]


def reportforms_demo_load(*, people: dict[str, Person], units: dict[str, Unit]) -> dict[str, int]:
    officer = people["tf_officer"]
    clerks = _clerks(units)
    fields = _dictionary(officer, units)
    city_clerk = people["clerk"]

    # 2018, from the old ledger.
    for suffix, spec in DEPARTMENT_FORMS.items():
        unit = units[f"431000{suffix}"]
        for kind, count, template in zip(KINDS, spec["2018"], TITLES[suffix], strict=True):
            for n in range(1, count + 1):
                services.report_form_record_ledger(
                    by=None, title=template.format(n=n), issuing_unit=unit, filed_by=clerks[suffix],
                    occurs_on=dt.date(2018, 1 + (n - 1) % 12, 10), material_type=kind,
                    frequency=Frequency.MONTHLY if kind == MaterialType.REPORT_SET else Frequency.QUARTERLY)

    # The task force sets each department's 2018 baseline from those rows.
    ids = [units[f"431000{s}"].pk for s in DEPARTMENT_FORMS]
    counted = material_counts(year=2018, unit_ids=ids)
    for suffix in DEPARTMENT_FORMS:
        unit = units[f"431000{suffix}"]
        c = counted.get(unit.pk, {})
        services.material_baseline_set(
            by=officer, unit=unit, year=2018, report_sets=c.get(MaterialType.REPORT_SET, 0),
            briefings=c.get(MaterialType.BRIEFING, 0), ledgers=c.get(MaterialType.LEDGER, 0),
            others=c.get(MaterialType.OTHER, 0), note="按2018年报表材料台账核定")

    # 2019: through the gate from June, valid to the end of the year; or from the ledger before the gate.
    for suffix, spec in DEPARTMENT_FORMS.items():
        unit = units[f"431000{suffix}"]
        theme = THEMES[suffix]
        for kind, count, template in zip(KINDS, spec["2019"], TITLES[suffix], strict=True):
            for n in range(1, count + 1):
                title = template.format(n=f"2019-{n}")
                if not spec["via_gate"]:
                    services.report_form_record_ledger(
                        by=None, title=title, issuing_unit=unit, filed_by=clerks[suffix],
                        occurs_on=dt.date(2019, 1 + (n - 1) % 4, 15), material_type=kind)
                    continue
                chosen = theme[(n - 1) % len(theme):] + theme[:(n - 1) % len(theme)]
                demand = services.report_form_file(
                    by=clerks[suffix], issuing_unit=unit, title=title,
                    frequency=Frequency.MONTHLY if kind == MaterialType.REPORT_SET else Frequency.QUARTERLY,
                    minutes_per_response=30 if kind == MaterialType.REPORT_SET else 60, material_type=kind,
                    field_ids=[(fields[name].pk, True) for name in chosen[:5]], targets=_targets(suffix),
                    occurs_on=dt.date(2019, 6, 1))
                _approve(officer, demand, valid_until=dt.date(2019, 12, 31))

    backdate_decisions(Demand.objects.filter(kind=Kind.REPORT_FORM, occurs_on__year=2019))

    # This year: forms in force that a new draft overlaps, so the gate proposes 一表通.
    today = timezone.localdate()
    agriculture = services.report_form_file(
        by=clerks["D16"], issuing_unit=units["431000D16"], title="农村基本情况年报表", frequency=Frequency.YEARLY,
        minutes_per_response=90, material_type=MaterialType.REPORT_SET,
        field_ids=[(fields[n].pk, True) for n in ("户籍人口", "常住人口", "村民小组数", "耕地面积", "村集体经济收入",
                                                   "农村居民人均可支配收入", "贫困户数")],
        targets=_targets("D16"), occurs_on=today)
    _approve(officer, agriculture)
    safety = services.report_form_file(
        by=clerks["D18"], issuing_unit=units["431000D18"], title="安全生产检查情况月报表", frequency=Frequency.MONTHLY,
        minutes_per_response=40, material_type=MaterialType.REPORT_SET,
        field_ids=[(fields[n].pk, True) for n in ("安全生产检查次数", "安全隐患排查数", "安全隐患整改数",
                                                   "生产安全事故起数")],
        targets=_targets("D18"), occurs_on=today)
    _approve(officer, safety)
    # The city office's new form asks again for most of what agriculture already collects, and for a
    # safety figure under another name: the gate names both forms and proposes merging into the first.
    services.report_form_file(
        by=city_clerk, issuing_unit=units["431000D02"], title="村级基本情况统计表", frequency=Frequency.QUARTERLY,
        minutes_per_response=60, material_type=MaterialType.REPORT_SET,
        field_ids=[(fields[n].pk, True) for n in ("户籍人口", "常住人口", "耕地面积", "村集体经济收入")],
        new_fields=[NewField("建档立卡贫困户数"), NewField("安全检查次数"),
                    NewField("农村居民人均收入", "农村常住居民人均可支配收入", "元"),
                    NewField("村干部人数", "村“两委”干部人数", "人")],
        targets=[(Unit.objects.get(code="431026"), True)], occurs_on=today)
    return {"fields": FieldDefinition.objects.count(), "departments": len(DEPARTMENT_FORMS)}
