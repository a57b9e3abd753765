"""The permission matrix: every URL of the project, requested by every kind of user.

Walks the whole URLconf (namespaces included; the admin site, static/media and DRF's
format-suffix duplicates are left out) and collects the expected access from every
``tests/**/permissions*.py`` module (protocol: ``tests/access.py``). Then, with one shared
``World`` of sample records, each URL is requested (GET) by:

- a signed-out visitor: pages redirect to the sign-in page, the API answers 401/403;
- a signed-in user with no role: 403;
- one user per role (the service manager manages ``world.team``): ``ok_status`` if the
  role is listed, otherwise 403.

Every URL whose view accepts POST is then POSTed (an empty body) by the same users: a
role that may write (``Access.post_roles``, else ``roles``) gets the form back with its
errors, a redirect or a 400 naming the problems; any other role 403; a signed-out
visitor the sign-in redirect (401/403 from the API); nobody ever a 500.

A URL with no entry fails, telling the developer where to add one, so a new page cannot
forget its permission check. Scrutiny and lead members must never see a named person.
The Django admin is checked separately at the end.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.middleware import LAST_SEEN_KEY, SIGNED_IN_KEY
from core.roles import Role
from tests.access import Access, World
from tests.factories import (
    AgencyFactory,
    GradeFactory,
    PersonFactory,
    PostFactory,
    ServiceAreaFactory,
    TeamFactory,
    employ,
)

pytestmark = pytest.mark.django_db

TESTS_DIR = Path(__file__).resolve().parent
ANONYMOUS = "anonymous"
NO_ROLE = "no-role"
SKIPPED_NAMESPACES = {"admin", "djdt"}
SKIPPED_PREFIXES = (settings.STATIC_URL.lstrip("/"), settings.MEDIA_URL.lstrip("/"))


# --- What the project declares ------------------------------------------------------


def permission_modules() -> list:
    """Every tests/**/permissions*.py module, imported."""
    modules = []
    for path in sorted(TESTS_DIR.rglob("permissions*.py")):
        dotted = ".".join(path.relative_to(TESTS_DIR.parent).with_suffix("").parts)
        modules.append(importlib.import_module(dotted))
    return modules


def expected_access() -> tuple[dict[str, Access], list[str]]:
    """All EXPECTED entries merged, and any name declared by two modules."""
    merged: dict[str, Access] = {}
    clashes = []
    for module in permission_modules():
        for name, access in getattr(module, "EXPECTED", {}).items():
            if name in merged:
                clashes.append(f"{name} (again in {module.__name__})")
            merged[name] = access
    return merged, clashes


#: URL name -> the view it resolves to (to know which accept POST).
CALLBACKS: dict[str, object] = {}


def project_urls() -> dict[str | None, str]:
    """URL name (with namespaces) -> route, for every pattern the matrix covers.

    Unnamed patterns are returned under ``None`` keys as ``"<unnamed> route"`` entries.
    """
    found: dict[str | None, str] = {}
    unnamed: list[str] = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES) or "format" in str(pattern.pattern):
                continue  # static/media, and DRF's ".json"/".api" suffix duplicates
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = pattern.namespace
                ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern.url_patterns, route, ns)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    unnamed.append(route)
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.setdefault(name, route)
                CALLBACKS.setdefault(name, pattern.callback)

    walk(get_resolver().url_patterns, "/", None)
    for route in unnamed:
        found[f"<unnamed> {route}"] = route
    return found


def accepts_post(view) -> bool:
    """Whether a resolved view takes POST: a DRF viewset's route maps it to an action; a
    class-based view (Django's or DRF's) has a ``post`` handler."""
    actions = getattr(view, "actions", None)
    if actions is not None:
        return "post" in actions
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if view_class is None:
        return False  # no function views in the project take a form
    return "post" in view_class.http_method_names and hasattr(view_class, "post")


EXPECTED, CLASHES = expected_access()
URLS = project_urls()
KINDS = [ANONYMOUS, NO_ROLE, *(role.value for role in Role)]
GET_NAMES = [name for name in sorted(URLS) if name in EXPECTED]
POST_NAMES = [name for name in GET_NAMES if accepts_post(CALLBACKS.get(name))]
UNDECLARED = sorted(name for name in URLS if name not in EXPECTED)
STALE = sorted(name for name in EXPECTED if name not in URLS)


# --- The shared world -----------------------------------------------------------------


def build_world() -> World:
    """Sample records every app's URLs can point at, then each module's additions."""
    world = World()
    world.service_area = ServiceAreaFactory(name="Matrix service area")
    world.team = TeamFactory(name="Matrix case-holding team", service_area=world.service_area)
    world.other_team = TeamFactory(name="Matrix other team", service_area=world.service_area)
    world.grade = GradeFactory(name="Matrix grade")
    world.agency = AgencyFactory(name="Matrix agency")
    world.post = PostFactory(team=world.team, grade=world.grade)
    # Distinctive names: the matrix checks councillors never see them.
    world.person = PersonFactory(first_name="Zebedee", last_name="Quillfeather")
    world.employment = employ(person=world.person, team=world.team, start=dt.date(2021, 3, 1))
    world.assignment = world.employment.assignments.first()
    world.leaver = PersonFactory(first_name="Ottoline", last_name="Marchbanks")
    world.leaver_employment = employ(
        person=world.leaver, team=world.team, start=dt.date(2019, 9, 2), end=dt.date(2023, 6, 30)
    )
    for module in permission_modules():
        if hasattr(module, "build_world"):
            module.build_world(world)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One World (and one user per role, each signed in once) for the whole module,
    rolled back at the end."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            user_model = get_user_model()
            world.users = {}
            for kind in [NO_ROLE, *(role.value for role in Role)]:
                user = user_model.objects.create_user(
                    username=f"matrix-{kind.lower().replace(' ', '-')}", password="x" * 12
                )
                if kind != NO_ROLE:
                    user.groups.add(Group.objects.get(name=kind))
                world.users[kind] = user
            world.team.managers.add(world.users[Role.SERVICE_MANAGER.value])
            world.sessions = {}
            for kind, user in world.users.items():
                signing_in = Client()
                signing_in.force_login(user)
                # As after a first page: signed in and seen now, so each request of the
                # next minute reads the session without writing it back (each wrote it).
                session = signing_in.session
                session[SIGNED_IN_KEY] = session[LAST_SEEN_KEY] = time.time()
                session.save()
                world.sessions[kind] = session.session_key
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- The matrix ---------------------------------------------------------------------


def _sign_in(client, kind: str, world: World) -> None:
    """Signs ``client`` in as ``kind`` (not the signed-out visitor) with the session made
    for the module: a sign-in per request (a new session, a last-login write, an axes
    log entry) was a third of the matrix's time. A test's writes to the session are
    rolled back with the test, so each request starts from the same session."""
    if kind != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[kind]


def _url(name: str, access: Access, world: World) -> str:
    kwargs = access.kwargs(world) if access.kwargs else {}
    return reverse(name, kwargs=kwargs) + access.query


def _expected_status(access: Access, kind: str) -> int | str:
    if access.public:
        return access.ok_status
    if kind == ANONYMOUS:
        return "401/403" if access.api else "redirect to sign-in"
    if kind == NO_ROLE:
        return access.ok_status if access.any_signed_in else 403
    return access.ok_status if Role(kind) in access.roles else 403


def _signed_out_answer(response, expected, where: str) -> bool:
    """Checks the answer to a signed-out visitor (True), if ``expected`` is one."""
    if expected == "redirect to sign-in":
        login_url = resolve_url(settings.LOGIN_URL)
        assert response.status_code == 302, (
            f"{where}: expected a redirect to sign in, got {response.status_code}"
        )
        assert response.url.startswith(login_url), f"{where}: redirected to {response.url}"
        return True
    if expected == "401/403":
        assert response.status_code in (401, 403), (
            f"{where}: expected 401/403, got {response.status_code}"
        )
        return True
    return False


def _each_kind(client, world: World, check) -> None:
    """``check(kind)`` for every kind of user in turn, as a test of its own would run it:
    signed in (or out) afresh, with an empty cache, its writes rolled back after. Fails
    naming every kind whose check failed. (A test per URL and kind paid pytest's and the
    database fixtures' setup and teardown 1,460 times.)"""
    failures = []
    for kind in KINDS:
        client.cookies.clear()
        cache.clear()
        _sign_in(client, kind, world)
        try:
            with transaction.atomic():
                check(kind)
                transaction.set_rollback(True)
        except AssertionError as failed:  # a fault (an exception) stops the test at once
            failures.append(str(failed))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", GET_NAMES)
def test_url_gives_each_user_the_expected_status(name, world, client):
    access = EXPECTED[name]
    url = _url(name, access, world)

    def check(kind: str) -> None:
        response = client.get(url)
        expected = _expected_status(access, kind)
        where = f"GET {url} ({name}) as {kind}"
        if not _signed_out_answer(response, expected, where):
            assert response.status_code == expected, (
                f"{where}: expected {expected}, got {response.status_code}"
            )
        if kind in (Role.SCRUTINY_MEMBER.value, Role.LEAD_MEMBER.value, ANONYMOUS, NO_ROLE):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            for named in (world.person, world.leaver):
                assert named.last_name.encode() not in body, f"{where}: shows {named.last_name}"

    _each_kind(client, world, check)


#: What a role that may write gets for an empty POST: the form again with its errors
#: (200), a redirect (an action that needs no fields), a 400 naming the problems (API), or
#: 409 (an API update without the version it was read at).
WRITER_STATUSES = {200, 201, 204, 302, 400, 409}


def _expected_post(access: Access, kind: str) -> str:
    if access.public or access.post_public:
        return "public"  # the sign-in form, the token endpoint: anything but a 500
    if kind == ANONYMOUS:
        return "401/403" if access.api else "redirect to sign-in"
    if kind == NO_ROLE:
        return "allowed" if access.any_signed_in else "403"
    roles = access.roles if access.post_roles is None else access.post_roles
    return "allowed" if Role(kind) in roles else "403"


@pytest.mark.parametrize("name", POST_NAMES, ids=[f"POST {n}" for n in POST_NAMES])
def test_post_gives_each_user_the_expected_status_and_never_a_500(name, world, client):
    access = EXPECTED[name]
    url = _url(name, access, world)
    client.raise_request_exception = False  # a 500 is an answer here, reported below

    def check(kind: str) -> None:
        if access.api:
            response = client.post(url, {}, content_type="application/json")
        else:
            response = client.post(url, {})
        where = f"POST {url} ({name}) as {kind}"
        assert response.status_code < 500, f"{where}: server error {response.status_code}"
        expected = _expected_post(access, kind)
        if _signed_out_answer(response, expected, where) or expected == "public":
            pass
        elif expected == "403":
            assert response.status_code == 403, f"{where}: expected 403, got {response.status_code}"
        else:
            assert response.status_code in WRITER_STATUSES, (
                f"{where}: a role that may write got {response.status_code}"
            )

    _each_kind(client, world, check)


def test_the_post_matrix_covers_the_projects_forms():
    names = set(POST_NAMES)
    assert {"workforce:starter-create", "recruitment:vacancy-create"} <= names
    assert "dashboards:overview" not in names  # a page without a form is not POSTed


@pytest.mark.parametrize("name", UNDECLARED or ["(none)"])
def test_every_url_declares_who_may_open_it(name):
    if name == "(none)":
        return
    if name.startswith("<unnamed>"):
        pytest.fail(
            f"URL {URLS[name]} has no name: give it one (path(..., name=...)) and add it to "
            "EXPECTED in tests/<app>/permissions.py."
        )
    app = name.split(":")[0] if ":" in name else "config"
    pytest.fail(
        f"URL {name!r} ({URLS[name]}) has no permission-matrix entry. Add it to EXPECTED in "
        f"tests/{app.removesuffix('-api')}/permissions.py, e.g. "
        f"{name!r}: Access(STAFF_READERS, kwargs=lambda world: {{...}}) (see tests/access.py)."
    )


def test_no_entry_is_declared_twice_or_for_a_missing_url():
    assert not CLASHES, f"URL names declared in two permissions modules: {CLASHES}"
    assert not STALE, f"EXPECTED entries for URLs that do not exist (renamed or removed?): {STALE}"


def test_the_matrix_covers_the_projects_pages():
    # Guards the walk itself: if it found nothing, every other test would pass vacuously.
    assert {"home", "login", "dashboards:overview", "api-schema"} <= set(URLS)
    assert not any(name.startswith("admin:") for name in URLS)


# --- The Django admin ----------------------------------------------------------------

REFERENCE_DATA = ["servicearea", "team", "post", "grade", "agency"]


def test_admin_role_staff_can_manage_users_and_reference_data(world, client):
    admin = world.users[Role.ADMIN.value]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
    for model in ["user", *REFERENCE_DATA]:
        url = reverse(f"admin:workforce_{model}_changelist")
        assert client.get(url).status_code == 200, f"Admin cannot open {url}"


@pytest.mark.parametrize("kind", [NO_ROLE, *(r.value for r in Role if r is not Role.ADMIN)])
def test_other_users_cannot_open_the_admin(kind, world, client):
    client.force_login(world.users[kind])
    for url in [reverse("admin:index"), reverse("admin:workforce_team_changelist")]:
        response = client.get(url)
        assert response.status_code == 302, f"{kind} got {response.status_code} at {url}"
        assert response.url.startswith(reverse("admin:login"))
