"""Django's Redis cache, keeping one client per connection pool, and degrading when Redis
fails instead of taking the site down with it.

Django's own ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` (and its table of
response callbacks) for every cache call. A page served from the cache makes four or five
calls, and in the dashboards' load test building those clients was about a tenth of the
web workers' CPU (docs/benchmarks.md). ``redis.Redis`` is safe to share: it takes a
connection from the pool for each command, and the pool reconnects after a fork.

Degrade, do not die (issue 17, finding 2): everything the cache holds can be worked out
again from the database - sessions (``cached_db`` writes them through to the database),
users' group names (``core.roles``), page fragments. So a Redis error (refused,
reset, or no answer within the socket timeouts of ``REDIS_CACHE_OPTIONS``) is logged and
answered as a miss: ``get`` gives the default, ``add`` False, writes do nothing. After a
failure the cache is not asked again for ``RETRY_AFTER_SECONDS`` (one log line, and a
Redis that accepts connections but never answers costs one timeout, not one per call).
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)

#: After a Redis error, skip the cache this long before trying Redis again.
RETRY_AFTER_SECONDS = 10.0


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.RedisError, OSError)


def _degrades(fallback):
    """Answer ``fallback(*args, **kwargs)`` instead of raising when Redis fails."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._down_until > time.monotonic():
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except _redis_errors() as error:
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning(
                    "Cache unavailable (%s: %s); using the database for %ss",
                    type(error).__name__,
                    error,
                    RETRY_AFTER_SECONDS,
                )
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _default(key, default=None, version=None):
    return default


def _no_values(*args, **kwargs):
    return {}


def _nothing_failed(data, *args, **kwargs):
    return []


def _missing(key, delta=1, version=None):
    raise ValueError(f"Key {key!r} not found (the cache is unavailable).")


class RedisCache(django_redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with ``RedisCacheClient`` above,
    answering a Redis failure as a cache miss (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._down_until = 0.0

    add = _degrades(_false)(django_redis.RedisCache.add)
    get = _degrades(_default)(django_redis.RedisCache.get)
    set = _degrades(_none)(django_redis.RedisCache.set)
    touch = _degrades(_false)(django_redis.RedisCache.touch)
    delete = _degrades(_false)(django_redis.RedisCache.delete)
    get_many = _degrades(_no_values)(django_redis.RedisCache.get_many)
    has_key = _degrades(_false)(django_redis.RedisCache.has_key)
    incr = _degrades(_missing)(django_redis.RedisCache.incr)
    set_many = _degrades(_nothing_failed)(django_redis.RedisCache.set_many)
    delete_many = _degrades(_none)(django_redis.RedisCache.delete_many)
    clear = _degrades(_false)(django_redis.RedisCache.clear)
