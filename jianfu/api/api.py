"""The JSON API under /api/v1/: session auth for the browser, bearer tokens for machines."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from jianfu.core.errors import ApplicationError

from .services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        person = api_token_authenticate(token)
        if person is not None:
            request.user = person
        return person


class ApiKeyAuth(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request, key):
        person = api_token_authenticate(key or "")
        if person is not None:
            request.user = person
        return person


api = NinjaAPI(
    title="Jianfu API",
    version="1",
    description="Units, people and (in later modules) demands, cases and figures, scoped by the caller's units.",
    auth=[TokenAuth(), ApiKeyAuth(), django_auth],
    urls_namespace="api",
)


def _error(request, status: int, code: str, message, **extra):
    return api.create_response(request, {"code": code, "message": str(message), **extra}, status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request, exc: ApplicationError):
    status = {"not_found": 404, "forbidden": 403, "stale": 409}.get(exc.code, 400)
    if exc.code == "forbidden":
        status = 403
    return _error(request, status, exc.code, exc.message)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "unauthorized", _("Log in or send a valid API token."))


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return _error(request, 422, "invalid", _("Some fields are not valid."), errors=exc.errors)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "error", exc.message)
