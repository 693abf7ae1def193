"""Running an import: checking and applying a file, and the job steps the worker runs for an upload.

`services` stores uploads and queues these steps through `tasks`; this module queues nothing, so the
tasks import it and nothing here imports them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from jianfu.audit.services import audit_record
from jianfu.core.models import WriteBatch

from ..models import ImportJob, Person
from .people import (
    PeoplePlan,
    person_import_apply,
    person_import_check,
    person_import_step_apply,
    person_import_step_undo,
    person_import_steps,
)
from .problems import ERROR, WARNING, ImportFileError, Problem
from .reading import read_sheet
from .steps import PlanConflict, Step, StepResult
from .unit_writes import (
    unit_import_apply,
    unit_import_step_apply,
    unit_import_step_undo,
    unit_import_steps,
    unit_write_state,
)
from .units import UnitPlan, unit_import_check, unit_import_recheck

logger = logging.getLogger("jianfu.imports")

MAX_STORED_PROBLEMS = 20_000
Plan = UnitPlan | PeoplePlan
ProgressCallback = Callable[[str, float], None]

CHECKERS = {ImportJob.Kind.UNITS: unit_import_check, ImportJob.Kind.PEOPLE: person_import_check}
APPLIERS = {ImportJob.Kind.UNITS: unit_import_apply, ImportJob.Kind.PEOPLE: person_import_apply}
# Whether a plan checked earlier still holds, re-reading only what its check read from the database.
RECHECKERS = {ImportJob.Kind.UNITS: unit_import_recheck}


def imports_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_upload_bytes() -> int:
    return settings.JIANFU_MAX_UPLOAD_MB * 1024 * 1024


def job_file(job: ImportJob) -> Path:
    return Path(settings.VAR_DIR) / job.file_path


@dataclass
class Outcome:
    """What checking or applying a file came to; `problems` are stored dicts, translated when shown."""

    plan: Plan | None
    problems: list[dict[str, Any]]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not any(p["level"] == ERROR for p in self.problems)


def import_file_check(*, kind: str, path: Path, file_name: str = "", actor: Person | None,
                      progress: ProgressCallback | None = None) -> Outcome:
    """Read and check a file; raises ImportFileError when it cannot be read at all."""
    def reading(fraction: float) -> None:
        if progress:
            progress("reading", 0.3 * fraction)

    def checking(fraction: float) -> None:
        if progress:
            progress("checking", 0.3 + 0.7 * fraction)

    sheet = read_sheet(path, file_name=file_name, max_bytes=max_upload_bytes(), progress=reading)
    plan = CHECKERS[kind](sheet=sheet, actor=actor, progress=checking)
    problems = list(plan.problems)
    if sheet.encoding == "GBK" and not plan.header.ok:
        problems.append(Problem(gettext_noop(
            "The file was read as GBK text; if the column names above look garbled, "
            "save it as .xlsx or as “CSV UTF-8” and upload it again."), level=WARNING))
    if len(problems) > MAX_STORED_PROBLEMS:
        more = len(problems) - MAX_STORED_PROBLEMS
        problems = problems[:MAX_STORED_PROBLEMS]
        problems.append(Problem(gettext_noop("… and %(n)s more problems; fix these first and check again."),
                                {"n": more}))
    return Outcome(plan=plan, problems=[p.as_dict() for p in problems], created=len(plan.creates),
                   updated=len(plan.updates), unchanged=plan.unchanged, total_rows=plan.total_rows)


def import_file_apply(*, kind: str, path: Path, file_name: str = "", actor: Person | None,
                      progress: ProgressCallback | None = None,
                      before_write: Callable[[Outcome], None] | None = None,
                      after_write: Callable[[Outcome], None] | None = None,
                      checked: Outcome | None = None) -> Outcome:
    """Check the file again and, if it has no errors, write all of it in one transaction or none of it.

    The check runs inside the transaction so that it sees exactly the data it is about to change.
    `checked` is an earlier check of the same file by the same actor: if what that check read from the
    database is unchanged, its findings still hold and the file is not read and checked again.
    """
    with transaction.atomic():
        recheck = RECHECKERS.get(kind)
        if (checked is not None and checked.ok and checked.plan is not None and recheck is not None
                and recheck(plan=checked.plan, actor=actor)):
            outcome = checked
            if progress:
                progress("checking", 0.3)
        else:
            outcome = import_file_check(
                kind=kind, path=path, file_name=file_name, actor=actor,
                progress=(lambda phase, f: progress("checking", 0.3 * f)) if progress else None)
        if not outcome.ok:
            return outcome
        if before_write:
            before_write(outcome)

        def writing(fraction: float) -> None:
            if progress:
                progress("writing", 0.3 + 0.7 * fraction)

        outcome.created, outcome.updated = APPLIERS[kind](plan=outcome.plan, actor=actor, progress=writing)
        if after_write:
            after_write(outcome)
    return outcome


class _DbProgress:
    """Write check progress to the job row at most twice a second; the check runs outside a transaction."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.last = 0.0

    def __call__(self, phase: str, fraction: float) -> None:
        now = time.monotonic()
        if now - self.last < 0.5:
            return
        self.last = now
        ImportJob.objects.filter(pk=self.job.pk).update(processed_rows=int(fraction * 1000), total_rows=1000)


