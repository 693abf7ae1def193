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
def test_a_nonsense_period_falls_back_to_january_to_may(cast, params):
    start, end = period(cast, **({"year": 2019, "from_month": 1, "to_month": 5} | params))
    assert (start.month, start.day, end.month, end.day) == (1, 1, 5, 31)


def test_the_year_before_of_a_29_february_period_ends_on_28_february(cast):
    response = cast.client(cast.officer).get(reverse("demands:figures"),
                                             {"kind": "document", "year": 2020, "from_month": 2, "to_month": 2})
    assert response.context["result"]["previous"].end == dt.date(2019, 2, 28)
