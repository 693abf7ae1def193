"""The gate's rules for document drafts: length per kind, the checklist, reissued notices, elements, overlap."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document

from jianfu.core.errors import ApplicationError
from jianfu.demands import services
from jianfu.demands.models import Demand, DocumentKind, Status
from jianfu.rules.models import RuleVersion

from . import filings
from .filings import CHECKLIST_NO, approve, findings, padded, valid_text

pytestmark = pytest.mark.django_db

LIMITS = [(DocumentKind.NORMATIVE, 5000), (DocumentKind.COMPREHENSIVE, 5000), (DocumentKind.SPECIAL, 2000),
          (DocumentKind.OTHER, 2000)]
KIND_NAMES = {DocumentKind.NORMATIVE: "normative document", DocumentKind.COMPREHENSIVE: "comprehensive report",
              DocumentKind.SPECIAL: "special report", DocumentKind.OTHER: "other document"}


def only(demand: Demand, code: str):
    found = [f for f in findings(demand) if f.rule_code == code]
    assert len(found) == 1, [(f.rule_code, f.text()) for f in findings(demand)]
    return found[0]


def test_a_valid_document_has_no_findings_and_its_character_count_is_kept(file_document):
    demand = file_document()
    assert findings(demand) == []
    assert demand.current_revision.char_count == 220
    assert demand.current_revision.blocking == 0
    assert demand.status == Status.DRAFT


# --- length per kind ---

@pytest.mark.parametrize(("kind", "limit"), LIMITS)
def test_a_draft_of_exactly_the_limit_passes(file_document, kind, limit):
    demand = file_document(kind=kind, body=padded(valid_text(), limit))
    assert demand.current_revision.char_count == limit
    assert findings(demand) == []


@pytest.mark.parametrize(("kind", "limit"), LIMITS)
def test_a_draft_156_characters_over_the_limit_of_its_kind_is_blocked_with_the_numbers(file_document, kind, limit):
    demand = file_document(kind=kind, body=padded(valid_text(), limit + 156))
    finding = only(demand, f"document.max_chars.{kind}")
    assert finding.severity == "block"
    assert demand.current_revision.blocking == 1
    with translation.override("en"):
        assert finding.text() == (f"A {KIND_NAMES[kind]} may have at most {limit:,} characters; "
                                  f"this draft has {limit + 156:,} ({156} over).")
        assert finding.fix_text().startswith("Cut at least 156 characters")
    assert f"{limit + 156:,}" in finding.text()
    assert finding.detail == {"count": limit + 156, "limit": limit}
    assert finding.rule_version.value == limit


def test_a_special_report_of_2156_characters_says_2156_and_156_over(file_document):
    demand = file_document(kind=DocumentKind.SPECIAL, body=padded(valid_text(), 2156))
    with translation.override("en"):
        assert "this draft has 2,156 (156 over)" in only(demand, "document.max_chars.special").text()


def test_a_normative_document_of_2156_characters_passes(file_document):
    demand = file_document(kind=DocumentKind.NORMATIVE, body=padded(valid_text(), 2156))
    assert findings(demand) == []


# --- the no-issuance checklist ---

def test_an_unanswered_checklist_blocks_and_counts_the_questions(file_document):
    demand = file_document(checklist={})
    finding = only(demand, "document.no_issuance")
    assert finding.severity == "block"
    assert finding.params == {"n": 10}
    assert len(finding.detail["unanswered"]) == 10


def test_a_partly_answered_checklist_names_the_unanswered_questions(file_document, checklist_no):
    answers = checklist_no
    del answers["phone_suffices"], answers["can_merge"]
    finding = only(file_document(checklist=answers), "document.no_issuance")
    assert finding.params == {"n": 2}
    assert finding.detail["unanswered"] == ["phone_suffices", "can_merge"]


def test_a_yes_in_the_checklist_blocks_and_names_the_category(file_document, checklist_no):
    demand = file_document(checklist=checklist_no | {"phone_suffices": True})
    finding = only(demand, "document.no_issuance")
    assert finding.severity == "block"
    assert finding.detail == {"category": "phone_suffices"}
    assert "通过电话、短信（信息）能够解决的通知类事项" in finding.text()
    with translation.override("en"):
        assert finding.text() == "No document is issued when: A notice that a phone call or message suffices for."
    with pytest.raises(ApplicationError) as refused:
        services.demand_submit(by=demand.filed_by, demand=demand, version=demand.version)
    assert refused.value.code == "blocked"


def test_two_yes_answers_give_two_blocking_findings(file_document, checklist_no):
    demand = file_document(checklist=checklist_no | {"phone_suffices": True, "restates_higher": True})
    assert sorted(f.detail["category"] for f in findings(demand)) == ["phone_suffices", "restates_higher"]
    assert demand.current_revision.blocking == 2


# --- meeting notices and speeches reissued as documents ---

@pytest.mark.parametrize("title", ["关于召开全市基层减负工作会议的通知", "市委书记在全市基层减负工作会议上的讲话",
                                   "全市基层减负工作会议通知"])
def test_a_meeting_notice_or_speech_title_warns(file_document, title):
    finding = only(file_document(title=title, body=valid_text()), "document.reissued_notice")
    assert finding.severity == "warn"
    with translation.override("en"):
        assert finding.text() == "This looks like a meeting notice or a speech issued as a document."


def test_a_text_that_opens_as_a_speech_warns(file_document):
    body = "同志们：\n今天我们召开会议，主要任务是部署基层减负工作。\n" + valid_text()
    assert "document.reissued_notice" in [f.rule_code for f in findings(file_document(body=body))]


def test_an_ordinary_notice_is_not_taken_for_a_meeting_notice(file_document):
    assert findings(file_document(title="关于进一步规范村级组织工作事务的通知")) == []


# --- elements of an official document ---

@pytest.mark.parametrize("wrong", ["[2019]", "【2019】", "(2019)", "（2019）"])
def test_a_document_number_with_wrong_brackets_warns_and_suggests_the_right_form(file_document, wrong):
    body = valid_text(date=dt.date(2019, 5, 10)).replace("〔2019〕", wrong, 1)
    finding = only(file_document(body=body), "document.elements")
    assert finding.severity == "warn"
    assert finding.params == {"number": f"郴办发{wrong}5号"}
    assert finding.fix_params == {"suggestion": "郴办发〔2019〕5号"}
    assert "郴办发〔2019〕5号" in finding.fix_text()
    with translation.override("en"):
        assert finding.text() == f"The document number 郴办发{wrong}5号 must use 〔〕 around the year."


def _without_line(text: str, index: int) -> str:
    lines = text.strip("\n").split("\n")
    del lines[index]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("index", "element", "example"), [
    (0, "doc_number", "××发〔20××〕×号"),
    (1, "title", "关于……的通知"),
    (2, "recipient", "各县市区委、人民政府，市直各单位："),
    (-2, "issuer", "中共××市委办公室"),
    (-1, "date", "20××年×月×日"),
])
def test_each_missing_element_warns_once_with_an_example(file_document, index, element, example):
    demand = file_document(body=_without_line(valid_text(), index))
    assert [f.detail.get("element") for f in findings(demand)] == [element]
    finding = only(demand, "document.elements")
    assert finding.severity == "warn"
    assert example in finding.fix_text()
    assert demand.current_revision.blocking == 0


def test_a_missing_element_message_names_the_element_in_the_readers_language(file_document):
    finding = only(file_document(body=_without_line(valid_text(), 2)), "document.elements")
    assert "主送机关" in finding.text()
    with translation.override("en"):
        assert finding.text() == "The main recipient is missing or not where it belongs."


# --- near-duplicates ---

def edited_copy(text: str) -> str:
    """The text with about a tenth of it rewritten (one of the four points replaced)."""
    lines = text.split("\n")
    point = next(i for i, ln in enumerate(lines) if ln.startswith("二、"))
    lines[point] = "二、各级各部门要严格控制发文数量，能不发的坚决不发，能合并的一律合并。"
    return "\n".join(lines)


def test_a_near_duplicate_of_an_approved_document_names_it(cast, file_document):
    first = approve(cast, file_document())
    copy = edited_copy(first.current_revision.body)
    second = file_document(title="关于做好基层减负有关工作的通知", body=copy)
    finding = only(second, "document.near_duplicate")
    assert finding.severity == "warn"
    assert finding.detail == {"demand_id": first.pk}
    assert finding.params["title"] == first.title
    assert finding.params["number"] == first.control_number
    assert first.control_number in finding.text()
    assert 50 <= finding.params["percent"] < 100
    assert second.current_revision.blocking == 0
    page = cast.client(cast.clerk).get(second.get_absolute_url()).content.decode()
    assert reverse("demands:detail", args=[first.pk]) in page


def test_a_draft_nobody_submitted_is_not_a_registered_document(file_document):
    first = file_document()
    second = file_document(body=edited_copy(first.current_revision.body))
    assert "document.near_duplicate" not in [f.rule_code for f in findings(second)]


def test_a_different_document_is_not_a_near_duplicate(cast, file_document):
    approve(cast, file_document())
    other = valid_text(title="关于加强安全生产的若干措施", topic="安全生产", seq=9)
    assert findings(file_document(title="关于加强安全生产的若干措施", body=other)) == []


# --- filing through the page ---

def _form_data(cast, **overrides) -> dict:
    data = {"title": "关于进一步做好基层减负工作的通知", "issuing_unit": cast.department.pk,
            "occurs_on": timezone.localdate().isoformat(), "targets": [cast.county.pk], "include_below": "on",
            "document_kind": DocumentKind.OTHER, "issued_in_name": "committee_office", "body": ""}
    data |= {f"no_issue_{code}": "no" for code in CHECKLIST_NO}
    return data | overrides


def test_a_clerk_uploads_a_docx_and_sees_every_finding_at_once(cast):
    document = Document()
    for line in padded(valid_text(), 2156).splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "draft.docx"
    client = cast.client(cast.clerk)
    response = client.post(reverse("demands:new", args=["document"]),
                           _form_data(cast, document_kind=DocumentKind.SPECIAL, upload=upload))
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.current_revision.file_name == "draft.docx"
    assert demand.current_revision.char_count == 2156
    page = client.get(response["Location"]).content.decode()
    assert "2,156" in page and "156" in page
    assert "document.max_chars.special" in page
    assert "专项报告和文件不超过2000字" in page
    assert f"第{RuleVersion.objects.get(code='document.max_chars.special').version}版" in page


def test_pasted_text_is_filed_as_is(cast):
    response = cast.client(cast.clerk).post(reverse("demands:new", args=["document"]),
                                            _form_data(cast, body=valid_text()))
    assert response.status_code == 302
    revision = Demand.objects.get().current_revision
    assert revision.body == valid_text().strip()
    assert revision.data["checklist"] == CHECKLIST_NO


def test_an_unreadable_upload_is_refused_on_the_form_and_nothing_is_filed(cast):
    upload = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    upload.name = "draft.docx"
    response = cast.client(cast.clerk).post(reverse("demands:new", args=["document"]),
                                            _form_data(cast, upload=upload))
    assert response.status_code == 400
    assert "upload" in response.context["form"].errors
    assert not Demand.objects.exists()


def test_the_form_requires_every_checklist_answer(cast):
    data = _form_data(cast, body=valid_text())
    del data["no_issue_can_merge"]
    response = cast.client(cast.clerk).post(reverse("demands:new", args=["document"]), data)
    assert response.status_code == 400
    assert "no_issue_can_merge" in response.context["form"].errors
    assert not Demand.objects.exists()


def test_a_speech_printed_under_a_document_number_and_title_is_still_recognised(cast):
    from jianfu.demands.checks import check_document
    from jianfu.rules.selectors import default_ruleset

    text = "郴办发〔2019〕5号\n关于做好基层减负工作的通知\n同志们：\n今天召开这次会议，主要任务是……\n"
    _, findings = check_document(text=text, title="关于做好基层减负工作的通知", kind="other", checklist={},
                                 rules=default_ruleset())
    assert "document.reissued_notice" in {f.rule for f in findings}


def test_a_near_duplicate_outside_the_filers_scope_is_flagged_without_its_title_or_number(cast):
    first = approve(cast, filings.file_document(cast, by=cast.cadre_a, unit=cast.township_a,
                                                targets=[(cast.village_a, False)]))
    second = filings.file_document(cast, by=cast.cadre_b, unit=cast.township_b, title="关于做好基层减负有关工作的通知",
                                   body=edited_copy(first.current_revision.body), targets=[(cast.village_b, False)])
    finding = only(second, "document.near_duplicate")
    assert finding.detail == {"demand_id": first.pk}  # kept whole, so the task force sees the match
    page = cast.client(cast.cadre_b).get(second.get_absolute_url()).content.decode()
    assert first.control_number not in page  # (its title is in the copied text itself)
    assert reverse("demands:detail", args=[first.pk]) not in page
    assert "the task force can see it" in page or "任务组" in page or "专班" in page
    api = cast.client(cast.cadre_b).get(f"/api/v1/demands/{second.pk}").json()
    assert first.control_number not in str(api)
    officer = cast.client(cast.officer).get(second.get_absolute_url()).content.decode()
    assert first.control_number in officer and reverse("demands:detail", args=[first.pk]) in officer
