"""The default language is Chinese through and through: walking every page a persona can reach from the menu
finds no English word outside names, codes and file types."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from jianfu.org.models import Person

pytestmark = pytest.mark.django_db

# File types, standards and technical names Chinese pages write in Latin letters.
ALLOWED = {"Excel", "API", "docx", "txt", "xlsx", "csv", "GB", "PDF", "OpenAPI", "Token", "Bearer", "JSON", "SHA",
           "QR", "SMTP", "English", "Authorization", "ID"}
SKIPPED = ("/admin", "/api/", "/i18n", "/logout", "/static")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style", "code", "pre", "option", "textarea"):
            self._skip += 1
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#")[0])
        for key in ("placeholder", "title", "aria-label"):
            if a.get(key):
                self.words.append(a[key])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre", "option", "textarea"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.words.append(data)


def english_words(html: str, allowed: set[str]) -> set[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.words)
    # Control numbers (WJ-2019-00088-K) and unit codes are data, not language.
    text = re.sub(r"\b[A-Z]{2}-\d{4}-\d{5}-[0-9A-Z]\b", " ", text)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text) if w not in allowed}


def crawl(client: Client, limit: int = 70) -> dict[str, set[str]]:
    queue, done, patterns, found = ["/"], set(), set(), {}
    logins = {part for name in Person.objects.values_list("username", flat=True)
              for part in re.findall(r"[A-Za-z]+", name)}
    while queue and len(done) < limit:
        url = queue.pop(0)
        if url in done or url.startswith(SKIPPED) or "export" in url or "format=" in url or url.endswith(".docx"):
            continue
        done.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        words = english_words(html, ALLOWED | logins)
        if words:
            found[url] = words
        parser = _Text()
        parser.feed(html)
        for link in parser.links:
            pattern = re.sub(r"\d+", "N", link)
            if pattern not in patterns:
                patterns.add(pattern)
                queue.append(link)
    return found


@pytest.mark.parametrize("username", ["village_a", "cadre_a", "clerk", "tf_officer", "leader", "oversight", "admin"])
def test_no_page_a_persona_reaches_shows_english_in_simplified_chinese(demo_city, username):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(Person.objects.get(username=username))
    assert crawl(client) == {}
