"""Exits tests start with the council's default themes, even after a live_server test
flushed the rows the data migration made."""

import pytest


@pytest.fixture(autouse=True)
def default_exit_themes(db):
    from exits.services import exit_themes_ensure_defaults

    exit_themes_ensure_defaults()
