"""The printable notice of an issued document or meeting, and the short link its QR code opens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_safe

from . import selectors
from .notice import DOCX_CONTENT_TYPE, notice_available, notice_docx


def _absolute(request, path: str) -> str:
    """An address that works off the site: JIANFU_SITE_URL when set, else the host of this request."""
    site = settings.JIANFU_SITE_URL
    return f"{site}{path}" if site else request.build_absolute_uri(path)


def _verify_path(number: str) -> str:
    return reverse("demands:verify") + "?" + urlencode({"number": number})


@login_required
@require_safe
def notice_download(request, pk: int):
    demand = selectors.demand_get(actor=request.user, pk=pk)
    if not notice_available(demand):
        raise Http404
    number = demand.control_number
    data = notice_docx(demand=demand, revision=demand.current_revision,
                       verify_url=_absolute(request, _verify_path(number)),
                       short_url=_absolute(request, reverse("short_verify", args=[number])))
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{number}.docx")
    return response


@require_safe
def short_verify(request, number: str):
    """The short link on the paper: on to the verify page (which asks a visitor to log in first)."""
    return redirect(_verify_path(number))
