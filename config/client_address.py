"""The client's address, taken through the configured number of trusted proxies.

Behind the TLS proxy the README prescribes, ``REMOTE_ADDR`` is the proxy's address for
every request, and the first entry of ``X-Forwarded-For`` is whatever the client chose to
send. Each proxy appends the address it received the request from, so with
``TRUSTED_PROXY_COUNT`` = N proxies in front of gunicorn the client is the N-th entry from
the right of ``X-Forwarded-For`` (N=1: the last entry, written by our own proxy). Entries
further left were written by the client and are never used. With N=0 (no proxy, the
default) the header is ignored altogether.

Used by the login lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``), the exit-link rate
limit (django-ratelimit's key) and the audit log (``config.middleware.AuditlogMiddleware``).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder, never bound


def _valid(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [::1]:443
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # 1.2.3.4:5678
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (see the module's docstring)."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < proxies:
        # Fewer hops than trusted proxies: the request did not come through all of them.
        return remote
    return _valid(forwarded[-proxies]) or remote


def client_address_for_ratelimit(group, request) -> str:
    """django-ratelimit's ``key`` callable."""
    return client_address(request)
