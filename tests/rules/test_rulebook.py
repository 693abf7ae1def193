"""The rulebook: a change adds a dated version; verdicts already given keep the version they used."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jianfu.audit.models import AuditRecord
from jianfu.core.errors import ApplicationError
from jianfu.demands import services as demands
from jianfu.demands.models import DocumentKind
from jianfu.rules.catalogue import RULES
from jianfu.rules.models import RuleVersion
from jianfu.rules.selectors import ruleset_for
from jianfu.rules.services import rule_change, rulebook_seed
from tests.demands.filings import document_data, findings, padded, valid_text

pytestmark = pytest.mark.django_db

CLAUSE = "专项报告和文件不超过2000字"


def change(by, value, *, code="document.max_chars.other", on=None, scope=None, severity="block", **kwargs):
    return rule_change(by=by, code=code, value=value, severity=severity, source_clause=CLAUSE,
                       effective_from=on or timezone.localdate(), scope_unit=scope, note="试行更严的篇幅", **kwargs)


def test_the_source_defaults_are_seeded_as_version_1_of_every_rule(db):
    rulebook_seed()  # a no-op unless a transactional test flushed the migration's rows
    seeded = RuleVersion.objects.filter(scope_unit__isnull=True)
    assert set(seeded.values_list("code", flat=True)) == set(RULES)
    assert set(seeded.values_list("version", flat=True)) == {1}
    rules = ruleset_for(unit=None, on=dt.date(2019, 5, 1))
    assert rules.value("document.max_chars.special") == 2000
    assert rules.value("document.max_chars.normative") == 5000
    assert rules.value("meeting.max_minutes") == 120
    assert len(rules.value("document.no_issuance")) == 10
    assert rules["document.max_chars.other"].clause == CLAUSE


# --- the rule-version rule ---

def test_a_change_never_alters_the_verdict_already_given(cast, file_document):
    demand = file_document(body=padded(valid_text(), 2156))
    [earlier] = findings(demand)
    v1 = earlier.rule_version
    with translation.override("en"):
        text_before = earlier.text()
    assert (v1.version, v1.value) == (1, 2000)

    v2 = change(cast.officer, 3000)
    assert (v2.version, v2.value) == (2, 3000)

    earlier.refresh_from_db()
    assert earlier.rule_version_id == v1.pk
    assert earlier.rule_version.value == 2000
    with translation.override("en"):
        assert earlier.text() == text_before
        assert "at most 2,000 characters; this draft has 2,156 (156 over)" in earlier.text()
    demand.refresh_from_db()
    assert demand.current_revision.blocking == 1
    v1.refresh_from_db()
    assert v1.effective_to == timezone.localdate() - dt.timedelta(days=1)
    assert v1.value == 2000


def test_a_new_version_applies_to_filings_checked_after_it(cast, file_document):
    v2 = change(cast.officer, 1500)
    demand = file_document(body=padded(valid_text(), 1600))
    [finding] = findings(demand)
    assert finding.rule_version_id == v2.pk
    assert finding.params["limit"] == 1500
    assert finding.params["over"] == 100


def test_a_new_version_of_a_resubmitted_filing_is_checked_by_the_rule_then_in_force(cast, file_document):
    demand = file_document(body=padded(valid_text(), 2156))
    change(cast.officer, 3000)
    demand = demands.demand_revise(by=cast.clerk, demand=demand, version=demand.version, title=demand.title,
                                   body=demand.current_revision.body, data=document_data())
    assert findings(demand) == []
    assert demand.revisions.get(number=1).findings.get().rule_version.version == 1


def test_a_filing_dated_before_a_change_is_checked_by_the_version_then_in_force(cast, file_document):
    change(cast.officer, 1500)
    demand = file_document(body=padded(valid_text(), 1800), occurs_on=dt.date(2019, 5, 10))
    assert findings(demand) == []


def test_a_version_that_starts_later_does_not_apply_yet(cast, file_document):
    change(cast.officer, 1500, on=timezone.localdate() + dt.timedelta(days=30))
    assert findings(file_document(body=padded(valid_text(), 1800))) == []
    assert ruleset_for(unit=None, on=timezone.localdate()).value("document.max_chars.other") == 2000


def test_a_change_is_audited_with_the_version_it_closed(cast):
    v2 = change(cast.officer, 1500)
    assert AuditRecord.objects.filter(action="rule.change", object_id=str(v2.pk), actor_id=cast.officer.pk).exists()
    v1 = RuleVersion.objects.get(code="document.max_chars.other", version=1)
    assert AuditRecord.objects.filter(action="rule.close", object_id=str(v1.pk)).exists()
    assert v2.created_by == cast.officer and v2.note == "试行更严的篇幅"


# --- a stricter rule for one county ---

def test_a_county_scoped_stricter_rule_applies_to_that_countys_filings_only(cast, file_document):
    scoped = change(cast.officer, 1000, scope=cast.county)
    body = padded(valid_text(), 1200)
    township = file_document(by=cast.cadre_a, unit=cast.township_a, body=body,
                             targets=[(cast.village_a, False)])
    department = file_document(body=body)
    [finding] = findings(township)
    assert finding.rule_version_id == scoped.pk
    assert finding.params["limit"] == 1000
    assert township.current_revision.blocking == 1
    assert findings(department) == []
    assert ruleset_for(unit=cast.village_b, on=timezone.localdate()).value("document.max_chars.other") == 1000
    assert ruleset_for(unit=cast.department, on=timezone.localdate()).value("document.max_chars.other") == 2000


def test_a_county_rule_does_not_close_the_city_wide_version(cast):
    change(cast.officer, 1000, scope=cast.county)
    city = RuleVersion.objects.get(code="document.max_chars.other", scope_unit__isnull=True)
    assert city.effective_to is None and city.version == 1


# --- who may change the rulebook ---

@pytest.mark.parametrize("who", ["officer", "admin"])
def test_the_task_force_and_the_admin_change_rules(cast, who):
    assert change(getattr(cast, who), 1800).version == 2


@pytest.mark.parametrize("who", ["leader", "cadre_a", "clerk", "cadre_b"])
def test_everyone_else_is_refused_a_rule_change(cast, who):
    with pytest.raises(ApplicationError) as refused:
        change(getattr(cast, who), 1800)
    assert refused.value.code == "forbidden"
    assert RuleVersion.objects.filter(code="document.max_chars.other").count() == 1


@pytest.mark.parametrize("who", ["leader", "cadre_a", "clerk"])
def test_the_change_page_does_not_exist_for_everyone_else(cast, who):
    client = cast.client(getattr(cast, who))
    url = reverse("rules:change", args=["document.max_chars.other"])
    assert client.get(url).status_code == 404
    response = client.post(url, {"value": "100", "severity": "block", "source_clause": CLAUSE,
                                 "effective_from": timezone.localdate().isoformat(), "note": "x"})
    assert response.status_code == 404
    assert RuleVersion.objects.filter(code="document.max_chars.other").count() == 1
    assert client.get(reverse("rules:rulebook")).status_code == 200


def test_the_officer_changes_a_rule_on_the_page(cast):
    client = cast.client(cast.officer)
    url = reverse("rules:change", args=["document.max_chars.other"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"value": "1800", "severity": "block", "source_clause": CLAUSE,
                                 "effective_from": timezone.localdate().isoformat(), "scope_unit": cast.county.pk,
                                 "note": "汝城县试行更严的篇幅"})
    assert response.status_code == 302
    scoped = RuleVersion.objects.get(code="document.max_chars.other", scope_unit=cast.county)
    assert (scoped.value, scoped.version, scoped.created_by) == (1800, 1, cast.officer)
    history = client.get(reverse("rules:history", args=["document.max_chars.other"])).content.decode()
    assert "汝城县试行更严的篇幅" in history


def test_a_bad_value_is_shown_on_the_page_and_saves_nothing(cast):
    response = cast.client(cast.officer).post(
        reverse("rules:change", args=["document.max_chars.other"]),
        {"value": "two thousand", "severity": "block", "source_clause": CLAUSE,
         "effective_from": timezone.localdate().isoformat(), "note": "x"})
    assert response.status_code == 400
    assert RuleVersion.objects.filter(code="document.max_chars.other").count() == 1


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"value": -1}, "value"),
    ({"value": 100, "severity": "fatal"}, "severity"),
    ({"value": 100, "code": "no.such.rule"}, "rule"),
    ({"value": 100, "effective_to": dt.date(2000, 1, 1)}, "dates"),
])
def test_invalid_changes_are_refused(cast, kwargs, code):
    value = kwargs.pop("value")
    with pytest.raises(ApplicationError) as refused:
        change(cast.officer, value, **kwargs)
    assert refused.value.code == code


def test_a_change_must_quote_the_source(cast):
    with pytest.raises(ApplicationError) as refused:
        rule_change(by=cast.officer, code="document.max_chars.other", value=100, severity="block",
                    source_clause="  ", effective_from=timezone.localdate())
    assert refused.value.code == "clause"


def test_a_change_cannot_start_before_a_version_already_in_the_rulebook(cast):
    change(cast.officer, 1800, on=timezone.localdate() + dt.timedelta(days=10))
    with pytest.raises(ApplicationError) as refused:
        change(cast.officer, 1700, on=timezone.localdate() + dt.timedelta(days=5))
    assert refused.value.code == "dates"


def test_a_category_list_can_be_changed(cast, file_document):
    categories = [{"code": "phone_suffices", "zh": "通过电话能够解决的通知类事项", "en": "A phone call suffices"}]
    change(cast.officer, categories, code="document.no_issuance", severity="block")
    checklist = {"phone_suffices": False}
    assert findings(file_document(checklist=checklist, kind=DocumentKind.OTHER)) == []
