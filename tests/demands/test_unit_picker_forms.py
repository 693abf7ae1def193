"""Filing forms name units with the picker: the page carries only the chosen units, a form sent back keeps them
with their own "and below", and a unit outside what the person may aim at is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from jianfu.demands.forms import DocumentForm
from jianfu.demands.models import Demand, DocumentKind
from jianfu.org import services as org
from jianfu.org.models import Unit, UnitType
from jianfu.org.scoping import units_targetable, units_writable
from tests.demands.filings import CHECKLIST_NO, file_document
from tests.html import form_data

pytestmark = pytest.mark.django_db


def bulk_units(parent: Unit, n: int, prefix: str) -> None:
    """n villages under the parent in two statements, the way a big import leaves the tree."""
    Unit.objects.bulk_create([Unit(code=f"{prefix}{i:05d}", name=f"{prefix}第{i}村", type=UnitType.VILLAGE,
                                   parent=parent, level=parent.level + 1) for i in range(n)], batch_size=500)
    rows = list(Unit.objects.filter(code__startswith=prefix, parent=parent))
    for u in rows:
        u.path = f"{parent.path}{u.pk}/"
    Unit.objects.bulk_update(rows, ["path"], batch_size=500)


def filing_post(cast, **overrides) -> dict:
    data = {"title": "关于进一步做好基层减负工作的通知", "issuing_unit": cast.department.pk,
            "occurs_on": timezone.localdate().isoformat(), "targets": [cast.county.pk],
            "targets_picker": "1", "targets_below": [cast.county.pk],
            "document_kind": DocumentKind.OTHER, "issued_in_name": "committee_office", "body": "正文"}
    data |= {f"no_issue_{code}": "no" for code in CHECKLIST_NO}
    return data | overrides


def test_the_filing_form_stays_small_with_2000_units_and_names_no_unit_out_of_scope(cast):
    bulk_units(cast.township_a, 1000, "TQ")
    elsewhere = org.unit_create(by=None, code="430400", name="衡阳市", type=UnitType.CITY)
    other_town = org.unit_create(by=None, code="430421", name="衡阳县", type=UnitType.COUNTY, parent=elsewhere)
    bulk_units(other_town, 1000, "HY")
    assert Unit.objects.count() > 2000
    html = cast.client(cast.clerk).get(reverse("demands:new", args=["document"])).content.decode()
    assert len(html.encode()) < 100_000
    assert "衡阳" not in html and "HY第" not in html
    assert "TQ第999村" not in html  # in scope, but not listed either: it is searched for
    assert 'role="combobox"' in html and reverse("org:unit_pick") in html


def test_a_rejected_filing_keeps_the_chosen_units_and_each_ones_and_below(cast):
    client = cast.client(cast.clerk)
    response = client.post(reverse("demands:new", args=["document"]), filing_post(
        cast, title="", targets=[cast.county.pk, cast.township_b.pk], targets_below=[cast.county.pk]))
    assert response.status_code == 400
    html = response.content.decode()
    sent_back = form_data(html, having="title")
    assert sorted(map(int, sent_back["targets"])) == sorted([cast.county.pk, cast.township_b.pk])
    assert int(sent_back["targets_below"]) == cast.county.pk  # 热水镇 stays without the units below it
    assert "汝城县" in html and "热水镇" in html
    assert int(sent_back["issuing_unit"]) == cast.department.pk


def test_each_receiving_unit_is_saved_with_its_own_and_below(cast):
    client = cast.client(cast.clerk)
    response = client.post(reverse("demands:new", args=["document"]), filing_post(
        cast, targets=[cast.county.pk, cast.township_b.pk], targets_below=[cast.township_b.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    demand = Demand.objects.get(title="关于进一步做好基层减负工作的通知")
    assert {(t.unit_id, t.include_below) for t in demand.targets.all()} == {(cast.county.pk, False),
                                                                           (cast.township_b.pk, True)}


def test_unticking_one_units_box_on_a_new_version_changes_only_that_unit(cast):
    demand = file_document(cast, targets=[(cast.county, True), (cast.township_b, False)])
    client = cast.client(cast.clerk)
    page = client.get(reverse("demands:edit", args=[demand.pk])).content.decode()
    data = form_data(page, having="title")
    # The reader unticks 汝城县 and leaves 热水镇 as it was shown.
    shown_below = data.get("targets_below", [])
    shown_below = [shown_below] if isinstance(shown_below, str) else shown_below
    data["targets_below"] = [pk for pk in shown_below if int(pk) != cast.county.pk]
    response = client.post(reverse("demands:edit", args=[demand.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    demand.refresh_from_db()
    assert {(t.unit_id, t.include_below) for t in demand.targets.all()} == {(cast.county.pk, False),
                                                                           (cast.township_b.pk, False)}


def test_a_unit_outside_what_the_person_may_aim_at_is_refused_and_named_only_if_they_see_it(cast):
    def form(targets, below=()):
        data = filing_post(cast, issuing_unit=cast.township_a.pk, targets=targets, targets_below=list(below))
        return DocumentForm(data, issuer_queryset=units_writable(cast.cadre_a), actor=cast.cadre_a,
                            target_queryset=units_targetable(cast.cadre_a))

    fine = form([cast.village_a.pk], below=[cast.village_a.pk])
    assert fine.is_valid(), fine.errors
    assert fine.target_pairs() == [(cast.village_a, True)]
    own = form([cast.village_a.pk, cast.township_a.pk])  # its own township: seen, but not a target
    assert not own.is_valid()
    assert "土桥镇" in own.errors["targets"][0]
    outside = form([cast.village_b.pk])  # township B's village: not even seen
    assert not outside.is_valid()
    assert "热水" not in outside.errors["targets"][0] and outside.errors["targets"][0]


def test_the_clerk_cannot_send_a_filing_to_a_unit_of_another_city(cast):
    elsewhere = org.unit_create(by=None, code="430400", name="衡阳市", type=UnitType.CITY)
    response = cast.client(cast.clerk).post(reverse("demands:new", args=["document"]), filing_post(
        cast, targets=[elsewhere.pk], targets_below=[]), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 400 and "衡阳市" not in html
    assert "not among the units you may choose here" in html


def test_a_post_with_one_and_below_for_all_units_still_means_every_unit(cast):
    data = filing_post(cast, targets=[cast.county.pk, cast.township_b.pk], include_below="on")
    del data["targets_picker"], data["targets_below"]
    response = cast.client(cast.clerk).post(reverse("demands:new", args=["document"]), data)
    assert response.status_code == 302
    demand = Demand.objects.get(title=data["title"])
    assert all(t.include_below for t in demand.targets.all()) and demand.targets.count() == 2
