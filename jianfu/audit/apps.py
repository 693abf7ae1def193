from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jianfu.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        import datetime as dt

        from jianfu.core.models import ScheduledJob
        from jianfu.core.scheduling import JobSpec, job_register

        job_register(JobSpec("audit-chain-verify", "jianfu.audit.tasks.audit_chain_check", ScheduledJob.Every.DAY,
                             dt.time(2, 0), label=_("Verify the audit chain")),
                     # The schedule's finest rhythm is the hour: records since the last checkpoint are protected
                     # by the key alone (docs/decisions/0014-audit-chain-anchored-outside-the-database.md).
                     JobSpec("audit-checkpoint", "jianfu.audit.tasks.audit_checkpoint", ScheduledJob.Every.HOUR,
                             dt.time(0, 5), label=_("Sign a checkpoint of the audit chain")))

        from . import exports

        exports.register()
