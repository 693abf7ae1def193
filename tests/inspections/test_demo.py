"""The demo's inspection plans reproduce the source: 174 items in 2018 cut and merged to 19 (−89%), counties ≤ 19."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jianfu.demands.models import Demand, Kind, Status
from jianfu.inspections.models import InspectionPlan, PlanItem
from jianfu.org.models import Person, UnitType

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(demo_city) -> Client:
    client = Client()
    client.force_login(Person.objects.get(username="tf_officer"))
    return client


def test_the_city_plan_goes_from_174_items_to_19_computed_from_rows(officer):
    response = officer.get(reverse("inspections:plans"), {"year": 2019})
    city = next(r for r in response.context["rows"] if r.unit.type == UnitType.CITY)
    assert (city.previous, city.items, city.cap) == (174, 19, 19)
    assert round(city.change) == -89
    assert "−89.1%" in response.content.decode()


def test_the_19_came_from_merging_overlapping_proposals(demo_city):
    plan = InspectionPlan.objects.get(year=2019, unit__type=UnitType.CITY)
    assert plan.items.count() == 31
    assert plan.items.filter(status=PlanItem.Status.MERGED).count() == 12
    approved = plan.items.filter(status=PlanItem.Status.APPROVED, demand__control_number__startswith="DC-2019-")
    assert approved.count() == 19


def test_every_county_plan_is_within_19(officer):
    response = officer.get(reverse("inspections:plans"), {"year": 2019})
    counties = [r for r in response.context["rows"] if r.unit.type == UnitType.COUNTY]
    assert len(counties) == 11
    assert all(r.plan is not None and r.plan.status == InspectionPlan.Status.APPROVED for r in counties)
    assert all(0 < r.items <= 19 for r in counties)


def test_the_demo_has_an_off_plan_inspection_with_its_one_off_approval_and_a_flagged_rename(demo_city):
    off_plan = Demand.objects.filter(kind=Kind.INSPECTION, plan_item__isnull=True)
    approved = off_plan.get(control_number__isnull=False)
    assert approved.one_off_approval.approver.username == "leader"
    waiting = off_plan.get(status=Status.CHECKED)
    assert waiting.current_revision.findings.filter(rule_code="inspections.plan_drift",
                                                    detail__drift="renamed").exists()


def test_the_city_plan_page_lists_the_approved_items_with_their_numbers(officer):
    plan = InspectionPlan.objects.get(year=2019, unit__type=UnitType.CITY)
    response = officer.get(reverse("inspections:plan", args=[plan.pk]), {"status": "approved"})
    assert response.context["page"].paginator.count == 19
    assert "DC-2019-" in response.content.decode()
