"""Outside your scope, nothing — not even a title. Walk every registered page and API operation as the outsiders
of the fixed cast and look for the title, control number or name of anything that lies outside their scope:
in pages, API answers, look-ups (verify, similarity, reuse, search) and exports."""

from __future__ import annotations

import contextlib
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from jianfu.api.services import api_token_create
from jianfu.core.exports import _EXPORTS
from jianfu.demands import reports
from jianfu.demands import services as registry
from jianfu.demands.models import Review
from jianfu.org import services as org
from jianfu.reportforms import services as rf
from tests.demands.filings import file_document, file_meeting, valid_text

pytestmark = pytest.mark.django_db

SECRET_DOC = "甲镇绝密文件标题"
SECRET_DRAFT = "甲镇尚未签发的会议草稿"
SECRET_FORM = "甲镇保密统计报表"
SECRET_REPORT = "甲村反映的未登记事项内容"
SECRET_PERSON = "甲镇保密人员"
SECRET_FIELD = "甲镇特有字段名称"

# Pages that are not about data (static files, language switch, logout) or act only on a POST.
SKIP = re.compile(r"^(admin/|favicon|i18n/|logout/|healthz|static/)")


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


@pytest.fixture
def secrets(cast):
    """Township A's things, each carrying a marker no outsider may ever read."""
    cache.clear()
    issued = file_document(cast, by=cast.cadre_a, unit=cast.township_a, title=SECRET_DOC,
                           body=valid_text(title=SECRET_DOC), targets=[(cast.village_a, False)])
    issued = registry.demand_submit(by=cast.cadre_a, demand=issued, version=issued.version)
    issued = registry.demand_review(by=cast.officer, demand=issued, version=issued.version,
                                    decision=Review.Decision.APPROVE)
    draft = file_meeting(cast, by=cast.cadre_a, unit=cast.township_a, title=SECRET_DRAFT,
                         targets=[(cast.village_a, False)], city_wide=False)
    field = rf.field_definition_create(by=cast.officer, name=SECRET_FIELD, definition="", unit_of_measure="个")
    form = rf.report_form_file(by=cast.cadre_a, issuing_unit=cast.township_a, title=SECRET_FORM,
                               frequency="monthly", minutes_per_response=10, material_type="report_set",
                               field_ids=[(field.pk, True)], targets=[(cast.village_a, False)])
    report = reports.unregistered_report_create(by=cast.village_cadre_a, unit=cast.village_a, number_entered="",
                                                lookup_result="none", issuer_text="某部门",
                                                description=SECRET_REPORT)
    person = org.person_create(by=None, username="secret_a", name=SECRET_PERSON)
    org.membership_grant(by=None, person=person, unit=cast.village_a, role="grassroots_cadre")
    ids = {issued.pk, draft.pk, form.pk, report.pk, person.pk, cast.township_a.pk, cast.village_a.pk,
           cast.cadre_a.pk, cast.village_cadre_a.pk, field.pk}
    markers = [SECRET_DOC, SECRET_DRAFT, SECRET_FORM, SECRET_REPORT, SECRET_PERSON, issued.control_number]
    return {"issued": issued, "draft": draft, "form": form, "ids": sorted(ids), "markers": markers,
            "strings": {"number": issued.control_number, "code": cast.village_a.code, "kind": "document"}}


def _urls(secrets) -> list[str]:
    urls = []
    for pattern in _walk(get_resolver()):
        if SKIP.match(pattern) or "<str:uidb64>" in pattern:
            continue
        names = re.findall(r"<(?:(\w+):)?(\w+)>", pattern)
        candidates = [""]
        for conv, name in names:
            values = ([str(i) for i in secrets["ids"]] if conv in ("int", "id") else
                      [secrets["strings"].get(name, secrets["strings"]["code"])])
            candidates = [c + "|" + v for c in candidates for v in values]
        for combo in candidates:
            url = pattern
            for value in combo.split("|")[1:]:
                url = re.sub(r"<(?:\w+:)?\w+>", value, url, count=1)
            urls.append("/" + url.replace("^", "").replace("$", ""))
    return sorted(set(urls))


def _leaks(text: str, markers: list[str]) -> list[str]:
    return [m for m in markers if m and m in text]


def _scan(client, urls, markers, number: str = "") -> list[str]:
    """GET each URL plain, with a search (a part of a secret title, so an echo of the query is no match) and
    with a control number (the number itself is the reader's own input there, so only the rest counts)."""
    found = []
    for url in urls:
        for params in ({}, {"q": "绝密文件"}, {"number": number} if number else None):
            if params is None:
                continue
            response = client.get(url, params)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            if response.get("Content-Type", "").startswith("application/json"):
                text = json.dumps(json.loads(body or b"null"), ensure_ascii=False)
            wanted = [m for m in markers if m != params.get("number")]
            found += [f"{url}?{params}: {m}" for m in _leaks(text, wanted)]
    return found


