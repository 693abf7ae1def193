"""What a login leaves on the way out, and what a temporary password asks for on the way in."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .backends import DEVICE_COOKIE, DEVICE_MAX_AGE, device_cookie_value

# Paths a person with a temporary password may still open: the change itself, leaving, and what pages load.
_OPEN_WHILE_TEMPORARY = ("/logout/", "/i18n/", "/static/", "/healthz", "/favicon.ico", "/api/")


class LoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = getattr(request, "user", None)
        if (person is not None and person.is_authenticated and getattr(person, "must_change_password", False)
                and not request.path.startswith(_OPEN_WHILE_TEMPORARY)
                and request.path != reverse("org:password_change")):
            return redirect(f"{reverse('org:password_change')}?next={request.get_full_path()}")
        response = self.get_response(request)
        name = getattr(request, "jianfu_device_name", None)
        if name:
            # This browser logged in as `name`: a guesser elsewhere will not slow it down (org.backends).
            response.set_cookie(DEVICE_COOKIE, device_cookie_value(request, name), max_age=DEVICE_MAX_AGE,
                                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response
