"""Who sees and changes which filing: the outsider gets 404, the leader reads but never writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.core.errors import ApplicationError
from jianfu.demands import services
from jianfu.demands.models import Demand, Review, Status
from jianfu.rules.models import RuleVersion
from jianfu.rules.services import rule_change
from tests.exports import export_rows

from .filings import approve, document_data, file_document, file_meeting, submit, valid_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing_of_a(cast):
    """A filing issued by township A that falls only on A's village, with two versions."""
    demand = file_document(cast, by=cast.cadre_a, unit=cast.township_a, title="关于规范土桥村工作台账的通知",
                           targets=[(cast.village_a, False)])
    return services.demand_revise(by=cast.cadre_a, demand=demand, version=demand.version, title=demand.title,
                                  body=valid_text(title=demand.title, topic="村级组织减负"), data=document_data())


def read_pages(demand: Demand) -> list[str]:
    return [reverse("demands:detail", args=[demand.pk]), reverse("demands:edit", args=[demand.pk]),
            reverse("demands:diff", args=[demand.pk, 1, 2])]


def write_requests(demand: Demand, keep: Demand | None = None) -> list[tuple[str, dict]]:
    return [
        (reverse("demands:edit", args=[demand.pk]), {"title": "改过的标题", "version": demand.version}),
        (reverse("demands:submit", args=[demand.pk]), {"version": demand.version}),
        (reverse("demands:review", args=[demand.pk]), {"decision": "approve", "version": demand.version}),
        (reverse("demands:withdraw", args=[demand.pk]), {"reason": "撤回", "version": demand.version}),
        (reverse("demands:merge", args=[demand.pk]),
         {"keep": keep.pk if keep else demand.pk, "version": demand.version}),
    ]


# --- the outsider: cadre_b of township B ---

def test_township_b_cadre_gets_404_for_every_page_of_a_filing_of_township_a(cast, filing_of_a):
    client = cast.client(cast.cadre_b)
    for url in read_pages(filing_of_a):
        assert client.get(url).status_code == 404, url


def test_township_b_cadre_gets_404_for_every_write_to_a_filing_of_township_a(cast, filing_of_a):
    client = cast.client(cast.cadre_b)
    records = AuditRecord.objects.count()
    for url, data in write_requests(filing_of_a):
        assert client.post(url, data).status_code == 404, url
    filing_of_a.refresh_from_db()
    assert (filing_of_a.status, filing_of_a.title) == (Status.DRAFT, "关于规范土桥村工作台账的通知")
    assert AuditRecord.objects.count() == records


def test_township_b_cadre_does_not_find_the_filing_in_any_list(cast, filing_of_a):
    client = cast.client(cast.cadre_b)
    assert list(client.get(reverse("demands:list")).context["page"].object_list) == []
    assert list(client.get(reverse("demands:list"), {"q": "土桥"}).context["page"].object_list) == []
    export = export_rows(client, reverse("demands:list"), {"export": "xlsx"})
    assert len(export) == 1 and "土桥村工作台账" not in str(export)


def test_township_b_cadre_cannot_act_on_the_filing_through_the_services(cast, filing_of_a):
    with pytest.raises(ApplicationError):
        services.demand_submit(by=cast.cadre_b, demand=filing_of_a, version=filing_of_a.version)
    with pytest.raises(ApplicationError):
        services.demand_withdraw(by=cast.cadre_b, demand=filing_of_a, version=filing_of_a.version, reason="x")
    with pytest.raises(ApplicationError):
        file_document(cast, by=cast.cadre_b, unit=cast.township_a)


def test_the_filer_and_the_receiving_village_read_it_but_only_the_filer_changes_it(cast, filing_of_a):
    for who in ("cadre_a", "officer"):
        client = cast.client(getattr(cast, who))
        assert client.get(read_pages(filing_of_a)[0]).status_code == 200, who
        assert client.get(read_pages(filing_of_a)[2]).status_code == 200, who
    assert cast.client(cast.cadre_a).get(reverse("demands:edit", args=[filing_of_a.pk])).status_code == 200
    village = cast.client(cast.village_cadre_a)
    assert village.get(read_pages(filing_of_a)[0]).status_code == 404  # a draft is not the village's yet
    issued = approve(cast, filing_of_a)
    assert village.get(read_pages(issued)[0]).status_code == 200
    assert village.get(reverse("demands:edit", args=[issued.pk])).status_code == 404


def test_a_filing_of_a_department_on_the_county_is_readable_below_but_not_changeable(cast):
    demand = file_document(cast, targets=[(cast.county, True)])
    client = cast.client(cast.cadre_b)
    assert client.get(reverse("demands:detail", args=[demand.pk])).status_code == 404  # not issued yet
    client.post(reverse("demands:submit", args=[demand.pk]), {"version": demand.version})
    demand.refresh_from_db()
    assert demand.status == Status.DRAFT
    demand = approve(cast, demand)
    assert client.get(reverse("demands:detail", args=[demand.pk])).status_code == 200
    assert client.get(reverse("demands:edit", args=[demand.pk])).status_code == 404