@pytest.mark.parametrize("who", ["cadre_b", "clerk"])
def test_no_page_or_api_answer_names_anything_of_township_a_to_an_outsider(cast, secrets, who, settings):
    settings.JIANFU_VERIFY_PER_MINUTE = 10**6
    settings.JIANFU_VERIFY_MISSES_PER_HOUR = 10**6
    outsider = getattr(cast, who)
    urls = _urls(secrets)
    assert len(urls) > 100  # the walk covers the site, not a handful of pages
    session = cast.client(outsider)
    number = secrets["issued"].control_number
    leaks = _scan(session, urls, secrets["markers"], number)
    _, raw = api_token_create(by=outsider, name="walk")
    token = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    leaks += _scan(token, [u for u in urls if u.startswith("/api/")], secrets["markers"], number)
    assert leaks == []


def test_a_village_reads_nothing_of_its_townships_draft(cast, secrets, settings):
    settings.JIANFU_VERIFY_PER_MINUTE = 10**6
    settings.JIANFU_VERIFY_MISSES_PER_HOUR = 10**6
    urls = _urls(secrets)
    leaks = _scan(cast.client(cast.village_cadre_a), urls, [SECRET_DRAFT, SECRET_FORM])
    assert leaks == []


def test_the_look_ups_that_decide_with_every_filing_name_nothing_outside_scope(cast, secrets):
    client = cast.client(cast.cadre_b)
    # similarity: a near-copy of township A's document and a meeting on the same day with the same agenda
    copy = file_document(cast, by=cast.cadre_b, unit=cast.township_b, title="热水镇关于减负的通知",
                         body=valid_text(title=SECRET_DOC), targets=[(cast.village_b, False)])
    meeting = file_meeting(cast, by=cast.cadre_b, unit=cast.township_b, title="热水镇会议",
                           targets=[(cast.village_b, False)], city_wide=False,
                           occurs_on=secrets["draft"].occurs_on)
    markers = [secrets["issued"].control_number, SECRET_DRAFT, SECRET_FORM]
    for demand in (copy, meeting):
        assert _leaks(client.get(demand.get_absolute_url()).content.decode(), markers) == []
        assert _leaks(json.dumps(client.get(f"/api/v1/demands/{demand.pk}").json(), ensure_ascii=False),
                      markers) == []
    reuse = client.post("/api/v1/reportforms/fields/reuse", json.dumps({"names": [SECRET_FIELD]}),
                        content_type="application/json")
    assert reuse.status_code == 200 and _leaks(json.dumps(reuse.json(), ensure_ascii=False), markers) == []


def test_no_export_carries_anything_of_township_a_to_an_outsider(cast, secrets):
    from django.utils import translation

    assert _EXPORTS, "the apps register their exports"
    leaks = []
    params_to_try = [{}] + [{"pk": str(i), "plan": str(i), "id": str(i)} for i in secrets["ids"]]
    with translation.override("zh-hans"):
        for name, spec in _EXPORTS.items():
            for params in params_to_try:
                rows = []
                # A build that refuses these params (not found, not allowed) has nothing to leak.
                with contextlib.suppress(Exception):
                    sheet = spec.build(cast.cadre_b, dict(params))
                    rows = [list(map(str, r)) for r in sheet.rows]
                text = " ".join(" ".join(r) for r in rows)
                leaks += [f"{name} {params}: {m}" for m in _leaks(text, secrets["markers"])]
    assert leaks == []


def test_the_read_only_leader_changes_nothing_through_any_page_or_api_write(cast, secrets):
    """Every write path checks the write permission in the service: the leader posts plausible data to every
    URL of the site and of the API, and the audit log (which every write extends) does not grow."""
    from jianfu.audit.models import AuditRecord

    issued = secrets["issued"]
    data = {"version": issued.version, "reason": "领导试图修改", "decision": "approve", "unit": cast.city.pk,
            "number": "", "issuer_text": "某单位", "description": "要求报材料", "title": "领导的标题",
            "name": "领导的名称", "code": "431000X1", "type": "township", "parent": cast.county.pk,
            "username": "leader_made", "role": "grassroots_cadre", "person": cast.cadre_a.pk, "what": "temporary",
            "keep": issued.pk, "active": "on", "year": 2026, "kind": "document", "valid_until": "2027-01-01"}
    client = cast.client(cast.leader)
    _, raw = api_token_create(by=cast.leader, name="walk")
    token = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    before = AuditRecord.objects.count()
    own_account = ("/tokens/", "/org/account/")  # a read-only person still keeps their own settings and tokens
    for url in _urls(secrets):
        if url.startswith(own_account):
            continue
        if url.startswith("/api/"):
            for method in (token.post, token.patch):
                method(url, json.dumps(data), content_type="application/json")
        else:
            client.post(url, data)
    assert AuditRecord.objects.count() == before
