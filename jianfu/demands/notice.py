"""The printable notice of an approved document or meeting, in official-document layout (GB/T 9704-2012).

The page header carries the control number and its validity, and a QR code at the end of the text opens
the verify page, so a cadre holding the paper can check the number with a phone.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import segno
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .models import Demand, Kind, MeetingMode, Review, Revision

NOTICE_KINDS = (Kind.DOCUMENT, Kind.MEETING)
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# GB/T 9704-2012: A4, 天头 37 mm, 订口 28 mm, text area 156 × 225 mm, 22 lines of 3号 仿宋.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "left": 28, "right": 26, "bottom": 35}
TEXT_WIDTH_PT = 156 / 25.4 * 72
LINE_PT = 28.9  # 225 mm / 22 lines, rounded down so that 22 lines always fit
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, HEADER_PT, CAPTION_PT = 16, 22, 14, 12, 14  # 3号, 2号, 4号, 小四, 4号
MARK_MAX_PT = 36  # 小初; a long unit name shrinks to fit one line

FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)

# The QR code on the paper: error correction M survives a fold or a smudge; ~25 mm prints sharp at 300 dpi.
QR_ERROR, QR_SCALE, QR_BORDER, QR_SIZE_MM = "m", 8, 4, 25

DOC_NUMBER = re.compile(r"^\S{1,30}〔\d{4}〕\d+号$")  # 发文字号: 郴办发〔2019〕5号
_DAY_DIGITS = r"[\d〇零一二三四五六七八九十]{1,3}"
DATE_LINE = re.compile(rf"^(\d{{4}}|[〇零一二三四五六七八九]{{4}})年{_DAY_DIGITS}月{_DAY_DIGITS}日$")  # 成文日期
LEVEL_1 = re.compile(r"^[一二三四五六七八九十]+、")  # 黑体
LEVEL_2 = re.compile(r"^（[一二三四五六七八九十]+）")  # 楷体
CLOSING_PUNCTUATION = "。；，：！？.;,:!?"
CHINESE_NUMERALS = "一二三四五六七八九十"


def notice_available(demand: Demand) -> bool:
    """Whether the demand is an issued document or meeting with a control number, so its notice can be printed."""
    return (demand.kind in NOTICE_KINDS and bool(demand.control_number) and demand.counts_as_issued
            and demand.current_revision_id is not None)


def notice_url(demand: Demand) -> str:
    """The address of the demand's printable notice, or "" when it has none (for `_notice_button.html`)."""
    return reverse("demands:notice", args=[demand.pk]) if notice_available(demand) else ""


def notice_qr_png(url: str) -> bytes:
    """The QR code printed on the notice, as PNG."""
    buffer = io.BytesIO()
    segno.make_qr(url, error=QR_ERROR).save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return buffer.getvalue()


