"""One rule's value for many units in one query equals what each unit's rulebook says."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianfu.rules import services
from jianfu.rules.selectors import rule_values_for_units, ruleset_for


def test_each_unit_gets_the_value_its_own_rulebook_gives_from_one_query(cast):
    on = dt.date(2026, 1, 1)
    services.rule_change(by=cast.officer, code="inspections.annual_cap", value=5, severity="block",
                         source_clause="县级计划上限", effective_from=dt.date(2025, 1, 1), scope_unit=cast.county)
    units = [cast.city, cast.county, cast.township_a, cast.department]
    with CaptureQueriesContext(connection) as ctx:
        values = rule_values_for_units(code="inspections.annual_cap", units=units, on=on)
    assert len(ctx.captured_queries) == 1
    assert values == {u.pk: ruleset_for(unit=u, on=on).value("inspections.annual_cap") for u in units}
    assert values[cast.county.pk] == 5 and values[cast.township_a.pk] == 5 and values[cast.city.pk] != 5
