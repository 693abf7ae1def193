"""The filings export holds what the person's list shows, and nothing the params could add."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from jianfu.demands.exports import filings_build
from jianfu.demands.models import Status
from tests.exports import export_rows

from .filings import approve, file_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def filings(cast):
    """One filing of township A on its village, one of township B on its own, one of the city on the county."""
    of_a = file_document(cast, by=cast.cadre_a, unit=cast.township_a, title="关于规范土桥村工作台账的通知",
                         targets=[(cast.village_a, False)])
    of_b = file_document(cast, by=cast.cadre_b, unit=cast.township_b, title="关于热水镇防汛值班的通知",
                         targets=[(cast.village_b, False)])
    of_city = approve(cast, file_document(cast, title="关于进一步做好基层减负工作的通知"))
    return of_a, of_b, of_city


@pytest.mark.parametrize("who", ["cadre_a", "cadre_b", "village_cadre_a", "officer", "leader"])
def test_each_persons_filings_export_holds_exactly_what_their_list_shows(cast, filings, who):
    client = cast.client(getattr(cast, who))
    listed = [d.title for d in client.get(reverse("demands:list"), {"size": 100}).context["page"]]
    rows = export_rows(client, reverse("demands:list"), {"export": "xlsx"})
    assert [row[2] for row in rows[1:]] == listed


def test_a_township_cadre_exports_nothing_of_the_other_township(cast, filings):
    rows = export_rows(cast.client(cast.cadre_a), reverse("demands:list"), {"export": "xlsx"})
    titles = [row[2] for row in rows[1:]]
    assert "关于规范土桥村工作台账的通知" in titles and "关于热水镇防汛值班的通知" not in titles


def test_the_filters_narrow_the_export_as_they_narrow_the_list_with_labels_in_the_persons_language(cast, filings):
    of_city = filings[2]
    rows = export_rows(cast.client(cast.officer), reverse("demands:list"), {"export": "xlsx", "q": "减负"})
    assert [row[:3] for row in rows[1:]] == [[of_city.control_number, "文件", of_city.title]]
    with translation.override("zh-hans"):
        assert rows[1][6] == str(Status(of_city.status).label) != of_city.status


def test_params_naming_another_townships_issuer_add_nothing(cast, filings):
    of_a = filings[0]
    with translation.override("zh-hans"):
        sheet = filings_build(cast.cadre_b, {"issuer": str(of_a.issuing_unit_id), "q": "土桥"})
        assert list(sheet.rows) == [] and sheet.total == 0
