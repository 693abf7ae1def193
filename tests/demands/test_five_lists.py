"""The 5 lists (5张清单): annual lists the task force keeps; filings of a listed kind off them are flagged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.core.errors import ApplicationError
from jianfu.demands import services
from jianfu.demands.models import AnnualList, DocumentKind, ListItem, ListKind
from jianfu.rules.catalogue import LISTS_CLAUSE, RULES
from jianfu.rules.models import RuleVersion

from .filings import file_document, file_meeting, findings

pytestmark = pytest.mark.django_db

RULE = "lists.off_list"


def meeting_day() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=10)


def make_list(cast, kind: str, year: int, titles: list[str], *, approve: bool = True) -> AnnualList:
    annual = services.annual_list_create(by=cast.officer, kind=kind, year=year)
    for title in titles:
        services.list_item_add(by=cast.officer, annual_list=annual, title=title, responsible_unit=cast.department)
    if approve:
        annual = services.annual_list_approve(by=cast.officer, annual_list=annual)
    return annual


@pytest.fixture
def meetings(cast) -> AnnualList:
    return make_list(cast, ListKind.IMPORTANT_MEETINGS, meeting_day().year,
                     ["全市基层减负工作推进会", "全市安全生产工作会议"])


@pytest.fixture
def regulations(cast) -> AnnualList:
    return make_list(cast, ListKind.REGULATIONS_DOCUMENTS, timezone.localdate().year,
                     ["关于进一步做好基层减负工作的通知", "郴州市村级组织工作事务准入管理办法"])


def off_list(demand) -> list:
    return [f for f in findings(demand) if f.rule_code == RULE]


def test_the_rule_is_seeded_as_a_warning_with_the_source_clause(cast):
    assert RULES[RULE].severity == "warn" and RULES[RULE].clause == LISTS_CLAUSE
    v = RuleVersion.objects.get(code=RULE, scope_unit__isnull=True)
    assert v.value is True and v.severity == "warn" and "5张清单" in v.source_clause


def test_an_on_list_city_wide_meeting_has_no_off_list_finding_and_records_the_item(cast, meetings):
    demand = file_meeting(cast, title="全市基层减负工作推进会", occurs_on=meeting_day())
    assert off_list(demand) == []
    item = meetings.items.get(title="全市基层减负工作推进会")
    assert demand.current_revision.data["list_item_id"] == item.pk


def test_an_off_list_city_wide_meeting_is_warned_with_the_closest_item_proposed(cast, meetings):
    demand = file_meeting(cast, title="全市安全生产工作调度会议", occurs_on=meeting_day())
    [finding] = off_list(demand)
    assert finding.severity == "warn"
    assert finding.message == "Not on the %(list)s list for %(year)s."
    assert finding.params["year"] == str(meeting_day().year)
    assert finding.detail["proposed_title"] == "全市安全生产工作会议"
    assert finding.detail["proposed_item_id"] == meetings.items.get(title="全市安全生产工作会议").pk
    assert "全市安全生产工作会议" in finding.fix_text()
    assert demand.current_revision.warnings >= 1 and demand.current_revision.blocking == 0


def test_a_meeting_unlike_every_item_is_warned_without_a_proposal(cast, meetings):
    demand = file_meeting(cast, title="春季植树义务劳动动员", occurs_on=meeting_day())
    [finding] = off_list(demand)
    assert "proposed_item_id" not in finding.detail


def test_naming_the_item_clears_the_warning(cast, meetings):
    item = meetings.items.get(title="全市安全生产工作会议")
    demand = file_meeting(cast, title="全市安全生产工作调度会议", occurs_on=meeting_day(), list_item_id=item.pk)
    assert off_list(demand) == []
    assert demand.current_revision.data["list_item_id"] == item.pk


def test_a_meeting_that_is_not_city_wide_is_not_checked(cast, meetings):
    demand = file_meeting(cast, title="春季植树义务劳动动员", occurs_on=meeting_day(), city_wide=False)
    assert off_list(demand) == []


def test_a_list_that_is_not_approved_does_not_flag(cast):
    make_list(cast, ListKind.IMPORTANT_MEETINGS, meeting_day().year, ["全市基层减负工作推进会"], approve=False)
    demand = file_meeting(cast, title="春季植树义务劳动动员", occurs_on=meeting_day())
    assert off_list(demand) == []


def test_without_a_list_for_the_year_nothing_is_flagged(cast, meetings):
    demand = file_meeting(cast, title="春季植树义务劳动动员", occurs_on=dt.date(meeting_day().year + 1, 3, 1))
    assert off_list(demand) == []


def test_a_deactivated_item_no_longer_matches(cast, meetings):
    item = meetings.items.get(title="全市基层减负工作推进会")
    services.list_item_deactivate(by=cast.officer, item=item)
    demand = file_meeting(cast, title="全市基层减负工作推进会", occurs_on=meeting_day())
    assert len(off_list(demand)) == 1


def test_a_normative_document_is_checked_against_the_regulations_list_and_other_kinds_are_not(cast, regulations):
    on_list = file_document(cast, kind=DocumentKind.NORMATIVE, title="关于进一步做好基层减负工作的通知")
    assert off_list(on_list) == []
    off = file_document(cast, kind=DocumentKind.NORMATIVE, title="关于开展文明城市创建工作的通知")
    [finding] = off_list(off)
    assert finding.params["list"]["zh"] == "党内法规和规范性文件"
    other = file_document(cast, kind=DocumentKind.OTHER, title="关于开展文明城市创建工作的通知")
    assert off_list(other) == []


def test_a_normative_document_is_not_checked_against_the_meetings_list(cast, meetings):
    demand = file_document(cast, kind=DocumentKind.NORMATIVE, title="关于开展文明城市创建工作的通知")
    assert off_list(demand) == []


def test_the_inspections_list_can_be_kept_though_no_filing_is_checked_against_it(cast):
    annual = make_list(cast, ListKind.INSPECTIONS, 2019, ["全市党风廉政建设责任制考核"])
    assert annual.status == AnnualList.Status.APPROVED and annual.items.count() == 1


@pytest.mark.parametrize("who", ["leader", "cadre_a", "clerk"])
def test_editing_the_lists_needs_the_permission(cast, meetings, who):
    person = getattr(cast, who)
    with pytest.raises(ApplicationError):
        services.annual_list_create(by=person, kind=ListKind.INSPECTIONS, year=2019)
    with pytest.raises(ApplicationError):
        services.list_item_add(by=person, annual_list=meetings, title="全市某工作会议")
    item = meetings.items.first()
    client = cast.client(person)
    assert client.get(reverse("demands:list_item_new", args=[meetings.pk])).status_code == 404
    assert client.get(reverse("demands:list_item_edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("demands:list_item_deactivate", args=[item.pk])).status_code == 404
    assert client.post(reverse("demands:five_list_approve", args=[meetings.pk])).status_code == 404
    assert client.post(reverse("demands:five_lists"), {"kind": "inspections", "year": 2019}).status_code == 404
    assert not AnnualList.objects.filter(kind=ListKind.INSPECTIONS).exists()


def test_cadre_b_reads_the_lists_and_sees_the_items_but_no_edit_links(cast, meetings):
    client = cast.client(cast.cadre_b)
    page = client.get(reverse("demands:five_lists"), {"year": meetings.year})
    assert page.status_code == 200 and meetings.get_absolute_url() in page.content.decode()
    detail = client.get(meetings.get_absolute_url()).content.decode()
    assert "全市安全生产工作会议" in detail
    assert reverse("demands:list_item_new", args=[meetings.pk]) not in detail


def test_the_list_page_links_the_filings_matched_to_each_item(cast, meetings):
    demand = file_meeting(cast, title="全市基层减负工作推进会", occurs_on=meeting_day())
    page = cast.client(cast.officer).get(meetings.get_absolute_url()).content.decode()
    assert demand.get_absolute_url() in page


def test_the_officer_keeps_a_list_through_the_pages(cast):
    client = cast.client(cast.officer)
    response = client.post(reverse("demands:five_lists"), {"kind": "important_activities", "year": 2019})
    annual = AnnualList.objects.get(kind=ListKind.IMPORTANT_ACTIVITIES, year=2019)
    assert response.status_code == 302 and annual.scope_unit == cast.city
    client.post(reverse("demands:list_item_new", args=[annual.pk]),
                {"title": "全市乡村振兴现场观摩活动", "planned_month": "5", "active": "on"})
    item = ListItem.objects.get(annual_list=annual)
    client.post(reverse("demands:list_item_edit", args=[item.pk]),
                {"title": "全市乡村振兴现场观摩会", "planned_month": "6", "active": "on"})
    item.refresh_from_db()
    assert (item.title, item.planned_month) == ("全市乡村振兴现场观摩会", 6)
    client.post(reverse("demands:five_list_approve", args=[annual.pk]))
    annual.refresh_from_db()
    assert annual.status == AnnualList.Status.APPROVED and annual.approved_by == cast.officer


def test_every_change_to_the_lists_is_audited(cast, meetings):
    item = meetings.items.first()
    services.list_item_update(by=cast.officer, item=item, title="全市基层减负工作推进大会", planned_month=3)
    services.list_item_deactivate(by=cast.officer, item=item)
    actions = list(AuditRecord.objects.filter(action__in=[
        "annual_list.create", "annual_list.approve", "list_item.add", "list_item.update"]).values_list(
        "action", flat=True))
    assert actions.count("annual_list.create") == 1 and actions.count("annual_list.approve") == 1
    assert actions.count("list_item.add") == 2 and actions.count("list_item.update") == 2
    update = AuditRecord.objects.filter(action="list_item.update").order_by("seq").first()
    assert update.before["title"] == "全市基层减负工作推进会" and update.after["planned_month"] == 3


def test_a_list_cannot_be_created_twice_or_approved_twice(cast, meetings):
    with pytest.raises(ApplicationError):
        services.annual_list_create(by=cast.officer, kind=ListKind.IMPORTANT_MEETINGS, year=meetings.year)
    with pytest.raises(ApplicationError):
        services.annual_list_approve(by=cast.officer, annual_list=meetings)


def test_the_filing_forms_offer_only_active_items_of_approved_lists_of_their_kind(cast, meetings, regulations):
    from jianfu.demands.forms import DocumentForm, MeetingForm

    make_list(cast, ListKind.IMPORTANT_MEETINGS, 2019, ["全市经济工作会议"], approve=False)
    services.list_item_deactivate(by=cast.officer, item=meetings.items.get(title="全市安全生产工作会议"))
    offered = set(MeetingForm().fields["list_item"].queryset.values_list("title", flat=True))
    assert offered == {"全市基层减负工作推进会"}
    documents = set(DocumentForm().fields["list_item"].queryset.values_list("title", flat=True))
    assert documents == {"关于进一步做好基层减负工作的通知", "郴州市村级组织工作事务准入管理办法"}


def test_the_filing_page_names_the_list_item_it_was_matched_to(cast, meetings):
    demand = file_meeting(cast, title="全市基层减负工作推进会", occurs_on=meeting_day())
    page = cast.client(cast.clerk).get(demand.get_absolute_url()).content.decode()
    assert meetings.get_absolute_url() in page and "全市基层减负工作推进会" in page
