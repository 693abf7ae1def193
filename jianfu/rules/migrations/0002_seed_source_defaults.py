"""Seed the rulebook with the defaults the source gives (version 1 of each city-wide rule), audited."""

import datetime as dt

from django.db import migrations

from jianfu.audit.migration_chain import chain_append

# The defaults as the source gave them when this migration was written, frozen here: later changes to
# the catalogue are new rule versions (or a new data migration), never an edit of what this one seeds.
START = dt.date(2019, 1, 1)
NOTE = "seeded from the source"

NO_ISSUANCE_CATEGORIES = [
    {"code": "restates_higher", "zh": "以文件落实文件，照抄照搬上级文件、无本地实质内容",
     "en": "Implements a document with a document: restates a higher document without local substance"},
    {"code": "deploy_directly", "zh": "可直接进行工作部署的事项",
     "en": "The matter can be deployed directly"},
    {"code": "not_needed_now", "zh": "现阶段发文必要性不强的事项",
     "en": "A document is not needed at this stage"},
    {"code": "covered_by_existing", "zh": "已有文件作出规定且仍然适用的事项",
     "en": "An existing document already covers the matter"},
    {"code": "phone_suffices", "zh": "通过电话、短信（信息）能够解决的通知类事项",
     "en": "A notice that a phone call or message suffices for"},
    {"code": "meeting_notice_or_speech", "zh": "会议通知、领导讲话以文件形式印发的",
     "en": "A meeting notice or a speech reissued as a document"},
    {"code": "department_can_issue", "zh": "部门职责范围内可自行发文、不需以市委市政府名义发文的",
     "en": "The department can issue it within its own duties, not in the name of the city"},
    {"code": "can_merge", "zh": "内容相近、可以合并发文的",
     "en": "Similar in content to another document and can be merged with it"},
    {"code": "forward_without_opinion", "zh": "转发上级文件不提出具体贯彻意见的",
     "en": "Forwards a higher document without concrete implementing measures"},
    {"code": "briefing_suffices", "zh": "一般性工作情况可通过简报、信息反映的",
     "en": "Routine work news that a briefing or information note can carry"},
]
LISTS_CLAUSE = ("聚焦全市性重要会议、重要活动、党内法规和规范性文件、市级层面督查检查考核事项、"
                "应当向省委报告的重点事项等重点领域重点环节，进一步细化建立“5张清单”")
INSPECTIONS_CLAUSE = ("市级层面督查检查考核事项由去年的174项压减整合为19项，精简率达89%；"
                      "县级层面的年度督查检查考核事项均未超过19项")
REPORT_MATERIALS_CLAUSE = "明确各部门报表材料总数压缩50%以上"

# (code, value, severity, clause), in the order they are seeded.
RULES = [
    ("document.max_chars.normative", 5000, "block", "规范性文件、综合报告不超过5000字"),
    ("document.max_chars.comprehensive", 5000, "block", "规范性文件、综合报告不超过5000字"),
    ("document.max_chars.special", 2000, "block", "专项报告和文件不超过2000字"),
    ("document.max_chars.other", 2000, "block", "专项报告和文件不超过2000字"),
    ("document.no_issuance", NO_ISSUANCE_CATEGORIES, "block",
     "出台《关于精简文件的三条措施》，明确界定10类不予发文的情形"),
    ("document.near_duplicate", 0.5, "warn", "明确界定10类不予发文的情形（已有文件作出规定的不再发文）"),
    ("document.reissued_notice", True, "warn", "明确界定10类不予发文的情形"),
    ("document.elements", True, "warn", "《党政机关公文处理工作条例》《党政机关公文格式》（GB/T 9704）"),
    ("meeting.replaceable", True, "block", "凡能用电话、文件或以新闻媒体公布等方式解决问题的，一律不开会"),
    ("meeting.max_minutes", 120, "block", "常规性工作会议原则上不超过2小时"),
    ("meeting.max_speakers", 5, "warn", "控制发言人员数量和发言时长"),
    ("meeting.max_speaking_minutes", 15, "warn", "控制发言人员数量和发言时长"),
    ("meeting.video_for_county_leaders", True, "block", "涉及需县市区负责人参加的会议，尽可能安排视频会议"),
    ("meeting.related_window_days", 7, "warn", "对主题和内容相关联的会议实行套开"),
    ("meeting.related_similarity", 0.3, "warn", "对主题和内容相关联的会议实行套开"),
    ("meeting.travel_minutes.in_person", 90, "warn", "减少文山会海，为基层减负"),
    ("meeting.travel_minutes.video", 10, "warn", "涉及需县市区负责人参加的会议，尽可能安排视频会议"),
    ("demand.validity_days", 365, "warn", "建立“5张清单”，统筹部署开展专项整治"),
    ("trace.requires_basis", True, "block", "除安全生产等上级有明确规定外，市直部门不得随意要求基层工作留痕"),
    ("lists.off_list", True, "warn", LISTS_CLAUSE),
    ("inspections.annual_cap", 19, "block", INSPECTIONS_CLAUSE),
    ("inspections.one_off", True, "block", INSPECTIONS_CLAUSE),
    ("inspections.plan_drift", True, "warn", INSPECTIONS_CLAUSE),
    ("inspections.overlap_similarity", 0.4, "warn", INSPECTIONS_CLAUSE),
    ("report_forms.material_cut", 50, "block", REPORT_MATERIALS_CLAUSE),
    ("report_forms.field_reuse", 0.6, "warn", REPORT_MATERIALS_CLAUSE),
]


def seed(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    records = []
    for code, value, severity, clause in RULES:
        if RuleVersion.objects.filter(code=code, scope_unit__isnull=True).exists():
            continue
        v = RuleVersion.objects.create(code=code, version=1, value=value, severity=severity, source_clause=clause,
                                       effective_from=START, note=NOTE)
        records.append({"action": "rule.seed", "object_type": "rules.ruleversion", "object_id": v.pk,
                        "object_repr": f"{code} v1",
                        "after": {"code": code, "version": 1, "value": value, "severity": severity,
                                  "clause": clause, "from": START, "to": None, "scope": None}})
    chain_append(apps, records=records)


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
