"""A person logs in, browses the unit tree, switches language and uses a phone-sized screen."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast_live(transactional_db, live_server):
    return Cast(), live_server.url


def _login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def test_a_township_cadre_logs_in_and_expands_the_unit_tree(cast_live, page):
    cast, base = cast_live
    _login(page, base, "cadre_a")
    assert "李镇" in page.content()
    page.goto(f"{base}/org/units/")
    page.click(".tree .expand")
    page.wait_for_selector(".tree .children >> text=土桥村")
    assert "热水镇" not in page.content()


def test_the_language_switch_turns_every_page_into_english(cast_live, page):
    cast, base = cast_live
    _login(page, base, "officer")
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    assert "Log out" in page.content()
    page.goto(f"{base}/org/people/")
    assert "People" in page.content()


def test_the_menu_folds_on_a_phone_and_opens_on_tap(cast_live, browser):
    cast, base = cast_live
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    _login(page, base, "leader")
    nav = page.locator("#nav")
    assert not nav.is_visible()
    page.click("[data-toggle-nav]")
    assert nav.is_visible()
    page.screenshot(path="var/phone-home.png", full_page=True)
    context.close()


def test_the_leader_home_draws_a_chart_from_local_echarts(cast_live, page):
    cast, base = cast_live
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, base, "leader")
    page.wait_for_selector("[data-chart] canvas")
    page.screenshot(path="var/leader-home.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e]


def test_a_clerk_files_a_draft_sees_the_findings_and_the_task_force_approves_it(cast_live, browser):
    cast, base = cast_live
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    _login(page, base, "clerk")
    page.goto(f"{base}/demands/new/document/")
    page.fill("input[name=title]", "关于精简会议的通知")
    page.fill("input[name=occurs_on]", "2026-11-20")
    page.select_option("select[name=document_kind]", "special")
    page.select_option("select[name=issued_in_name]", "committee_office")
    page.fill("textarea[name=body]", "郴办发[2026]3号\n关于精简会议的通知\n各县市区委：\n" + "减负" * 1100
              + "\n中共郴州市委办公室\n2026年11月20日")
    for select in page.locator("select[name^=no_issue_]").all():
        select.select_option("no")
    page.click("button[type=submit].primary")
    page.wait_for_selector(".finding.block")
    assert "2,000" in page.content() and "〔2026〕" in page.content()
    assert page.locator("text=Submit to the task force").count() == 0
    page.click("text=Change and check again")
    page.fill("textarea[name=body]", "郴办发〔2026〕3号\n关于精简会议的通知\n各县市区委：\n会议一律从简。"
              "\n中共郴州市委办公室\n2026年11月20日")
    page.click("button[type=submit].primary")
    page.click("text=Submit to the task force")
    page.wait_for_selector(".status-checked")
    context.close()

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    _login(page, base, "officer")
    page.goto(f"{base}/demands/review/")
    page.click("text=关于精简会议的通知")
    page.select_option("select[name=decision]", "approve")
    page.click("text=Record the decision")
    page.wait_for_selector(".number")
    number = page.inner_text(".number")
    page.goto(f"{base}/demands/verify/?number={number}")
    assert "is valid" in page.content()
    context.close()
