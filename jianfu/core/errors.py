"""The one error type a broken business rule raises, turned into a message by every interface."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A business rule refused the operation; `message` is already translated (lazy)."""

    def __init__(self, message: Any, *, code: str = "invalid", extra: dict[str, Any] | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.message)


class NotFoundError(ApplicationError):
    """The object does not exist or lies outside the actor's scope."""

    def __init__(self, message: Any = None, **kwargs: Any):
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("Not found."), code="not_found", **kwargs)


class StaleEditError(ApplicationError):
    """Someone else changed the object after it was loaded."""


class TooManyRequests(ApplicationError):
    """The same person or source asked too often; `retry_after` is in seconds (HTTP 429 + Retry-After)."""

    def __init__(self, message: Any = None, *, retry_after: int = 60, **kwargs: Any):
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("Too many requests. Wait a moment and try again."), code="throttled",
                         **kwargs)
        self.retry_after = max(1, int(retry_after))
