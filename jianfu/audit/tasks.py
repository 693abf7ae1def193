"""The audit log's scheduled jobs: the nightly walk of the chain and the hourly signed checkpoint."""

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


@task()
def audit_checkpoint() -> dict:
    """Append a signed checkpoint of the chain's head to the checkpoint file; fails over a broken chain."""
    from .services import audit_checkpoint_write

    checkpoint, _line = audit_checkpoint_write()
    return {"seq": checkpoint.seq, "hash": checkpoint.hash, "count": checkpoint.count,
            "at": checkpoint.at.isoformat()}
