"""Each role's home: the menu of its jobs, actions and not only counts, and numbers that agree with the
pages they open (computed by the same selector, with the same parameters)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from jianfu.org.models import Person

pytestmark = pytest.mark.django_db

DEMO_PEOPLE = ["admin", "tf_officer", "oversight", "clerk", "cadre_a", "village_a", "cadre_b", "leader"]


def login(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(Person.objects.get(username=username))
    return client


def cards(client: Client) -> dict:
    response = client.get("/")
    assert response.status_code == 200
    return {c["key"]: c["card"] for c in response.context["cards"]}


def menu(client: Client) -> list[str]:
    groups = client.get("/").context["nav_groups"]
    return [item["url"] for g in groups for item in g["items"]]


def total_on(html: str) -> float:
    found = re.findall(r'data-total="([\d.]+)"', html)
    assert found, "the page shows no total"
    return float(found[0])


@pytest.mark.parametrize("username", DEMO_PEOPLE)
def test_every_number_on_a_home_page_is_the_number_on_the_page_it_opens(demo_city, username):
    client = login(username)
    tiles = [t for card in cards(client).values() for t in card.tiles]
    assert tiles, username
    for tile in tiles:
        response = client.get(tile.url)
        assert response.status_code == 200, tile.url
        assert total_on(response.content.decode()) == float(tile.count), (username, str(tile.label), tile.url)


def test_the_village_cadre_home_has_the_three_actions_and_the_village_numbers(demo_city):
    card = cards(login("village_a"))["grassroots"]
    actions = {a.url for a in card.actions}
    assert {reverse("demands:verify"), reverse("demands:unregistered_new"), reverse("demands:on_us")} <= actions
    labels = [str(a.label) for a in card.actions]
    assert "Demands on our village" in labels


def test_the_village_cadre_menu_holds_its_jobs_only(demo_city):
    urls = menu(login("village_a"))
    assert urls == ["/", reverse("demands:on_us"), reverse("demands:verify"), reverse("demands:unregistered_list"),
                    reverse("burden:on_unit"), reverse("inspections:on_us")]
    for absent in ("burden:ledger", "org:role_list", "api_tokens", "demands:five_lists", "rules:rulebook"):
        assert reverse(absent) not in urls


def test_the_tile_of_burden_on_the_township_counts_the_township_alone(demo_city):
    tiles = [t for t in cards(login("cadre_a"))["grassroots"].tiles if reverse("burden:on_unit") in t.url]
    assert len(tiles) == 1 and "土桥镇" in str(tiles[0].label)


def test_the_drafts_tile_opens_the_persons_own_drafts_not_another_units(demo_city):
    client = login("cadre_a")
    drafts = next(t for t in cards(client)["work"].tiles if "status=draft" in t.url)
    listed = client.get(drafts.url).context["page"].object_list
    assert all(d.filed_by.username == "cadre_a" for d in listed)
    assert "work" not in cards(login("village_a"))  # a village places demands on nobody


def test_the_leader_home_shows_the_campaign_figures_and_no_unit_counts(demo_city):
    home = cards(login("leader"))
    assert list(home) == ["campaign"]
    urls = [t.url for t in home["campaign"].tiles]
    assert any(reverse("demands:figures") in u for u in urls)
    assert any(reverse("burden:overview") in u for u in urls)
    assert any(reverse("demands:unregistered_list") in u for u in urls)
    assert any("/inspections/" in u for u in urls)
    assert "Units by type" not in login("leader").get("/").content.decode()


def test_the_oversight_home_shows_its_leads_not_the_task_forces_queue(demo_city):
    home = cards(login("oversight"))
    assert "oversight" in home and "review" not in home
    urls = [t.url for t in home["oversight"].tiles]
    assert reverse("inspections:off_plan") in urls
    assert any(reverse("burden:ledger") in u for u in urls)
    assert any(reverse("reportforms:materials") in u for u in urls)


def test_the_task_force_home_leads_to_the_next_filing_to_review(demo_city):
    client = login("tf_officer")
    actions = [a.url for a in cards(client)["review"].actions]
    assert reverse("demands:review_next") in actions
    response = client.get(reverse("demands:review_next"))
    assert response.status_code == 302 and response["Location"].startswith("/demands/")


def test_township_b_sees_nothing_of_township_a_on_its_home(demo_city):
    html = login("cadre_b").get("/").content.decode()
    for name in ("土桥镇", "土桥村", "要求各村每周报送工作照片"):
        assert name not in html


def test_a_person_without_a_role_gets_a_home_that_says_so(db):
    person = Person.objects.create_user("nobody", "x" * 12, name="无名")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 200 and "You hold no role yet" in response.content.decode()
