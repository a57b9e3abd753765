"""The exits demo: offers, answers and coded themes on top of the workforce's leavers,
with the discrimination/bullying theme concentrated in one service area."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from exits import demo
from exits.models import ExitQuestionnaire, ExitRecord
from tests.factories import ServiceAreaFactory, TeamFactory, employ

pytestmark = pytest.mark.django_db


def test_demo_exit_interviews_show_bullying_in_one_area():
    as_of = dt.date(2025, 9, 30)
    care = TeamFactory(service_area=ServiceAreaFactory(name=demo.BULLYING_AREA))
    front = TeamFactory(service_area=ServiceAreaFactory(name="Front Door and Assessment"))
    for i in range(40):
        left = as_of - dt.timedelta(days=30 + i * 20)
        employ(team=care if i % 2 else front, start=dt.date(2019, 1, 7), end=left)
    employ(agency=True, team=front, start=dt.date(2024, 1, 8), end=dt.date(2025, 5, 30))
    lines = []
    demo.build(rng=random.Random(3), as_of=as_of, stdout=lines.append)
    assert "questionnaires answered" in lines[0]
    assert ExitRecord.objects.filter(offered_on__isnull=False).count() >= 20
    answered = ExitQuestionnaire.objects.all()
    assert answered.count() >= 12
    bullying = {
        area: answered.filter(
            themes__name=demo.BULLYING,
            exit_record__employment__assignments__team__service_area__name=area,
        ).count()
        for area in (demo.BULLYING_AREA, "Front Door and Assessment")
    }
    assert bullying[demo.BULLYING_AREA] > 2 * max(bullying["Front Door and Assessment"], 1)
    assert answered.filter(free_text="", free_text_erased_on__isnull=False).exists()
