"""Every edit form keeps its dates in every language: date inputs carry ISO values, and a form sent back
as the page rendered it saves without "this field is required"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from jianfu.demands.models import Demand
from jianfu.rules.catalogue import RULES
from tests.demands import filings
from tests.html import form_data, inputs_of_type

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DAY = dt.date(2026, 12, 1)


def dates_on(html: str) -> list[str]:
    return [a.get("value", "") for a in inputs_of_type(html, "date")]


def get(client, url: str, language: str):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_document_edit_form_shows_its_date_in_iso_and_saves_unchanged(cast, language):
    demand = filings.file_document(cast, occurs_on=DAY, body="太短")
    client = cast.client(cast.clerk)
    html = get(client, reverse("demands:edit", args=[demand.pk]), language)
    assert dates_on(html) == ["2026-12-01"]
    data = form_data(html, having="occurs_on")
    response = client.post(reverse("demands:edit", args=[demand.pk]), data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302, response.content.decode()[:2000]
    demand.refresh_from_db()
    assert demand.occurs_on == DAY and demand.current_revision.number == 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_meeting_edit_form_keeps_its_date_and_start_time(cast, language):
    demand = filings.file_meeting(cast, occurs_on=DAY)
    client = cast.client(cast.clerk)
    html = get(client, reverse("demands:edit", args=[demand.pk]), language)
    assert dates_on(html) == ["2026-12-01"]
    assert [a.get("value") for a in inputs_of_type(html, "time")] == ["09:00"]
    response = client.post(reverse("demands:edit", args=[demand.pk]), form_data(html, having="occurs_on"),
                           HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.occurs_on == DAY and demand.current_revision.data["starts_at"] == "09:00"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_trace_requirement_edit_form_keeps_its_date(cast, language):
    demand = filings.file_trace(cast, occurs_on=DAY)
    client = cast.client(cast.clerk)
    html = get(client, reverse("demands:edit", args=[demand.pk]), language)
    assert dates_on(html) == ["2026-12-01"]
    response = client.post(reverse("demands:edit", args=[demand.pk]), form_data(html, having="occurs_on"),
                           HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    assert Demand.objects.get(pk=demand.pk).occurs_on == DAY


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_rule_change_form_starts_with_an_iso_effective_date_and_saves(cast, language):
    client = cast.client(cast.officer)
    url = reverse("rules:change", args=["meeting.max_minutes"])
    html = get(client, url, language)
    values = dates_on(html)
    assert values and ISO.match(values[0]), values
    data = form_data(html, having="effective_from") | {"value": "90", "note": "压缩会议时长"}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_activity_table_form_starts_with_an_iso_date_and_saves(cast, language):
    client = cast.client(cast.officer)
    url = reverse("burden:activities")
    html = get(client, url, language)
    values = dates_on(html)
    assert values and all(ISO.match(v) for v in values), values
    data = form_data(html, having="effective_from") | {"note": "按实测调整"}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_filings_filter_keeps_its_dates_in_iso(cast, language):
    client = cast.client(cast.clerk)
    html = get(client, reverse("demands:list") + "?date_from=2019-01-01&date_to=2019-05-31", language)
    assert dates_on(html) == ["2019-01-01", "2019-05-31"]


def test_every_language_has_its_own_iso_first_input_formats():
    """A language added to LANGUAGES without a formats module would bring the bug back."""
    from django.utils.formats import get_format
    from django.utils.translation import override

    for code in LANGUAGES:
        with override(code):
            assert get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d", code
            assert get_format("DATETIME_INPUT_FORMATS")[0].startswith("%Y-%m-%d"), code


def test_the_rule_catalogue_still_has_the_rule_the_form_test_changes():
    assert "meeting.max_minutes" in RULES
