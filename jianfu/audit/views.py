"""The audit log, readable by those who hold the permission."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from jianfu.core.pagination import paginate, xlsx_response
from jianfu.core.views_helpers import require_perm

from .selectors import (
    audit_action_choices,
    audit_chain_verify,
    audit_export_rows,
    audit_object_type_choices,
    audit_record_list,
)

# The permission's code in org.permissions.Perm; the audit app names it by its code, as it knows no roles.
AUDIT_VIEW = "audit.view"


@login_required
@require_perm(AUDIT_VIEW)
def record_list(request):
    action = request.GET.get("action", "").strip()
    object_type = request.GET.get("object_type", "").strip()
    search = request.GET.get("q", "").strip()
    records = audit_record_list(action=action, object_type=object_type, search=search)
    if request.GET.get("format") == "xlsx":
        header = [_("Time"), _("Who"), _("What"), _("Object"), _("Changes")]
        return xlsx_response(filename="audit-log", sheet=_("Audit log"), header=header,
                             rows=audit_export_rows(records))
    page, query = paginate(request, records)
    return render(request, "audit/list.html", {
        "page": page, "query": query, "action": action, "object_type": object_type, "search": search,
        "actions": audit_action_choices(), "object_types": audit_object_type_choices(),
        "filtering": bool(action or object_type or search),
    })


@login_required
@require_perm(AUDIT_VIEW)
def chain_verify(request):
    return render(request, "audit/_verify.html", {"report": audit_chain_verify()})
