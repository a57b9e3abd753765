"""The post list on the starter form (issue 18: all 97 posts were offered whatever the
team): grouped by team, and once a team is chosen only that team's posts are offered."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from tests.factories import PostFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_team_offers_only_its_posts(page: Page, live_server, make_user):
    north, south = TeamFactory(name="North Assessment"), TeamFactory(name="South Assessment")
    PostFactory(team=north, reference="NA-01")
    PostFactory(team=north, reference="NA-02")
    PostFactory(team=south, reference="SA-01")
    make_user(Role.HR_OFFICER, username="hr.posts", password="pw-for-tests-1")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("hr.posts")
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/workforce/starters/new/")

    post = page.get_by_label("Post", exact=True)
    enabled = post.locator("optgroup:not([disabled]) option")
    expect(enabled).to_have_count(3)  # no team yet: every post, grouped
    page.get_by_label("Team", exact=True).select_option(label=str(north))
    expect(enabled).to_have_count(2)
    expect(post.locator('optgroup[label="South Assessment"]')).to_be_disabled()
    post.select_option(label="NA-02: " + str(PostFactory._meta.model.objects.get(
        reference="NA-02").grade))  # fmt: skip
    page.get_by_label("Team", exact=True).select_option(label=str(south))
    expect(post).to_have_value("")  # the north post no longer fits
