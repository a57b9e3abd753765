"""The one pagination component every list uses (templates/includes/pagination.html):
GOV.UK pagination with page numbers, the current page marked for screen readers, and links
that keep the list's filters."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from core.roles import Role
from tests.factories import PersonFactory, TeamFactory, employ

pytestmark = pytest.mark.django_db


@pytest.fixture
def sixty_people():
    team = TeamFactory(name="Pagination team")
    for _ in range(60):
        employ(person=PersonFactory(last_name="Paginated"), team=team, start=dt.date(2021, 1, 4))
    return team


def test_people_list_pages_keep_the_filters_and_mark_the_current_page(client_as, sixty_people):
    url = reverse("workforce:person-list")
    page = client_as(Role.HR_OFFICER).get(url, {"q": "Paginated", "page": 2}).content.decode()
    nav = re.search(r'<nav class="govuk-pagination".*?</nav>', page, re.S).group(0)
    assert 'aria-current="page">2</a>' in nav
    links = set(re.findall(r'href="\?([^"]+)"', nav))
    assert links == {"q=Paginated&amp;page=1", "q=Paginated&amp;page=2", "q=Paginated&amp;page=3"}
    assert "Page 2 of 3" in page
    # No page text sits on the current item's blue background (axe colour-contrast).
    assert '<span class="govuk-body">Page' not in page


def test_every_paginated_list_uses_the_shared_component():
    """Copied pagination markup drifted (and failed contrast) in three lists."""
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "templates"
    copies = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "govuk-pagination" in path.read_text() and path.name != "pagination.html"
    ]
    assert copies == []
