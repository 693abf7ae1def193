"""Slowing repeated requests: counts per window, keyed hashes only, and shared between processes through a
shared cache (CACHE_URL)."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import caches

from jianfu.core.throttle import throttle_hit


def test_a_key_is_refused_past_its_limit_until_the_window_ends():
    caches["default"].clear()
    assert [throttle_hit("k1", limit=3, window=60, now=1000.0) for _ in range(3)] == [None, None, None]
    wait = throttle_hit("k1", limit=3, window=60, now=1000.0)
    assert wait is not None and 0 < wait <= 21
    assert throttle_hit("k1", limit=3, window=60, now=1015.0) is not None  # same window (960–1020)
    assert throttle_hit("k1", limit=3, window=60, now=1081.0) is None  # the next one
    assert throttle_hit("k2", limit=3, window=60, now=1000.0) is None  # another key is untouched


def test_the_cache_holds_no_key_in_the_clear():
    cache = caches["default"]
    cache.clear()
    throttle_hit("person:4711", limit=5, window=60)
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys and not any("4711" in str(k) for k in keys)


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_with_a_shared_cache_two_processes_count_together(settings):
    import environ

    config = environ.Env.cache_url_config("redis://127.0.0.1:6379/13")
    settings.CACHES = {"default": config}
    from django.core.cache import cache as first

    first.clear()
    for _ in range(2):
        assert throttle_hit("shared", limit=3, window=600) is None
    # a second process is a second client of the same Redis
    from django.core.cache.backends.redis import RedisCache

    second = RedisCache(config["LOCATION"], {})
    import jianfu.core.throttle as throttle

    original = throttle.cache
    try:
        throttle.cache = second
        assert throttle_hit("shared", limit=3, window=600) is None
        assert throttle_hit("shared", limit=3, window=600) is not None
    finally:
        throttle.cache = original
        first.clear()
