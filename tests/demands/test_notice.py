"""An issued document or meeting prints as an official notice with its control number and a QR code to verify it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import segno
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from jianfu.demands import notice, services
from jianfu.demands.models import Review, Status

from .filings import approve, submit

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(client, demand):
    return client.get(reverse("demands:notice", args=[demand.pk]))


def opened(response):
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


def header_text(header) -> str:
    return "\n".join(p.text for p in header.paragraphs)


def short_url(demand) -> str:
    return "http://testserver" + reverse("short_verify", args=[demand.control_number])


@pytest.fixture
def issued_document(cast, file_document):
    return approve(cast, file_document(occurs_on=dt.date(2019, 5, 6)), valid_until=dt.date(2020, 5, 5))


def test_an_approved_document_prints_with_its_control_number_in_the_header(cast, issued_document):
    response = download(cast.client(cast.clerk), issued_document)
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == f'attachment; filename="{issued_document.control_number}.docx"'
    section = opened(response).sections[0]
    for header in (section.header, section.even_page_header):
        text = header_text(header)
        assert issued_document.control_number in text
        assert "2019-05-06" in text and "2020-05-05" in text
        assert short_url(issued_document) in text


def test_the_page_is_a4_with_the_official_margins_and_page_numbers_left_and_right(cast, issued_document):
    document = opened(download(cast.client(cast.clerk), issued_document))
    section = document.sections[0]
    measured = [section.page_width.mm, section.page_height.mm, section.top_margin.mm, section.left_margin.mm,
                section.right_margin.mm, section.bottom_margin.mm]
    assert measured == pytest.approx([210, 297, 37, 28, 26, 35], abs=0.1)
    assert document.settings.odd_and_even_pages_header_footer is True
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right, left
    for footer in (odd, even):
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert " PAGE " in [t.text for t in footer._p.iter(qn("w:instrText"))]


def test_the_body_carries_the_document_text_under_a_single_title(cast, issued_document):
    document = opened(download(cast.client(cast.clerk), issued_document))
    texts = [p.text for p in document.paragraphs]
    body = issued_document.current_revision.body
    for line in body.splitlines():
        if line.strip():
            assert line.strip() in texts
    assert texts.count(issued_document.title) == 1
    assert texts[0] == cast.department.name  # the issuing unit's mark, then 郴办发〔2019〕5号 and the red rule
    assert texts[1] == "郴办发〔2019〕5号"
    assert 'w:color="FF0000"' in document.paragraphs[1]._p.xml
    addressee = document.paragraphs[texts.index("各县市区委、人民政府，市直各单位：")]
    assert not addressee.paragraph_format.first_line_indent


def test_the_qr_code_is_the_one_segno_makes_for_the_short_link(cast, issued_document):
    document = opened(download(cast.client(cast.clerk), issued_document))
    images = [rel.target_part.blob for rel in document.part.rels.values() if rel.reltype == RT.IMAGE]
    expected = io.BytesIO()
    segno.make_qr(short_url(issued_document), error="m").save(
        expected, kind="png", scale=notice.QR_SCALE, border=notice.QR_BORDER)
    assert images == [expected.getvalue()]
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width.mm == pytest.approx(25, abs=0.1)


def test_the_links_use_the_site_address_when_it_is_set(cast, issued_document, settings):
    settings.JIANFU_SITE_URL = "https://jianfu.example.cn"
    document = opened(download(cast.client(cast.clerk), issued_document))
    assert f"https://jianfu.example.cn/v/{issued_document.control_number}/" in header_text(
        document.sections[0].header)
    links = [rel.target_ref for rel in document.part.rels.values() if rel.reltype == RT.HYPERLINK]
    assert links == [f"https://jianfu.example.cn/demands/verify/?number={issued_document.control_number}"]


def test_the_author_is_the_issuing_unit_not_a_person(cast, issued_document):
    properties = opened(download(cast.client(cast.clerk), issued_document)).core_properties
    assert properties.author == properties.last_modified_by == cast.department.name
    assert properties.title == issued_document.title
    assert cast.clerk.name not in (properties.author, properties.last_modified_by, properties.comments)


def test_a_meeting_notice_gives_its_date_start_time_and_agenda(cast, file_meeting):
    meeting = approve(cast, file_meeting(occurs_on=dt.date(2030, 5, 16), starts_at="14:30"))
    assert meeting.status == Status.APPROVED
    document = opened(download(cast.client(cast.clerk), meeting))
    text = "\n".join(p.text for p in document.paragraphs)
    assert meeting.title in text
    assert "2030年5月16日" in text and "14:30" in text
    assert "1. 通报基层减负工作进展" in text and "2. 部署村级组织减负" in text
    assert cast.county.name in text  # 主送机关
    assert meeting.control_number in header_text(document.sections[0].header)


def test_the_receiving_unit_may_download_and_an_outsider_gets_404(cast, file_document):
    demand = approve(cast, file_document(targets=[(cast.township_a, True)]))
    assert download(cast.client(cast.cadre_a), demand).status_code == 200
    assert download(cast.client(cast.cadre_b), demand).status_code == 404


def test_a_draft_or_a_returned_filing_has_no_notice(cast, file_document):
    draft = file_document()
    submitted = submit(cast, file_document(title="关于另一事项的通知"))
    returned = services.demand_review(by=cast.officer, demand=submitted, version=submitted.version,
                                      decision=Review.Decision.RETURN, reason="请补充")
    assert returned.status == Status.RETURNED
    client = cast.client(cast.clerk)
    assert download(client, draft).status_code == 404
    assert download(client, returned).status_code == 404
    assert notice.notice_url(draft) == ""


def test_a_visitor_must_log_in_to_download(cast, issued_document):
    response = download(Client(), issued_document)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_short_link_leads_even_a_visitor_to_the_verify_page_for_the_number(cast, issued_document):
    number = issued_document.control_number
    response = Client().get(reverse("short_verify", args=[number]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('demands:verify')}?number={number}"
    assert Client().get(response["Location"])["Location"].startswith(reverse("login") + "?next=")
    verify = cast.client(cast.cadre_a).get(response["Location"])
    assert verify.context["result"].demand == issued_document  # expired by now: the notice is from 2019


def test_the_button_shows_only_for_a_filing_with_a_notice(cast, issued_document, file_document):
    url = notice.notice_url(issued_document)
    assert url == reverse("demands:notice", args=[issued_document.pk])
    assert f'href="{url}"' in render_to_string("demands/_notice_button.html", {"notice_url": url})
    assert "href" not in render_to_string("demands/_notice_button.html",
                                          {"notice_url": notice.notice_url(file_document())})
