"""The API's routers: the site lists every app's router under /api/v1/ (the api app knows none of them)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from jianfu.api.api import ApiKeyAuth, TokenAuth, api

ROUTERS = [
    ("/org/", "jianfu.org.api.router"),
    ("/demands/", "jianfu.demands.api.router"),
    ("/inspections/", "jianfu.inspections.api.router"),
    ("/burden/", "jianfu.burden.api.router"),
    ("/reportforms/", "jianfu.reportforms.api.router"),
    ("/rules/", "jianfu.rules.api.router"),
]

for prefix, router in ROUTERS:
    api.add_router(prefix, router)


def _docs_gate(view):
    """The API's docs page and openapi.json: for anyone when JIANFU_API_DOCS_PUBLIC is on (development), else
    for a logged-in person or a caller with a valid API token."""

    def gated(request, *args, **kwargs):
        if settings.JIANFU_API_DOCS_PUBLIC or request.user.is_authenticated or TokenAuth()(request) \
                or ApiKeyAuth()(request):
            return view(request, *args, **kwargs)
        if not request.path.endswith(".json"):  # the docs page, opened in a browser
            return redirect_to_login(request.get_full_path())
        return api.create_response(request, {"code": "unauthorized",
                                             "message": _("Log in or send a valid API token.")}, status=401)

    return gated


# Read when jianfu/urls.py asks for the API's URLs, which it does after importing this module.
api.docs_decorator = _docs_gate
