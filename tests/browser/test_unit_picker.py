"""The receiving-units picker in Chromium, in simplified Chinese, used with the keyboard alone."""

from __future__ import annotations

import datetime as dt

import pytest

from jianfu.demands.models import Demand
from tests.browser.test_jobs import login, new_page
from tests.demands.filings import valid_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于规范村级组织工作事务的通知"


@pytest.fixture
def live(transactional_db, live_server):
    from tests.conftest import Cast

    return Cast(), live_server.url


def choose(page, text: str, unit_pk: int) -> None:
    """Type in the picker, wait for the unit among the matches, and take it with the arrow keys and Enter."""
    page.focus("#id_targets")
    page.keyboard.type(text)
    page.wait_for_selector(f"#id_targets-matches [data-unit-id='{unit_pk}']")
    options = page.eval_on_selector_all("#id_targets-matches [role=option][data-unit-id]",
                                        "els => els.map(e => e.dataset.unitId)")
    for _ in range(options.index(str(unit_pk)) + 1):
        page.keyboard.press("ArrowDown")
    assert page.get_attribute("#id_targets", "aria-activedescendant") == f"id_targets-opt-{unit_pk}"
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#id_targets-chosen [data-unit-id='{unit_pk}']")


def test_the_clerk_picks_tuqiao_with_the_keyboard_and_it_is_saved_with_the_units_below(live, browser):
    cast, base = live
    context, page = new_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, base, "clerk")
    page.click("text=报备文件")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=occurs_on]", "2026-11-20")
    page.select_option("select[name=issued_in_name]", "committee_office")
    # The page names no unit it was not asked for: the picker starts empty and searches as one types.
    assert page.locator("#id_targets-chosen li").count() == 0
    choose(page, "土桥", cast.township_a.pk)
    assert page.input_value("#id_targets") == ""  # the box is cleared for the next unit
    page.check(f"#id_targets-chosen li[data-unit-id='{cast.township_a.pk}'] >> text=同时包括下级单位")
    # A second unit, then Backspace in the empty box takes it away again.
    choose(page, "热水镇", cast.township_b.pk)
    page.keyboard.press("Backspace")
    assert page.locator(f"#id_targets-chosen [data-unit-id='{cast.township_b.pk}']").count() == 0
    # 土桥镇 and its village 土桥村 in the burden preview.
    page.wait_for_selector(".preview-result[data-units='2']")
    page.fill("textarea[name=body]", valid_text(title=TITLE, date=dt.date(2026, 11, 20)))
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=未发现问题")
    assert "土桥镇 及其下级单位" in page.inner_text("main")
    demand = Demand.objects.get(title=TITLE)
    assert [(t.unit_id, t.include_below) for t in demand.targets.all()] == [(cast.township_a.pk, True)]
    assert errors == []
    context.close()


def test_township_b_finds_nothing_of_tuqiao_in_the_picker(live, browser):
    cast, base = live
    context, page = new_page(browser)
    login(page, base, "cadre_b")
    page.goto(f"{base}/demands/new/meeting/")
    page.focus("#id_targets")
    # ↓ in the empty box lists what it may aim at: its own village, nothing of township A.
    page.keyboard.press("ArrowDown")
    page.wait_for_selector(f"#id_targets-matches [data-unit-id='{cast.village_b.pk}']")
    assert page.locator("#id_targets-matches [role=option][data-unit-id]").count() == 1
    page.keyboard.type("土桥")
    page.wait_for_selector("#id_targets-matches [aria-disabled=true]")
    assert "土桥" not in page.inner_text("#id_targets-matches")
    context.close()
