"""Home, inbox and search: pages built from what the apps register, each part scoped by its own app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from jianfu.core.home import home_cards
from jianfu.core.inbox import inbox_new_count, inbox_sections
from jianfu.core.search import search as search_all
from jianfu.org.models import Role
from jianfu.org.scoping import scope_for

from .selectors import inbox_seen_at
from .services import inbox_mark_seen


@login_required
def home(request):
    person = request.user
    roles = sorted({Role(r).label for r, _t in scope_for(person).roles if r in Role.values}, key=str)
    return render(request, "home/index.html", {
        "cards": home_cards(person), "role_labels": roles,
        "memberships": person.active_memberships, "read_only": scope_for(person).read_only})


@login_required
def inbox(request):
    seen = inbox_seen_at(request.user)
    sections = inbox_sections(request.user, since=seen, limit=50)
    inbox_mark_seen(person=request.user)
    return render(request, "site/inbox.html", {"sections": sections, "seen": seen})


@login_required
def inbox_badge(request):
    """The unread count in the top bar, loaded after the page so pages stay fast."""
    count = inbox_new_count(request.user, since=inbox_seen_at(request.user))
    return render(request, "site/_inbox_badge.html", {"count": count})


@login_required
def search(request):
    q = (request.GET.get("q") or "").strip()[:100]
    sections = search_all(request.user, q) if q else []
    return render(request, "site/search.html", {
        "q": q, "sections": sections, "total": sum(s.total for s in sections),
        "title": _("Search")})
