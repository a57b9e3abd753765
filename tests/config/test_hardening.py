"""ASVS level 2 hardening (issue 17): the client's address through trusted proxies
(finding 6) and the headers and session rules of finding 10."""

from __future__ import annotations

import re
import time

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from config.client_address import client_address
from config.middleware import LAST_SEEN_KEY, SIGNED_IN_KEY
from core.roles import Role
from exits import services as exit_services
from tests.factories import PersonFactory, TeamFactory, employ
from tests.workforce.test_views import STARTER, starter_data

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-for-tests-1"
PROXY = "10.0.0.2"  # the TLS proxy: REMOTE_ADDR of every request behind it


def via_proxy(address: str, spoofed: str = "6.6.6.6") -> dict:
    """Headers of a request from ``address`` through our one proxy, with a client-made
    X-Forwarded-For entry in front of the proxy's."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{spoofed}, {address}"}


# --- Finding 6: trusted proxies ------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}, "10.0.0.2"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "1.2.3.4"),
        (
            2,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.0.0.3"},
            "1.2.3.4",
        ),  # fmt: skip
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.2"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, junk"}, "10.0.0.2"),
        (
            1,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "[2001:db8::1]:443"},
            "2001:db8::1",
        ),  # fmt: skip
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies_only(
    settings, count, meta, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", **meta)
    assert client_address(request) == expected


def _exit_link():
    employment = employ(person=PersonFactory(), end=__import__("datetime").date(2025, 3, 31))
    _, token = exit_services.questionnaire_link_create(exit_record=employment.exit_record)
    return reverse("exits:questionnaire", kwargs={"token": token})


def test_bad_links_from_one_client_behind_the_proxy_do_not_block_other_leavers(client, settings):
    """Finding 6: 25 bad links from anyone blocked every leaver's questionnaire."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.EXIT_LINK_MAX_FAILURES = 3
    url = _exit_link()
    for n in range(3):
        guess = reverse("exits:questionnaire", kwargs={"token": f"guess{n}"})
        assert client.get(guess, **via_proxy("203.0.113.66")).status_code == 404
    assert client.get(url, **via_proxy("203.0.113.66")).status_code == 429
    assert client.get(url, **via_proxy("198.51.100.7", spoofed="203.0.113.66")).status_code == 200


def _sign_in(address: str, username: str, password: str, spoofed: str = "6.6.6.6"):
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password},
        **via_proxy(address, spoofed),
    )  # fmt: skip
    return client, response


def _signed_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("home")


