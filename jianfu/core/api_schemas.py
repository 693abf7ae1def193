"""What every API router shares: the one error shape, ids the database can hold, enumerations from choices."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Field, Schema

from .validation import MAX_ID

# An id in a query or a body: larger numbers are refused (422) before they reach a query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def choice(choices: Any, *, blank: bool = False) -> Any:
    """The values of a TextChoices class as a Literal type: an `enum` in the OpenAPI document, refused with a
    422 when a request names another value. `blank` adds "" (a filter left empty: all of them)."""
    return Literal[(("",) if blank else ()) + tuple(choices.values)]


class ErrorOut(Schema):
    """Every refusal the API gives, in one shape."""

    code: str = Field(description="for programs: not_found, forbidden, stale, throttled, unauthorized, invalid, "
                                  "or the name of the field at fault")
    message: str = Field(description="for people, in the caller's language (Accept-Language)")


class FieldErrorOut(Schema):
    type: str
    loc: list[str | int] = Field(description="where: path, query or body, then the field")
    msg: str


class ValidationErrorOut(ErrorOut):
    """A request that does not match the document: which fields, and why."""

    errors: list[FieldErrorOut]


ERROR_DESCRIPTIONS = {
    400: "a business rule refused the request",
    401: "no valid session or API token",
    403: "the caller may not do this",
    404: "no such object among those the caller may see",
    409: "someone else changed the object first (send the current `version`)",
    422: "the request does not match this document",
    429: "too many requests; wait for `Retry-After` seconds",
    503: "the database is busy with a long write; try again after `Retry-After` seconds",
}


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The error answers an operation can give, for its `response=`: `{200: Out, **errors(400, 404)}`."""
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in statuses}
