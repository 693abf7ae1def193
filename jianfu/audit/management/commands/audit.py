from django.core.management.base import BaseCommand, CommandError

from jianfu.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Audit log tools. `verify` walks the hash chain: exit 0 with the count, or 1 at the first broken link."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("verify", help="walk the chain and report the first broken link")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            report = audit_chain_verify()
            if report.ok:
                self.stdout.write(f"ok: {report.count} audit records, chain intact")
                return
            raise CommandError(
                f"broken: audit record {report.broken_seq} ({report.reason}); "
                f"{report.count} records verified before it",
                returncode=1,
            )