def progress_path(job_id: int) -> Path:
    return imports_dir() / f"{job_id}.progress"


class _FileProgress:
    """The apply phase writes nothing of its job's row until it ends, so its progress goes to a file."""

    def __init__(self, job_id: int):
        self.path = progress_path(job_id)
        self.last = 0.0

    def __call__(self, phase: str, fraction: float) -> None:
        now = time.monotonic()
        if now - self.last < 0.3 and fraction < 1:
            return
        self.last = now
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"phase": phase, "fraction": round(fraction, 4)}))
        os.replace(tmp, self.path)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def import_job_progress(job: ImportJob) -> dict[str, Any]:
    """How far a job is, for the progress bar: percent and phase."""
    if job.status == ImportJob.Status.IMPORTING:
        try:
            data = json.loads(progress_path(job.pk).read_text())
            return {"percent": min(100, int(data["fraction"] * 100)), "phase": data["phase"]}
        except (OSError, ValueError, KeyError, TypeError):
            return {"percent": 0, "phase": "waiting"}
    if job.status == ImportJob.Status.CHECKING:
        return {"percent": job.progress_percent, "phase": "checking"}
    if job.status == ImportJob.Status.UPLOADED:
        return {"percent": 0, "phase": "waiting"}
    return {"percent": 100, "phase": "finished"}


# The last job checked in this process, with its plan. The worker runs a job's check and, once it is
# confirmed, its apply: when both run in the same process, the apply re-reads what the check read from
# the database instead of the whole file. Only one plan is kept, so memory stays bounded.
_last_checked: dict[int, tuple[tuple[str, str, int | None], Outcome]] = {}


def _remember(job: ImportJob, actor: Person | None, outcome: Outcome) -> None:
    _last_checked.clear()
    if outcome.ok and outcome.plan is not None and job.kind in RECHECKERS:
        _last_checked[job.pk] = ((job.file_sha256, job.file_name, getattr(actor, "pk", None)), outcome)


def _recall(job: ImportJob, actor: Person | None) -> Outcome | None:
    key, outcome = _last_checked.pop(job.pk, (None, None))
    return outcome if key == (job.file_sha256, job.file_name, getattr(actor, "pk", None)) else None


