"""The audit log, readable by those who hold the permission."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jianfu.core.pagination import paginate
from jianfu.core.views_helpers import require_perm
from jianfu.org.permissions import Perm

from .models import AuditRecord
from .selectors import audit_chain_verify


@login_required
@require_perm(Perm.AUDIT_VIEW)
def record_list(request):
    qs = AuditRecord.objects.select_related("actor").order_by("-seq")
    action = request.GET.get("action", "").strip()
    object_type = request.GET.get("object_type", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    page, query = paginate(request, qs)
    return render(request, "audit/list.html", {"page": page, "query": query, "action": action,
                                               "object_type": object_type})


@login_required
@require_perm(Perm.AUDIT_VIEW)
def chain_verify(request):
    return render(request, "audit/_verify.html", {"report": audit_chain_verify()})
