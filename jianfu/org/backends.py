"""Password login with lockout after repeated failures."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginFailure


class LockedOut(Exception):
    """Raised through authenticate() callers' checks; carries when the lock ends."""

    def __init__(self, until: dt.datetime):
        super().__init__(until.isoformat())
        self.until = until


def lockout_until(username: str) -> dt.datetime | None:
    row = LoginFailure.objects.filter(username=username.strip().lower()).first()
    if row and row.locked_until and row.locked_until > timezone.now():
        return row.locked_until
    return None


@transaction.atomic
def login_failure_record(username: str) -> dt.datetime | None:
    """Count a failure for this login name; return when it is locked, if it now is."""
    key = username.strip().lower()[:150]
    now = timezone.now()
    window = dt.timedelta(minutes=settings.JIANFU_LOCKOUT_MINUTES)
    row, created = LoginFailure.objects.select_for_update().get_or_create(
        username=key, defaults={"count": 0, "first_at": now})
    if row.first_at < now - window and not (row.locked_until and row.locked_until > now):
        row.count = 0
        row.first_at = now
        row.locked_until = None
    row.count = F("count") + 1
    row.save()
    row.refresh_from_db()
    if row.count >= settings.JIANFU_LOCKOUT_FAILURES:
        row.locked_until = now + window
        row.save(update_fields=["locked_until"])
        return row.locked_until
    return None


def login_failure_clear(username: str) -> None:
    LoginFailure.objects.filter(username=username.strip().lower()).delete()


class LockoutBackend(ModelBackend):
    """ModelBackend without Django's permission tables, refusing locked login names."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        if lockout_until(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user) -> bool:
        return getattr(user, "is_active", False)

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        """`person.has_perm(code)` answers from the roles (org.permissions), so lower layers can ask
        without importing org."""
        from .scoping import has_perm

        return bool(getattr(user_obj, "is_active", False)) and has_perm(user_obj, str(perm))
