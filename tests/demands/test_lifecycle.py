"""One lifecycle for every filing: draft → checked → approved / returned / rejected → in force → expired / withdrawn."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jianfu.audit.models import AuditRecord
from jianfu.core.errors import ApplicationError, StaleEditError
from jianfu.demands import services
from jianfu.demands.control_numbers import check_char, normalise_number
from jianfu.demands.models import ControlNumberCounter, Demand, DocumentKind, Review, Status
from jianfu.demands.tasks import demands_advance_daily

from .filings import approve, document_data, padded, submit, valid_text

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^(?P<kind>WJ|HY)-(?P<year>\d{4})-(?P<seq>\d{5})-(?P<check>[0-9A-HJ-NP-Z])$")


def review(cast, demand, decision, reason="", by=None, version=None, **kwargs):
    return services.demand_review(by=by or cast.officer, demand=demand,
                                  version=demand.version if version is None else version, decision=decision,
                                  reason=reason, **kwargs)


# --- submitting ---

def test_submit_is_refused_while_a_finding_blocks(cast, file_document):
    demand = file_document(kind=DocumentKind.SPECIAL, body=padded(valid_text(), 2156))
    with pytest.raises(ApplicationError) as refused:
        submit(cast, demand)
    assert refused.value.code == "blocked"
    demand.refresh_from_db()
    assert demand.status == Status.DRAFT
    assert not AuditRecord.objects.filter(action="demand.submit").exists()


def test_submit_with_only_warnings_goes_to_review(cast, file_document):
    demand = submit(cast, file_document(title="关于召开全市基层减负工作会议的通知"))
    assert demand.status == Status.CHECKED
    assert demand.current_revision.warnings == 1
    assert demand in cast.client(cast.officer).get(reverse("demands:review_queue")).context["page"].object_list


def test_a_submitted_filing_can_no_longer_be_changed(cast, file_document):
    demand = submit(cast, file_document())
    with pytest.raises(ApplicationError) as refused:
        services.demand_revise(by=cast.clerk, demand=demand, version=demand.version, title="新标题",
                               body=valid_text(), data=document_data())
    assert refused.value.code == "status"
    assert demand.revisions.count() == 1


# --- approval and control numbers ---

def test_approval_issues_a_kind_coded_control_number_with_a_valid_check_character(cast, file_document):
    today = timezone.localdate()
    demand = approve(cast, file_document(occurs_on=today))
    m = NUMBER.match(demand.control_number)
    assert m, demand.control_number
    assert (m["kind"], m["year"], m["seq"]) == ("WJ", str(today.year), "00001")
    assert m["check"] == check_char(f"WJ{today.year}00001")
    assert normalise_number(demand.control_number) == demand.control_number
    assert normalise_number(demand.control_number.lower().replace("-", "")) == demand.control_number
    assert demand.status == Status.IN_FORCE
    assert demand.valid_from == today
    assert demand.valid_until == today + dt.timedelta(days=365)
    decision = demand.reviews.get()
    assert (decision.decision, decision.reviewer, decision.revision) == (
        Review.Decision.APPROVE, cast.officer, demand.current_revision)
    assert AuditRecord.objects.filter(action="demand.review.approve", object_id=str(demand.pk)).exists()


def test_control_numbers_are_unique_and_count_up_per_kind_and_year(cast, file_document, file_meeting):
    first = approve(cast, file_document())
    second = approve(cast, file_document(title="关于加强安全生产工作的通知",
                                         body=valid_text(title="关于加强安全生产工作的通知", topic="安全生产", seq=6)))
    meeting = approve(cast, file_meeting())
    assert first.control_number[8:13] == "00001"
    assert second.control_number[8:13] == "00002"
    assert meeting.control_number.startswith(f"HY-{meeting.occurs_on.year}-00001-")
    assert len({first.control_number, second.control_number, meeting.control_number}) == 3


def test_a_meeting_is_valid_on_its_day(cast, file_meeting):
    meeting = approve(cast, file_meeting(occurs_on=timezone.localdate()))
    assert meeting.valid_from == meeting.valid_until == timezone.localdate()
    assert meeting.status == Status.IN_FORCE


def test_a_filing_dated_in_the_future_is_approved_but_not_yet_in_force(cast, file_document):
    day = timezone.localdate() + dt.timedelta(days=5)
    demand = approve(cast, file_document(occurs_on=day))
    assert demand.status == Status.APPROVED
    assert demand.valid_from == day


def test_a_filing_whose_validity_has_passed_is_recorded_as_expired(cast, file_document):
    demand = approve(cast, file_document(occurs_on=dt.date(2019, 3, 4)))
    assert demand.status == Status.EXPIRED
    assert demand.control_number.startswith("WJ-2019-")
    assert demand.valid_until == dt.date(2020, 3, 3)


def test_the_reviewer_may_set_the_end_of_validity(cast, file_document):
    today = timezone.localdate()
    demand = approve(cast, file_document(), valid_until=today + dt.timedelta(days=30))
    assert demand.valid_until == today + dt.timedelta(days=30)


def test_validity_cannot_end_before_it_starts(cast, file_document):
    demand = submit(cast, file_document())
    with pytest.raises(ApplicationError):
        review(cast, demand, Review.Decision.APPROVE, valid_until=timezone.localdate() - dt.timedelta(days=1))
    demand.refresh_from_db()
    assert demand.status == Status.CHECKED and demand.control_number is None


# --- return and reject ---

@pytest.mark.parametrize("decision", [Review.Decision.RETURN, Review.Decision.REJECT])
def test_return_and_reject_need_a_reason(cast, file_document, decision):
    demand = submit(cast, file_document())
    with pytest.raises(ApplicationError) as refused:
        review(cast, demand, decision, reason="  ")
    assert refused.value.code == "reason"
    demand.refresh_from_db()
    assert demand.status == Status.CHECKED
    assert not demand.reviews.exists()


@pytest.mark.parametrize(("decision", "status"), [(Review.Decision.RETURN, Status.RETURNED),
                                                  (Review.Decision.REJECT, Status.REJECTED)])
def test_return_and_reject_keep_the_reviewer_and_the_reason(cast, file_document, decision, status):
    demand = review(cast, submit(cast, file_document()), decision, reason="请压缩篇幅，合并到已有文件")
    assert demand.status == status
    assert demand.control_number is None
    kept = demand.reviews.get()
    assert (kept.reviewer, kept.reason, kept.decision) == (cast.officer, "请压缩篇幅，合并到已有文件", decision)
    page = cast.client(cast.clerk).get(demand.get_absolute_url()).content.decode()
    assert "请压缩篇幅，合并到已有文件" in page and cast.officer.name in page


def test_a_returned_filing_is_fixed_and_submitted_again(cast, file_document):
    demand = review(cast, submit(cast, file_document()), Review.Decision.RETURN, reason="请补充落实措施")
    demand = services.demand_revise(by=cast.clerk, demand=demand, version=demand.version, title=demand.title,
                                    body=valid_text(topic="村级组织减负"), data=document_data())
    assert demand.status == Status.DRAFT
    demand = approve(cast, demand)
    assert demand.status == Status.IN_FORCE
    assert demand.revisions.count() == 2


def test_a_clerk_cannot_review(cast, file_document):
    demand = submit(cast, file_document())
    with pytest.raises(ApplicationError):
        review(cast, demand, Review.Decision.APPROVE, by=cast.clerk)
    response = cast.client(cast.clerk).post(reverse("demands:review", args=[demand.pk]),
                                            {"decision": "approve", "version": demand.version})
    assert response.status_code == 404
    demand.refresh_from_db()
    assert demand.status == Status.CHECKED


# --- stale versions and two reviewers at once ---

def test_a_stale_version_raises_and_changes_nothing(cast, file_document):
    demand = file_document()
    stale = demand.version
    demand = services.demand_revise(by=cast.clerk, demand=demand, version=stale, title=demand.title,
                                    body=valid_text(topic="村级组织减负"), data=document_data())
    records = AuditRecord.objects.count()
    with pytest.raises(StaleEditError):
        services.demand_submit(by=cast.clerk, demand=demand, version=stale)
    with pytest.raises(StaleEditError):
        services.demand_revise(by=cast.clerk, demand=demand, version=stale, title="别的标题", body=valid_text(),
                               data=document_data())
    demand.refresh_from_db()
    assert demand.status == Status.DRAFT
    assert demand.title != "别的标题"
    assert demand.revisions.count() == 2
    assert AuditRecord.objects.count() == records


def test_of_two_reviewers_acting_at_once_one_wins_and_the_other_is_told_the_new_status(cast, file_document):
    demand = submit(cast, file_document())
    opened = demand.version
    approved = review(cast, demand, Review.Decision.APPROVE, version=opened)
    with translation.override("en"), pytest.raises(StaleEditError) as lost:
        review(cast, demand, Review.Decision.REJECT, reason="不必发文", by=cast.admin, version=opened)
    assert "In force" in str(lost.value)
    with pytest.raises(StaleEditError) as lost_zh:
        review(cast, demand, Review.Decision.APPROVE, by=cast.admin, version=opened)
    assert "生效中" in str(lost_zh.value)
    demand.refresh_from_db()
    assert demand.status == Status.IN_FORCE
    assert demand.control_number == approved.control_number
    assert list(demand.reviews.values_list("decision", flat=True)) == [Review.Decision.APPROVE]
    # The loser's attempt did not use up a control number.
    assert ControlNumberCounter.objects.get(kind_code="WJ").last == 1


def test_the_second_reviewer_on_the_page_sees_a_message_and_the_first_decision_stands(cast, file_document):
    demand = submit(cast, file_document())
    first, second = cast.client(cast.officer), cast.client(cast.admin)
    url = reverse("demands:review", args=[demand.pk])
    assert first.post(url, {"decision": "return", "reason": "请补充", "version": demand.version}).status_code == 302
    response = second.post(url, {"decision": "approve", "version": demand.version}, follow=True)
    [told] = [str(m) for m in response.context["messages"]]
    assert "已由他人处理" in told and "退回修改" in told
    demand.refresh_from_db()
    assert demand.status == Status.RETURNED
    assert demand.control_number is None


# --- versions ---

def test_a_resubmission_keeps_every_earlier_version_and_the_diff_shows_the_changed_lines(cast, file_document):
    demand = review(cast, submit(cast, file_document()), Review.Decision.RETURN, reason="第二条不具体")
    first_body = demand.current_revision.body
    old_line = first_body.split("\n")[5]
    new_body = first_body.replace(old_line, "二、各乡镇每月只报一次材料，不再要求照片和签到表。")
    demand = services.demand_revise(by=cast.clerk, demand=demand, version=demand.version, title=demand.title,
                                    body=new_body, data=document_data(kind=DocumentKind.SPECIAL))
    assert list(demand.revisions.values_list("number", flat=True)) == [1, 2]
    assert demand.revisions.get(number=1).body == first_body
    assert demand.revisions.get(number=1).findings.count() == 0
    assert demand.current_revision.number == 2
    response = cast.client(cast.clerk).get(reverse("demands:diff", args=[demand.pk, 1, 2]))
    assert response.status_code == 200
    lines = response.context["lines"]
    assert f"-{old_line}" in lines
    assert "+二、各乡镇每月只报一次材料，不再要求照片和签到表。" in lines
    assert ("document_kind", DocumentKind.OTHER, DocumentKind.SPECIAL) in response.context["data_changes"]
    assert "不再要求照片和签到表" in response.content.decode()
    assert cast.client(cast.clerk).get(reverse("demands:diff", args=[demand.pk, 1, 3])).status_code == 404


def test_each_transition_is_audited(cast, file_document):
    demand = approve(cast, file_document())
    actions = list(AuditRecord.objects.filter(object_type="demands.demand", object_id=str(demand.pk))
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["demand.file", "burden.estimate.initial", "demand.submit", "demand.review.approve"]


# --- withdrawing ---

def test_the_filer_withdraws_with_a_reason(cast, file_document):
    demand = approve(cast, file_document())
    with pytest.raises(ApplicationError):
        services.demand_withdraw(by=cast.clerk, demand=demand, version=demand.version, reason="")
    demand = services.demand_withdraw(by=cast.clerk, demand=demand, version=demand.version, reason="工作已完成")
    assert demand.status == Status.WITHDRAWN
    assert demand.reviews.last().decision == Review.Decision.WITHDRAW
    assert AuditRecord.objects.filter(action="demand.withdraw", object_id=str(demand.pk)).exists()


def test_the_task_force_withdraws_from_the_page(cast, file_document):
    demand = approve(cast, file_document())
    response = cast.client(cast.officer).post(reverse("demands:withdraw", args=[demand.pk]),
                                              {"reason": "与新文件重复", "version": demand.version})
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == Status.WITHDRAWN


def test_a_withdrawn_filing_cannot_be_withdrawn_again(cast, file_document):
    demand = services.demand_withdraw(by=cast.clerk, demand=file_document(), version=1, reason="不再需要")
    with pytest.raises(StaleEditError):
        services.demand_withdraw(by=cast.clerk, demand=demand, version=demand.version, reason="再撤一次")


# --- coming into force and expiring, daily ---

def test_advance_brings_approved_filings_into_force_and_expires_them_once(cast, file_document):
    start = timezone.localdate() + dt.timedelta(days=3)
    demand = approve(cast, file_document(occurs_on=start), valid_until=start + dt.timedelta(days=10))
    assert demand.status == Status.APPROVED
    assert services.demands_advance(today=start - dt.timedelta(days=1)) == {"in_force": 0, "expired": 0}
    assert services.demands_advance(today=start) == {"in_force": 1, "expired": 0}
    assert services.demands_advance(today=start) == {"in_force": 0, "expired": 0}
    demand.refresh_from_db()
    assert demand.status == Status.IN_FORCE
    assert services.demands_advance(today=start + dt.timedelta(days=10)) == {"in_force": 0, "expired": 0}
    assert services.demands_advance(today=start + dt.timedelta(days=11)) == {"in_force": 0, "expired": 1}
    assert services.demands_advance(today=start + dt.timedelta(days=11)) == {"in_force": 0, "expired": 0}
    demand.refresh_from_db()
    assert demand.status == Status.EXPIRED
    assert AuditRecord.objects.filter(action="demand.in_force", object_id=str(demand.pk)).count() == 1
    assert AuditRecord.objects.filter(action="demand.expire", object_id=str(demand.pk)).count() == 1


def test_the_daily_task_calls_advance(cast, file_document):
    demand = approve(cast, file_document(occurs_on=dt.date(2019, 3, 4)), valid_until=dt.date(2099, 1, 1))
    assert demand.status == Status.IN_FORCE
    Demand.objects.filter(pk=demand.pk).update(valid_until=dt.date(2019, 3, 5))
    assert demands_advance_daily.enqueue().return_value == {"in_force": 0, "expired": 1}
