"""The top bar of every page: the person's menus (from what the apps registered) and the search box."""

from __future__ import annotations

from jianfu.core.menus import menu_for
from jianfu.org.scoping import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": []}
    scope = scope_for(user)
    return {
        "nav_groups": menu_for(user, request.path),
        "user_scope": scope,
        "user_read_only": scope.read_only,
    }
