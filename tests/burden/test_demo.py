"""The demo's burden hours are computed from its rows: the year against the year before, a unit's load,
one department over its budget, a re-estimate kept apart from real changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jianfu.burden.models import BurdenLink, Estimate
from jianfu.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(Person.objects.get(username=username))
    return client


def test_the_2019_burden_is_compared_with_2018_from_the_links(demo_city):
    result = client_for("tf_officer").get(reverse("burden:overview"), {"year": 2019}).context["result"]
    links = BurdenLink.objects.filter(occurs_on__year=2019)
    assert result.total_now == round(sum(link.minutes for link in links) / 60, 1)
    assert result.total_then > result.total_now > 0
    assert {row.key for row in result.by_kind} >= {"document", "meeting", "inspection"}
    assert result.re_estimates > 0


def test_tuqiao_sees_what_is_placed_on_it(demo_city):
    response = client_for("cadre_a").get(reverse("burden:on_unit"), {"year": 2019})
    assert response.context["unit"] == Unit.objects.get(name="土桥镇")
    assert response.context["result"].total_now > 0
    assert response.context["page"].paginator.count == BurdenLink.objects.filter(
        unit__name="土桥镇", occurs_on__year=2019).count()


def test_one_department_is_over_its_budget(demo_city):
    response = client_for("tf_officer").get(reverse("burden:ledger"), {"year": 2019})
    over = {row.unit.name for row in response.context["over"]}
    assert "市委办" in over and "市政府办" not in over


def test_the_demo_re_estimate_is_a_separate_version(demo_city):
    estimate = Estimate.objects.get(reason=Estimate.Reason.RE_ESTIMATE)
    assert estimate.number > 1 and estimate.note
