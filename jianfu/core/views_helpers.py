"""Small helpers shared by the thin views."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404


def require_perm(perm: str):
    """Pages a person lacks the permission for do not exist for them. The person's `has_perm` answers from
    their roles (the org app's auth backend), so this knows no domain."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(str(perm)):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def form_error_from(form, exc) -> None:
    """Put an ApplicationError on the form so the page shows it beside what was typed."""
    form.add_error(None, str(exc.message))


def flash_success(request, message) -> None:
    messages.success(request, message)
