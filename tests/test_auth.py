"""Signing in and out, lockout after repeated failures, the landing page and the error pages.

Also serves as a tiny URLconf (``@pytest.mark.urls("tests.test_auth")``): the project's
URLs plus two views that fail on purpose, to check what a user sees on a 403 and a 500.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse

from core.roles import Role
from tests.factories import PersonFactory, employ

PASSWORD = "pw-for-tests-1"


def _denied(request):
    raise PermissionDenied("secret internal reason")


def _broken(request):
    raise RuntimeError("database exploded at line 42")


urlpatterns = [
    path("test-denied/", _denied),
    path("test-broken/", _broken),
    path("", include("config.urls")),
]
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"


def _main(html: str) -> str:
    """The text inside <main>, tags stripped."""
    match = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    assert match, "page has no <main>"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def _sign_in(client, username, password=PASSWORD, follow=False):
    return client.post(
        reverse("login"), {"username": username, "password": password}, follow=follow
    )


def test_sign_in_page_is_govuk_styled(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/govuk/govuk-frontend.min.css" in html
    assert 'class="govuk-skip-link"' in html
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert 'id="id_username"' in html and 'id="id_password"' in html


def test_home_sends_anonymous_users_to_sign_in(client, db):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_sign_in_lands_on_dashboard_with_name_and_role(client, make_user):
    make_user(Role.HR_OFFICER, username="hrofficer")
    response = _sign_in(client, "hrofficer", follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboards:overview")
    text = _main(response.content.decode())
    assert "Workforce dashboard" in text
    assert "hrofficer" in text and "HR officer" in text


def test_wrong_password_shows_error_summary_linked_to_username(client, make_user):
    make_user(Role.DIRECTOR, username="director")
    response = _sign_in(client, "director", password="wrong-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in html
    assert 'class="govuk-error-summary"' in html
    assert re.search(r'<a href="#id_username">Please enter a correct username', html)
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_for_the_right_password(client, make_user):
    make_user(Role.DIRECTOR, username="director")
    for _ in range(4):
        assert _sign_in(client, "director", password="wrong").status_code == 200
    locked = _sign_in(client, "director", password="wrong")
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()

    right = _sign_in(client, "director")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_user_is_not_locked_out_by_someone_elses_failures(client, make_user):
    make_user(Role.DIRECTOR, username="director")
    make_user(Role.HR_OFFICER, username="hrofficer")
    for _ in range(5):
        _sign_in(client, "director", password="wrong")
    response = _sign_in(client, "hrofficer")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_sign_out_is_a_post_form_with_csrf(client_as):
    client = client_as(Role.SCRUTINY_MEMBER)
    html = client.get(reverse("dashboards:overview")).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>\s*(<input[^>]+>)', html)
    assert form, "no sign-out form"
    assert form.group(1) == reverse("logout")
    assert "csrfmiddlewaretoken" in form.group(2)

    assert client.get(reverse("logout")).status_code == 405  # GET never signs anyone out
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("dashboards:overview")).status_code == 302


def test_landing_page_shows_no_named_person_and_no_figures(client, make_user):
    person = PersonFactory(first_name="Philippa", last_name="Quennell")
    employ(person=person)
    make_user(Role.SCRUTINY_MEMBER, username="councillor")
    _sign_in(client, "councillor")
    text = _main(client.get(reverse("dashboards:overview")).content.decode())
    assert "councillor" in text and "Scrutiny member" in text
    assert "Philippa" not in text and "Quennell" not in text
    assert not re.search(r"\d", text), f"a figure on the landing page: {text!r}"
    assert "never a named person" in text


def test_landing_page_lists_only_what_the_role_can_use(client, make_user):
    make_user(Role.SCRUTINY_MEMBER, username="councillor")
    admin = make_user(Role.ADMIN, username="administrator")
    admin.is_staff = True
    admin.save()

    _sign_in(client, "councillor")
    councillor_page = client.get(reverse("dashboards:overview")).content.decode()
    assert "Change your password" in councillor_page
    assert reverse("admin:index") not in councillor_page
    client.post(reverse("logout"))

    _sign_in(client, "administrator")
    admin_page = client.get(reverse("dashboards:overview")).content.decode()
    assert "Administration" in admin_page and reverse("admin:index") in admin_page


@pytest.mark.urls("tests.test_auth")
def test_forbidden_page_is_plain_words_without_internals(client_as):
    response = client_as(Role.SCRUTINY_MEMBER).get("/test-denied/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You do not have access to this page" in html
    assert "secret internal reason" not in html
    assert "Traceback" not in html


def test_unknown_address_gets_govuk_not_found_page(client_as):
    response = client_as(Role.DIRECTOR).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.urls("tests.test_auth")
def test_server_error_page_shows_no_traceback(client_as):
    client = client_as(Role.DIRECTOR)
    client.raise_request_exception = False
    response = client.get("/test-broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "database exploded" not in html and "Traceback" not in html
    assert "RuntimeError" not in html


def test_success_message_is_a_govuk_notification_banner(rf, make_user):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.template import loader

    request = rf.get("/")
    request.user = make_user(Role.HR_OFFICER)
    request.session = {}
    storage = FallbackStorage(request)
    storage.add(constants.SUCCESS, "Starter recorded")
    request._messages = storage
    html = loader.get_template("base.html").render({}, request)
    assert "govuk-notification-banner--success" in html
    assert re.search(r'notification-banner__heading">Starter recorded<', html)
