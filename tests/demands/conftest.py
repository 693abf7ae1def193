"""Fixtures of the registry's tests: the fixed cast plus helpers that file drafts through the services."""

from __future__ import annotations

import pytest

from jianfu.rules.services import rulebook_seed

from . import filings


@pytest.fixture
def rulebook(db) -> None:
    """The source's defaults, seeded again if a transactional test flushed the migration's rows."""
    rulebook_seed()


@pytest.fixture
def checklist_no() -> dict[str, bool]:
    """Every no-issuance question answered "no"."""
    return dict(filings.CHECKLIST_NO)


@pytest.fixture
def file_document(cast):
    """File a valid document as the department clerk (overrides by keyword)."""
    return lambda **kwargs: filings.file_document(cast, **kwargs)


@pytest.fixture
def file_meeting(cast):
    """File a valid meeting plan as the department clerk (overrides by keyword)."""
    return lambda **kwargs: filings.file_meeting(cast, **kwargs)