def test_five_bad_passwords_from_someone_else_do_not_lock_the_director_out(make_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user(Role.DIRECTOR, username="director", password=PASSWORD)
    for _ in range(5):
        _, response = _sign_in("203.0.113.66", "director", "wrong-password-x")
        assert not _signed_in(response)
    _, attacker = _sign_in("203.0.113.66", "director", PASSWORD)
    assert attacker.status_code == 429, "the guessing address is locked out for this user"
    _, director = _sign_in("198.51.100.7", "director", PASSWORD, spoofed="203.0.113.66")
    assert _signed_in(director), "the director, from their own address, still signs in"


def test_one_address_trying_many_usernames_is_locked_out(make_user, settings):
    """Lockout by address as well: password spraying over many accounts."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_LOCKOUT_LIMITS = {**settings.LOGIN_LOCKOUT_LIMITS, "ip_address": 8}
    make_user(Role.HR_OFFICER, username="victim", password=PASSWORD)
    for n in range(8):
        _sign_in("203.0.113.66", f"someone{n}", "Password123!x")
    _, sprayer = _sign_in("203.0.113.66", "victim", PASSWORD)
    assert sprayer.status_code == 429
    _, victim = _sign_in("198.51.100.7", "victim", PASSWORD)
    assert _signed_in(victim)


def test_one_account_tried_from_many_addresses_is_locked_out_at_its_own_limit(make_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_LOCKOUT_LIMITS = {**settings.LOGIN_LOCKOUT_LIMITS, "username": 6}
    make_user(Role.DIRECTOR, username="director", password=PASSWORD)
    for n in range(6):
        _sign_in(f"203.0.113.{n + 1}", "director", "wrong-password-x")
    _, later = _sign_in("198.51.100.7", "director", PASSWORD)
    assert later.status_code == 429


def test_the_audit_log_records_the_address_through_the_proxy_not_the_spoofed_one(
    client_as, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    hr = client_as(Role.HR_OFFICER)
    team = TeamFactory()
    response = hr.post(STARTER, starter_data(team), **via_proxy("198.51.100.7"))
    assert response.status_code == 302
    entry = LogEntry.objects.latest("timestamp")
    assert entry.remote_addr == "198.51.100.7"


# --- Finding 10: headers and sessions --------------------------------------------------


def test_pages_and_api_responses_are_not_stored_by_browsers_or_proxies(client_as):
    hr = client_as(Role.HR_OFFICER)
    for url in (reverse("workforce:person-list"), "/api/people/", reverse("login")):
        response = hr.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


def test_every_page_has_a_content_security_policy_without_inline_script(client_as):
    hr = client_as(Role.HR_OFFICER)
    response = hr.get(reverse("dashboards:overview"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    html = response.content.decode()
    inline = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]
    assert inline == []


def test_short_and_common_passwords_are_refused():
    for weak in ("Lead1234", "abcdefghijk", "password1234"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct horse battery")


def test_a_session_idle_for_longer_than_the_timeout_is_signed_out(client_as, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    hr = client_as(Role.HR_OFFICER)
    people = reverse("workforce:person-list")
    assert hr.get(people).status_code == 200
    session = hr.session
    session[LAST_SEEN_KEY] = time.time() - 29 * 60
    session.save()
    assert hr.get(people).status_code == 200, "29 minutes idle: still signed in"
    session = hr.session
    session[LAST_SEEN_KEY] = time.time() - 31 * 60
    session.save()
    response = hr.get(people)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_busy_session_still_ends_at_the_absolute_timeout(client_as, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 8 * 60 * 60
    hr = client_as(Role.HR_OFFICER)
    people = reverse("workforce:person-list")
    assert hr.get(people).status_code == 200
    session = hr.session
    session[SIGNED_IN_KEY] = time.time() - 8 * 60 * 60 - 1
    session[LAST_SEEN_KEY] = time.time()
    session.save()
    response = hr.get(people)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- Finding 7: audit of roles and team managers, tokens ---------------------------------


def test_granting_a_role_and_making_someone_a_team_manager_are_audited(make_user):
    from django.contrib.auth.models import Group

    admin = make_user(Role.ADMIN, username="admin.a")
    person = make_user(None, username="new.manager")
    team = TeamFactory(name="Alpha")
    from auditlog.context import set_actor

    with set_actor(admin):
        person.groups.add(Group.objects.get_or_create(name=str(Role.DIRECTOR))[0])
        team.managers.add(person)
        team.managers.remove(person)
    grant = LogEntry.objects.get_for_object(person).latest("timestamp")
    assert grant.actor == admin
    assert grant.changes_dict["groups"]["operation"] == "add"
    assert grant.changes_dict["groups"]["objects"] == [str(Role.DIRECTOR)]
    manager_changes = [
        (e.changes_dict["managers"]["operation"], e.changes_dict["managers"]["objects"])
        for e in LogEntry.objects.get_for_object(team).order_by("timestamp", "pk")
        if "managers" in e.changes_dict
    ]
    assert manager_changes == [("add", ["new.manager"]), ("delete", ["new.manager"])]


def test_admins_see_no_api_token_in_plain_text(client, make_user):
    from knox.models import AuthToken

    admin = make_user(Role.ADMIN, username="admin.b")
    admin.is_staff = True
    admin.save()
    _, token = AuthToken.objects.create(user=admin)
    client.force_login(admin)
    listing = client.get("/admin/knox/authtoken/")
    assert listing.status_code == 200
    assert token not in listing.content.decode()
    assert client.get("/admin/authtoken/").status_code != 200
    assert client.get("/admin/knox/authtoken/add/").status_code == 403
    assert admin.has_perm("knox.delete_authtoken") and not admin.has_perm("knox.add_authtoken")


def test_the_api_docs_page_has_no_inline_script(client_as):
    hr = client_as(Role.HR_OFFICER)
    page = hr.get(reverse("api-docs"))
    assert page.status_code == 200
    tags = re.findall(r"<script\b[^>]*>", page.content.decode())
    assert tags and all("src=" in tag for tag in tags), tags
    script = hr.get(reverse("api-docs") + "?script")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


@pytest.mark.django_db
def test_a_nul_character_in_a_parameter_or_json_is_a_400_not_a_database_error(client_as):
    """PostgreSQL refuses text holding NUL: it must never reach a query (schemathesis
    found every later API call failing on PostgreSQL after one such request)."""
    from core.roles import Role

    client = client_as(Role.ADMIN)
    response = client.get("/api/agencies/", {"search": "a\x00b"})
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    response = client.post(
        "/api/agency-placements/",
        data='{"swe_number": "SW\\u0000"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert client.get("/api/agencies/").status_code == 200
