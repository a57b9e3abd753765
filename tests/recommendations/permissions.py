"""Permission-matrix entries for the recommendations tracker (see tests/access.py and
recommendations/access.py): everyone with a role reads (no personal staff data here);
scrutiny members, lead members and directors comment; lead members and directors record
the executive response; HR officers and directors record progress, actions and the
evidencing KPI; service managers only read."""

from recommendations.access import (
    COMMENTERS,
    PROGRESS_WRITERS,
    RESPONSE_WRITERS,
    TRACKER_READERS,
)
from tests.access import Access


def build_world(world):
    """Adds ``world.recommendation`` (with an executive response) for the URLs below."""
    if getattr(world, "recommendation", None) is None:
        from tests.recommendations.factories import ExecutiveResponseFactory

        world.recommendation = ExecutiveResponseFactory().recommendation
    if getattr(world, "recommendation_action", None) is None:
        from recommendations.services import action_create

        world.recommendation_action = action_create(
            review=world.recommendation.review,
            recommendation=world.recommendation,
            description="Report exit interview themes to the panel.",
            owner="Workforce lead",
            due_date=None,
        )


def _rec(world):
    return {"pk": world.recommendation.pk}


EXPECTED = {
    "recommendations:tracker": Access(TRACKER_READERS, query="?overdue=on"),
    "recommendations:tracker-docx": Access(TRACKER_READERS),
    "recommendations:tracker-xlsx": Access(TRACKER_READERS, query="?status=none"),
    "recommendations:monitoring": Access(TRACKER_READERS),
    "recommendations:detail": Access(TRACKER_READERS, kwargs=_rec),
    "recommendations:response": Access(RESPONSE_WRITERS, kwargs=_rec),
    "recommendations:update-create": Access(PROGRESS_WRITERS, kwargs=_rec),
    "recommendations:action-create": Access(PROGRESS_WRITERS, kwargs=_rec),
    "recommendations:evidence": Access(PROGRESS_WRITERS, kwargs=_rec),
    "recommendations:action-complete": Access(
        PROGRESS_WRITERS,
        kwargs=lambda world: {"pk": world.recommendation_action.pk},
        ok_status=405,
        notes="POST only",
    ),
    "recommendations:comment-create": Access(COMMENTERS, kwargs=_rec),
    "recommendations-api:review-list": Access(TRACKER_READERS, api=True),
    "recommendations-api:recommendation-list": Access(
        TRACKER_READERS, api=True, query="?overdue=true&as_of=2024-01-01"
    ),
    "recommendations-api:recommendation-detail": Access(TRACKER_READERS, kwargs=_rec, api=True),
    "recommendations-api:response-record": Access(
        RESPONSE_WRITERS, kwargs=_rec, api=True, ok_status=405, notes="POST only"
    ),
    "recommendations-api:update-create": Access(
        PROGRESS_WRITERS, kwargs=_rec, api=True, ok_status=405, notes="POST only"
    ),
}
