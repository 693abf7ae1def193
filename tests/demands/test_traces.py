"""Trace-keeping requirements (留痕): the gate blocks them unless they cite a higher rule on the allow-list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jianfu.audit.models import AuditRecord
from jianfu.core.errors import ApplicationError
from jianfu.demands import services
from jianfu.demands.checks import check_trace
from jianfu.demands.models import Demand, Kind, Status
from jianfu.rules.models import TraceBasis
from jianfu.rules.selectors import ruleset_for
from jianfu.rules.services import rule_change, trace_bases_seed, trace_basis_create, trace_basis_deactivate

from .filings import approve, file_trace, findings, submit, trace_data

pytestmark = pytest.mark.django_db

RULE = "trace.requires_basis"
CLAUSE = "除安全生产等上级有明确规定外，市直部门不得随意要求基层工作留痕"


@pytest.fixture
def safety(cast) -> TraceBasis:
    """The seeded entry 安全生产 (seeded again if a transactional test flushed the migration's rows)."""
    trace_bases_seed()
    return TraceBasis.objects.get(name="安全生产")


def form_post(cast, basis: TraceBasis | None = None, **overrides) -> dict:
    data = {"title": "关于报送安全隐患排查台账的通知", "issuing_unit": cast.department.pk,
            "occurs_on": timezone.localdate().isoformat(), "targets": [cast.township_a.pk], "include_below": "on",
            "trace_types": ["photos", "ledgers"], "frequency": "monthly", "basis": basis.pk if basis else "",
            "basis_text": "《中华人民共和国安全生产法》第四十六条" if basis else "", "purpose": "核查隐患整改情况",
            "details": "每月5日前报送隐患排查台账和现场照片。"}
    return data | overrides


# --- the gate ---

def test_a_trace_requirement_without_a_basis_is_blocked_and_cannot_be_submitted(cast, safety):
    demand = file_trace(cast)
    [finding] = findings(demand)
    assert (finding.rule_code, finding.severity, finding.clause) == (RULE, "block", CLAUSE)
    assert finding.rule_version.version == 1
    with translation.override("en"):
        assert "cites none" in finding.text()
    with pytest.raises(ApplicationError) as refused:
        submit(cast, demand)
    assert refused.value.code == "blocked"
    demand.refresh_from_db()
    assert demand.status == Status.DRAFT
    assert not AuditRecord.objects.filter(action="demand.submit", object_id=str(demand.pk)).exists()


def test_a_trace_requirement_citing_safety_production_passes_is_approved_and_gets_an_lh_number(cast, safety):
    today = timezone.localdate()
    demand = file_trace(cast, basis_id=safety.pk, basis_text="《中华人民共和国安全生产法》第四十六条")
    assert findings(demand) == []
    demand = approve(cast, demand)
    assert demand.status == Status.IN_FORCE
    assert re.fullmatch(rf"LH-{today.year}-00001-[0-9A-HJ-NP-Z]", demand.control_number)
    assert (demand.valid_from, demand.valid_until) == (today, today + dt.timedelta(days=365))
    for action in ("demand.file", "demand.submit", "demand.review.approve"):
        assert AuditRecord.objects.filter(action=action, object_id=str(demand.pk)).exists(), action


def test_citing_a_basis_without_quoting_its_clause_only_warns(cast, safety):
    demand = file_trace(cast, basis_id=safety.pk, basis_text="")
    [finding] = findings(demand)
    assert (finding.rule_code, finding.severity) == (RULE, "warn")
    with translation.override("zh-hans"):
        assert "《中华人民共和国安全生产法》" in finding.fix_text()
    assert submit(cast, demand).status == Status.CHECKED


def test_a_basis_taken_off_the_allow_list_blocks(cast, safety):
    trace_basis_deactivate(by=cast.officer, basis=safety)
    demand = file_trace(cast, basis_id=safety.pk, basis_text="第四十六条")
    [finding] = findings(demand)
    assert finding.severity == "block"
    with translation.override("en"):
        assert "taken off" in finding.text()


def test_a_basis_not_in_force_on_the_filing_date_blocks(cast):
    expired = trace_basis_create(by=cast.officer, name="防汛抗旱", higher_rule="《中华人民共和国防汛条例》",
                                 effective_from=dt.date(2019, 1, 1), effective_to=dt.date(2019, 12, 31))
    demand = file_trace(cast, basis_id=expired.pk, basis_text="第十条")
    [finding] = findings(demand)
    assert finding.severity == "block"
    assert finding.params["end"] == "2019-12-31"
    in_force = file_trace(cast, basis_id=expired.pk, basis_text="第十条", occurs_on=dt.date(2019, 6, 1))
    assert findings(in_force) == []


def test_an_unknown_basis_blocks(cast):
    demand = file_trace(cast, basis_id=999_999, basis_text="第一条")
    assert [(f.rule_code, f.severity) for f in findings(demand)] == [(RULE, "block")]


def test_a_revision_that_cites_the_basis_clears_the_block(cast, safety):
    demand = file_trace(cast)
    demand = services.demand_revise(by=cast.clerk, demand=demand, version=demand.version, title=demand.title,
                                    body="每月报送台账。", data=trace_data(basis_id=safety.pk, basis_text="第四十六条"))
    assert demand.current_revision.number == 2
    assert demand.current_revision.blocking == 0
    assert submit(cast, demand).status == Status.CHECKED


def test_with_the_rule_switched_off_nothing_is_found(cast):
    rule_change(by=cast.officer, code=RULE, value=False, severity="block", source_clause=CLAUSE,
                effective_from=timezone.localdate(), note="试行")
    assert findings(file_trace(cast)) == []


def test_the_check_is_a_pure_function_of_the_data_the_rules_and_the_bases(cast, safety):
    rules = ruleset_for(unit=cast.department, on=dt.date(2019, 6, 1))
    cited = trace_data(basis_id=safety.pk, basis_text="第四十六条")
    assert check_trace(data=cited, rules=rules, bases={safety.pk: safety}, on=dt.date(2019, 6, 1)) == []
    assert check_trace(data=cited, rules=rules, bases={safety.pk: safety}, on=dt.date(2018, 6, 1))[0].blocks
    assert check_trace(data=trace_data(), rules=rules, bases={}, on=dt.date(2019, 6, 1))[0].blocks


@pytest.mark.parametrize(("data", "code"), [
    ({"trace_types": []}, "trace_types"), ({"trace_types": ["selfies"]}, "trace_types"),
    ({"frequency": "hourly"}, "frequency"), ({"basis_id": "安全生产"}, "basis_id")])
def test_a_trace_requirement_with_invalid_details_is_refused(cast, data, code):
    with pytest.raises(ApplicationError) as refused:
        file_trace(cast, **data)
    assert refused.value.code == code
    assert not Demand.objects.filter(kind=Kind.TRACE).exists()


# --- pages ---

def test_the_clerk_files_a_trace_requirement_through_the_page_and_sees_its_fields(cast, safety):
    client = cast.client(cast.clerk)
    assert client.get(reverse("demands:new", args=["trace"])).status_code == 200
    response = client.post(reverse("demands:new", args=["trace"]), form_post(cast, safety))
    assert response.status_code == 302
    demand = Demand.objects.get(kind=Kind.TRACE)
    assert demand.current_revision.data == {
        "trace_types": ["photos", "ledgers"], "frequency": "monthly", "basis_id": safety.pk,
        "basis_text": "《中华人民共和国安全生产法》第四十六条", "purpose": "核查隐患整改情况"}
    assert demand.current_revision.blocking == 0
    with translation.override("en"):
        page = client.get(demand.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in ("安全生产", "《中华人民共和国安全生产法》", "核查隐患整改情况", "每月5日前报送"):
        assert text in page, text


def test_the_edit_page_keeps_the_trace_fields_and_saves_a_new_version(cast, safety):
    demand = file_trace(cast)
    client = cast.client(cast.clerk)
    form = client.get(reverse("demands:edit", args=[demand.pk])).context["form"]
    assert form.initial["trace_types"] == ["photos", "ledgers"]
    assert form.initial["frequency"] == "monthly"
    response = client.post(reverse("demands:edit", args=[demand.pk]),
                           form_post(cast, safety, version=demand.version))
    assert response.status_code == 302
    demand.refresh_from_db()
    assert (demand.current_revision.number, demand.current_revision.blocking) == (2, 0)


def test_the_form_requires_a_kind_of_trace_and_a_purpose(cast):
    response = cast.client(cast.clerk).post(reverse("demands:new", args=["trace"]),
                                            form_post(cast, trace_types=[], purpose=""))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"trace_types", "purpose"}
    assert not Demand.objects.filter(kind=Kind.TRACE).exists()


def test_the_outsider_gets_404_for_a_trace_requirement_of_township_a(cast, safety):
    demand = file_trace(cast, by=cast.cadre_a, unit=cast.township_a, targets=[(cast.village_a, False)],
                        basis_id=safety.pk, basis_text="第四十六条")
    client = cast.client(cast.cadre_b)
    records = AuditRecord.objects.count()
    assert client.get(reverse("demands:detail", args=[demand.pk])).status_code == 404
    assert client.get(reverse("demands:edit", args=[demand.pk])).status_code == 404
    assert client.post(reverse("demands:submit", args=[demand.pk]), {"version": demand.version}).status_code == 404
    assert list(client.get(reverse("demands:list"), {"kind": "trace"}).context["page"].object_list) == []
    assert AuditRecord.objects.count() == records
    # The village under A, on which it falls, reads it once it is issued, not as a draft.
    assert cast.client(cast.village_cadre_a).get(demand.get_absolute_url()).status_code == 404
    demand = approve(cast, demand)
    assert cast.client(cast.village_cadre_a).get(demand.get_absolute_url()).status_code == 200


def test_the_filing_list_filters_trace_requirements(cast, safety, file_document):
    trace = file_trace(cast, basis_id=safety.pk, basis_text="第四十六条")
    file_document()
    page = cast.client(cast.officer).get(reverse("demands:list"), {"kind": "trace"}).context["page"]
    assert list(page.object_list) == [trace]
