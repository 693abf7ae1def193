"""The audit log's export, for those who may read the log; the same filters as the page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jianfu.core.errors import NotFoundError
from jianfu.core.exports import ExportSheet, export_register, param

from .selectors import audit_export_rows, audit_record_list

AUDIT_VIEW = "audit.view"  # org.permissions.Perm.AUDIT_VIEW, named by its code


def log_build(person, params: dict) -> ExportSheet:
    if not person.has_perm(AUDIT_VIEW):
        raise NotFoundError()
    records = audit_record_list(action=param(params, "action").strip(),
                                object_type=param(params, "object_type").strip(), search=param(params, "q").strip())
    header = [_("Time"), _("Who"), _("What"), _("Object"), _("Changes")]
    return ExportSheet(filename="audit-log", sheet=_("Audit log"), header=header, rows=audit_export_rows(records),
                       total=records.count())


def register() -> None:
    export_register("audit.log", label=gettext_lazy("Audit log"), build=log_build)
