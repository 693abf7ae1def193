import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from jianfu.audit.checkpoints import CheckpointInvalid, checkpoint_path
from jianfu.audit.selectors import ChainReport, audit_chain_verify
from jianfu.audit.services import ChainBroken, audit_checkpoint_write


def age_text(age: dt.timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hours"
    return f"{hours // 24} days"


def when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def fault_text(report: ChainReport) -> str:
    """The first fault of a broken chain, for an operator."""
    failed = report.failed_checkpoint
    if report.reason == "checkpoint_invalid":
        return (f"line {report.bad_line} of {checkpoint_path()} is not a checkpoint signed with the audit key "
                f"(edited, forged, or signed with another key)")
    if report.reason == "checkpoint_mismatch":
        return (f"audit record {report.broken_seq} is not the record the checkpoint of {when(failed.at)} "
                f"(line {failed.line}) signed: the chain was rewritten at or before it; "
                f"{report.count} records verified before it")
    if report.reason == "below_checkpoint":
        return (f"the chain holds {report.count} audit records, but the checkpoint of {when(failed.at)} "
                f"(line {failed.line}) counted {failed.count}: records were deleted")
    explained = {
        "missing": "a record is missing", "out_of_order": "records are out of order",
        "link": "the link to the record before is broken",
        "altered": "the record was altered or signed without the audit key",
        "truncated": "records at the end were removed",
    }.get(report.reason, report.reason)
    return (f"audit record {report.broken_seq} ({report.reason}: {explained}); "
            f"{report.count} records verified before it")


class Command(BaseCommand):
    help = ("Audit log tools. `verify` walks the chain with the audit key and holds it to every checkpoint: exit 0 "
            "with the count, or 1 at the first fault. `checkpoint` signs a checkpoint of the head, appends it to "
            "the checkpoint file and prints it.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = sub.add_parser("verify", help="walk the chain, hold it to the checkpoints, report the first fault")
        verify.add_argument("--max-age", type=int, metavar="MINUTES", default=None,
                            help="also fail when the latest checkpoint is older than this, or there is none")
        sub.add_parser("checkpoint", help="sign a checkpoint of the chain's head, append it to the file, print it")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            self.verify(max_age=options.get("max_age"))
        elif action == "checkpoint":
            self.checkpoint()

    def verify(self, *, max_age: int | None) -> None:
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(f"broken: {fault_text(report)}", returncode=1)
        line = f"ok: {report.count} audit records, chain intact"
        latest = report.checkpoint
        if latest is None:
            self.stdout.write(line + "; no checkpoint yet")
            self.stderr.write(f"warning: {checkpoint_path()} holds no checkpoint of this database: only the audit "
                              f"key protects the chain. Run `jianfu audit checkpoint` (the worker signs one hourly).")
            if max_age is not None:
                raise CommandError("no checkpoint of this database", returncode=1)
            return
        age = report.checkpoint_age
        self.stdout.write(
            f"{line} and matches {report.checkpoints} checkpoint{'s' if report.checkpoints != 1 else ''}; "
            f"the latest, at record {latest.seq}, was signed {when(latest.at)}, {age_text(age)} ago; "
            f"{report.since_checkpoint} records since")
        if max_age is not None and age > dt.timedelta(minutes=max_age):
            raise CommandError(f"the latest checkpoint is {age_text(age)} old, more than {max_age} minutes",
                               returncode=1)

    def checkpoint(self) -> None:
        try:
            checkpoint, line = audit_checkpoint_write()
        except ChainBroken as exc:
            raise CommandError(f"no checkpoint written: {fault_text(exc.report)}", returncode=1) from exc
        except CheckpointInvalid as exc:
            raise CommandError(f"no checkpoint written: line {exc.line} of {checkpoint_path()} is not a checkpoint "
                               f"signed with the audit key", returncode=1) from exc
        # Printed for an operator to keep off this machine: it proves the chain's state at this moment.
        self.stdout.write(line)
        self.stderr.write(f"checkpoint of record {checkpoint.seq} ({checkpoint.count} records) appended to "
                          f"{checkpoint_path()}")