def import_job_check(*, job_id: int) -> ImportJob:
    """Check an uploaded job's file row by row; a job checked, confirmed or finished meanwhile is left alone."""
    # A job left "checking" by a worker that died is checked again by the task's retry: a check writes
    # nothing but the job's own row, and only while the job is still being checked.
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=(ImportJob.Status.UPLOADED, ImportJob.Status.CHECKING)).update(
        status=ImportJob.Status.CHECKING, processed_rows=0, total_rows=0)
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    try:
        outcome = import_file_check(kind=job.kind, path=job_file(job), file_name=job.file_name,
                                    actor=job.created_by, progress=_DbProgress(job))
    except ImportFileError as exc:
        outcome = Outcome(plan=None, problems=[exc.problem.as_dict()])
    except Exception as exc:
        logger.exception("checking import %s failed", job_id)
        return _fail(job, exc)
    _remember(job, job.created_by, outcome)
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKING).update(
        status=ImportJob.Status.CHECKED if outcome.ok else ImportJob.Status.INVALID, errors=outcome.problems,
        total_rows=outcome.total_rows, processed_rows=outcome.total_rows, created_count=outcome.created,
        updated_count=outcome.updated, message="")
    job.refresh_from_db()
    return job


def import_job_apply(*, job_id: int, by_id: int | None = None) -> ImportJob:
    """Apply a confirmed job all-or-nothing, in batches (`_apply_in_batches`); running it again, even after a
    worker died mid-way, finishes it once."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return job
    by = Person.objects.filter(pk=by_id).first() if by_id else None
    by = by or job.created_by
    run = _Run(kind=job.kind, key=_batch_key(job), path=job_file(job), file_name=job.file_name, by=by, job=job,
               sha256=job.file_sha256)
    progress = _FileProgress(job.pk)
    progress("checking", 0.0)
    try:
        ended = _apply_in_batches(run, _recall(job, by), progress)
    finally:
        progress.clear()
    if ended.finished:
        return ImportJob.objects.get(pk=job.pk)
    if ended.error is not None and (not ended.undone.any or ended.undone.reason == "failed"):
        return _fail(job, ended.error)
    return _end_unwritten(run, ended.undone, ended.outcome, ended.problems)


def import_file_apply_in_batches(*, kind: str, path: Path, file_name: str = "", actor: Person | None,
                                 progress: ProgressCallback | None = None,
                                 after_write: Callable[[Outcome], None] | None = None) -> Outcome:
    """Check a file and write it all or nothing in batches, as a confirmed job is (for the command line).

    `after_write` runs in the transaction that ends the import, with the counts of every batch. A run cut
    off half-way is finished by running the same file again as the same person; interrupted (Ctrl-C), it
    undoes what it wrote. Raises ImportFileError when the file cannot be read.
    """
    sha256 = _sha256(path)
    run = _Run(kind=kind, key=f"org.import.cli:{kind}:{sha256}:{getattr(actor, 'pk', None) or ''}", path=path,
               file_name=file_name or path.name, by=actor, after_write=after_write, sha256=sha256)
    try:
        ended = _apply_in_batches(run, None, progress or (lambda phase, fraction: None))
    except KeyboardInterrupt:
        _undo_all(run, "failed")
        raise
    if ended.finished and ended.outcome is not None:
        return ended.outcome
    if ended.error is not None:
        raise ended.error
    outcome, problems = _unwritten_problems(run, ended.undone, ended.outcome, ended.problems)
    if not any(p["level"] == ERROR for p in problems):
        problems.append(Problem(gettext_noop(
            "What an earlier run of this import had written was undone, so nothing was written. "
            "Run the import again.")).as_dict())
    outcome.problems = problems
    return outcome


class _AlreadyDone(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while block := f.read(1024 * 1024):
                digest.update(block)
    except OSError as exc:
        raise ImportFileError(gettext_noop("The file cannot be opened.")) from exc
    return digest.hexdigest()


def _fail(job: ImportJob, exc: Exception) -> ImportJob:
    running = (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING)
    ImportJob.objects.filter(pk=job.pk, status__in=running).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now(),
        message=f"{type(exc).__name__}: {exc}"[:2000])
    job.refresh_from_db()
    return job


# --- writing in batches -----------------------------------------------------------------------------------------
# A large sheet is written in steps of a few thousand rows, each its own transaction, so that other writers
# (a filing through the API) get the database between them; `WriteBatch` rows, written with each step, say
# what it takes to undo it. The import ends once: done (every step written), or undone (every written step
# reversed) with the problems that stopped it. A run that stops half-way (the worker died) leaves the job
# "importing"; the task's next run checks the file again against the data as it now stands, in which the
# rows already written are unchanged, and writes the rest (decision 0013). Units and people, from a page or
# from the command line, all go this way.

# Rounds of "check, then write" when other people's changes keep invalidating the steps.
MAX_ROUNDS = 3
# Seconds between two batches on SQLite: longer than the longest pause of SQLite's busy handler (100 ms).
SQLITE_PAUSE = 0.11
# The marker batch (seq 0) of an import being undone: once begun, an undo is finished by every later run.
UNDOING = 0


@dataclass
class _Run:
    """One batched import of a file: what it is, where its batches are kept, and whose it is."""

    kind: str
    key: str  # of its WriteBatch rows
    path: Path
    file_name: str
    by: Person | None
    job: ImportJob | None = None  # None: from the command line
    after_write: Callable[[Outcome], None] | None = None  # the command line's summary record
    sha256: str = ""

    def hold(self) -> None:
        """Inside a transaction: lock the job, which must still be importing, so a second run waits."""
        if self.job is not None:
            _locked_importing(self.job)


def _batch_key(job: ImportJob) -> str:
    return f"org.import:{job.pk}"


def _fresh(person: Person | None) -> Person | None:
    """The person again from the database: their scope is cached on the object and may have changed."""
    return Person.objects.filter(pk=person.pk).first() if person is not None else None


# The writers of each kind, looked up when a run starts.
def _steps(kind: str, plan: Plan) -> tuple[list[Step], Any]:
    if kind == ImportJob.Kind.UNITS:
        return unit_import_steps(plan), unit_write_state(plan)
    return person_import_steps(plan), None


def _step_apply(kind: str, **kwargs: Any) -> StepResult:
    if kind == ImportJob.Kind.UNITS:
        return unit_import_step_apply(**kwargs)
    return person_import_step_apply(**kwargs)


def _step_undo(kind: str, **kwargs: Any) -> list[str]:
    if kind == ImportJob.Kind.UNITS:
        return unit_import_step_undo(**kwargs)
    return person_import_step_undo(**kwargs)


def _plan_now(run: _Run, checked: Outcome | None, progress: ProgressCallback) -> Outcome:
    """Outside any transaction: the earlier check if what it read still holds, else a check of the file."""
    actor = _fresh(run.by)
    recheck = RECHECKERS.get(run.kind)
    if (checked is not None and checked.ok and checked.plan is not None and recheck is not None
            and recheck(plan=checked.plan, actor=actor)):
        progress("checking", 0.3)
        return checked
    return import_file_check(kind=run.kind, path=run.path, file_name=run.file_name, actor=actor,
                             progress=lambda phase, f: progress("checking", 0.3 * f))


def _locked_importing(job: ImportJob) -> ImportJob:
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != ImportJob.Status.IMPORTING:
        raise _AlreadyDone
    return locked


def _write_steps(run: _Run, outcome: Outcome, progress: ProgressCallback) -> None:
    plan = outcome.plan
    assert plan is not None
    steps, state = _steps(run.kind, plan)
    total = max(1, len(plan.creates) + len(plan.updates))
    done = 0
    for step in steps:
        actor = _fresh(run.by)
        with transaction.atomic():
            run.hold()
            if WriteBatch.objects.filter(key=run.key, seq=UNDOING).exists():
                raise _Undoing
            last = WriteBatch.objects.filter(key=run.key).aggregate(last=Max("seq"))["last"] or UNDOING
            result = _step_apply(run.kind, plan=plan, step=step, actor=actor, state=state)
            WriteBatch.objects.create(key=run.key, seq=last + 1, undo=result.undo,
                                      counts={"created": result.created, "updated": result.updated})
        done += len(step.rows)
        progress("writing", 0.3 + 0.7 * done / total)
        _let_others_write()


def _let_others_write() -> None:
    """Pause between batches on SQLite, whose one write lock goes to whoever asks first when it is free:
    a writer waiting for it retries every 100 ms at most, and would otherwise find the next batch holding it
    again. PostgreSQL locks rows, so other writers never waited for the batch there."""
    if connection.vendor == "sqlite":
        time.sleep(SQLITE_PAUSE)


def _finish(run: _Run, outcome: Outcome) -> None:
    """End the import once, with its totals summed from its batches and its `import.apply` record."""
    with transaction.atomic():
        run.hold()
        batches = list(WriteBatch.objects.filter(key=run.key).values_list("seq", "counts"))
        if any(seq == UNDOING for seq, _counts in batches):
            raise _Undoing
        outcome.created = sum(c.get("created", 0) for _seq, c in batches)
        outcome.updated = sum(c.get("updated", 0) for _seq, c in batches)
        outcome.unchanged = max(0, outcome.total_rows - outcome.created - outcome.updated)
        job = run.job
        if job is not None:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.DONE, created_count=outcome.created, updated_count=outcome.updated,
                total_rows=outcome.total_rows, processed_rows=outcome.total_rows, errors=outcome.problems,
                finished_at=timezone.now(), message="")
            audit_record(actor=run.by, action="import.apply", obj=job, after={
                "kind": job.kind, "file_name": job.file_name, "sha256": job.file_sha256,
                "created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged})
        elif run.after_write is not None:
            run.after_write(outcome)
        WriteBatch.objects.filter(key=run.key).delete()


@dataclass
class Undone:
    """What undoing an import's written steps came to."""

    any: bool = False  # whether anything had been written
    reason: str = ""  # why the undo began: "invalid", "conflicts" or "failed"
    kept: list[str] = field(default_factory=list)  # units (codes) or people (login names) left as they are


