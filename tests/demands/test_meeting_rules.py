"""The gate's rules for meeting plans, the burden they place, related meetings and merging them (套开)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jianfu.audit.models import AuditRecord
from jianfu.core.errors import ApplicationError
from jianfu.demands import services
from jianfu.demands.checks import meeting_burden_minutes
from jianfu.demands.models import Demand, MeetingMode, Review, Status
from jianfu.rules.selectors import default_ruleset

from .filings import findings, submit

pytestmark = pytest.mark.django_db


def by_rule(demand) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in findings(demand):
        out.setdefault(f.rule_code, []).append(f)
    return out


def test_a_plan_that_meets_every_rule_has_no_findings(file_meeting):
    demand = file_meeting()
    assert findings(demand) == []
    assert demand.current_revision.blocking == 0


# --- can a phone call, a document or a news release do this instead? ---

def test_an_unanswered_replacement_question_blocks(file_meeting):
    [finding] = by_rule(file_meeting(replaceable=""))["meeting.replaceable"]
    assert finding.severity == "block"
    with translation.override("en"):
        assert finding.text() == "Say whether a phone call, a document or a news release can do this instead."


@pytest.mark.parametrize(("answer", "zh", "en"), [("phone", "电话", "a phone call"),
                                                  ("document", "文件", "a document"),
                                                  ("news", "新闻媒体公布", "a news release")])
def test_yes_to_the_replacement_question_means_the_meeting_is_not_held(file_meeting, answer, zh, en):
    demand = file_meeting(replaceable=answer)
    [finding] = by_rule(demand)["meeting.replaceable"]
    assert finding.severity == "block"
    assert zh in finding.text()
    with translation.override("en"):
        assert finding.text() == f"{en} can do this, so the meeting is not held."
    with pytest.raises(ApplicationError):
        submit(None, demand)


# --- length, speakers and speeches ---

def test_a_routine_meeting_of_120_minutes_passes(file_meeting):
    assert findings(file_meeting(planned_minutes=120)) == []


def test_a_routine_meeting_over_120_minutes_is_blocked(file_meeting):
    [finding] = by_rule(file_meeting(planned_minutes=150))["meeting.max_minutes"]
    assert finding.severity == "block"
    assert finding.params == {"limit": 120, "minutes": 150}
    with translation.override("en"):
        assert finding.text() == "A routine work meeting lasts at most 120 minutes; this one is planned for 150."


def test_a_meeting_that_is_not_routine_may_run_longer(file_meeting):
    assert findings(file_meeting(planned_minutes=180, routine=False)) == []


def test_more_than_five_speakers_warns(file_meeting):
    [finding] = by_rule(file_meeting(speakers=6))["meeting.max_speakers"]
    assert finding.severity == "warn"
    assert finding.params == {"limit": 5, "n": 6}


def test_speeches_over_15_minutes_warn(file_meeting):
    [finding] = by_rule(file_meeting(minutes_per_speaker=20))["meeting.max_speaking_minutes"]
    assert finding.severity == "warn"
    assert finding.params == {"limit": 15, "n": 20}


def test_speeches_that_do_not_fit_in_the_meeting_warn(file_meeting):
    found = by_rule(file_meeting(planned_minutes=40, speakers=5, minutes_per_speaker=10))
    [finding] = found["meeting.max_speaking_minutes"]
    assert finding.severity == "warn"
    assert finding.params == {"n": 5, "per": 10, "minutes": 40}


# --- video when county leaders attend ---

def test_county_leaders_in_person_without_a_reason_is_blocked(file_meeting):
    demand = file_meeting(county_leaders_attend=True, mode=MeetingMode.IN_PERSON)
    [finding] = by_rule(demand)["meeting.video_for_county_leaders"]
    assert finding.severity == "block"
    assert demand.current_revision.blocking == 1


def test_county_leaders_in_person_with_a_reason_passes(file_meeting):
    demand = file_meeting(county_leaders_attend=True, mode=MeetingMode.IN_PERSON,
                          video_exemption_reason="现场观摩，须实地查看项目")
    assert findings(demand) == []


@pytest.mark.parametrize("mode", [MeetingMode.VIDEO, MeetingMode.BOTH])
def test_county_leaders_by_video_passes(file_meeting, mode):
    assert findings(file_meeting(county_leaders_attend=True, mode=mode)) == []


# --- the burden: attendees × (minutes + travel minutes by mode) ---

@pytest.mark.parametrize(("mode", "travel"), [(MeetingMode.IN_PERSON, 90), (MeetingMode.VIDEO, 10),
                                              (MeetingMode.BOTH, 50)])
def test_the_burden_is_attendees_times_length_plus_travel(file_meeting, mode, travel):
    assert meeting_burden_minutes(attendees=60, minutes=90, mode=mode, rules=default_ruleset()) == 60 * (90 + travel)
    demand = file_meeting(attendees=60, planned_minutes=90, mode=mode)
    assert demand.burden_minutes == 60 * (90 + travel)


def test_the_burden_follows_the_rulebooks_travel_time(cast, file_meeting):
    from jianfu.rules.services import rule_change

    rule_change(by=cast.officer, code="meeting.travel_minutes.in_person", value=120, severity="warn",
                source_clause="减少文山会海，为基层减负", effective_from=timezone.localdate(), note="山区路远")
    assert file_meeting(attendees=10, planned_minutes=60, mode=MeetingMode.IN_PERSON).burden_minutes == 10 * 180


def test_the_burden_is_shown_on_the_filing_page(cast, file_meeting):
    demand = file_meeting(attendees=60, planned_minutes=90, mode=MeetingMode.VIDEO)
    page = cast.client(cast.clerk).get(demand.get_absolute_url()).content.decode()
    assert "6000" in page


# --- related meetings: proposed for combining, and merged by the task force ---

@pytest.fixture
def related_pair(cast, file_meeting):
    day = timezone.localdate() + dt.timedelta(days=10)
    first = file_meeting(title="全市基层减负工作推进会", agenda="1. 通报基层减负工作进展\n2. 部署村级组织减负",
                         targets=[(cast.county, False), (cast.township_a, False)], occurs_on=day)
    second = file_meeting(title="全市基层减负工作调度会", agenda="1. 调度基层减负工作进展\n2. 研究村级组织减负",
                          targets=[(cast.county, False), (cast.township_b, False)],
                          occurs_on=day + dt.timedelta(days=2))
    return first, second


def test_a_related_meeting_in_the_same_window_is_proposed_for_combining_by_name(related_pair):
    first, second = related_pair
    [finding] = by_rule(second)["meeting.related_window_days"]
    assert finding.severity == "warn"
    assert finding.detail == {"demand_id": first.pk}
    assert finding.params["title"] == "全市基层减负工作推进会"
    assert finding.params["shared"] == 1
    assert "全市基层减负工作推进会" in finding.text()


def test_a_similar_meeting_outside_the_window_is_not_proposed(cast, file_meeting):
    day = timezone.localdate() + dt.timedelta(days=10)
    file_meeting(title="全市基层减负工作推进会", occurs_on=day)
    later = file_meeting(title="全市基层减负工作调度会", occurs_on=day + dt.timedelta(days=20))
    assert findings(later) == []


def test_an_unrelated_meeting_in_the_window_is_not_proposed(cast, file_meeting):
    day = timezone.localdate() + dt.timedelta(days=10)
    file_meeting(title="全市基层减负工作推进会", targets=[(cast.township_a, False)], occurs_on=day)
    other = file_meeting(title="全市森林防火专题会议", agenda="1. 研判火险形势", targets=[(cast.township_b, False)],
                         occurs_on=day + dt.timedelta(days=1))
    assert findings(other) == []


def test_merging_withdraws_the_absorbed_meeting_and_joins_the_targets(cast, related_pair):
    keep, absorb = related_pair
    absorb = submit(cast, absorb)
    result = services.meetings_merge(by=cast.officer, keep=keep, absorb=absorb, absorb_version=absorb.version,
                                     reason="主题相近，合并召开")
    assert result.pk == keep.pk
    absorb.refresh_from_db()
    assert absorb.status == Status.WITHDRAWN
    assert absorb.merged_into_id == keep.pk
    assert set(keep.targets.values_list("unit_id", flat=True)) == {
        cast.county.pk, cast.township_a.pk, cast.township_b.pk}
    review = absorb.reviews.get()
    assert (review.decision, review.reviewer) == (Review.Decision.MERGE, cast.officer)
    assert review.reason == "主题相近，合并召开"
    assert AuditRecord.objects.filter(action="demand.merge", object_id=str(absorb.pk)).exists()


def test_the_task_force_merges_from_the_filing_page(cast, related_pair):
    keep, absorb = related_pair
    client = cast.client(cast.officer)
    page = client.get(absorb.get_absolute_url())
    assert page.context["can_merge"] and page.context["related"]
    response = client.post(reverse("demands:merge", args=[absorb.pk]),
                           {"keep": keep.pk, "version": absorb.version, "reason": ""})
    assert response.status_code == 302
    absorb.refresh_from_db()
    assert absorb.status == Status.WITHDRAWN and absorb.merged_into_id == keep.pk
    assert cast.client(cast.officer).get(absorb.get_absolute_url()).content.decode().count(keep.title) >= 1


def test_a_merge_with_a_stale_version_changes_nothing(cast, related_pair):
    keep, absorb = related_pair
    with pytest.raises(ApplicationError):
        services.meetings_merge(by=cast.officer, keep=keep, absorb=absorb, absorb_version=absorb.version + 1,
                                reason="")
    absorb.refresh_from_db()
    assert absorb.status == Status.DRAFT and absorb.merged_into_id is None
    assert keep.targets.count() == 2


def test_a_clerk_cannot_merge_meetings(cast, related_pair):
    keep, absorb = related_pair
    response = cast.client(cast.clerk).post(reverse("demands:merge", args=[absorb.pk]),
                                            {"keep": keep.pk, "version": absorb.version})
    assert response.status_code == 404
    with pytest.raises(ApplicationError):
        services.meetings_merge(by=cast.clerk, keep=keep, absorb=absorb, absorb_version=absorb.version, reason="")
    absorb.refresh_from_db()
    assert absorb.status == Status.DRAFT


def test_a_meeting_cannot_be_merged_into_itself(cast, related_pair):
    keep, _absorb = related_pair
    with pytest.raises(ApplicationError):
        services.meetings_merge(by=cast.officer, keep=keep, absorb=keep, absorb_version=keep.version, reason="")


def test_a_clerk_files_a_meeting_plan_on_the_page_and_sees_what_blocks_it(cast):
    client = cast.client(cast.clerk)
    response = client.post(reverse("demands:new", args=["meeting"]), {
        "title": "全市基层减负工作推进会", "issuing_unit": cast.department.pk,
        "occurs_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(), "targets": [cast.county.pk],
        "city_wide": "on", "routine": "on", "starts_at": "09:00", "planned_minutes": 150, "mode": "in_person",
        "attendees": 40, "county_leaders_attend": "on", "speakers": 3, "minutes_per_speaker": 10,
        "replaceable": "no", "agenda": "1. 通报进展"})
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.burden_minutes == 40 * (150 + 90)
    assert sorted(by_rule(demand)) == ["meeting.max_minutes", "meeting.video_for_county_leaders"]
    page = client.get(response["Location"])
    assert page.context["can_submit"] is False
    assert "meeting.max_minutes" in page.content.decode()


def test_a_meeting_is_not_merged_into_one_withdrawn_since_the_page_was_opened(cast):
    from jianfu.core.errors import ApplicationError
    from jianfu.demands import services as registry

    from .filings import file_meeting

    keep = file_meeting(cast, title="全市基层减负工作推进会")
    absorb = file_meeting(cast, title="全市基层减负工作调度会")
    stale_view = registry.Demand.objects.get(pk=keep.pk)
    registry.demand_withdraw(by=cast.officer, demand=keep, version=keep.version, reason="取消")
    with pytest.raises(ApplicationError):
        registry.meetings_merge(by=cast.officer, keep=stale_view, absorb=absorb, absorb_version=absorb.version,
                                reason="套开")
    absorb.refresh_from_db()
    assert absorb.merged_into_id is None
