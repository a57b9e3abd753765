"""The Redis cache backend (config.cache) against the real Redis that CI runs."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (CI sets it)"
)


def test_the_redis_cache_works_and_reuses_one_client():
    from config.cache import RedisCache

    backend = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-config-cache"})
    backend.set("answer", {"value": 42}, 30)
    assert backend.get("answer") == {"value": 42}
    assert backend.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    backend.delete("answer")
    assert backend.get("answer") is None
    assert backend._cache.get_client() is backend._cache.get_client()
