"""Background tasks of the site: thin, idempotent."""

from __future__ import annotations

from django_tasks import task


@task()
def inbox_digests_daily() -> dict:
    """Send each person with an e-mail address the digest of their inbox (nothing when SMTP is not set)."""
    from .services import inbox_digests_send

    return inbox_digests_send()
