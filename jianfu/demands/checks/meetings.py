"""Checks on a meeting plan: replaceable, length, speakers, video for county leaders, related meetings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

from jianfu.rules.engine import Finding, RuleSet

REPLACEMENTS = {
    "phone": {"zh": "电话", "en": "a phone call"},
    "document": {"zh": "文件", "en": "a document"},
    "news": {"zh": "新闻媒体公布", "en": "a news release"},
}


@dataclass(frozen=True)
class RelatedMeeting:
    demand_id: int
    title: str
    date: str
    similarity: float
    shared_units: int


def meeting_burden_minutes(*, attendees: int, minutes: int, mode: str, rules: RuleSet) -> int:
    """Attendees × (meeting minutes + travel minutes for the mode)."""
    travel_in_person = int(rules.value("meeting.travel_minutes.in_person", 90))
    travel_video = int(rules.value("meeting.travel_minutes.video", 10))
    travel = {"in_person": travel_in_person, "video": travel_video,
              "both": (travel_in_person + travel_video) // 2}.get(mode, travel_in_person)
    return max(0, attendees) * (max(0, minutes) + travel)


def check_meeting(*, data: dict[str, Any], rules: RuleSet,
                  related: Sequence[RelatedMeeting] = ()) -> list[Finding]:
    findings: list[Finding] = []
    replaceable = rules.get("meeting.replaceable")
    if replaceable is not None and replaceable.value:
        answer = data.get("replaceable")
        if answer in (None, ""):
            findings.append(Finding.of(
                replaceable,
                gettext_noop("Say whether a phone call, a document or a news release can do this instead."), {},
                fix=gettext_noop("Answer the question; if one of them can, the meeting is not held.")))
        elif answer and answer != "no":
            findings.append(Finding.of(
                replaceable, gettext_noop("%(means)s can do this, so the meeting is not held."),
                {"means": REPLACEMENTS.get(answer, {"zh": str(answer), "en": str(answer)})},
                fix=gettext_noop("Use it instead of a meeting.")))

    minutes = int(data.get("planned_minutes") or 0)
    longest = rules.get("meeting.max_minutes")
    if longest is not None and data.get("routine", True) and minutes > int(longest.value):
        findings.append(Finding.of(
            longest,
            gettext_noop("A routine work meeting lasts at most %(limit)s minutes; "
                         "this one is planned for %(minutes)s."),
            {"limit": int(longest.value), "minutes": minutes},
            fix=gettext_noop("Shorten the agenda to %(limit)s minutes or less."),
            fix_params={"limit": int(longest.value)}))

    speakers = int(data.get("speakers") or 0)
    cap = rules.get("meeting.max_speakers")
    if cap is not None and speakers > int(cap.value):
        findings.append(Finding.of(
            cap, gettext_noop("At most %(limit)s speakers; this plan has %(n)s."),
            {"limit": int(cap.value), "n": speakers},
            fix=gettext_noop("Let fewer people speak, or take written contributions.")))
    per_speaker = int(data.get("minutes_per_speaker") or 0)
    speech_cap = rules.get("meeting.max_speaking_minutes")
    if speech_cap is not None and per_speaker > int(speech_cap.value):
        findings.append(Finding.of(
            speech_cap, gettext_noop("Speeches last at most %(limit)s minutes; this plan allows %(n)s."),
            {"limit": int(speech_cap.value), "n": per_speaker}, fix=gettext_noop("Shorten each speech.")))
    if speakers and per_speaker and minutes and speakers * per_speaker > minutes:
        ref = speech_cap or cap
        if ref is not None:
            findings.append(Finding.of(
                ref, gettext_noop("%(n)s speakers × %(per)s minutes do not fit in %(minutes)s minutes."),
                {"n": speakers, "per": per_speaker, "minutes": minutes}, severity="warn",
                fix=gettext_noop("Cut speakers or speaking time.")))

    video = rules.get("meeting.video_for_county_leaders")
    if (video is not None and video.value and data.get("county_leaders_attend")
            and data.get("mode") == "in_person" and not (data.get("video_exemption_reason") or "").strip()):
        findings.append(Finding.of(
            video, gettext_noop("County leaders attend, so the meeting is held by video unless a reason is given."), {},
            fix=gettext_noop("Choose video, or give the reason it must be in person.")))

    combine = rules.get("meeting.related_window_days")
    for match in related:
        if combine is None:
            break
        findings.append(Finding.of(
            combine, gettext_noop("Related meeting “%(title)s” on %(date)s (%(percent)s%% similar, %(shared)s "
                                  "attending units in common): combine them (套开)."),
            {"title": match.title, "date": match.date, "percent": round(match.similarity * 100),
             "shared": match.shared_units},
            fix=gettext_noop("Hold the two as one meeting, or explain why they cannot be combined."),
            demand_id=match.demand_id))
    return findings
