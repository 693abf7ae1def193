"""Fixtures of the rulebook's tests: the fixed cast plus the registry's filing helpers."""

from __future__ import annotations

import pytest

from tests.demands import filings


@pytest.fixture
def file_document(cast):
    """File a valid document as the department clerk (overrides by keyword)."""
    return lambda **kwargs: filings.file_document(cast, **kwargs)
