"""Headers every response carries; the product's own "not found" page in every mode; 503 when the database is busy."""

from __future__ import annotations

import logging

from django.conf import settings

logger = logging.getLogger("jianfu.requests")


class SecurityHeadersMiddleware:
    """Add a strict content security policy; every script and style is served from our static files."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ProductNotFoundMiddleware:
    """Show the product's own 404 page even with DEBUG on.

    With DEBUG on, Django answers a missing page or an out-of-scope object with its English technical page,
    which lists every URL pattern; a person following a link outside their units must see the product's page
    in their language. JIANFU_DEBUG_404=true keeps the technical page for developers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 404 and settings.DEBUG and not settings.JIANFU_DEBUG_404
                and not getattr(response, "jianfu_page", False)
                and response.get("Content-Type", "").startswith("text/html")):
            from .views import not_found

            return not_found(request)
        return response


BUSY_RETRY_AFTER = 5  # seconds
# PostgreSQL's SQLSTATEs for "try again": lock_not_available (lock_timeout), query_canceled
# (statement_timeout), deadlock_detected, serialization_failure.
_BUSY_SQLSTATES = {"55P03", "57014", "40P01", "40001"}


def database_busy(exc: BaseException | None) -> bool:
    """Whether an error means the database was busy (locked, a lock wait timed out), not broken."""
    from django.db import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    if "database is locked" in text or "database table is locked" in text:
        return True
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES or getattr(cause, "pgcode", None) in _BUSY_SQLSTATES


def database_busy_response(request):
    """503 with Retry-After: JSON under /api/, else a page in the reader's language."""
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.translation import gettext as _

    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    with translation.override(language):
        if request.path.startswith("/api/"):
            response = JsonResponse({"code": "database_busy", "message": _(
                "The database is busy with a long write. Try again in a few seconds.")}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html", {"retry_after": BUSY_RETRY_AFTER}),
                                    status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _note_busy(sender, request=None, **kwargs) -> None:
    """Django turns an error raised below a middleware into a 500 page before that middleware sees it;
    note on the request that it was a busy database, so DatabaseBusyMiddleware can answer 503 instead."""
    import sys

    if request is not None and database_busy(sys.exc_info()[1]):
        request.jianfu_database_busy = True


class DatabaseBusyMiddleware:
    """Answer 503 with Retry-After, never 500, when the database is busy (SQLite locked, a lock wait timed out).

    A view's error is caught as it is raised; one raised by a middleware below (a session saved as the
    response goes out) is recognised through Django's got_request_exception signal.
    """

    def __init__(self, get_response):
        from django.core.signals import got_request_exception

        self.get_response = get_response
        got_request_exception.connect(_note_busy, dispatch_uid="jianfu.core.database_busy")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "jianfu_database_busy", False):
            logger.warning("database busy: %s %s answered 503", request.method, request.path)
            return database_busy_response(request)
        return response

    def process_exception(self, request, exception):
        if database_busy(exception):
            logger.warning("database busy: %s %s answered 503", request.method, request.path)
            return database_busy_response(request)
        return None
