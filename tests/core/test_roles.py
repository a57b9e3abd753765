"""A user's roles are their groups, cached between requests: every way of changing a
user's groups takes effect on their very next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.roles import Role

pytestmark = pytest.mark.django_db

PEOPLE = "workforce:person-list"  # HR officers and managers; never scrutiny members


def status(client) -> int:
    return client.get(reverse(PEOPLE)).status_code


def test_removing_a_role_takes_effect_on_the_next_request(client_as):
    client = client_as(Role.HR_OFFICER)
    assert status(client) == 200
    client.user.groups.remove(Group.objects.get(name=Role.HR_OFFICER))
    assert status(client) == 403


def test_adding_a_role_from_the_group_side_takes_effect(client_as):
    client = client_as(Role.SCRUTINY_MEMBER)
    assert status(client) == 403
    Group.objects.get(name=Role.HR_OFFICER).user_set.add(client.user)
    assert status(client) == 200


def test_clearing_a_group_renaming_it_or_deleting_it_takes_effect(client_as, make_user):
    client = client_as(Role.HR_OFFICER)
    group = Group.objects.get(name=Role.HR_OFFICER)
    assert status(client) == 200
    group.user_set.clear()
    assert status(client) == 403

    group.user_set.add(client.user)
    assert status(client) == 200
    group.name = "HR officer (old)"
    group.save()
    assert status(client) == 403

    group.name = Role.HR_OFFICER
    group.save()
    assert status(client) == 200
    group.delete()
    assert status(client) == 403


def test_the_groups_are_read_once_not_on_every_request(client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(Role.HR_OFFICER)
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("home")).status_code == 302
    with CaptureQueriesContext(connection) as second:
        assert client.get(reverse("home")).status_code == 302
    groups = lambda queries: [q for q in queries if "auth_group" in q["sql"]]  # noqa: E731
    assert groups(first.captured_queries) and not groups(second.captured_queries)
