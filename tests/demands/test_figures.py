"""The demo reproduces the source's figures, computed by the page's own code from the rows behind them.

The demo city is loaded once for the module inside a transaction that is rolled back afterwards; each test
runs in a savepoint inside it, so the tests can change rows without seeing each other's changes.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from jianfu.demands import services
from jianfu.demands.models import CITY_NAMES, Demand, IssuedInName, Kind, Review, Source
from jianfu.org.models import Person, Unit
from tests.exports import export_rows

from .filings import document_data, valid_text

pytestmark = pytest.mark.django_db

DOCUMENTS = {"kind": "document", "year": "2019", "from_month": "1", "to_month": "5", "name": "city"}
MEETINGS = {"kind": "meeting", "year": "2019", "from_month": "1", "to_month": "5", "city_wide": "1"}


@pytest.fixture
def officer(demo_city) -> Client:
    client = Client()
    client.force_login(Person.objects.get(username="tf_officer"))
    return client


def figures_page(client: Client, params: dict) -> tuple[str, dict]:
    response = client.get(reverse("demands:figures"), params)
    assert response.status_code == 200
    return response.content.decode(), response.context["result"]


def link_to(page: str, number: int) -> str:
    """The href of the link whose text is the number."""
    links = re.findall(r'<a href="([^"]+)">' + str(number) + "</a>", page)
    assert links, f"no link for {number}"
    return html.unescape(links[0])


def rows_behind(client: Client, href: str) -> int:
    assert href.startswith(reverse("demands:list") + "?")
    response = client.get(href)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_documents_in_the_name_of_the_city_january_to_may_2019_are_88_down_45_7_percent_on_162(officer):
    page, result = figures_page(officer, DOCUMENTS)
    assert (result["total_now"], result["total_then"], result["change"]) == (88, 162, -45.7)
    assert ">88</a>" in page and ">162</a>" in page
    assert "\u221245.7%" in page
    assert str(result["period"].start) == "2019-01-01" and str(result["period"].end) == "2019-05-31"


def test_city_wide_meetings_january_to_may_2019_are_30_down_51_6_percent_on_62(officer):
    page, result = figures_page(officer, MEETINGS)
    assert (result["total_now"], result["total_then"], result["change"]) == (30, 62, -51.6)
    assert ">30</a>" in page and ">62</a>" in page
    assert "\u221251.6%" in page


def test_the_totals_link_to_the_rows_behind_them(officer):
    page, _ = figures_page(officer, DOCUMENTS)
    assert rows_behind(officer, link_to(page, 88)) == 88
    assert rows_behind(officer, link_to(page, 162)) == 162
    page, _ = figures_page(officer, MEETINGS)
    assert rows_behind(officer, link_to(page, 30)) == 30
    assert rows_behind(officer, link_to(page, 62)) == 62


def test_each_group_links_to_its_rows_and_the_groups_add_up(officer):
    page, result = figures_page(officer, DOCUMENTS)
    assert {r["key"] for r in result["rows"]} == set(CITY_NAMES)
    assert sum(r["now"] for r in result["rows"]) == 88
    assert sum(r["then"] for r in result["rows"]) == 162
    for row in result["rows"]:
        assert rows_behind(officer, html.unescape(row["link_now"])) == row["now"]
        assert rows_behind(officer, html.unescape(row["link_then"])) == row["then"]


def test_the_figures_can_be_grouped_by_month_and_by_issuing_unit(officer):
    for group in ("month", "issuing_unit", "document_kind"):
        _, result = figures_page(officer, DOCUMENTS | {"group": group})
        assert result["total_now"] == 88
        assert sum(r["now"] for r in result["rows"]) == 88, group
    _, by_month = figures_page(officer, DOCUMENTS | {"group": "month"})
    assert [r["key"] for r in by_month["rows"]] == [1, 2, 3, 4, 5]
    for row in by_month["rows"]:
        assert rows_behind(officer, html.unescape(row["link_now"])) == row["now"]


def test_year_on_year_works_for_any_period(officer):
    _, result = figures_page(officer, DOCUMENTS | {"to_month": "3"})
    ledger = Demand.objects.filter(kind=Kind.DOCUMENT, issued_in_name__in=CITY_NAMES, source=Source.LEDGER,
                                   occurs_on__year=2018, occurs_on__month__lte=3).count()
    filed = Demand.objects.filter(kind=Kind.DOCUMENT, issued_in_name__in=CITY_NAMES, source=Source.FILED,
                                  occurs_on__year=2019, occurs_on__month__lte=3).count()
    assert (result["total_now"], result["total_then"]) == (filed, ledger)
    assert result["change"] == round((filed - ledger) * 100 / ledger, 1)


def test_the_figures_are_computed_from_the_rows_not_stored(officer):
    clerk = Person.objects.get(username="clerk")
    title = "关于规范村级组织挂牌的通知"
    demand = services.demand_file(
        by=clerk, kind=Kind.DOCUMENT, issuing_unit=Unit.objects.get(code="431000D02"), title=title,
        body=valid_text(title=title, date=dt.date(2019, 5, 20), topic="村级组织挂牌", seq=99),
        data=document_data(name=IssuedInName.COMMITTEE_OFFICE), occurs_on=dt.date(2019, 5, 20))
    demand = services.demand_submit(by=clerk, demand=demand, version=demand.version)
    services.demand_review(by=Person.objects.get(username="tf_officer"), demand=demand, version=demand.version,
                           decision=Review.Decision.APPROVE)
    page, result = figures_page(officer, DOCUMENTS)
    assert (result["total_now"], result["total_then"], result["change"]) == (89, 162, -45.1)
    assert ">89</a>" in page and "\u221245.1%" in page


def test_the_figures_export_to_xlsx_with_the_numbers(officer):
    rows = export_rows(officer, reverse("demands:figures"), DOCUMENTS | {"export": "xlsx"})
    assert rows[-1][1:] == [88, 162, -45.7]
    assert sum(r[1] for r in rows[1:-1]) == 88
    rows = export_rows(officer, reverse("demands:figures"), MEETINGS | {"export": "xlsx"})
    assert rows[-1][1:] == [30, 62, -51.6]


def test_the_rows_behind_a_figure_export_to_xlsx(officer):
    page, _ = figures_page(officer, DOCUMENTS)
    rows = export_rows(officer, link_to(page, 88) + "&export=xlsx")
    assert len(rows) == 1 + 88
    numbers = [r[0] for r in rows[1:]]
    assert all(n and n.startswith("WJ-2019-") for n in numbers)
    assert len(set(numbers)) == 88


def test_the_demo_holds_the_5_lists_for_2019_approved_by_the_officer(officer):
    from jianfu.demands.models import AnnualList, ListKind

    lists = AnnualList.objects.filter(year=2019)
    assert sorted(lists.values_list("kind", flat=True)) == sorted(ListKind.values)
    assert all(a.status == AnnualList.Status.APPROVED and a.approved_by.username == "tf_officer" for a in lists)
    page = officer.get(reverse("demands:five_lists"), {"year": 2019}).content.decode()
    assert "全市性重要会议" in page or "City-wide important meetings" in page
