"""Passwords in Chromium, in simplified Chinese: an administrator gives a newcomer a first-login link, the
newcomer sets a password with it and logs in; a cadre changes their own password from their account page."""

from __future__ import annotations

import pytest

from jianfu.org import services as org
from tests.conftest import PASSWORD, Cast

from .test_jobs import login, main_text, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "Tuqiao-village-2026"


@pytest.fixture
def live(transactional_db, live_server):
    return Cast(), live_server.url


def test_an_administrator_gives_a_newcomer_a_first_login_link_and_the_newcomer_logs_in_with_it(live, browser):
    cast, base = live
    newcomer = org.person_create(by=None, username="xinren", name="新来的村干部")
    org.membership_grant(by=None, person=newcomer, unit=cast.village_a, role="grassroots_cadre")

    context, page = new_page(browser)
    login(page, base, "admin")
    page.goto(f"{base}/org/people/{newcomer.pk}/")
    assert "尚未设置密码" in main_text(page)
    page.click("text=生成首次登录链接")
    link = page.inner_text("#secret").strip()
    assert "只在此处显示一次" in main_text(page)
    context.close()

    context, page = new_page(browser)
    page.goto(link)
    assert "xinren" in main_text(page) and "设置密码" in main_text(page)
    page.fill("input[name=new]", NEW)
    page.fill("input[name=again]", NEW + "x")
    page.click("button[type=submit].primary")
    assert "两次输入的新密码不一致" in main_text(page)
    page.fill("input[name=new]", NEW)
    page.fill("input[name=again]", NEW)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/login/")
    assert "密码已设置" in page.inner_text("body")
    page.fill("input[name=username]", "xinren")
    page.fill("input[name=password]", NEW)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")
    page.goto(link)
    assert "此链接已失效" in main_text(page)  # it worked once
    context.close()


def test_a_cadre_changes_their_own_password_from_the_account_page(live, browser):
    cast, base = live
    context, page = new_page(browser)
    login(page, base, "cadre_a")
    page.goto(f"{base}/org/account/")
    page.click("text=修改密码")
    page.fill("input[name=current]", "不是这个密码")
    page.fill("input[name=new]", NEW)
    page.fill("input[name=again]", NEW)
    page.click("button[type=submit].primary")
    assert "当前密码不正确" in main_text(page)
    page.fill("input[name=current]", PASSWORD)
    page.fill("input[name=new]", NEW)
    page.fill("input[name=again]", NEW)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/org/account/")
    assert "密码已修改" in page.inner_text("body")
    context.close()
    cast.cadre_a.refresh_from_db()
    assert cast.cadre_a.check_password(NEW)
