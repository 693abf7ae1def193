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
                             dt.time(2, 0), label=_("Verify the audit chain")))

        from . import exports

        exports.register()
