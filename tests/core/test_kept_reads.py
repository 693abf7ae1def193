"""Large aggregates are kept for a minute, like large counts; small ones are computed afresh every time."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from jianfu.core import pagination as kept_reads
from jianfu.org.models import Unit

pytestmark = pytest.mark.django_db


def _read(calls: list, size: int):
    def compute():
        calls.append(1)
        return {"rows": size}
    return kept_reads.kept("test.read", Unit.objects.filter(code="x"), (2026,), compute, lambda v: v["rows"])


def test_an_aggregate_over_many_rows_is_computed_once_a_minute(monkeypatch):
    cache.clear()
    monkeypatch.setattr(kept_reads, "LARGE_COUNT", 10)
    calls: list = []
    assert _read(calls, 10) == _read(calls, 10) == {"rows": 10}
    assert len(calls) == 1


def test_an_aggregate_over_few_rows_is_computed_every_time(monkeypatch):
    cache.clear()
    monkeypatch.setattr(kept_reads, "LARGE_COUNT", 10)
    calls: list = []
    _read(calls, 9)
    _read(calls, 9)
    assert len(calls) == 2
