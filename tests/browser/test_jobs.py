"""The everyday jobs, done in Chromium in simplified Chinese as each persona would: typing, clicking, and
reading what the page says.

Each test starts from the fixed cast (tests/conftest.py) on a live server: the clerk of 市委办, the task
force, 土桥镇 (cadre_a) and its village 土桥村 (village_a), 热水镇 (cadre_b, the outsider) and the leader.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from django.utils import timezone

from jianfu.demands import reports, services
from jianfu.demands.models import Demand, Review
from tests.conftest import PASSWORD, Cast
from tests.demands.filings import file_document, file_meeting, submit, valid_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于规范村级组织工作事务的通知"


@pytest.fixture
def live(transactional_db, live_server):
    return Cast(), live_server.url


class Clicks:
    """Counts the clicks a person makes, to hold the main jobs to a few clicks from home."""

    def __init__(self, page):
        self.page, self.n = page, 0

    def click(self, selector: str, **kwargs):
        self.n += 1
        self.page.click(selector, **kwargs)


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def new_page(browser, *, phone: bool = False):
    viewport = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 768}
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    return context, context.new_page()


def main_text(page) -> str:
    return page.inner_text("main")


def test_the_clerk_files_a_blocked_document_fixes_it_keeping_its_date_and_the_task_force_approves_it(live, browser):
    cast, base = live
    context, page = new_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, base, "clerk")
    page.click("text=报备文件")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=occurs_on]", "2026-11-20")
    page.select_option("select[name=document_kind]", "special")
    page.select_option("select[name=issued_in_name]", "committee_office")
    page.fill("#id_targets", "汝城")
    page.wait_for_selector(f"#id_targets-matches [data-unit-id='{cast.county.pk}']")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.check(f"input[name=targets_below][value='{cast.county.pk}']")
    # The burden the receiving units bring is shown before saving: 汝城县 and the four units below it.
    page.wait_for_selector(".preview-result[data-units='5']")
    page.fill("textarea[name=body]", valid_text(title=TITLE, date=dt.date(2026, 11, 20)).replace(
        "通知如下。\n", "通知如下。\n" + "各地坚持问题导向，精简文件会议，基层干部普遍反映负担明显减轻。" * 70 + "\n"))
    # The ten no-issuance questions start at 否: nothing to answer unless one applies.
    assert set(page.eval_on_selector_all("select[name^=no_issue_]", "els => els.map(e => e.value)")) == {"no"}
    page.click("button[type=submit].primary")
    page.wait_for_selector(".finding.block")
    assert re.search(r"专项报告.*2,000字.*超", main_text(page))
    assert page.locator("text=提交专班审核").count() == 0

    page.click("text=修改后重新校验")
    assert page.input_value("input[name=occurs_on]") == "2026-11-20"  # the date survives the edit
    page.fill("textarea[name=body]", valid_text(title=TITLE, date=dt.date(2026, 11, 20)))
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=未发现问题")
    page.click("text=提交专班审核")
    page.wait_for_selector(".status-checked")
    context.close()

    context, page = new_page(browser)
    login(page, base, "officer")
    page.click("text=审核下一件")
    assert TITLE in page.inner_text("h1")
    page.select_option("select[name=decision]", "approve")
    page.click("text=记录审核结论")
    page.wait_for_selector("strong.number")
    number = page.inner_text("strong.number")
    assert re.fullmatch(r"WJ-2026-\d{5}-[0-9A-Z]", number)
    context.close()

    context, page = new_page(browser)
    login(page, base, "clerk")
    page.wait_for_selector(".inbox-link .badge")
    page.click(".inbox-link")
    assert f"已批准：{TITLE}" in main_text(page) and number in main_text(page)
    assert errors == []
    context.close()


def _approved_document_and_upcoming_meeting(cast) -> tuple[Demand, Demand]:
    document = submit(cast, file_document(cast, title=TITLE, targets=[(cast.county, True)]))
    document = services.demand_review(by=cast.officer, demand=document, version=document.version,
                                      decision=Review.Decision.APPROVE)
    meeting = submit(cast, file_meeting(cast, occurs_on=timezone.localdate() + dt.timedelta(days=7),
                                        targets=[(cast.township_a, False)]))
    meeting = services.demand_review(by=cast.officer, demand=meeting, version=meeting.version,
                                     decision=Review.Decision.APPROVE)
    return document, meeting


def test_the_township_cadre_verifies_numbers_and_prints_the_notice(live, browser):
    cast, base = live
    document, meeting = _approved_document_and_upcoming_meeting(cast)
    context, page = new_page(browser)
    login(page, base, "cadre_a")
    page.click(".card-grassroots >> text=核验准入编号")
    page.fill("input[name=number]", document.control_number.lower())
    page.click("button[type=submit].primary")
    verdict = page.inner_text(".verdict")
    assert f"{document.control_number} 有效" in verdict and "正在有效期内" in verdict
    assert page.locator("text=报告未准入事项").count() == 0 or "报告" not in verdict

    page.fill("input[name=number]", meeting.control_number)
    page.click("button[type=submit].primary")
    verdict = page.inner_text(".verdict")
    assert "有效" in verdict and f"{meeting.valid_from.isoformat()}起生效" in verdict
    assert page.locator(".verdict form").count() == 0  # nothing invites a report of a valid number

    page.goto(f"{base}/demands/{document.pk}/")
    with page.expect_download() as download:
        page.click("text=打印通知（.docx）")
    path = download.value.path()
    assert download.value.suggested_filename == f"{document.control_number}.docx"
    with zipfile.ZipFile(path) as docx:
        header = "".join(docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header"))
    assert document.control_number in header
    context.close()


def test_the_village_cadre_reports_an_unregistered_demand_and_reads_the_answer_in_few_clicks(live, browser):
    cast, base = live
    _approved_document_and_upcoming_meeting(cast)
    context, page = new_page(browser)
    login(page, base, "village_a")
    clicks = Clicks(page)
    clicks.click(".card-grassroots >> text=本村承接事项")
    assert TITLE in main_text(page)
    assert clicks.n <= 3, "what is placed on the village"

    page.goto(f"{base}/")
    clicks = Clicks(page)
    clicks.click(".card-grassroots >> text=报告未准入事项")
    page.fill("input[name=issuer_text]", "镇直某站所")
    page.fill("textarea[name=description]", "电话通知每周一上报村级工作台账")
    clicks.click("button[type=submit].primary")
    page.wait_for_selector("text=专班尚未受理该报告")
    assert clicks.n <= 3, "report an unregistered demand"
    context.close()

    report = reports.report_list(actor=cast.officer).get()
    context, page = new_page(browser)
    login(page, base, "officer")
    page.click(".inbox-link")
    page.click("text=电话通知每周一上报村级工作台账")
    page.fill("textarea[name=text]", "经核查，系镇农业站电话通知，未经准入，已要求撤回。")
    page.click("text=发送答复")
    page.wait_for_selector(".event-reply")
    context.close()

    context, page = new_page(browser)
    login(page, base, "village_a")
    assert "已要求撤回" in page.inner_text(".card-answers")
    page.click(".card-answers >> text=电话通知")
    assert page.url.endswith(report.get_absolute_url())
    assert "已答复" in main_text(page)
    context.close()


def test_the_village_cadres_jobs_work_on_a_phone(live, browser):
    cast, base = live
    document, _meeting = _approved_document_and_upcoming_meeting(cast)
    context, page = new_page(browser, phone=True)
    login(page, base, "village_a")
    assert not page.is_visible("#nav")
    page.click("[data-toggle-nav]")
    page.click("#nav >> text=本村承接事项")
    assert TITLE in main_text(page)
    page.click("[data-toggle-nav]")
    page.click("#nav >> text=核验准入编号")
    page.fill("input[name=number]", document.control_number)
    page.click("button[type=submit].primary")
    assert "有效" in page.inner_text(".verdict")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing runs off the screen
    context.close()


def test_the_task_force_changes_a_rule_and_sees_its_history(live, browser):
    cast, base = live
    context, page = new_page(browser)
    login(page, base, "officer")
    page.goto(f"{base}/rules/")
    row = page.locator("tr", has_text="常规性工作会议不超过120分钟")
    row.get_by_role("link", name="变更", exact=True).click()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.input_value("input[name=effective_from]"))
    page.fill("input[name=value]", "90")
    page.fill("input[name=note]", "进一步压缩会议时长")
    page.click("text=保存为新版本")
    text = main_text(page)
    assert "第2版" in text and "常规性工作会议不超过90分钟" in text and "进一步压缩会议时长" in text
    assert "常规性工作会议不超过120分钟" in text  # the first version is kept
    context.close()


def test_the_leader_reads_everything_and_finds_no_working_change_button(live, browser):
    cast, base = live
    document, _meeting = _approved_document_and_upcoming_meeting(cast)
    report = reports.unregistered_report_create(by=cast.cadre_a, unit=cast.township_a, number_entered="",
                                                lookup_result="none", description="要求报送工作照片")
    context, page = new_page(browser)
    login(page, base, "leader")
    pages = ["/", "/demands/", f"/demands/{document.pk}/", "/rules/", "/rules/meeting.max_minutes/",
             "/inspections/", "/burden/", "/burden/one-in-one-out/", report.get_absolute_url(),
             f"/org/units/{cast.township_a.pk}/", "/demands/lists/"]
    for url in pages:
        page.goto(base + url)
        forms = page.eval_on_selector_all(
            "main form[method=post], main form[method=POST]", "els => els.map(e => e.action)")
        assert forms == [], url
        hrefs = page.eval_on_selector_all("main a", "els => els.map(e => e.getAttribute('href') || '')")
        assert not [h for h in hrefs if re.search(r"/(edit|change|new|approve)/", h)], url
    page.goto(f"{base}/rules/meeting.max_minutes/change/")
    assert "页面不存在" in main_text(page) or "不在您可查看的单位范围" in main_text(page)
    context.close()


def test_township_b_finds_nothing_of_township_a_anywhere(live, browser):
    cast, base = live
    document = submit(cast, file_document(cast, by=cast.cadre_a, unit=cast.township_a, title="关于土桥村工作台账的通知",
                                          targets=[(cast.village_a, False)]))
    services.demand_review(by=cast.officer, demand=document, version=document.version,
                           decision=Review.Decision.APPROVE)
    reports.unregistered_report_create(by=cast.cadre_a, unit=cast.township_a, number_entered="",
                                       lookup_result="none", description="要求报送工作照片")
    context, page = new_page(browser)
    login(page, base, "cadre_b")
    seen = [main_text(page) + page.inner_text("header")]
    for href in page.eval_on_selector_all("#nav a", "els => els.map(e => e.getAttribute('href'))"):
        page.goto(base + href)
        seen.append(page.inner_text("body"))
    page.goto(f"{base}/demands/new/document/")
    seen.append(" ".join(page.eval_on_selector_all("select option", "els => els.map(e => e.textContent)")))
    page.goto(f"{base}/")
    page.fill("#top-search", "土桥")
    page.press("#top-search", "Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=.*"))
    seen.append(main_text(page).replace("“土桥”", ""))
    for text in seen:
        assert "土桥" not in text
    page.goto(f"{base}/demands/{document.pk}/")
    assert "不在您可查看的单位范围" in main_text(page) or "页面不存在" in main_text(page)
    context.close()
