"""The error pages (``core.errors``): a GOV.UK page for people, JSON under /api/, and
never the request's context where the request itself may be what failed."""

from __future__ import annotations

import json

from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory, override_settings
from django.urls import path

from core import errors


def _suspicious(request):
    raise SuspiciousOperation("a forged header")


urlpatterns = [path("bad/", _suspicious), path("api/bad/", _suspicious)]
handler400 = "core.errors.bad_request"


def test_a_bad_request_page_and_api_answer():
    page = errors.bad_request(RequestFactory().get("/people/"))
    assert page.status_code == 400
    assert "Sorry, there is a problem with the request" in page.content.decode()
    api = errors.bad_request(RequestFactory().get("/api/people/"))
    assert api.status_code == 400
    assert json.loads(api.content) == {"detail": "The request could not be understood."}


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_suspicious_request_gets_the_400_page_not_a_traceback(client):
    response = client.get("/bad/")
    assert response.status_code == 400
    assert "a forged header" not in response.content.decode()
    assert "Sorry, there is a problem with the request" in response.content.decode()
    assert client.get("/api/bad/").json() == {"detail": "The request could not be understood."}