# --- the leader reads everything and writes nothing ---

def test_the_leader_reads_filings_lists_and_figures(cast, filing_of_a):
    client = cast.client(cast.leader)
    for url in [read_pages(filing_of_a)[0], read_pages(filing_of_a)[2], reverse("demands:list"),
                reverse("demands:figures"), reverse("demands:on_us"), reverse("rules:rulebook")]:
        assert client.get(url).status_code == 200, url
    page = client.get(read_pages(filing_of_a)[0])
    assert not any(page.context[k] for k in ("can_edit", "can_submit", "can_review", "can_withdraw", "can_merge"))


def test_every_write_of_the_leader_is_404_or_refused(cast, filing_of_a):
    checked = submit(cast, file_document(cast, title="关于加强安全生产工作的通知"))
    day = timezone.localdate() + dt.timedelta(days=10)
    keep = file_meeting(cast, occurs_on=day)
    absorb = file_meeting(cast, title="全市基层减负工作调度会", occurs_on=day + dt.timedelta(days=1))
    client = cast.client(cast.leader)
    records = AuditRecord.objects.count()
    versions = RuleVersion.objects.count()

    assert client.get(reverse("demands:new", args=["document"])).status_code == 404
    assert client.post(reverse("demands:new", args=["meeting"]), {"title": "会"}).status_code == 404
    for demand, keep_ in ((filing_of_a, None), (checked, None), (absorb, keep)):
        for url, data in write_requests(demand, keep_):
            assert client.post(url, data).status_code in (302, 404), url
    rule_page = reverse("rules:change", args=["document.max_chars.other"])
    assert client.get(rule_page).status_code == 404
    assert client.post(rule_page, {"value": "1", "severity": "block", "source_clause": "x",
                                   "effective_from": timezone.localdate().isoformat(), "note": "x"}).status_code == 404

    with pytest.raises(ApplicationError):
        file_document(cast, by=cast.leader, unit=cast.city)
    with pytest.raises(ApplicationError):
        services.demand_review(by=cast.leader, demand=checked, version=checked.version,
                               decision=Review.Decision.APPROVE)
    with pytest.raises(ApplicationError):
        services.demand_withdraw(by=cast.leader, demand=checked, version=checked.version, reason="x")
    with pytest.raises(ApplicationError):
        services.meetings_merge(by=cast.leader, keep=keep, absorb=absorb, absorb_version=absorb.version, reason="")
    with pytest.raises(ApplicationError):
        rule_change(by=cast.leader, code="document.max_chars.other", value=1, severity="block", source_clause="x",
                    effective_from=timezone.localdate())

    assert Demand.objects.count() == 4
    assert dict(Demand.objects.values_list("pk", "status")) == {
        filing_of_a.pk: Status.DRAFT, checked.pk: Status.CHECKED, keep.pk: Status.DRAFT, absorb.pk: Status.DRAFT}
    assert RuleVersion.objects.count() == versions
    assert AuditRecord.objects.count() == records


def test_the_withdraw_refusal_tells_the_leader_why(cast):
    demand = submit(cast, file_document(cast))
    response = cast.client(cast.leader).post(reverse("demands:withdraw", args=[demand.pk]),
                                             {"reason": "撤回", "version": demand.version}, follow=True)
    assert [str(m) for m in response.context["messages"]]
    demand.refresh_from_db()
    assert demand.status == Status.CHECKED



def test_the_receiving_village_cannot_submit_or_withdraw_the_filing(cast, filing_of_a):
    client = cast.client(cast.village_cadre_a)
    client.post(reverse("demands:submit", args=[filing_of_a.pk]), {"version": filing_of_a.version})
    client.post(reverse("demands:withdraw", args=[filing_of_a.pk]), {"reason": "撤回", "version": filing_of_a.version})
    filing_of_a.refresh_from_db()
    assert filing_of_a.status == Status.DRAFT


# --- who may place a demand on whom ---

def test_a_township_may_aim_only_at_its_own_villages_and_the_picker_offers_only_them(cast):
    from jianfu.core.errors import ApplicationError
    from tests.demands.filings import file_document

    picker = cast.client(cast.cadre_b).get(reverse("demands:new", args=["document"])).context["form"]
    assert list(picker.fields["targets"].queryset) == [cast.village_b]
    with pytest.raises(ApplicationError) as refused:
        file_document(cast, by=cast.cadre_b, unit=cast.township_b, targets=[(cast.village_a, False)])
    assert refused.value.code == "targets" and "土桥村" not in str(refused.value.message)
    assert file_document(cast, by=cast.cadre_b, unit=cast.township_b, targets=[(cast.village_b, False)]).pk


def test_a_village_places_demands_on_nobody_and_a_department_on_the_city(cast):
    from jianfu.org.scoping import units_targetable

    assert list(units_targetable(cast.village_cadre_a)) == []
    assert cast.village_a in units_targetable(cast.clerk) and cast.county in units_targetable(cast.clerk)
    assert list(units_targetable(cast.leader)) == []
