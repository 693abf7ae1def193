"""Fixtures of the report-form tests: the cast, a small field dictionary and helpers that register forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianfu.demands import services as registry
from jianfu.demands.models import Demand, Review
from jianfu.reportforms import services
from jianfu.reportforms.models import FieldDefinition

DICTIONARY = [
    ("户籍人口", "户籍登记在本辖区的人口数（年末数）", "人"),
    ("常住人口", "在本辖区居住半年以上的人口数", "人"),
    ("贫困户数", "建档立卡贫困户的户数", "户"),
    ("贫困人口数", "建档立卡贫困户的人口数", "人"),
    ("安全生产检查次数", "本期内组织开展安全生产检查的次数", "次"),
    ("安全隐患整改数", "本期内排查发现并整改到位的安全隐患数", "处"),
    ("耕地面积", "年末实有耕地面积", "亩"),
    ("村集体经济收入", "村集体经济组织本年度经营性收入", "万元"),
]


@pytest.fixture
def dictionary(cast) -> dict[str, FieldDefinition]:
    """The task-force officer's dictionary of eight fields, by name."""
    return {name: services.field_definition_create(by=cast.officer, name=name, definition=definition,
                                                   unit_of_measure=unit)
            for name, definition, unit in DICTIONARY}


def register(cast, dictionary, names, *, by=None, unit=None, title="贫困人口动态监测月报表", new_fields=(),
             frequency="monthly", minutes=30, material="report_set", targets=None, occurs_on=None) -> Demand:
    return services.report_form_file(
        by=by or cast.clerk, issuing_unit=unit or cast.department, title=title, frequency=frequency,
        minutes_per_response=minutes, material_type=material,
        field_ids=[(dictionary[n].pk, True) for n in names], new_fields=list(new_fields),
        targets=[(cast.county, True)] if targets is None else targets,
        occurs_on=occurs_on or timezone.localdate())


def approve(cast, demand: Demand, *, valid_until: dt.date | None = None) -> Demand:
    demand = registry.demand_submit(by=demand.filed_by, demand=demand, version=demand.version)
    return registry.demand_review(by=cast.officer, demand=demand, version=demand.version,
                                  decision=Review.Decision.APPROVE, valid_until=valid_until)


def findings(demand: Demand) -> list:
    demand.refresh_from_db()
    return list(demand.current_revision.findings.order_by("pk"))
