"""Password login, counted the same way at every door (the login page, the admin site, anything that calls
`authenticate()`), and throttled without handing anyone a way to lock a real user out.

The scheme (docs/decisions/0016-login-throttling.md):
- per login name *and client* (a keyed hash of the client's address, never the address itself): after
  JIANFU_LOCKOUT_FAILURES failures within JIANFU_LOCKOUT_MINUTES, that client may not try that name for
  JIANFU_LOCKOUT_MINUTES. One guesser locks only themself.
- per login name, from every client together: after JIANFU_LOCKOUT_NAME_FAILURES failures within an hour,
  the name is slowed for clients it has never logged in from: each further failure doubles the wait (1 minute,
  2, 4, … at most an hour). A browser the person has logged in from before carries a signed device cookie
  and is not slowed, so a guesser spread over many addresses cannot keep the real user out.
- every failure and every lock is written to the audit log (the name tried and the client's hash, never the
  password).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import LoginFailure

NAME_WIDE = "*"  # the client of the row that counts a name's failures from every client
DEVICE_COOKIE = "jf_device"
DEVICE_SALT = "jianfu.login.device"
DEVICE_MAX_AGE = 180 * 24 * 3600
DEVICE_NAMES = 8  # login names one browser remembers (a shared office computer)


def _name(username: str) -> str:
    return (username or "").strip().lower()[:150]


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind JIANFU_PROXY_HOPS trusted proxies, the address those
    proxies saw (counted from the right of X-Forwarded-For, so a client cannot forge it)."""
    if request is None:
        return ""
    hops = getattr(settings, "JIANFU_PROXY_HOPS", 0)
    if hops:
        chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request) -> str:
    """A keyed hash of the client's address: enough to count its failures, useless to find who it was."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"login-client:{client_address(request)}".encode(),
                      hashlib.sha256).hexdigest()
    return digest[:24]


def device_names(request) -> set[str]:
    """The login names this browser has logged in with before (signed cookie; a forged one is ignored)."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "") if request is not None else ""
    if not raw:
        return set()
    try:
        names = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return set()
    return {str(n) for n in names} if isinstance(names, list) else set()


def device_cookie_value(request, username: str) -> str:
    names = [n for n in device_names(request) if n != _name(username)]
    return signing.dumps([_name(username), *names][:DEVICE_NAMES], salt=DEVICE_SALT)


@dataclass(frozen=True)
class Lock:
    until: dt.datetime
    name_wide: bool  # the name is slowed for unknown clients, not locked for this client alone

    @property
    def minutes(self) -> int:
        return max(1, int((self.until - timezone.now()).total_seconds() // 60) + 1)


def login_lock(username: str, request=None) -> Lock | None:
    """Whether this client may not try this name now, and until when."""
    name, now = _name(username), timezone.now()
    rows = {r.client: r for r in LoginFailure.objects.filter(
        username=name, client__in=[client_key(request), NAME_WIDE], locked_until__gt=now)}
    own = rows.get(client_key(request))
    if own is not None:
        return Lock(own.locked_until, name_wide=False)
    wide = rows.get(NAME_WIDE)
    if wide is not None and name not in device_names(request):
        return Lock(wide.locked_until, name_wide=True)
    return None


def _count(name: str, client: str, now: dt.datetime, window: dt.timedelta) -> LoginFailure:
    row, _created = LoginFailure.objects.select_for_update().get_or_create(
        username=name, client=client, defaults={"count": 0, "first_at": now})
    if row.first_at < now - window and not (row.locked_until and row.locked_until > now):
        row.count, row.first_at, row.locked_until = 0, now, None
    row.count += 1
    return row


@transaction.atomic
def login_failure_record(username: str, request=None) -> Lock | None:
    """Count a failure for this name from this client (and for the name from every client); return the lock it
    causes, if any. Audited."""
    from jianfu.audit.services import audit_record

    name, now, client = _name(username), timezone.now(), client_key(request)
    window = dt.timedelta(minutes=settings.JIANFU_LOCKOUT_MINUTES)
    own = _count(name, client, now, window)
    lock = None
    if own.count >= settings.JIANFU_LOCKOUT_FAILURES:
        own.locked_until = now + window
        lock = Lock(own.locked_until, name_wide=False)
    own.save()
    wide = _count(name, NAME_WIDE, now, dt.timedelta(hours=1))
    over = wide.count - settings.JIANFU_LOCKOUT_NAME_FAILURES
    if over >= 0:
        wide.locked_until = now + dt.timedelta(minutes=min(60, 2 ** min(over, 6)))
    wide.save()
    door = (request.path if request is not None else "")[:80]
    audit_record(actor=None, action="login.failed", object_type="login", object_id=name, object_repr=name,
                 after={"client": client[:12], "door": door, "failures": own.count})
    if lock is not None:
        audit_record(actor=None, action="login.locked", object_type="login", object_id=name, object_repr=name,
                     after={"client": client[:12], "door": door, "until": lock.until.isoformat(timespec="minutes")})
    elif over == 0:
        audit_record(actor=None, action="login.slowed", object_type="login", object_id=name, object_repr=name,
                     after={"door": door, "until": wide.locked_until.isoformat(timespec="minutes")})
    return lock


def login_failure_clear(username: str, request=None) -> None:
    """A right password from this client clears its own failures (the name-wide count keeps running)."""
    LoginFailure.objects.filter(username=_name(username), client=client_key(request)).delete()


class LockoutBackend(ModelBackend):
    """ModelBackend without Django's permission tables, counting and refusing as the module says."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        lock = login_lock(username, request)
        if lock is not None:
            if request is not None:
                request.jianfu_login_lock = lock
            # PermissionDenied stops authenticate() at once: no other backend, no password check.
            raise PermissionDenied
        person = super().authenticate(request, username=username, password=password, **kwargs)
        if person is None:
            lock = login_failure_record(username, request)
            if request is not None and lock is not None:
                request.jianfu_login_lock = lock
            return None
        login_failure_clear(username, request)
        if request is not None:
            request.jianfu_device_name = username  # the middleware remembers this browser for the name
        return person

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
