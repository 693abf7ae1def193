"""The unit picker's search: only the units the person may choose for the field, a page at a time, in tree
order, named with the units above them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jianfu.org import services as org
from jianfu.org.models import UnitType
from jianfu.org.picker import PICK_LIMIT, unit_pick_search

pytestmark = pytest.mark.django_db


def pick(cast, person, q: str = "", scope: str = "targetable", **params) -> str:
    response = cast.client(person).get(reverse("org:unit_pick"), {"q": q, "scope": scope, "field": "id_targets",
                                                                  **params}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_clerk_finds_tuqiao_with_its_type_and_the_units_above_it(cast):
    html = pick(cast, cast.clerk, "土桥")
    assert f'data-unit-id="{cast.township_a.pk}"' in html and f'data-unit-id="{cast.village_a.pk}"' in html
    assert "郴州市 › 汝城县 › 土桥镇" in html  # the village's parents, so two 土桥村 can be told apart
    assert "Township / street" in html and 'role="option"' in html


def test_township_b_finds_nothing_of_tuqiao(cast):
    html = pick(cast, cast.cadre_b, "土桥")
    assert "土桥" not in html and "No unit you may choose here matches." in html
    assert "土桥" not in pick(cast, cast.cadre_b, "土桥", scope="visible")
    # What it may aim at is its own villages, not itself.
    own = pick(cast, cast.cadre_b, "热水")
    assert f'data-unit-id="{cast.village_b.pk}"' in own and f'data-unit-id="{cast.township_b.pk}"' not in own


def test_a_village_cadre_gets_nothing_to_target(cast):
    html = pick(cast, cast.village_cadre_a)
    assert "data-unit-id" not in html and "There are no units you may choose here." in html


def test_the_search_matches_the_code_and_the_type_filter_narrows_it(cast):
    html = pick(cast, cast.officer, "431026102")
    assert f'data-unit-id="{cast.township_b.pk}"' in html and f'data-unit-id="{cast.village_b.pk}"' in html
    assert f'data-unit-id="{cast.township_a.pk}"' not in html
    counties = pick(cast, cast.officer, "", scope="visible", types="county")
    assert f'data-unit-id="{cast.county.pk}"' in counties and f'data-unit-id="{cast.city.pk}"' not in counties


def test_the_search_stops_at_a_page_in_tree_order_and_says_there_are_more(cast):
    for n in range(PICK_LIMIT + 5):
        org.unit_create(by=None, code=f"431026101{300 + n}", name=f"土桥{n}组", type=UnitType.VILLAGE,
                        parent=cast.township_a)
    matches, more = unit_pick_search(actor=cast.clerk, scope="targetable", q="土桥")
    assert len(matches) == PICK_LIMIT and more
    assert [u.path for u in matches] == sorted(u.path for u in matches)
    assert matches[0] == cast.township_a  # the parent before its villages
    html = pick(cast, cast.clerk, "土桥")
    assert html.count('data-unit-id="') == PICK_LIMIT and "type more of the name or code" in html


def test_the_picker_search_needs_a_login_and_a_known_scope(cast):
    assert cast.client(cast.clerk).get(reverse("org:unit_pick"), {"scope": "everything"}).status_code == 404
    from django.test import Client

    response = Client().get(reverse("org:unit_pick"), {"scope": "targetable", "q": "土桥"})
    assert response.status_code == 302 and "土桥" not in response.content.decode()


def test_a_township_cadre_sees_only_its_own_township_above_its_villages(cast):
    html = pick(cast, cast.cadre_a, "土桥村")
    assert f'data-unit-id="{cast.village_a.pk}"' in html and "土桥镇" in html
    assert "汝城县" not in html and "郴州市" not in html
