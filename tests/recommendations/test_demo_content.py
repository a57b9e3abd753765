"""The demo council's recommendations (issue 18): Demoshire's own select committee review,
with invented names, not the four councils' real papers with their real officers; the
real papers stay loadable by ``load_recommendations``."""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import call_command

from recommendations import demo
from recommendations.models import Committee, Recommendation, Review

pytestmark = pytest.mark.django_db

#: Real people named in the seed papers, who must not appear inside the fictional council.
REAL_NAMES = ["Sinead Mooney", "Liz Bowes", "Matt Ansell", "Clare Curran", "Tracy Brennand"]


def _load_demo():
    import datetime as dt

    demo.build(rng=random.Random(1), as_of=dt.date(2026, 9, 30), stdout=None)


def test_the_demo_loads_demoshires_own_review_not_the_seed_councils():
    _load_demo()
    assert set(Committee.objects.values_list("council", flat=True)) == {"Demoshire County Council"}
    review = Review.objects.get(title="Social Work Recruitment and Retention Review")
    numbers = list(review.recommendations.values_list("number", flat=True))
    assert numbers[:6] == ["1", "2", "3", "4", "4a", "4b"]
    decisions = set(
        Recommendation.objects.filter(response__isnull=False).values_list(
            "response__decision", flat=True
        )
    )
    assert {"accepted", "partially_accepted", "rejected", "noted"} <= decisions
    assert Recommendation.objects.filter(updates__isnull=False).exists()
    assert review.actions.count() == 2


def test_no_real_officer_is_named_in_the_demo_council():
    text = demo.DEMO_FILE.read_text()
    for name in REAL_NAMES:
        assert name not in text
    _load_demo()
    stored = " ".join(
        " ".join(str(v) for v in row)
        for model in (Review, Recommendation)
        for row in model.objects.values_list()
    )
    for name in REAL_NAMES:
        assert name not in stored


def test_the_seed_papers_stay_loadable_by_the_command():
    out = StringIO()
    call_command("load_recommendations", str(demo.SEED_FILE), stdout=out)
    councils = set(Committee.objects.values_list("council", flat=True))
    assert "Tameside Metropolitan Borough Council" in councils
    assert "Demoshire County Council" not in councils
