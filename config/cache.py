"""Django's Redis cache, keeping one client per connection pool.

Django's own ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` (and its table of
response callbacks) for every cache call. A page served from the cache makes four or five
calls, and in the dashboards' load test building those clients was about a tenth of the
web workers' CPU (docs/benchmarks.md). ``redis.Redis`` is safe to share: it takes a
connection from the pool for each command, and the pool reconnects after a fork.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


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


class RedisCache(django_redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with ``RedisCacheClient`` above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
