"""``demo_logins`` says accurately what each demo role can do (issue 18: it called the
director read-only, yet the director edits the recommendations tracker)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from core.roles import Role

pytestmark = pytest.mark.django_db


def _lines() -> dict[str, str]:
    out = StringIO()
    call_command("demo_logins", "--force", stdout=out)
    return {line.split()[0].lower(): line for line in out.getvalue().splitlines() if line}


def test_the_director_is_not_called_read_only_and_their_tracker_edits_are_listed():
    director = [line for key, line in _lines().items() if key == "director"][0]
    assert "read-only" not in director
    assert "records recommendation progress" in director
    assert "executive's response" in director


def test_each_summary_matches_what_the_pages_allow():
    from core.roles import CASELOAD_WRITERS, WORKFORCE_WRITERS
    from recommendations.access import PROGRESS_WRITERS, RESPONSE_WRITERS

    lines = _lines()
    row = {role: lines[role.value.split()[0].lower()] for role in Role if role != Role.ADMIN}
    for role, line in row.items():
        assert ("records starters" in line) == (role in WORKFORCE_WRITERS), role
        assert ("enters caseloads" in line) == (role in CASELOAD_WRITERS), role
        assert ("recommendation progress" in line) == (role in PROGRESS_WRITERS), role
        assert ("executive's response" in line) == (role in RESPONSE_WRITERS), role
    assert "no named person" in row[Role.SCRUTINY_MEMBER]
    assert "own teams" in row[Role.SERVICE_MANAGER]


def test_the_readme_says_the_director_edits_the_tracker():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    using = readme.split("## Using the demo", 1)[1].split("\n## ", 1)[0]
    director = using.split("- `director`", 1)[1].split("\n- ", 1)[0]
    assert "everything read-only" not in using
    assert "records progress and actions" in director
    assert "executive's response" in director
