"""The audit log, readable by those who hold the permission."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jianfu.core.exports import export_start_response
from jianfu.core.pagination import paginate
from jianfu.core.views_helpers import require_perm

from .exports import AUDIT_VIEW
from .selectors import (
    audit_action_choices,
    audit_chain_verify,
    audit_object_type_choices,
    audit_record_list,
)


@login_required
@require_perm(AUDIT_VIEW)
def record_list(request):
    action = request.GET.get("action", "").strip()
    object_type = request.GET.get("object_type", "").strip()
    search = request.GET.get("q", "").strip()
    records = audit_record_list(action=action, object_type=object_type, search=search)
    if request.GET.get("format") == "xlsx":
        return export_start_response(request, "audit.log")
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
