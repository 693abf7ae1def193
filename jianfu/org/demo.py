"""The demo city: Chenzhou, its counties, some townships and villages, departments, the task force, the cast."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from . import services as org
from .models import Person, Role, TaskForceGroup, Unit, UnitType

DEMO_PASSWORD = "Jianfu-demo-2019"  # noqa: S105 - printed in the README; the demo refuses production

CITY = ("431000", "郴州市")
COUNTIES = [
    ("431002", "北湖区", [("华塘镇", ["华塘村", "吴山村"]), ("鲁塘镇", ["鲁塘村", "陂副村"])]),
    ("431003", "苏仙区", [("良田镇", ["良田村", "堆上村"]), ("栖凤渡镇", ["栖凤渡村", "瓦灶村"])]),
    ("431081", "资兴市", [("东江街道", ["东江社区", "滁口社区"]), ("三都镇", ["三都村", "流华湾村"])]),
    ("431021", "桂阳县", [("龙潭街道", ["龙潭社区", "新城社区"]), ("仁义镇", ["仁义村", "长乐村"])]),
    ("431022", "宜章县", [("玉溪镇", ["玉溪村", "东风村"]), ("梅田镇", ["梅田村", "白沙圩村"])]),
    ("431023", "永兴县", [("便江街道", ["便江社区", "城南社区"]), ("马田镇", ["马田村", "邓家村"])]),
    ("431024", "嘉禾县", [("珠泉镇", ["珠泉社区", "城关村"]), ("塘村镇", ["塘村村", "莲荷村"])]),
    ("431025", "临武县", [("舜峰镇", ["舜峰社区", "城北村"]), ("汾市镇", ["汾市村", "南福村"])]),
    ("431026", "汝城县", [("土桥镇", ["土桥村", "永丰村", "金山村"]), ("热水镇", ["热水村", "汤河村"]),
                         ("卢阳镇", ["津江村", "东溪村"])]),
    ("431027", "桂东县", [("沤江镇", ["沤江社区", "黄洞村"]), ("寨前镇", ["寨前村", "青竹村"])]),
    ("431028", "安仁县", [("永乐江镇", ["永乐江社区", "渡口村"]), ("安平镇", ["安平村", "司背湾村"])]),
]
DEPARTMENTS = [
    ("D01", "市纪委市监委"), ("D02", "市委办"), ("D03", "市政府办"), ("D04", "市委组织部"),
    ("D05", "市委宣传部"), ("D06", "市委政法委"), ("D07", "市作风办"), ("D08", "市发展和改革委员会"),
    ("D09", "市教育局"), ("D10", "市公安局"), ("D11", "市财政局"), ("D12", "市人力资源和社会保障局"),
    ("D13", "市自然资源和规划局"), ("D14", "市生态环境局"), ("D15", "市住房和城乡建设局"),
    ("D16", "市农业农村局"), ("D17", "市卫生健康委员会"), ("D18", "市应急管理局"),
    ("D19", "市市场监督管理局"), ("D20", "市行政审批服务局"),
]
TASK_FORCE_NAME = "郴州市集中整治形式主义官僚主义工作推进专班"
GROUPS = [
    (TaskForceGroup.Kind.COORDINATION, "综合协调组", "统筹调度、协同联络、信息专报，一周一调度、一月一总结。"),
    (TaskForceGroup.Kind.SUPERVISION, "监督督查组", "暗访督查、通报曝光、问题线索移交。"),
    (TaskForceGroup.Kind.PUBLICITY, "新闻宣传组", "宣传报道、典型经验推广、舆情引导。"),
]

# username, name, phone, post, unit code, role
CAST = [
    ("admin", "系统管理员", "13807350000", "系统管理员", "431000", Role.SYSTEM_ADMIN),
    ("tf_officer", "周专班", "13807350001", "综合协调组干部", "431000TF", Role.TASK_FORCE_OFFICER),
    ("oversight", "纪督查", "13807350002", "市纪委市监委干部", "431000D01", Role.OVERSIGHT_OFFICER),
    ("clerk", "陈经办", "13807350003", "市委办经办人", "431000D02", Role.DEPARTMENT_CLERK),
    ("cadre_a", "李镇", "13807350004", "土桥镇党委办主任", "TQ", Role.GRASSROOTS_CADRE),
    ("village_a", "王村", "13807350005", "土桥村党支部书记", "TQ01", Role.GRASSROOTS_CADRE),
    ("cadre_b", "赵镇", "13807350006", "热水镇党委办主任", "RS", Role.GRASSROOTS_CADRE),
    ("leader", "郴领导", "13807350007", "市领导", "431000", Role.LEADER),
]


def demo_is_loaded() -> bool:
    return Unit.objects.filter(code=CITY[0]).exists()


def database_is_empty() -> bool:
    return not Unit.objects.exists() and not Person.objects.exists()


@transaction.atomic
def org_demo_load(context: dict) -> None:
    """Create the demo city's units, task force and personas through the same audited services the product
    uses; the other apps' loaders find them in the context (`people`, and `units` by demo alias)."""
    city = org.unit_create(by=None, code=CITY[0], name=CITY[1], type=UnitType.CITY)
    aliases: dict[str, Unit] = {city.code: city}
    for county_code, county_name, townships in COUNTIES:
        county = org.unit_create(by=None, code=county_code, name=county_name, type=UnitType.COUNTY, parent=city)
        for t_index, (township_name, villages) in enumerate(townships, start=1):
            t_code = f"{county_code}{100 + t_index:03d}"
            township = org.unit_create(by=None, code=t_code, name=township_name, type=UnitType.TOWNSHIP,
                                       parent=county)
            for v_index, village_name in enumerate(villages, start=1):
                village = org.unit_create(by=None, code=f"{t_code}{200 + v_index:03d}", name=village_name,
                                          type=UnitType.VILLAGE, parent=township)
                if township_name == "土桥镇" and v_index == 1:
                    aliases["TQ01"] = village
            if township_name == "土桥镇":
                aliases["TQ"] = township
            if township_name == "热水镇":
                aliases["RS"] = township
    for suffix, name in DEPARTMENTS:
        dept = org.unit_create(by=None, code=f"{CITY[0]}{suffix}", name=name, type=UnitType.DEPARTMENT,
                               parent=city)
        aliases[dept.code] = dept
    task_force = org.unit_create(by=None, code=f"{CITY[0]}TF", name=TASK_FORCE_NAME, type=UnitType.TASK_FORCE,
                                 parent=city)
    aliases[task_force.code] = task_force
    groups = {kind: org.task_force_group_create(by=None, task_force=task_force, kind=kind, name=name, duties=d)
              for kind, name, d in GROUPS}

    people: dict[str, Person] = {}
    for username, name, phone, post, unit_code, role in CAST:
        person = org.person_create(by=None, username=username, name=name, phone=phone, title=post,
                                   password=DEMO_PASSWORD)
        unit = aliases[unit_code]
        org.membership_grant(by=None, person=person, unit=unit, role=role)
        people[username] = person
        if role in (Role.GRASSROOTS_CADRE, Role.DEPARTMENT_CLERK):
            org.liaison_set(by=None, unit=unit, person=person)

    start = dt.date(2019, 5, 1)
    org.secondment_create(by=None, person=people["tf_officer"], group=groups[TaskForceGroup.Kind.COORDINATION],
                          from_unit=aliases["431000D02"], start=start, end=dt.date(2019, 7, 31), is_lead=True)
    # Seconded members from the other bodies the source names, without logins of their own.
    for index, (group_kind, dept_code, name) in enumerate([
        (TaskForceGroup.Kind.COORDINATION, "431000D03", "何政办"),
        (TaskForceGroup.Kind.COORDINATION, "431000D04", "刘组工"),
        (TaskForceGroup.Kind.PUBLICITY, "431000D05", "宋宣传"),
        (TaskForceGroup.Kind.SUPERVISION, "431000D07", "吴作风"),
        (TaskForceGroup.Kind.SUPERVISION, "431000D01", "纪专班"),
    ]):
        person = org.person_create(by=None, username=f"seconded{index + 1}", name=name,
                                   phone=f"1380735001{index}", title=str(groups[group_kind].name))
        org.membership_grant(by=None, person=person, unit=aliases[dept_code], role=Role.DEPARTMENT_CLERK)
        org.secondment_create(by=None, person=person, group=groups[group_kind], from_unit=aliases[dept_code],
                              start=start, end=dt.date(2019, 7, 31),
                              is_lead=group_kind == TaskForceGroup.Kind.PUBLICITY or name == "吴作风")
        people[person.username] = person

    context["people"], context["units"] = people, aliases
