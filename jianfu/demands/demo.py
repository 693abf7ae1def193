"""The registry's demo data: the source's document and meeting figures, and filings in every state.

The source reports, for January–May 2019, 88 documents issued in the name of the city Party committee,
the city government and the two general offices (−45.7% year on year, so 162 in January–May 2018) and 30
city-wide meetings (−51.6%, so 62). The 2018 rows are recorded from the old ledger; the 2019 rows go
through the gate like any filing. The figures page computes the percentages from these rows.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from jianfu.org.models import Person, Unit

from . import reports, services
from .models import Demand, DocumentKind, IssuedInName, Kind, ListKind, MeetingMode, Review

TOPICS = ["基层减负", "脱贫攻坚", "安全生产", "环境保护", "乡村振兴", "党建工作", "营商环境", "防汛抗旱",
          "森林防火", "疫病防控", "教育扶贫", "河长制", "扫黑除恶", "文明创建", "政务服务", "信访维稳"]
DOC_TITLES = ["关于进一步做好{t}工作的通知", "关于{t}的实施意见", "关于印发{t}工作方案的通知",
              "关于{t}有关情况的报告", "关于加强{t}的若干措施"]
MEETING_TITLES = ["全市{t}工作推进会", "全市{t}工作调度会", "全市{t}工作部署会", "全市{t}专题会议"]
NAME_ISSUERS = {
    IssuedInName.CITY_COMMITTEE: ("中共郴州市委", "郴发", "431000D02"),
    IssuedInName.COMMITTEE_OFFICE: ("中共郴州市委办公室", "郴办发", "431000D02"),
    IssuedInName.CITY_GOVERNMENT: ("郴州市人民政府", "郴政发", "431000D03"),
    IssuedInName.GOVERNMENT_OFFICE: ("郴州市人民政府办公室", "郴政办发", "431000D03"),
}


def _dates(rng: random.Random, year: int, n: int, months: range = range(1, 6)) -> list[dt.date]:
    out = []
    for _ in range(n):
        month = rng.choice(list(months))
        out.append(dt.date(year, month, rng.randint(1, 28)))
    return sorted(out)


SENTENCES = [
    "各地各部门要把{t}摆上重要议事日程，主要负责人亲自研究、亲自部署、亲自督办。",
    "凡能通过电话、网络办理的事项，不得要求基层重复报送材料。",
    "严禁以留痕代替落实，不得要求基层为{t}拍照、签到、建台账。",
    "市直有关部门要按照职责分工，主动对接县市区，帮助解决{t}中的具体困难。",
    "各县市区要结合本地实际，细化{t}工作措施，明确时间表和路线图。",
    "加大财政投入力度，统筹整合涉农资金，保障{t}工作经费。",
    "建立健全{t}工作联席会议制度，定期研究解决重大问题。",
    "对{t}工作中涌现的先进典型，要及时总结推广。",
    "坚持实事求是，不搞层层加码，不搞一刀切。",
    "{t}工作情况纳入年度综合考评，不再单独组织考核。",
    "乡镇（街道）要配齐配强{t}工作力量，确保事有人管、责有人负。",
    "充分发挥村（社区）党组织战斗堡垒作用，引导群众积极参与{t}。",
    "加强宣传引导，营造全社会关心支持{t}的良好氛围。",
    "本通知自印发之日起施行，此前有关规定与本通知不一致的，以本通知为准。",
]


def document_text(*, issuer: str, prefix: str, year: int, seq: int, title: str, date: dt.date, topic: str,
                  rng: random.Random | None = None) -> str:
    """A short document in the official layout that meets every rule, varied so drafts do not repeat."""
    rng = rng or random.Random(f"{prefix}{year}{seq}")
    points = rng.sample(SENTENCES, 4)
    body = "".join(f"{'一二三四'[i]}、{s.format(t=topic)}\n" for i, s in enumerate(points))
    return (
        f"{prefix}〔{year}〕{seq}号\n{title}\n各县市区委、人民政府，市直各单位：\n"
        f"为深入贯彻落实上级关于{topic}的部署要求，结合我市实际，现就有关事项通知如下。\n{body}"
        f"{issuer}\n{date.year}年{date.month}月{date.day}日\n"
    )


def backdate_decisions(demands, *, days_before: int = 5) -> None:
    """The demo files past years' demands today; date their reviews as they would have been decided (a few
    days before each took effect), so inboxes and histories do not show 2019 decisions as made today."""
    tz = timezone.get_current_timezone()
    for review in Review.objects.filter(demand__in=demands).select_related("demand"):
        day = (review.demand.occurs_on or review.at.date()) - dt.timedelta(days=days_before)
        Review.objects.filter(pk=review.pk).update(at=dt.datetime.combine(day, dt.time(10, 0), tzinfo=tz))


def demands_demo_load(*, people: dict[str, Person], units: dict[str, Unit]) -> dict[str, int]:
    rng = random.Random(2019)
    officer = people["tf_officer"]
    clerk = people["clerk"]
    gov_clerk = people["seconded1"]
    city = units["431000"]
    counties = list(Unit.objects.filter(parent=city, type="county").order_by("code"))
    checklist_no = {c: False for c in (
        "restates_higher", "deploy_directly", "not_needed_now", "covered_by_existing", "phone_suffices",
        "meeting_notice_or_speech", "department_can_issue", "can_merge", "forward_without_opinion",
        "briefing_suffices")}

    # 2018, from the old ledger: 162 documents in the four names and 62 city-wide meetings, January–May.
    names = list(NAME_ISSUERS)
    for i, day in enumerate(_dates(rng, 2018, 162)):
        name = names[i % 4]
        t = rng.choice(TOPICS)
        services.demand_record_ledger(
            by=None, kind=Kind.DOCUMENT, title=rng.choice(DOC_TITLES).format(t=t),
            issuing_unit=units[NAME_ISSUERS[name][2]], filed_by=clerk, occurs_on=day, issued_in_name=name,
            document_kind=rng.choice([DocumentKind.NORMATIVE, DocumentKind.OTHER, DocumentKind.SPECIAL]),
            targets=[(county, True) for county in counties])
    for day in _dates(rng, 2018, 62):
        services.demand_record_ledger(
            by=None, kind=Kind.MEETING, title=rng.choice(MEETING_TITLES).format(t=rng.choice(TOPICS)),
            issuing_unit=units["431000D02"], filed_by=clerk, occurs_on=day, city_wide=True,
            targets=[(county, False) for county in counties],
            # The ledger kept attendance: about 60 people, in person, two hours plus 90 minutes' travel.
            burden_minutes=60 * (120 + 90))

    # 2019, through the gate: 88 documents and 30 city-wide meetings, filed, submitted and approved.
    seq = {name: 0 for name in names}
    for i, day in enumerate(_dates(rng, 2019, 88)):
        name = names[i % 4]
        issuer, prefix, unit_code = NAME_ISSUERS[name]
        seq[name] += 1
        topic = TOPICS[i % len(TOPICS)]
        title = DOC_TITLES[i % len(DOC_TITLES)].format(t=topic)
        by = clerk if unit_code == "431000D02" else gov_clerk
        demand = services.demand_file(
            by=by, kind=Kind.DOCUMENT, issuing_unit=units[unit_code], title=title,
            body=document_text(issuer=issuer, prefix=prefix, year=2019, seq=seq[name], title=title, date=day,
                               topic=topic),
            data={"document_kind": DocumentKind.OTHER, "issued_in_name": name, "checklist": checklist_no},
            targets=[(county, True) for county in counties], occurs_on=day)
        demand = services.demand_submit(by=by, demand=demand, version=demand.version)
        services.demand_review(by=officer, demand=demand, version=demand.version, decision=Review.Decision.APPROVE)
    for i, day in enumerate(_dates(rng, 2019, 30)):
        topic = TOPICS[(i * 5) % len(TOPICS)]
        demand = services.demand_file(
            by=clerk, kind=Kind.MEETING, issuing_unit=units["431000D02"],
            title=f"{day.month}月全市{topic}工作会议（第{i + 1}次）", body=f"1. 通报{topic}进展\n2. 部署下阶段工作",
            data=_meeting(county_leaders=True, mode=MeetingMode.VIDEO),
            targets=[(county, False) for county in counties], occurs_on=day)
        demand = services.demand_submit(by=clerk, demand=demand, version=demand.version)
        services.demand_review(by=officer, demand=demand, version=demand.version, decision=Review.Decision.APPROVE)

    backdate_decisions(Demand.objects.filter(occurs_on__year=2019))
    _five_lists(officer=officer, city=city, office=units["431000D02"])
    _current_examples(people=people, units=units, checklist_no=checklist_no)
    return {"documents_2018": 162, "documents_2019": 88, "meetings_2018": 62, "meetings_2019": 30}


# The list of city-level inspection items comes from the approved 2019 inspection plan (inspections demo).
FIVE_LISTS_2019 = {
    ListKind.IMPORTANT_MEETINGS: [("全市基层减负工作推进会", 4), ("全市安全生产工作会议", 3), ("全市经济工作会议", 12)],
    ListKind.IMPORTANT_ACTIVITIES: [("全市乡村振兴现场观摩活动", 5), ("全市党建工作观摩活动", 10)],
    ListKind.REGULATIONS_DOCUMENTS: [("关于进一步做好基层减负工作的通知", 3),
                                     ("郴州市村级组织工作事务准入管理办法", 6)],
    ListKind.REPORT_TO_PROVINCE: [("整治形式主义为基层减负工作情况", 6), ("全市经济运行情况", 7)],
}


def _five_lists(*, officer: Person, city: Unit, office: Unit) -> None:
    """The 5 lists (5张清单) for 2019, approved by the task-force officer."""
    for kind, items in FIVE_LISTS_2019.items():
        annual = services.annual_list_create(by=officer, kind=kind, year=2019, scope_unit=city)
        for title, month in items:
            services.list_item_add(by=officer, annual_list=annual, title=title, responsible_unit=office,
                                   planned_month=month)
        services.annual_list_approve(by=officer, annual_list=annual)


def _meeting(*, county_leaders: bool = False, mode: str = MeetingMode.IN_PERSON, minutes: int = 90,
             speakers: int = 3, per_speaker: int = 10, attendees: int = 60) -> dict:
    return {"city_wide": True, "routine": True, "planned_minutes": minutes, "mode": mode, "attendees": attendees,
            "attendee_roles": "各县市区分管负责人", "county_leaders_attend": county_leaders,
            "video_exemption_reason": "", "speakers": speakers, "minutes_per_speaker": per_speaker,
            "replaceable": "no", "starts_at": "09:00"}


def _current_examples(*, people, units, checklist_no) -> None:
    """Filings of this year in every state, falling on 土桥镇 among others."""
    today = timezone.localdate()
    officer, clerk, cadre_a = people["tf_officer"], people["clerk"], people["cadre_a"]
    rucheng = Unit.objects.get(code="431026")
    tuqiao = units["TQ"]

    # In force on 汝城县 and every unit below it, so 土桥镇 sees it under "demands on us".
    title = "关于进一步规范村级组织工作事务的通知"
    d = services.demand_file(
        by=clerk, kind=Kind.DOCUMENT, issuing_unit=units["431000D02"], title=title,
        body=document_text(issuer="中共郴州市委办公室", prefix="郴办发", year=today.year, seq=101, title=title,
                           date=today, topic="村级组织减负"),
        data={"document_kind": DocumentKind.OTHER, "issued_in_name": IssuedInName.COMMITTEE_OFFICE,
              "checklist": checklist_no},
        targets=[(rucheng, True)], occurs_on=today)
    d = services.demand_submit(by=clerk, demand=d, version=d.version)
    services.demand_review(by=officer, demand=d, version=d.version, decision=Review.Decision.APPROVE)

    # A meeting in force next week on 土桥镇, and a related one filed after it, proposed for combining.
    week = today + dt.timedelta(days=7)
    m1 = services.demand_file(
        by=clerk, kind=Kind.MEETING, issuing_unit=units["431000D02"], title="全市基层减负工作推进会",
        body="1. 通报基层减负工作进展\n2. 部署村级组织减负", data=_meeting(mode=MeetingMode.VIDEO, county_leaders=True),
        targets=[(rucheng, False), (tuqiao, False)], occurs_on=week)
    m1 = services.demand_submit(by=clerk, demand=m1, version=m1.version)
    services.demand_review(by=officer, demand=m1, version=m1.version, decision=Review.Decision.APPROVE)
    m2 = services.demand_file(
        by=clerk, kind=Kind.MEETING, issuing_unit=units["431000D02"], title="全市基层减负工作调度会",
        body="1. 调度基层减负工作进展\n2. 研究村级组织减负", data=_meeting(mode=MeetingMode.VIDEO, county_leaders=True),
        targets=[(rucheng, False), (tuqiao, False)], occurs_on=week + dt.timedelta(days=2))
    services.demand_submit(by=clerk, demand=m2, version=m2.version)

    # A special report over 2,000 characters: the gate blocks it until it is cut.
    long_title = "关于基层减负工作情况的专项报告"
    body = document_text(issuer="中共郴州市委办公室", prefix="郴办报", year=today.year, seq=7, title=long_title,
                         date=today, topic="基层减负")
    filler = "各地坚持问题导向，精简文件会议，规范督查检查考核，基层干部普遍反映负担明显减轻。"
    body = body.replace("通知如下。\n", "通知如下。\n" + filler * 60 + "\n", 1)
    services.demand_file(
        by=clerk, kind=Kind.DOCUMENT, issuing_unit=units["431000D02"], title=long_title, body=body,
        data={"document_kind": DocumentKind.SPECIAL, "issued_in_name": IssuedInName.COMMITTEE_OFFICE,
              "checklist": checklist_no}, targets=[(rucheng, True)], occurs_on=today)

    # Trace-keeping: safety-production ledgers cite the allow-list and are approved; monthly work photos
    # without a higher rule are blocked at the gate and cannot be submitted.
    from jianfu.rules.models import TraceBasis

    safety = TraceBasis.objects.filter(active=True).order_by("pk").first()
    if safety is not None:
        t = services.demand_file(
            by=clerk, kind=Kind.TRACE, issuing_unit=units["431000D02"], title="关于建立安全生产隐患排查台账的通知",
            body="各乡镇每季度更新一次隐患排查整改台账，留存备查。",
            data={"trace_types": ["ledgers"], "frequency": "quarterly", "basis_id": safety.pk,
                  "basis_text": "《中华人民共和国安全生产法》第四十一条", "purpose": "落实隐患排查治理制度"},
            targets=[(rucheng, True)], occurs_on=today)
        t = services.demand_submit(by=clerk, demand=t, version=t.version)
        services.demand_review(by=officer, demand=t, version=t.version, decision=Review.Decision.APPROVE)
    services.demand_file(
        by=clerk, kind=Kind.TRACE, issuing_unit=units["431000D02"], title="关于每月报送工作照片的通知",
        body="各村每月报送工作照片和签到表。",
        data={"trace_types": ["photos", "sign_in_sheets"], "frequency": "monthly", "basis_id": None,
              "basis_text": "", "purpose": "掌握工作开展情况"}, targets=[(tuqiao, True)], occurs_on=today)

    # A meeting plan returned with reasons.
    r = services.demand_file(
        by=clerk, kind=Kind.MEETING, issuing_unit=units["431000D02"], title="全市信访维稳工作会议",
        body="1. 听取各县市区汇报", data=_meeting(minutes=110, speakers=5, per_speaker=15),
        targets=[(rucheng, False)], occurs_on=today + dt.timedelta(days=20))
    r = services.demand_submit(by=clerk, demand=r, version=r.version)
    services.demand_review(by=officer, demand=r, version=r.version, decision=Review.Decision.RETURN,
                           reason="请压缩汇报单位数量，改为书面汇报，并尽量采用视频形式。")

    # A cadre of 土桥镇 reports a demand that arrived without a control number; the task force takes it on,
    # asks the county to find who sent it and answers. A village cadre's report waits to be taken on.
    report = reports.unregistered_report_create(
        by=cadre_a, unit=tuqiao, number_entered="", lookup_result="none", issuer_text="某县直部门",
        description="要求各村每周报送工作照片和签到表，未见准入编号。")
    report = reports.unregistered_report_accept(by=officer, report=report, version=report.version)
    report = reports.unregistered_report_route(
        by=officer, report=report, version=report.version, unit=rucheng,
        note="请核实是哪个县直部门下发的通知，是否经过准入。")
    reports.unregistered_report_reply(
        by=officer, report=report, version=report.version,
        text="经核查，该要求系县直某部门自行下发，未经准入，已责令撤回。各村无须报送工作照片和签到表。")
    if "village_a" in people:
        reports.unregistered_report_create(
            by=people["village_a"], unit=units["TQ01"], number_entered="", lookup_result="none",
            issuer_text="镇直某站所", description="电话通知每周一上报村级工作台账，未见准入编号。")
