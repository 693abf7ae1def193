"""The unit picker's search: a small HTML fragment of the units a person may choose for one field (htmx)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .picker import PICK_LIMIT, PICKER_SCOPES, picker_units, unit_labels, unit_pick_search

_FIELD_ID = re.compile(r"[^A-Za-z0-9_-]")


def _list(raw: str) -> list[str]:
    return [p for p in (raw or "").split(",") if p][:10]


@login_required
@require_GET
def unit_pick(request):
    """Up to PICK_LIMIT units of the field's scope whose name or code contains `q`, in tree order."""
    scope = request.GET.get("scope", "")
    if scope not in PICKER_SCOPES:
        raise Http404
    field = _FIELD_ID.sub("", request.GET.get("field", ""))[:80] or "unit"
    types, exclude = _list(request.GET.get("types", "")), _list(request.GET.get("exclude", ""))
    matches, more = unit_pick_search(actor=request.user, scope=scope, q=request.GET.get("q", ""), types=types,
                                     exclude_types=exclude)
    allowed = picker_units(actor=request.user, scope=scope)
    nothing_at_all = not matches and not picker_units(actor=request.user, scope=scope, types=types,
                                                      exclude_types=exclude).exists()
    response = render(request, "org/picker/matches.html", {
        "labels": unit_labels(matches, allowed=allowed, actor=request.user), "field": field, "more": more,
        "limit": PICK_LIMIT, "nothing_at_all": nothing_at_all})
    response["Cache-Control"] = "private, no-store"
    return response
