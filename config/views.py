"""Project-wide error pages that must work when the database or the cache does not.

``server_error`` (``handler500``): an error reaching the database (PostgreSQL down,
refusing connections, a connection lost mid-request) is answered 503 with a plain
"temporarily unavailable" page and a ``Retry-After`` header - a maintenance page, not a
traceback; any other error gets the ordinary 500 page. Neither page uses the request's
context (no database, no session). Under ``/api/`` both are JSON.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from dashboards.views import page_not_found as ordinary_page_not_found
from dashboards.views import permission_denied as ordinary_permission_denied
from dashboards.views import server_error as ordinary_server_error

#: Seconds a client is asked to wait before trying again when the database is down.
RETRY_AFTER_SECONDS = 60


def _database_unreachable(error: BaseException | None) -> bool:
    """True if ``error`` (or what caused it) is a failure to reach the database."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def server_error(request: HttpRequest) -> HttpResponse:
    if _database_unreachable(sys.exc_info()[1]):
        if _is_api(request):
            response = JsonResponse(
                {"detail": "The service is temporarily unavailable. Try again later."},
                status=503,
            )
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    if _is_api(request):
        return JsonResponse({"detail": "A server error occurred."}, status=500)
    return ordinary_server_error(request)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return ordinary_page_not_found(request, exception)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": "You do not have permission to perform this action."}, status=403
        )
    return ordinary_permission_denied(request, exception)
