"""The figures page reads its period from the query string, and survives any value typed there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def period(cast, **params):
    response = cast.client(cast.officer).get(reverse("demands:figures"), {"kind": "document", **params})
    assert response.status_code == 200
    return response.context["period"].start, response.context["period"].end


def test_a_period_runs_from_the_first_of_the_first_month_to_the_end_of_the_last(cast):
    assert period(cast, year=2019, from_month=1, to_month=5) == (dt.date(2019, 1, 1), dt.date(2019, 5, 31))
    assert period(cast, year=2020, from_month=2, to_month=2) == (dt.date(2020, 2, 1), dt.date(2020, 2, 29))
    assert period(cast, year=2019, from_month=7, to_month=12) == (dt.date(2019, 7, 1), dt.date(2019, 12, 31))


def test_months_given_in_reverse_order_cover_the_same_months(cast):
    assert period(cast, year=2019, from_month=5, to_month=3) == (dt.date(2019, 3, 1), dt.date(2019, 5, 31))


@pytest.mark.parametrize("params", [{"year": "x"}, {"year": "1"}, {"year": "99999"}, {"from_month": "0"},
                                    {"to_month": "13"}, {"to_month": "-1"}])
def test_a_nonsense_period_falls_back_to_the_latest_period_with_data(cast, params):
    from tests.demands.filings import approve, file_document

    approve(cast, file_document(cast, occurs_on=dt.date(2021, 3, 10)))
    start, end = period(cast, **({"year": 2019, "from_month": 1, "to_month": 5} | params))
    assert (start, end) == (dt.date(2021, 1, 1), dt.date(2021, 3, 31))


def test_without_a_period_the_page_opens_on_the_latest_comparable_one_and_says_so(cast):
    from jianfu.demands import services
    from tests.demands.filings import approve, file_document

    services.demand_record_ledger(by=None, kind="document", title="关于2018年基层减负工作的通知",
                                  issuing_unit=cast.department, filed_by=cast.clerk, occurs_on=dt.date(2018, 2, 1),
                                  issued_in_name="committee_office")
    for day in (dt.date(2019, 4, 2), dt.date(2021, 6, 3)):
        approve(cast, file_document(cast, occurs_on=day, name="committee_office",
                                    title=f"关于{day.year}年基层减负工作的通知"))
    response = cast.client(cast.officer).get(reverse("demands:figures"), {"kind": "document", "name": "city"},
                                             HTTP_ACCEPT_LANGUAGE="en")
    # 2021 has no year before to compare with; 2019 has 2018: January to April 2019.
    assert (response.context["period"].start, response.context["period"].end) == (
        dt.date(2019, 1, 1), dt.date(2019, 4, 30))
    assert response.context["default"].reason == "compared"
    assert "latest period" in response.content.decode()


def test_a_new_city_opens_on_this_year_and_says_there_is_nothing_yet(cast):
    response = cast.client(cast.officer).get(reverse("demands:figures"), HTTP_ACCEPT_LANGUAGE="en")
    today = dt.date.today()
    assert response.context["period"].start == dt.date(today.year, 1, 1)
    assert "No issued filings yet" in response.content.decode()


def test_the_year_before_of_a_29_february_period_ends_on_28_february(cast):
    response = cast.client(cast.officer).get(reverse("demands:figures"),
                                             {"kind": "document", "year": 2020, "from_month": 2, "to_month": 2})
    assert response.context["result"]["previous"].end == dt.date(2019, 2, 28)
