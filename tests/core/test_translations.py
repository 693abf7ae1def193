"""The catalogues are complete and consistent, and pages render in all three languages.

The pages are rendered against .mo files compiled from the committed .po files into a temporary
LOCALE_PATHS, so these tests check what is committed even where `make` has not built the .mo yet.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
SCRIPTS_DIR = Path(settings.PROJECT_DIR) / "scripts"
CHINESE = ("zh_Hans", "zh_Hant")
ALL = (*CHINESE, "en")

# %(name)s, %(count)d, %(x).1f …, and positional %s / %d; "%%" is a literal percent sign.
PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conv>[diouxXeEfFgGcrsa%])")


def po_file(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def load(locale: str):
    with po_file(locale).open("rb") as f:
        return read_po(f, locale=locale, abort_invalid=True)


def messages(catalog):
    return [m for m in catalog if m.id]


def forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]


def ids(message) -> list[str]:
    return [message.id] if isinstance(message.id, str) else list(message.id)


def placeholders(text: str):
    named, positional = [], []
    for m in PERCENT.finditer(text):
        if m["conv"] == "%" and m["name"] is None:
            continue
        (named if m["name"] is not None else positional).append(
            f"{m['name']}:{m['conv']}" if m["name"] is not None else m["conv"])
    # A {{ var }} left in a msgstr would print literally: blocktrans turns them into %(var)s.
    braces = sorted(re.findall(r"\{\{\s*[\w.]+\s*\}\}", text))
    return sorted(named), positional, braces


@pytest.mark.parametrize("locale", ALL)
def test_catalogue_exists_and_has_every_msgid_of_zh_hans(locale):
    assert po_file(locale).exists(), f"{po_file(locale)} is missing: run `make messages`"
    expected = {(str(m.id), m.context) for m in messages(load("zh_Hans"))}
    assert expected, "the zh_Hans catalogue is empty"
    assert {(str(m.id), m.context) for m in messages(load(locale))} == expected


@pytest.mark.parametrize("locale", CHINESE)
def test_every_msgid_is_translated_and_nothing_is_fuzzy(locale):
    catalog = load(locale)
    assert catalog.num_plurals == 1, "Chinese has one plural form: Plural-Forms: nplurals=1; plural=0;"
    assert "nplurals=1; plural=0;" in catalog.plural_forms
    untranslated = [m.id for m in messages(catalog) if m.fuzzy or not all(forms(m)) or not forms(m)]
    assert untranslated == [], f"untranslated or fuzzy in {locale}: {untranslated}"


@pytest.mark.parametrize("locale", ALL)
def test_placeholders_match_between_msgid_and_msgstr(locale):
    problems = []
    for m in messages(load(locale)):
        strings = forms(m)
        if len(ids(m)) > 1 and len(strings) == 1:
            allowed = [placeholders(ids(m)[-1])]  # one form serves every count
        else:
            allowed = [placeholders(i) for i in ids(m)]
        for index, text in enumerate(strings):
            if text and placeholders(text) not in allowed:
                problems.append((m.id, index, text))
    assert problems == []


def test_zh_hant_is_the_opencc_conversion_of_zh_hans_except_manual_entries():
    """Catches a zh_Hans change that was not carried to zh_Hant (run scripts/fill_hant.py)."""
    sys.path.insert(0, str(SCRIPTS_DIR))
    try:
        from fill_hant import to_traditional
    finally:
        sys.path.remove(str(SCRIPTS_DIR))
    hant = load("zh_Hant")
    stale = []
    for source in messages(load("zh_Hans")):
        target = hant.get(source.id, context=source.context)
        if any(c.strip().lower().startswith("manual") for c in target.user_comments):
            continue
        if forms(target) != [to_traditional(s) for s in forms(source)]:
            stale.append(source.id)
    assert stale == []


@pytest.fixture
def compiled_locale(settings, tmp_path):
    """Compile the committed .po files into a temporary LOCALE_PATHS (resets Django's caches)."""
    for locale in ALL:
        target = tmp_path / locale / "LC_MESSAGES" / "django.mo"
        target.parent.mkdir(parents=True)
        with target.open("wb") as f:
            write_mo(f, load(locale), use_fuzzy=False)
    settings.LOCALE_PATHS = [tmp_path]
    return tmp_path


LOGIN_PAGE = {
    # language: (html lang, words that must appear, words that must not)
    "zh-hans": ("zh-Hans", ["登录", "登录减负平台", "登录名", "密码"], ["Log in", "登錄", "Password"]),
    "zh-hant": ("zh-Hant", ["登錄", "登錄減負平臺", "登錄名", "密碼"], ["Log in", "登录", "Password"]),
    "en": ("en", ["Log in", "Log in to Jianfu", "Login name", "Password"], ["登录", "登錄"]),
}


def check_login_page(response, language: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    lang, present, absent = LOGIN_PAGE[language]
    assert f'<html lang="{lang}">' in html
    body = html.split("<body", 1)[1]
    for word in present:
        assert word in body, f"{word!r} missing from the {language} login page"
    for word in absent:
        assert word not in body, f"{word!r} should not be on the {language} login page"


@pytest.mark.parametrize(("accept", "language"), [
    ("zh-hans", "zh-hans"),
    ("zh-CN,zh;q=0.9", "zh-hans"),
    ("zh-hant", "zh-hant"),
    ("zh-TW,zh;q=0.9", "zh-hant"),
    ("zh-HK", "zh-hant"),
    ("en", "en"),
    ("en-US,en;q=0.9", "en"),
])
def test_login_page_follows_accept_language(db, compiled_locale, accept, language):
    check_login_page(Client().get("/login/", HTTP_ACCEPT_LANGUAGE=accept), language)


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_login_page_follows_the_language_cookie(db, compiled_locale, language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    # The cookie wins over the browser's Accept-Language.
    other = "en" if language != "en" else "zh-hant"
    check_login_page(client.get("/login/", HTTP_ACCEPT_LANGUAGE=other), language)


def test_login_page_defaults_to_simplified_chinese(db, compiled_locale):
    check_login_page(Client().get("/login/"), "zh-hans")


def test_login_errors_are_translated(db, compiled_locale):
    response = Client().post("/login/", {"username": "nobody", "password": "wrong-password"},
                             HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 400
    assert "登錄名或密碼不正確。" in response.content.decode()
