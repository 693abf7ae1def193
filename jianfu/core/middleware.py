"""Headers every response carries; the product's own "not found" page in every mode."""

from __future__ import annotations

from django.conf import settings


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
