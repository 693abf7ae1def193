"""Helpers that file, submit and approve drafts through the services, for the registry's tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianfu.demands import services
from jianfu.demands.demo import document_text
from jianfu.demands.models import Demand, DocumentKind, IssuedInName, Kind, MeetingMode, Review
from jianfu.rules.catalogue import NO_ISSUANCE_CATEGORIES
from jianfu.textkit.counting import char_count

CHECKLIST_NO = {c["code"]: False for c in NO_ISSUANCE_CATEGORIES}
FILLER = "各地坚持问题导向精简文件会议规范督查检查考核基层干部普遍反映负担明显减轻"


def valid_text(*, title: str = "关于进一步做好基层减负工作的通知", seq: int = 5, date: dt.date | None = None,
               topic: str = "基层减负", issuer: str = "中共郴州市委办公室", prefix: str = "郴办发") -> str:
    """A short document in the official layout that meets every rule."""
    date = date or timezone.localdate()
    return document_text(issuer=issuer, prefix=prefix, year=date.year, seq=seq, title=title, date=date, topic=topic)


def padded(text: str, count: int) -> str:
    """The text with a paragraph of CJK filler added so that its 字数 is exactly `count`."""
    missing = count - char_count(text) - 1  # the paragraph ends with 。
    assert missing > 0
    paragraph = (FILLER * (missing // len(FILLER) + 1))[:missing] + "。"
    result = text.replace("通知如下。\n", "通知如下。\n" + paragraph + "\n", 1)
    assert char_count(result) == count
    return result


def document_data(*, kind: str = DocumentKind.OTHER, name: str = IssuedInName.COMMITTEE_OFFICE,
                  checklist: dict | None = None) -> dict:
    return {"document_kind": kind, "issued_in_name": name,
            "checklist": dict(CHECKLIST_NO) if checklist is None else checklist}


def file_document(cast, *, by=None, unit=None, title: str = "关于进一步做好基层减负工作的通知", body: str | None = None,
                  kind: str = DocumentKind.OTHER, name: str = IssuedInName.COMMITTEE_OFFICE,
                  checklist: dict | None = None, targets=None, occurs_on: dt.date | None = None) -> Demand:
    occurs_on = occurs_on or timezone.localdate()
    return services.demand_file(
        by=by or cast.clerk, kind=Kind.DOCUMENT, issuing_unit=unit or cast.department, title=title,
        body=valid_text(title=title, date=occurs_on) if body is None else body,
        data=document_data(kind=kind, name=name, checklist=checklist),
        targets=[(cast.county, True)] if targets is None else targets, occurs_on=occurs_on)


def meeting_data(**overrides) -> dict:
    data = {"city_wide": True, "routine": True, "planned_minutes": 90, "mode": MeetingMode.VIDEO, "attendees": 60,
            "attendee_roles": "各县市区分管负责人", "county_leaders_attend": False, "video_exemption_reason": "",
            "speakers": 3, "minutes_per_speaker": 10, "replaceable": "no", "starts_at": "09:00"}
    return data | overrides


def file_meeting(cast, *, by=None, unit=None, title: str = "全市基层减负工作推进会",
                 agenda: str = "1. 通报基层减负工作进展\n2. 部署村级组织减负", targets=None,
                 occurs_on: dt.date | None = None, **data) -> Demand:
    return services.demand_file(
        by=by or cast.clerk, kind=Kind.MEETING, issuing_unit=unit or cast.department, title=title, body=agenda,
        data=meeting_data(**data), targets=[(cast.county, False)] if targets is None else targets,
        occurs_on=occurs_on or timezone.localdate() + dt.timedelta(days=10))


def submit(cast, demand: Demand, *, by=None) -> Demand:
    return services.demand_submit(by=by or demand.filed_by, demand=demand, version=demand.version)


def approve(cast, demand: Demand, *, by=None, valid_until: dt.date | None = None) -> Demand:
    """Submit the draft and approve it as the task-force officer."""
    demand = submit(cast, demand)
    return services.demand_review(by=by or cast.officer, demand=demand, version=demand.version,
                                  decision=Review.Decision.APPROVE, valid_until=valid_until)


def findings(demand: Demand) -> list:
    demand.refresh_from_db()
    return list(demand.current_revision.findings.order_by("pk"))


def codes(demand: Demand) -> list[str]:
    return [f.rule_code for f in findings(demand)]


def trace_data(**overrides) -> dict:
    data = {"trace_types": ["photos", "ledgers"], "frequency": "monthly", "basis_id": None,
            "basis_text": "", "purpose": "核查安全隐患排查整改情况"}
    return data | overrides


def file_trace(cast, *, by=None, unit=None, title: str = "关于报送安全隐患排查台账的通知",
               details: str = "每月5日前报送隐患排查台账和现场照片。", targets=None,
               occurs_on: dt.date | None = None, **data) -> Demand:
    return services.demand_file(
        by=by or cast.clerk, kind=Kind.TRACE, issuing_unit=unit or cast.department, title=title, body=details,
        data=trace_data(**data), targets=[(cast.township_a, True)] if targets is None else targets,
        occurs_on=occurs_on or timezone.localdate())
