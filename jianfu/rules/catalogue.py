"""What each rule code means: its label, the kind of value, the seeded default and the source clause.

The values, severities, dates and scopes are data in the rulebook (RuleVersion rows); this module only
says how to read and explain them, and which defaults the source gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RuleDef:
    code: str
    label: Any
    value_kind: str  # "int", "float", "bool", "categories"
    default: Any
    severity: str
    clause: str
    unit: Any = ""


LISTS_CLAUSE = ("聚焦全市性重要会议、重要活动、党内法规和规范性文件、市级层面督查检查考核事项、"
                "应当向省委报告的重点事项等重点领域重点环节，进一步细化建立“5张清单”")

INSPECTIONS_CLAUSE = ("市级层面督查检查考核事项由去年的174项压减整合为19项，精简率达89%；"
                      "县级层面的年度督查检查考核事项均未超过19项")
REPORT_MATERIALS_CLAUSE = "明确各部门报表材料总数压缩50%以上"

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

RULES: dict[str, RuleDef] = {r.code: r for r in [
    RuleDef("document.max_chars.normative", _("Normative document: longest length"), "int", 5000, "block",
            "规范性文件、综合报告不超过5000字", _("characters")),
    RuleDef("document.max_chars.comprehensive", _("Comprehensive report: longest length"), "int", 5000, "block",
            "规范性文件、综合报告不超过5000字", _("characters")),
    RuleDef("document.max_chars.special", _("Special report: longest length"), "int", 2000, "block",
            "专项报告和文件不超过2000字", _("characters")),
    RuleDef("document.max_chars.other", _("Other document: longest length"), "int", 2000, "block",
            "专项报告和文件不超过2000字", _("characters")),
    RuleDef("document.no_issuance", _("Categories in which no document is issued"), "categories",
            NO_ISSUANCE_CATEGORIES, "block",
            "出台《关于精简文件的三条措施》，明确界定10类不予发文的情形"),
    RuleDef("document.near_duplicate", _("Overlap with a registered document that names it"), "float", 0.5, "warn",
            "明确界定10类不予发文的情形（已有文件作出规定的不再发文）", _("share of character 3-grams")),
    RuleDef("document.reissued_notice", _("A meeting notice or speech reissued as a document"), "bool", True,
            "warn", "明确界定10类不予发文的情形"),
    RuleDef("document.elements", _("Elements of an official document (GB/T 9704)"), "bool", True, "warn",
            "《党政机关公文处理工作条例》《党政机关公文格式》（GB/T 9704）"),
    RuleDef("meeting.replaceable", _("A meeting that phone, a document or a news release can replace"), "bool",
            True, "block", "凡能用电话、文件或以新闻媒体公布等方式解决问题的，一律不开会"),
    RuleDef("meeting.max_minutes", _("Routine work meeting: longest length"), "int", 120, "block",
            "常规性工作会议原则上不超过2小时", _("minutes")),
    RuleDef("meeting.max_speakers", _("Most speakers at a meeting"), "int", 5, "warn",
            "控制发言人员数量和发言时长", _("speakers")),
    RuleDef("meeting.max_speaking_minutes", _("Longest speech"), "int", 15, "warn",
            "控制发言人员数量和发言时长", _("minutes")),
    RuleDef("meeting.video_for_county_leaders", _("Meetings that county leaders attend are held by video"),
            "bool", True, "block", "涉及需县市区负责人参加的会议，尽可能安排视频会议"),
    RuleDef("meeting.related_window_days", _("Related meetings within this many days are combined"), "int", 7,
            "warn", "对主题和内容相关联的会议实行套开", _("days")),
    RuleDef("meeting.related_similarity", _("Similarity at which meetings count as related"), "float", 0.3,
            "warn", "对主题和内容相关联的会议实行套开", _("share of character 3-grams")),
    RuleDef("meeting.travel_minutes.in_person", _("Travel time per attendee, in person"), "int", 90, "warn",
            "减少文山会海，为基层减负", _("minutes")),
    RuleDef("meeting.travel_minutes.video", _("Travel time per attendee, by video"), "int", 10, "warn",
            "涉及需县市区负责人参加的会议，尽可能安排视频会议", _("minutes")),
    RuleDef("demand.validity_days", _("Validity of a control number"), "int", 365, "warn",
            "建立“5张清单”，统筹部署开展专项整治", _("days")),
    RuleDef("trace.requires_basis", _("Trace-keeping requirements must cite a higher rule on the allow-list"),
            "bool", True, "block", "除安全生产等上级有明确规定外，市直部门不得随意要求基层工作留痕"),
    RuleDef("lists.off_list", _("Filings of a listed kind must be on that year's approved list (5张清单)"),
            "bool", True, "warn", LISTS_CLAUSE),
    RuleDef("inspections.annual_cap", _("Most inspection, check and assessment items in a unit's annual plan"),
            "int", 19, "block", INSPECTIONS_CLAUSE, _("items")),
    RuleDef("inspections.one_off", _("An inspection outside the approved plan needs a one-off approval (一事一报)"),
            "bool", True, "block", INSPECTIONS_CLAUSE),
    RuleDef("inspections.plan_drift", _("An approved plan item may not be renamed, split or widened"),
            "bool", True, "warn", INSPECTIONS_CLAUSE),
    RuleDef("inspections.overlap_similarity", _("Similarity at which proposed inspection items count as overlapping"),
            "float", 0.4, "warn", INSPECTIONS_CLAUSE),
    RuleDef("report_forms.material_cut", _("Cut in each department's report forms and materials against its baseline"),
            "int", 50, "block", REPORT_MATERIALS_CLAUSE, _("percent")),
    RuleDef("report_forms.field_reuse", _("Similarity at which a field counts as already collected (一表通)"),
            "float", 0.6, "warn", REPORT_MATERIALS_CLAUSE),
]}

# The date from which the seeded defaults apply: the campaign's rules date from 2019.
DEFAULT_EFFECTIVE_FROM = "2019-01-01"


def rule_label(code: str) -> Any:
    rule = RULES.get(code)
    return rule.label if rule else code


def parse_value(code: str, raw: Any) -> Any:
    """Turn a submitted value into the rule's kind; raises ValueError with a reason."""
    kind = RULES[code].value_kind
    if kind == "int":
        value = int(str(raw).strip())
        if value < 0:
            raise ValueError("must not be negative")
        return value
    if kind == "float":
        value = float(str(raw).strip())
        if not 0 <= value <= 1:
            raise ValueError("must be between 0 and 1")
        return value
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in ("1", "true", "yes", "on", "是")
    if kind == "categories":
        if not isinstance(raw, list) or not raw:
            raise ValueError("must be a non-empty list")
        out = []
        for item in raw:
            if not isinstance(item, dict) or not item.get("code") or not item.get("zh"):
                raise ValueError("each category needs a code and a Chinese label")
            out.append({"code": str(item["code"]), "zh": str(item["zh"]), "en": str(item.get("en") or item["zh"])})
        return out
    raise ValueError(kind)