def _undo_all(run: _Run, reason: str) -> Undone:
    """Reverse every written step, newest first, each in its own transaction."""
    try:
        with transaction.atomic():
            run.hold()
            if not WriteBatch.objects.filter(key=run.key).exists():
                return Undone(reason=reason)
            marker, _new = WriteBatch.objects.get_or_create(key=run.key, seq=UNDOING,
                                                            defaults={"undo": {"reason": reason}})
        undone = Undone(any=True, reason=marker.undo.get("reason", reason))
        while True:
            with transaction.atomic():
                run.hold()
                batch = WriteBatch.objects.filter(key=run.key, seq__gt=UNDOING).order_by("-seq").first()
                if batch is None:
                    WriteBatch.objects.filter(key=run.key).delete()
                    break
                undone.kept += _step_undo(run.kind, undo=batch.undo, actor=run.by)
                batch.delete()
    except _AlreadyDone:  # another run of the job ended it meanwhile
        return Undone(reason=reason)
    if undone.kept:
        logger.warning("import %s undone; what was changed or used meanwhile was left as it is: %s",
                       run.key, ", ".join(undone.kept[:50]))
    return undone


KEPT = {
    ImportJob.Kind.UNITS: gettext_noop(
        "Some units this import had created or changed were changed or used by someone else while it ran, "
        "so they were left as they are: %(codes)s."),
    ImportJob.Kind.PEOPLE: gettext_noop(
        "Some people this import had created or changed were changed or used by someone else while it ran, "
        "so they were left as they are: %(codes)s."),
}


