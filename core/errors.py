"""The project's error pages (``handler400/403/404/500`` in ``config.urls``); they work
when the database or the cache does not.

``server_error``: an error reaching the database (PostgreSQL down, refusing connections,
a connection lost mid-request) is answered 503 with a plain "temporarily unavailable"
page and a ``Retry-After`` header - a maintenance page, not a traceback; any other error
gets the ordinary 500 page. Neither page, nor the 400 page (a refused host or a bad
request may be what failed), uses the request's context (no database, no session). Under
``/api/`` every error is JSON.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

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


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "The request could not be understood."}, status=400)
    return HttpResponse(loader.get_template("400.html").render(), status=400)


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
    # No request context: the failure may be in the database or a context processor.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": "You do not have permission to perform this action."}, status=403
        )
    return render(request, "403.html", status=403)
