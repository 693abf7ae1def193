"""The shared body of `jianfu import-units` and `jianfu import-people`."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record

from ..models import Person
from ..permissions import Perm
from ..scoping import has_perm
from .problems import ERROR, ImportFileError, problem_message
from .running import Outcome, import_file_apply_in_batches, import_file_check


class TextProgress:
    """A one-line progress indicator on stderr, redrawn at most five times a second."""

    LABELS = {"reading": "reading", "checking": "checking", "writing": "writing"}

    def __init__(self, stream, enabled: bool = True):
        self.stream = stream  # a management command's OutputWrapper
        self.enabled = enabled
        self.last = 0.0
        self.drawn = False

    def __call__(self, phase: str, fraction: float) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.2 and fraction < 1):
            return
        self.last = now
        self.stream.write(f"\r{self.LABELS.get(phase, phase):<9} {int(fraction * 100):3d}%", ending="")
        self.stream.flush()
        self.drawn = True

    def end(self) -> None:
        if self.drawn:
            self.stream.write("")
            self.stream.flush()
            self.drawn = False


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--as", dest="as_username", metavar="USERNAME",
                            help="act as this person (their scope and name in the audit log); "
                                 "default: the system")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--no-progress", action="store_true", help="do not draw progress on stderr")

    def handle(self, *args, file: str, as_username: str | None, dry_run: bool, no_progress: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"cannot read {file}: no such file", returncode=2)
        actor = None
        if as_username:
            actor = Person.objects.filter(username=as_username, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active person with the login name {as_username!r}", returncode=2)
            if not has_perm(actor, Perm.ORG_MANAGE):
                raise CommandError(f"{as_username} may not import units or people", returncode=2)
        progress = TextProgress(self.stderr, enabled=not no_progress)

        def summary(outcome: Outcome) -> None:
            audit_record(actor=actor, action="import.apply", object_type="import.file",
                         object_id=path.name[:100], object_repr=path.name, after={
                             "kind": self.kind, "file_name": path.name, "created": outcome.created,
                             "updated": outcome.updated, "unchanged": outcome.unchanged, "source": "cli"})

        try:
            if dry_run:
                outcome = import_file_check(kind=self.kind, path=path, file_name=path.name, actor=actor,
                                            progress=progress)
            else:
                # In batches, as a confirmed upload is: a large file does not hold the database (decision 0013).
                outcome = import_file_apply_in_batches(kind=self.kind, path=path, file_name=path.name,
                                                       actor=actor, progress=progress, after_write=summary)
        except ImportFileError as exc:
            raise CommandError(f"{path.name}: {exc.problem.message}", returncode=2) from exc
        finally:
            progress.end()
        errors = [p for p in outcome.problems if p["level"] == ERROR]
        for p in outcome.problems:
            where = _("Row %(row)s") % {"row": p["row"]} if p.get("row") else _("File")
            if p.get("column"):
                where = f"{where}, {p['column']}"
            level = "" if p["level"] == ERROR else _("note") + ": "
            self.stdout.write(f"{where}: {level}{problem_message(p)}")
        if errors:
            raise CommandError(
                f"{len(errors)} problem(s) in {outcome.total_rows} rows; nothing was written", returncode=1)
        verb = "would create" if dry_run else "created"
        verb_u = "would update" if dry_run else "updated"
        self.stdout.write(f"{outcome.total_rows} rows: {outcome.created} {verb}, {outcome.updated} {verb_u}, "
                          f"{outcome.unchanged} unchanged")