KEPT_CHANGING = {
    ImportJob.Kind.UNITS: gettext_noop(
        "The units kept changing while this file was being imported, so nothing was imported. "
        "Check the file again and import it at a quieter moment."),
    ImportJob.Kind.PEOPLE: gettext_noop(
        "The people and units this file names kept changing while it was being imported, so nothing was "
        "imported. Check the file again and import it at a quieter moment."),
}


def _unwritten_problems(run: _Run, undone: Undone, outcome: Outcome | None, problems: list[dict] | None,
                        ) -> tuple[Outcome, list[dict]]:
    """Why nothing of the import stands; without an `outcome` the file is checked again against the data
    as it now stands."""
    problems = list(problems or [])
    if outcome is None:
        try:
            outcome = import_file_check(kind=run.kind, path=run.path, file_name=run.file_name, actor=run.by)
        except ImportFileError as exc:
            outcome = Outcome(plan=None, problems=[exc.problem.as_dict()])
        problems += outcome.problems
    if undone.kept:
        problems.append(Problem(KEPT[run.kind], {"codes": ", ".join(undone.kept[:200])},
                                level=WARNING).as_dict())
    return outcome, problems


def _end_unwritten(run: _Run, undone: Undone, outcome: Outcome | None = None,
                   problems: list[dict] | None = None) -> ImportJob:
    """Nothing of the job stands (any written step undone): show why, or that it may be confirmed again."""
    job = run.job
    assert job is not None
    outcome, problems = _unwritten_problems(run, undone, outcome, problems)
    if undone.reason == "failed":
        return _fail(job, RuntimeError("the import stopped half-way and what it had written was undone"))
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING).update(
        status=ImportJob.Status.INVALID if any(p["level"] == ERROR for p in problems) else ImportJob.Status.CHECKED,
        errors=problems, total_rows=outcome.total_rows, processed_rows=outcome.total_rows,
        created_count=outcome.created, updated_count=outcome.updated, finished_at=timezone.now())
    return ImportJob.objects.get(pk=job.pk)


