"""A person logs in, browses the unit tree, switches language, uses a phone-sized screen, sees a chart."""

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


def test_the_burden_page_draws_its_chart_from_local_echarts(cast_live, page):
    cast, base = cast_live
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, base, "leader")
    page.goto(f"{base}/burden/")
    page.wait_for_selector("[data-chart] canvas")
    page.screenshot(path="var/leader-home.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e]
