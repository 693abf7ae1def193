"""The one search box finds filings, units and people, each scoped like its own list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.demands.filings import approve, file_document

pytestmark = pytest.mark.django_db


def search(client, q: str):
    response = client.get(reverse("site:search"), {"q": q})
    assert response.status_code == 200
    return {s.source.key: [h.title for h in s.hits] for s in response.context["sections"]}, response


def test_the_search_box_finds_filings_units_and_people(cast):
    approve(cast, file_document(cast, title="关于规范村级事务的通知", targets=[(cast.township_a, True)]))
    found, _ = search(cast.client(cast.officer), "村")
    assert "关于规范村级事务的通知" in found["filings"]
    assert "土桥村" in found["units"]
    found, _ = search(cast.client(cast.officer), "李镇")
    assert found["people"] == ["李镇"]


def test_township_b_finds_nothing_of_township_a(cast):
    approve(cast, file_document(cast, title="关于土桥镇村级事务的通知", targets=[(cast.township_a, True)]))
    for q in ("土桥", "李镇", "王村"):
        found, response = search(cast.client(cast.cadre_b), q)
        assert all(not hits for hits in found.values()), q
        assert "土桥" not in response.content.decode().split("<main", 1)[1].replace(f"“{q}”", "") or q == "土桥"


def test_an_empty_search_shows_the_form_only(cast):
    found, response = search(cast.client(cast.cadre_a), "  ")
    assert found == {} and response.context["total"] == 0


def test_the_search_box_is_in_the_top_bar_of_every_page(cast):
    html = cast.client(cast.village_cadre_a).get("/").content.decode()
    assert f'action="{reverse("site:search")}"' in html