@dataclass
class _Ended:
    """How a batched run ended: finished (by this run or another), or with nothing of it standing."""

    finished: bool = False
    outcome: Outcome | None = None
    undone: Undone = field(default_factory=Undone)
    problems: list[dict] | None = None
    error: Exception | None = None  # an unexpected error, after which what was written was undone


def _apply_in_batches(run: _Run, checked: Outcome | None, progress: ProgressCallback) -> _Ended:
    try:
        if WriteBatch.objects.filter(key=run.key, seq=UNDOING).exists():
            raise _Undoing
        if run.job is not None and _sha256(run.path) != run.sha256:
            raise ImportFileError(gettext_noop("The stored file has changed since it was uploaded; upload it again."))
        for _round in range(MAX_ROUNDS):
            outcome = _plan_now(run, checked, progress)
            checked = None
            if not outcome.ok:
                # The data changed since the check (or the file did): whatever an earlier run wrote is undone.
                undone = _undo_all(run, "invalid")
                if undone.any:  # check again against the data as it stands without them
                    return _Ended(undone=undone)
                return _Ended(undone=undone, outcome=outcome, problems=outcome.problems)
            try:
                _write_steps(run, outcome, progress)
            except PlanConflict as exc:
                logger.info("import %s: %s while writing; checking again", run.key, exc)
                continue
            _finish(run, outcome)
            return _Ended(finished=True, outcome=outcome)
        return _Ended(undone=_undo_all(run, "conflicts"), problems=[Problem(KEPT_CHANGING[run.kind]).as_dict()])
    except _AlreadyDone:
        return _Ended(finished=True)
    except _Undoing:
        return _Ended(undone=_undo_all(run, "invalid"))
    except ImportFileError as exc:
        undone = _undo_all(run, "invalid")
        if run.job is None:  # the command line says so with its own exit code
            raise
        return _Ended(undone=undone, outcome=Outcome(plan=None, problems=[]), problems=[exc.problem.as_dict()])
    except Exception as exc:
        logger.exception("applying import %s failed", run.key)
        # Undo what was written; if even that fails, the job stays "importing" and the task's retry
        # finishes the undo.
        return _Ended(undone=_undo_all(run, "failed"), error=exc)


class _Undoing(Exception):
    """An earlier run began undoing this import; it is undone to the end, never finished."""
