"""A list's queries do not grow with its rows: pages and API lists page in the database and map one page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianfu.demands.models import Demand, Kind, Source, Status
from jianfu.org import services as org
from jianfu.org.models import UnitType


def _demands(cast, n: int, start: int) -> None:
    Demand.objects.bulk_create([
        Demand(kind=Kind.DOCUMENT, title=f"关于第{start + i}项工作的通知", issuing_unit=cast.department,
               filed_by=cast.clerk, status=Status.EXPIRED, source=Source.LEDGER, occurs_on=dt.date(2019, 3, 1))
        for i in range(n)])


def _villages(cast, n: int, start: int) -> None:
    for i in range(n):
        org.unit_create(by=None, code=f"431026101{300 + start + i}", name=f"新村{start + i}", type=UnitType.VILLAGE,
                        parent=cast.township_a)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/api/v1/demands/", "/demands/?size=25"])
def test_the_filings_list_and_its_api_make_as_many_queries_for_thirty_rows_as_for_three(cast, url):
    client = cast.client(cast.officer)
    _demands(cast, 3, 0)
    few = _queries(client, url)
    _demands(cast, 27, 3)
    assert _queries(client, url) == few


@pytest.mark.parametrize("url", ["/api/v1/org/units", "/api/v1/org/people", "/org/units/"])
def test_the_unit_and_people_lists_make_as_many_queries_for_many_rows_as_for_few(cast, url):
    client = cast.client(cast.officer)
    _villages(cast, 2, 0)
    few = _queries(client, url)
    _villages(cast, 12, 2)
    for i in range(6):
        person = org.person_create(by=None, username=f"extra{i}", name=f"新人{i}")
        org.membership_grant(by=None, person=person, unit=cast.township_a, role="grassroots_cadre")
    assert _queries(client, url) == few


def test_an_api_page_holds_only_its_rows_and_the_count_of_all(cast):
    _demands(cast, 60, 0)
    body = cast.client(cast.officer).get("/api/v1/demands/?page=2").json()
    assert body["count"] == 60
    assert len(body["items"]) == 10


def test_the_outsider_counts_and_sees_none_of_the_other_townships_rows(cast):
    _demands(cast, 5, 0)
    body = cast.client(cast.cadre_b).get("/api/v1/demands/").json()
    assert body["count"] == 0 and body["items"] == []


def test_a_client_walks_the_whole_filings_list_by_keyset_each_row_once(cast):
    _demands(cast, 23, 0)
    client = cast.client(cast.officer)
    seen, after, pages = [], 0, 0
    while True:
        body = client.get("/api/v1/demands/", {"page_size": 10, "after": after}).json()
        seen += [row["id"] for row in body["items"]]
        pages += 1
        after = body["next_after"]
        if after is None:
            break
    assert pages == 3 and body["count"] == 23
    assert seen == sorted(set(seen), reverse=True) and len(seen) == 23


def test_keyset_paging_shows_the_outsider_nothing_and_costs_the_same_queries_deep_in_the_list(cast):
    _demands(cast, 30, 0)
    first = Demand.objects.order_by("-pk").values_list("pk", flat=True)
    assert cast.client(cast.cadre_b).get("/api/v1/demands/", {"after": first[0] + 1}).json()["items"] == []
    client = cast.client(cast.officer)
    near = _queries(client, f"/api/v1/demands/?page_size=5&after={first[0] + 1}")
    deep = _queries(client, f"/api/v1/demands/?page_size=5&after={first[20]}")
    assert near == deep
