"""Which period a page of figures opens on when the reader names none: the latest one that has data.

A page that compares a year with the year before opens on the latest year that can be compared (data in the
months so far and in the same months a year before); failing that, on the latest year with any data; failing
that, on this year. Each step is one indexed look-up on a date column, so it stays fast at any size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

COMPARED = "compared"  # data in the period and in the same period a year before
LATEST = "latest"  # data in the period, none a year before
NONE = "none"  # no data anywhere: this year


@dataclass(frozen=True)
class DefaultPeriod:
    year: int
    last_month: int
    reason: str

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        month = self.last_month
        return dt.date(self.year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def _same_day_a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def latest_period(*, latest_on_or_before: Callable[[dt.date], dt.date | None],
                  exists_between: Callable[[dt.date, dt.date], bool], today: dt.date,
                  max_years: int = 30) -> DefaultPeriod:
    """`latest_on_or_before(day)`: the latest date with data up to `day`, or None; `exists_between(a, b)`:
    whether there is data from a to b (both included)."""
    first_found: DefaultPeriod | None = None
    bound = today
    for _step in range(max_years):
        latest = latest_on_or_before(bound)
        if latest is None:
            break
        end = (dt.date(latest.year + (latest.month == 12), latest.month % 12 + 1, 1) - dt.timedelta(days=1))
        found = DefaultPeriod(latest.year, latest.month, LATEST)
        first_found = first_found or found
        before_start = dt.date(latest.year - 1, 1, 1)
        if exists_between(before_start, _same_day_a_year_before(end)):
            return DefaultPeriod(latest.year, latest.month, COMPARED)
        bound = dt.date(latest.year - 1, 12, 31)
    if first_found is not None:
        return first_found
    return DefaultPeriod(today.year, today.month, NONE)