# What each rule says, as a sentence a cadre reads; %(value)s is the rule's value (a share reads as a percent).
SENTENCES: dict[str, Any] = {
    "document.max_chars.normative": _("A normative document has at most %(value)s characters."),
    "document.max_chars.comprehensive": _("A comprehensive report has at most %(value)s characters."),
    "document.max_chars.special": _("A special report has at most %(value)s characters."),
    "document.max_chars.other": _("Any other document has at most %(value)s characters."),
    "document.no_issuance": _("No document is issued in these %(value)s cases:"),
    "document.near_duplicate": _("A draft that shares %(value)s or more of its wording with a registered document "
                                 "is flagged, naming that document."),
    "document.reissued_notice": _("A meeting notice or a speech reissued as a document is flagged."),
    "document.elements": _("The elements of an official document are checked: the document number with 〔〕, the "
                           "title, the main recipient, the issuing body and the date."),
    "meeting.replaceable": _("A meeting that a phone call, a document or a news release can replace is not held."),
    "meeting.max_minutes": _("A routine work meeting lasts at most %(value)s minutes."),
    "meeting.max_speakers": _("A meeting has at most %(value)s speakers."),
    "meeting.max_speaking_minutes": _("Each speaker speaks for at most %(value)s minutes."),
    "meeting.video_for_county_leaders": _("A meeting that county leaders attend is held by video unless a reason "
                                          "is given."),
    "meeting.related_window_days": _("Related meetings within %(value)s days of each other are proposed for "
                                     "combining."),
    "meeting.related_similarity": _("Meetings whose titles and agendas share %(value)s or more of their wording "
                                    "count as related."),
    "meeting.travel_minutes.in_person": _("Each attendee of a meeting held in person is counted %(value)s minutes "
                                          "of travel."),
    "meeting.travel_minutes.video": _("Each attendee of a video meeting is counted %(value)s minutes of travel."),
    "demand.validity_days": _("A control number is valid for %(value)s days unless the task force sets another "
                              "end."),
    "trace.requires_basis": _("A trace-keeping requirement must cite a higher rule on the allow-list."),
    "lists.off_list": _("A city-wide meeting or a normative document not on the year's approved list is flagged."),
    "inspections.annual_cap": _("A unit's annual plan holds at most %(value)s inspection, check and assessment "
                                "items."),
    "inspections.one_off": _("An inspection outside the approved plan needs a one-off approval before it gets a "
                             "control number."),
    "inspections.plan_drift": _("Renaming, splitting or widening an approved plan item is flagged."),
    "inspections.overlap_similarity": _("Proposed items that share %(value)s or more of their wording, and units "
                                        "and season, count as overlapping."),
    "report_forms.material_cut": _("Each department cuts its report forms and materials by at least %(value)s "
                                   "against its baseline."),
    "report_forms.field_reuse": _("A field whose name and definition share %(value)s or more with a field already "
                                  "collected counts as already collected (一表通)."),
}
OFF = _("Off: this is not checked.")


def rule_sentence(code: str, value: Any) -> str:
    """The rule in one plain sentence, with its value; a switched-off check says so."""
    rule = RULES.get(code)
    template = SENTENCES.get(code)
    if rule is None or template is None:
        return str(rule_label(code))
    if rule.value_kind == "bool":
        return str(template) if value else str(OFF)
    if rule.value_kind == "float":
        shown = f"{float(value) * 100:.0f}%"
    elif rule.value_kind == "categories":
        shown = f"{len(value)}"
    elif code == "report_forms.material_cut":
        shown = f"{value}%"
    else:
        shown = f"{int(value):,}" if isinstance(value, int) else str(value)
    return str(template) % {"value": shown}


SEED_NOTE = "seeded from the source"  # stored on the seeded versions; shown in the reader's language


def note_shown(note: str) -> Any:
    """A version's reason for the change, the seeding note in the reader's language."""
    return _("The default the campaign's source sets") if note == SEED_NOTE else note
