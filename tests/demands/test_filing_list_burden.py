"""The filings list sums the burden of a short list at once, and of a long one only when asked: that sum reads
every row of the list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jianfu.demands.models import Demand, Kind, Source, Status

pytestmark = pytest.mark.django_db


def _demands(cast, n: int) -> None:
    Demand.objects.bulk_create([
        Demand(kind=Kind.DOCUMENT, title=f"关于第{i}项工作的通知", issuing_unit=cast.department, filed_by=cast.clerk,
               status=Status.EXPIRED, source=Source.LEDGER, occurs_on=dt.date(2019, 3, 1), burden_minutes=90)
        for i in range(n)])


def _officer(cast) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.officer)
    return client


def test_a_short_filings_list_shows_its_estimated_burden_at_once(cast):
    _demands(cast, 4)
    html = _officer(cast).get("/demands/").content.decode()
    assert "estimated burden on the grassroots 6.0 hours" in html
    assert "burden=1" not in html


def test_a_long_filings_list_shows_its_estimated_burden_only_when_asked(cast, monkeypatch):
    monkeypatch.setattr("jianfu.demands.views.LARGE_COUNT", 3)
    _demands(cast, 4)
    client = _officer(cast)
    html = client.get("/demands/").content.decode()
    assert "burden=1" in html
    assert "estimated burden on the grassroots" in html and "6.0 hours" not in html
    assert "estimated burden on the grassroots 6.0 hours" in client.get("/demands/?burden=1").content.decode()
