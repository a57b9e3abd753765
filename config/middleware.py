"""Project middleware (issue 17: ASVS level 2 hardening).

- ``NoStoreMiddleware``: ``Cache-Control: no-store`` on every response the app itself
  draws (pages and API: nearly all show personal data, and none is worth caching in a
  shared or browser cache). Static files never reach it: WhiteNoise, above it, answers
  them with its own long-lived caching headers.
- ``SessionTimeoutMiddleware``: signs a browser session out after ``SESSION_IDLE_TIMEOUT``
  seconds without a request (default 30 minutes), and after ``SESSION_ABSOLUTE_TIMEOUT``
  seconds since signing in whatever the activity (default ``SESSION_COOKIE_AGE``).
- ``AuditlogMiddleware``: django-auditlog's, recording the client's address through the
  trusted proxies (``config.client_address``), not the first ``X-Forwarded-For`` entry,
  which the client writes itself.
"""

from __future__ import annotations

import time

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

from .client_address import client_address


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response


#: Session keys: when the session was last used and when its user signed in (epoch seconds).
LAST_SEEN_KEY = "_last_seen"
SIGNED_IN_KEY = "_signed_in_at"
#: The last-seen time is written at most this often (each write saves the session).
LAST_SEEN_RESOLUTION = 60


def idle_timeout() -> int:
    return int(getattr(settings, "SESSION_IDLE_TIMEOUT", 30 * 60))


def absolute_timeout() -> int:
    return int(getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", settings.SESSION_COOKIE_AGE))


class SessionTimeoutMiddleware:
    """After ``AuthenticationMiddleware``. Only for session sign-ins (API tokens carry
    their own expiry)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated:
            now = time.time()
            signed_in = session.get(SIGNED_IN_KEY)
            last_seen = session.get(LAST_SEEN_KEY)
            if signed_in is None:
                session[SIGNED_IN_KEY] = signed_in = now
            if (last_seen is not None and now - last_seen > idle_timeout()) or (
                now - signed_in > absolute_timeout()
            ):
                logout(request)
                messages.info(request, "You were signed out because your session timed out.")
            elif last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class AuditlogMiddleware(_AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)


class RejectNulBytesMiddleware:
    """A NUL character in a query parameter or a JSON body is refused with a 400 before any
    view runs: PostgreSQL cannot store or compare text holding one (psycopg raises a
    ``DataError``), so it would otherwise end as a database error. Uploaded files (XLSX is
    binary) are not JSON and are not looked at."""

    MESSAGE = "A value holds a NUL character, which is not allowed."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from django.http import HttpResponseBadRequest, JsonResponse

            if request.path.startswith("/api/"):
                return JsonResponse({"detail": self.MESSAGE}, status=400)
            return HttpResponseBadRequest(self.MESSAGE)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            return True
        if request.content_type == "application/json":
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            return any("\x00" in value for values in request.POST.lists() for value in values[1])
        return False
