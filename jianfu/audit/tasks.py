"""The audit log's nightly job."""

from __future__ import annotations

from django_tasks import task


@task()
def audit_chain_check() -> dict:
    """Verify the audit chain every night; a broken chain fails the task so administrators see it."""
    from .selectors import audit_chain_verify

    report = audit_chain_verify()
    if not report.ok:
        raise RuntimeError(f"audit chain broken at record {report.broken_seq} ({report.reason})")
    return {"ok": True, "count": report.count}