def notice_docx(*, demand: Demand, revision: Revision, verify_url: str, short_url: str) -> bytes:
    """Build the notice as a .docx: header with the control number, official layout, QR code at the end."""
    document = Document()
    _set_up_page(document)
    _set_up_styles(document)
    _page_header_and_footer(document, demand=demand, short_url=short_url)
    unit_name = demand.issuing_unit.name
    if demand.kind == Kind.MEETING:
        doc_number, addressee, paragraphs = None, _meeting_addressee(demand), _meeting_paragraphs(demand, revision)
        signature, date_text = unit_name, _long_date(_approved_on(demand))
    else:
        doc_number, addressee, paragraphs, signature, date_text = _document_parts(demand, revision)
    _masthead(document, unit_name=unit_name, doc_number=doc_number)
    _title(document, demand.title)
    if addressee:
        _addressee(document, addressee)
    for text in paragraphs:
        _body_paragraph(document, text)
    _signature(document, signature=signature, date_text=date_text)
    _qr_block(document, short_url=short_url, verify_url=verify_url)
    properties = document.core_properties
    properties.author = unit_name
    properties.last_modified_by = unit_name
    properties.title = demand.title
    properties.identifier = demand.control_number or ""
    properties.subject = demand.control_number or ""
    properties.comments = ""
    properties.language = translation.to_locale(translation.get_language() or "zh-hans").replace("_", "-")
    properties.created = properties.modified = timezone.now().replace(microsecond=0, tzinfo=None)
    properties.revision = 1
    # The template's thumbnail shows a blank page of another document.
    package_rels = document.part.package.rels
    for r_id in [r_id for r_id, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        package_rels.pop(r_id)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# The document's parts ------------------------------------------------------------------------------------


def _document_parts(demand: Demand, revision: Revision) -> tuple[str | None, str, list[str], str, str]:
    """Split the text into 发文字号, 主送机关, paragraphs, 署名 and 成文日期, without repeating the title."""
    lines = [line.strip() for line in (revision.body or "").splitlines() if line.strip()]
    title = _squeeze(demand.title)
    doc_number = None
    while lines:
        if doc_number is None and DOC_NUMBER.match(lines[0]):
            doc_number = lines.pop(0)
        elif _squeeze(lines[0]) in (title, _squeeze(revision.title)):
            lines.pop(0)
        else:
            break
    addressee = ""
    if lines and lines[0][-1] in "：:" and "。" not in lines[0] and len(lines) > 1:
        addressee = lines.pop(0)[:-1] + "："
    signature, date_text = demand.issuing_unit.name, ""
    if lines and DATE_LINE.match(lines[-1]):
        date_text = lines.pop()
        if lines and len(lines[-1]) <= 40 and lines[-1][-1] not in CLOSING_PUNCTUATION and not LEVEL_1.match(
                lines[-1]):
            signature = lines.pop()
    if not date_text:
        date_text = _long_date(demand.occurs_on or demand.valid_from or _approved_on(demand))
    return doc_number, addressee, lines, signature, date_text


def _meeting_addressee(demand: Demand) -> str:
    names = [t.unit.name for t in demand.targets.select_related("unit").order_by("unit__code")]
    if not names:
        return ""
    return _("%(units)s:") % {"units": pgettext("list of units", ", ").join(names)}


def _meeting_paragraphs(demand: Demand, revision: Revision) -> list[str]:
    data = revision.data or {}
    paragraphs = [_("It has been decided to hold the %(title)s. The arrangements are as follows:")
                  % {"title": demand.title}]
    when = _long_date(demand.occurs_on) if demand.occurs_on else ""
    starts_at, minutes = str(data.get("starts_at") or ""), data.get("planned_minutes")
    if starts_at and minutes:
        time_text = _("%(date)s, starting at %(time)s; planned length %(minutes)s minutes.") % {
            "date": when, "time": starts_at, "minutes": minutes}
    elif starts_at:
        time_text = _("%(date)s, starting at %(time)s.") % {"date": when, "time": starts_at}
    elif minutes:
        time_text = _("%(date)s; planned length %(minutes)s minutes.") % {"date": when, "minutes": minutes}
    else:
        time_text = when
    # The labels are the meeting form's, so the notice reads as the filing did.
    items: list[tuple[str, list[str]]] = [(_("Time"), [time_text])]
    if data.get("mode") in MeetingMode.values:
        items.append((_("Held"), [str(MeetingMode(data["mode"]).label)]))
    roles, count = str(data.get("attendee_roles") or "").strip(), data.get("attendees")
    if roles and count:
        attend = _("%(roles)s; %(count)s people in all.") % {"roles": roles, "count": count}
    elif count:
        attend = _("%(count)s people in all.") % {"count": count}
    else:
        attend = roles
    if attend:
        items.append((_("Who attends"), [attend]))
    agenda = [line.strip() for line in (revision.body or "").splitlines() if line.strip()]
    if agenda:
        items.append((_("Agenda"), agenda))
    for n, (label, values) in enumerate(items, start=1):
        paragraphs.append(_heading_number(n) + label)
        paragraphs.extend(v for v in values if v)
    return paragraphs


def _heading_number(n: int) -> str:
    """一、 in Chinese (GB/T 9704's first heading level); 1. otherwise."""
    if (translation.get_language() or "").startswith("zh") and n <= len(CHINESE_NUMERALS):
        return CHINESE_NUMERALS[n - 1] + "、"
    return f"{n}. "


def _approved_on(demand: Demand) -> dt.date:
    at = (demand.reviews.filter(decision=Review.Decision.APPROVE).order_by("-at").values_list("at", flat=True)
          .first())
    return timezone.localdate(at) if at else timezone.localdate()


def _long_date(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _width_in_chars(text: str) -> float:
    """Printed width in full-width characters: ASCII letters and digits are half as wide."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


# Page, styles, header and footer ---------------------------------------------------------------------------


def _set_up_page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(12)
    # The page number's line starts about 7 mm below the text area.
    section.footer_distance = Mm(22)
    document.settings.odd_and_even_pages_header_footer = True


def _set_up_styles(document) -> None:
    # The default template names theme fonts, which would win over 仿宋 in the East-Asian slot.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    if fonts is not None:
        for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _east_asian(normal.element.get_or_add_rPr(), normal.font, FANGSONG)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
    fmt.widow_control = True


def _east_asian(rPr, font, name: str) -> None:
    font.name = name
    rPr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _run(paragraph, text: str, *, font: str = FANGSONG, size: float = BODY_PT, color: RGBColor | None = None):
    run = paragraph.add_run(text)
    _east_asian(run._element.get_or_add_rPr(), run.font, font)
    run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def _page_header_and_footer(document, *, demand: Demand, short_url: str) -> None:
    section = document.sections[0]
    if demand.valid_from and demand.valid_until:
        number_line = _("Control number: %(number)s  Valid: %(start)s to %(end)s") % {
            "number": demand.control_number, "start": demand.valid_from.isoformat(),
            "end": demand.valid_until.isoformat()}
    else:
        number_line = _("Control number: %(number)s") % {"number": demand.control_number}
    link_line = _("Verify: %(url)s") % {"url": short_url}
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        first = header.paragraphs[0]
        for paragraph, text in ((first, number_line), (header.add_paragraph(style=first.style), link_line)):
            paragraph.paragraph_format.line_spacing = 1.0
            _run(paragraph, text, size=HEADER_PT)
    # Page numbers: "— 1 —", odd pages right and even pages left, one character in.
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                       WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        fmt = paragraph.paragraph_format
        fmt.alignment, fmt.line_spacing = align, 1.0
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            fmt.left_indent = Pt(PAGE_NUMBER_PT)
        _run(paragraph, "— ", font=SONGTI, size=PAGE_NUMBER_PT)
        _page_field(paragraph, "2" if align == WD_ALIGN_PARAGRAPH.LEFT else "1")
        _run(paragraph, " —", font=SONGTI, size=PAGE_NUMBER_PT)


def _page_field(paragraph, shown: str) -> None:
    def field_char(kind: str):
        run = _run(paragraph, "", font=SONGTI, size=PAGE_NUMBER_PT)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._element.append(element)

    field_char("begin")
    run = _run(paragraph, "", font=SONGTI, size=PAGE_NUMBER_PT)
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run._element.append(instruction)
    field_char("separate")
    _run(paragraph, shown, font=SONGTI, size=PAGE_NUMBER_PT)
    field_char("end")


# The text area --------------------------------------------------------------------------------------------


def _masthead(document, *, unit_name: str, doc_number: str | None) -> None:
    """发文机关标志 in red 小标宋, 35 mm below the top of the text area; 发文字号; the red rule under them."""
    mark = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    fmt = mark.paragraph_format
    fmt.alignment, fmt.space_before, fmt.line_spacing = WD_ALIGN_PARAGRAPH.CENTER, Mm(35), 1.0
    size = min(MARK_MAX_PT, int(TEXT_WIDTH_PT / max(_width_in_chars(unit_name), 1) * 2) / 2)
    _run(mark, unit_name, font=XIAOBIAOSONG, size=size, color=RED)
    ruled = mark
    if doc_number:
        ruled = document.add_paragraph()
        ruled.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ruled.paragraph_format.space_before = Pt(2 * LINE_PT)
        _run(ruled, doc_number)
    _red_rule(ruled)


def _red_rule(paragraph) -> None:
    """A red line as wide as the text area, 4 mm below the paragraph (a bottom border)."""
    pPr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "11"), ("w:color", "FF0000")):
        bottom.set(qn(attr), value)
    borders.append(bottom)
    pPr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                              "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                              "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                              "w:rPr", "w:sectPr", "w:pPrChange")


def _title(document, title: str) -> None:
    """标题 in 2号 小标宋, centred, two lines below the red rule."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(2 * LINE_PT)
    _run(paragraph, title, font=XIAOBIAOSONG, size=TITLE_PT)


def _addressee(document, text: str) -> None:
    """主送机关 one line below the title, flush left."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(LINE_PT)
    _run(paragraph, text)


def _indent_chars(paragraph, *, first_line: int = 0, right: float = 0) -> None:
    """Indent in characters of the body's size, as Word's 字符 units (with the same length as a fallback)."""
    fmt = paragraph.paragraph_format
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    if first_line:
        fmt.first_line_indent = Pt(first_line * BODY_PT)
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
    if right:
        fmt.right_indent = Pt(right * BODY_PT)
        ind.set(qn("w:rightChars"), str(round(right * 100)))


def _body_paragraph(document, text: str) -> None:
    """正文 in 3号 仿宋 indented two characters; 一、 headings in 黑体 and （一） in 楷体 up to their first 。."""
    paragraph = document.add_paragraph()
    _indent_chars(paragraph, first_line=2)
    heading_font = HEITI if LEVEL_1.match(text) else KAITI if LEVEL_2.match(text) else None
    if heading_font is None:
        _run(paragraph, text)
        return
    end = text.find("。") + 1 or len(text)
    _run(paragraph, text[:end], font=heading_font)
    if text[end:]:
        _run(paragraph, text[end:])


def _signature(document, *, signature: str, date_text: str) -> None:
    """署名 centred over 成文日期, which sits 4 characters from the right (room for the seal above them)."""
    date_right = 4.0
    name_right = max(0.0, date_right + (_width_in_chars(date_text) - _width_in_chars(signature)) / 2)
    for text, right, before in ((signature, name_right, 2 * LINE_PT), (date_text, date_right, 0)):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_before = Pt(before)
        _indent_chars(paragraph, right=right)
        _run(paragraph, text)


def _qr_block(document, *, short_url: str, verify_url: str) -> None:
    """The QR code of the short link, and under it the link itself (opening the verify page when clicked)."""
    picture = document.add_paragraph()
    fmt = picture.paragraph_format
    fmt.space_before, fmt.line_spacing, fmt.keep_with_next = Pt(LINE_PT), 1.0, True
    picture.add_run().add_picture(io.BytesIO(notice_qr_png(short_url)), width=Mm(QR_SIZE_MM),
                                  height=Mm(QR_SIZE_MM))
    caption = document.add_paragraph()
    prefix, _sep, suffix = (_("Scan to verify this control number: %(url)s") % {"url": "\0"}).partition("\0")
    if prefix:
        _run(caption, prefix, size=CAPTION_PT)
    _hyperlink(caption, text=short_url, url=verify_url or short_url)
    if suffix:
        _run(caption, suffix, size=CAPTION_PT)


def _hyperlink(paragraph, *, text: str, url: str) -> None:
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = _run(paragraph, text, size=CAPTION_PT)
    link.append(run._element)  # moves the run from the paragraph into the link
    paragraph._p.append(link)
