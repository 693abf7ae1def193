"""The JSON API under /api/v1/: session auth for the browser, bearer tokens for machines."""

from __future__ import annotations

import contextlib
import json
import re
from functools import wraps

from django.db import OperationalError
from django.http import Http404
from django.urls import URLPattern, re_path, register_converter
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from jianfu.core.api_schemas import ERROR_DESCRIPTIONS, ErrorOut, ValidationErrorOut
from jianfu.core.errors import ApplicationError
from jianfu.core.middleware import database_busy, database_busy_response
from jianfu.core.validation import DatabaseIdConverter

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


# `{id:unit_id}` in a route: an id the database can hold, else no route matches and the answer is a JSON 404.
register_converter(DatabaseIdConverter, "id")
REF = "#/components/schemas/{model}"


class JianfuAPI(NinjaAPI):
    """The API object: every path under it answers JSON, and its document lists every error it can give."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _refusing_unstorable(pattern.callback)
        # Last: a path no route matches (a letter where an id goes, an unknown path) is a JSON 404 here, not
        # the site's HTML page.
        return [*patterns, re_path(r"", csrf_exempt(self.not_found_view))], app_name, namespace

    def not_found_view(self, request, *args, **kwargs):
        return _error(request, 404, "not_found", _("Not found."))

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The document, with the answers every operation can give whatever its router declares: 401 without
        a valid session or token, 422 when a parameter or the body does not match, 403 for a write through a
        browser session without its CSRF token, 503 while the database is busy (core.middleware)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, ValidationErrorOut):
            if model.__name__ not in components:
                definition = model.model_json_schema(ref_template=REF)
                components.update(definition.pop("$defs", {}))
                components[model.__name__] = definition
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                have = {str(status) for status in responses}
                wanted = {503}
                if operation.get("security"):
                    wanted.add(401)
                    if method in ("post", "put", "patch", "delete"):
                        wanted.add(403)
                if operation.get("parameters") or operation.get("requestBody"):
                    wanted.add(422)
                for status in sorted(wanted):
                    if str(status) not in have:
                        model = ValidationErrorOut if status == 422 else ErrorOut
                        responses[status] = {"description": ERROR_DESCRIPTIONS[status], "content": {
                            "application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}}}
                for status, response in responses.items():
                    if int(status) in ERROR_DESCRIPTIONS:
                        response["description"] = ERROR_DESCRIPTIONS[int(status)]
        return schema


api = JianfuAPI(
    title="Jianfu API",
    version="1",
    description="Units, people, demands, inspection plans, burden and report forms, scoped by the caller's units. "
                "Every refusal is JSON `{code, message}` in the caller's language (422 adds `errors`); an id is a "
                "positive whole number, and a path no operation matches answers 404.",
    auth=[TokenAuth(), ApiKeyAuth(), django_auth],
    urls_namespace="api",
)


# Characters no database column holds: PostgreSQL refuses a NUL in text and JSON, and a lone surrogate (which
# JSON's \ud800 escapes can carry) cannot be encoded for any database.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_ESCAPED_UNSTORABLE = re.compile(rb"\\u(0000|[dD][89abcdefABCDEF])")


def _unstorable_in(value, loc: list) -> list[list]:
    """Where in a decoded JSON value a string (or a key) holds an unstorable character."""
    if isinstance(value, str):
        return [loc] if UNSTORABLE.search(value) else []
    found: list[list] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += [[*loc, key]] if UNSTORABLE.search(key) else _unstorable_in(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _unstorable_in(item, [*loc, index])
    return found


def _refusing_unstorable(view):
    """A NUL or a lone surrogate anywhere in a request (path, query, JSON body) is refused with a 422 before any
    look-up sees it: a code or a search holding one would otherwise end in a database error, a 500. The
    services refuse the other characters a form would (core.validation), with a 400 that names the field."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        found = [["query", key] for key, values in request.GET.lists()
                 if UNSTORABLE.search(key) or any(UNSTORABLE.search(v) for v in values)]
        found += [["path", key] for key, value in kwargs.items()
                  if isinstance(value, str) and UNSTORABLE.search(value)]
        if request.content_type == "application/json" and _ESCAPED_UNSTORABLE.search(request.body):
            with contextlib.suppress(ValueError):  # not JSON: the operation's own parsing answers that
                found += _unstorable_in(json.loads(request.body), ["body"])
        if found:
            return _error(request, 422, "invalid", _("Some fields are not valid."), errors=[
                {"type": "unstorable_character", "loc": loc,
                 "msg": "NUL characters and unpaired surrogates cannot be stored"} for loc in found])
        return view(request, *args, **kwargs)

    return wrapped


def _error(request, status: int, code: str, message, **extra):
    return api.create_response(request, {"code": code, "message": str(message), **extra}, status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request, exc: ApplicationError):
    status = {"not_found": 404, "forbidden": 403, "stale": 409}.get(exc.code, 400)
    if exc.code == "forbidden":
        status = 403
    if exc.code == "throttled":
        response = _error(request, 429, exc.code, exc.message)
        response["Retry-After"] = str(getattr(exc, "retry_after", 60))
        return response
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


@api.exception_handler(OperationalError)
def on_database_error(request, exc: OperationalError):
    """A busy database is a 503 with Retry-After here too (ninja would otherwise answer it before the
    middleware sees it); any other database error stays an error."""
    if database_busy(exc):
        return database_busy_response(request)
    raise exc
