"""Slowing down repeated requests without keeping who made them.

A key (a person's id, a login name with a client, …) is turned into a keyed hash before it reaches the cache,
so neither the cache nor a dump of it holds a login name or an address; counts expire with their window.
The cache is the process's own unless CACHE_URL names a shared one (Redis), in which case every web
process counts together (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache


def _hashed(key: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), key.encode("utf-8", "replace"), hashlib.sha256).hexdigest()
    return f"jf-throttle:{digest[:40]}"


def throttle_hit(key: str, *, limit: int, window: int, now: float | None = None) -> int | None:
    """Count one request for `key` in the current window of `window` seconds. Return the seconds to wait when
    this request is over `limit`, else None."""
    now = time.time() if now is None else now
    bucket = int(now // window)
    name = f"{_hashed(key)}:{window}:{bucket}"
    cache.add(name, 0, timeout=window * 2)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window * 2)
        count = 1
    if count > limit:
        return max(1, int((bucket + 1) * window - now) + 1)
    return None


def throttle_peek(key: str, *, window: int, now: float | None = None) -> int:
    """How many requests `key` made in the current window (without counting one)."""
    now = time.time() if now is None else now
    return int(cache.get(f"{_hashed(key)}:{window}:{int(now // window)}", 0) or 0)
