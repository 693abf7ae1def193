"""Tasks the worker tests enqueue; module-level state lets a task fail a set number of times."""

from __future__ import annotations

from django_tasks import task

RUNS: dict[str, int] = {}


@task()
def always_fails(label: str) -> None:
    RUNS[label] = RUNS.get(label, 0) + 1
    raise RuntimeError(f"always fails: {label}")


@task()
def fails_then_succeeds(label: str, failures: int) -> int:
    RUNS[label] = RUNS.get(label, 0) + 1
    if RUNS[label] <= failures:
        raise RuntimeError(f"failure {RUNS[label]} of {failures}")
    return RUNS[label]


@task()
def tick() -> str:
    RUNS["tick"] = RUNS.get("tick", 0) + 1
    return "ticked"
