"""The top bar of every page: the person's menus (from what the apps registered) and the search box."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from jianfu.core.menus import menu_for
from jianfu.org.scoping import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": []}
    scope = scope_for(user)
    return {
        # Built only when a template shows the top bar: htmx fragments (the inbox badge every 120 s, the
        # unit picker's search) render without it and need not reverse every menu entry's URL.
        "nav_groups": SimpleLazyObject(lambda: menu_for(user, request.path)),
        "user_scope": scope,
        "user_read_only": scope.read_only,
    }
