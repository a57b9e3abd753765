"""Permission-matrix entries for the exits pages (exits/urls.py; see tests/access.py).

Named leavers, answers and coding: HR officers and admins. The analysis: every role
(suppressed for service managers and councillors, who never see a name). The leaver's
one-time link is public; a made-up token gets the plain "link does not work" page (404).
"""

from core.roles import ALL_ROLES
from exits.views import EXIT_OFFICERS
from tests.access import Access


def build_world(world):
    """The shared leaver (``world.leaver_employment``) has an exit record made by the
    signal; give it a completed questionnaire so the coding page has an answer."""
    from exits import services
    from exits.models import ExitTheme

    services.exit_themes_ensure_defaults()  # a live_server test may have flushed them
    world.exit_record = services.exit_record_ensure(employment=world.leaver_employment)
    if not hasattr(world.exit_record, "questionnaire"):
        services.questionnaire_submit(
            exit_record=world.exit_record,
            answers={"free_text": "My caseload was far too high."},
            reasons=ExitTheme.objects.filter(name="Workload and caseload"),
        )
    world.exit_theme = ExitTheme.objects.order_by("pk").first()


def _record(world):
    return {"pk": world.exit_record.pk}


EXPECTED = {
    "exits:record-list": Access(EXIT_OFFICERS, query="?status=overdue"),
    "exits:record-detail": Access(EXIT_OFFICERS, kwargs=_record),
    "exits:record-edit": Access(EXIT_OFFICERS, kwargs=_record),
    "exits:link-create": Access(EXIT_OFFICERS, kwargs=_record),
    "exits:questionnaire-enter": Access(
        EXIT_OFFICERS,
        kwargs=_record,
        ok_status=302,
        notes="world.exit_record is answered already: officers go back to the record",
    ),
    "exits:coding": Access(EXIT_OFFICERS, kwargs=_record),
    "exits:theme-list": Access(EXIT_OFFICERS),
    "exits:theme-create": Access(EXIT_OFFICERS),
    "exits:theme-edit": Access(EXIT_OFFICERS, kwargs=lambda world: {"pk": world.exit_theme.pk}),
    "exits:analysis": Access(ALL_ROLES, query="?by=team&start=2023-01-01&end=2023-12-31"),
    "exits:questionnaire": Access(
        frozenset(),
        kwargs=lambda world: {"token": "not-a-real-token"},
        public=True,
        ok_status=404,
        notes="a guessed token: the plain 'link does not work' page",
    ),
}
