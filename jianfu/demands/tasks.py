"""Background jobs of the registry: thin, idempotent, each calling one service."""

from __future__ import annotations

from django_tasks import task


@task()
def demands_advance_daily() -> dict:
    """Bring approved filings into force and expire those past their validity."""
    from .services import demands_advance

    return demands_advance()
