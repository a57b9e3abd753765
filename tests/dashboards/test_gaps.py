"""Gaps are gaps: where there is no figure, a chart draws nothing that reads as zero and
its table says "no figure" with the reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from dashboards import charts, selectors, services
from dashboards.models import BenchmarkFigure
from tests.factories import TeamFactory, employ
from workforce.choices import LeaverDestination, ReasonLeave

pytestmark = pytest.mark.django_db


def test_a_missing_bar_is_labelled_never_left_empty():
    frame = pd.DataFrame({"cohort": ["2021-22", "2022-23"], "after_1": [80.0, None]})
    figure = charts.bar_chart(
        frame,
        x="cohort",
        series={"after_1": "After 1 year"},
        title="t",
        notes={"after_1": ["", "not yet"]},
    ).to_dict()
    texts = [a["text"] for a in figure["layout"]["annotations"]]
    assert texts == ["not yet"]
    bars = pd.DataFrame({"label": ["Resigned", "Retired (hidden)"], "share": [60.0, None]})
    figure = charts.horizontal_bar_chart(
        bars, category="label", value="share", title="t", notes=["", "fewer than 5"]
    ).to_dict()
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["fewer than 5"]
    assert [a["y"] for a in figure["layout"]["annotations"]] == ["Retired (hidden)"]


def test_before_the_records_begin_the_councils_own_figure_is_no_figure_not_zero():
    """Long-serving staff since 2015, but the records (leavings, caseloads, absences)
    begin in October 2022: turnover for 2021-22 would be 0.0% - it is no figure."""
    team = TeamFactory(name="North")
    for _ in range(8):
        employ(team=team, start=dt.date(2015, 1, 5))
    employ(
        team=team,
        start=dt.date(2015, 1, 5),
        end=dt.date(2022, 10, 3),
        reason=ReasonLeave.RESIGNATION,
        destination=LeaverDestination.values[0],
    )
    for year in (2022, 2023, 2024):
        BenchmarkFigure.objects.create(
            time_period=year,
            geographic_level="National",
            area_code="E92000001",
            area_name="England",
            measure="turnover_rate_fte",
            value=Decimal("17.1"),
        )
    for year in (2022, 2023, 2024):
        census = dt.date(year, 9, 30)
        services.snapshots_refresh(start=census, end=census)
    comparison = selectors.benchmark_comparison()
    turnover = next(m for m in comparison["measures"] if m["key"] == "turnover_rate")
    rows = {row["year"]: row for row in turnover["rows"]}
    assert rows[2022]["own"] is None
    assert "before the council's records begin (3 October 2022)" in rows[2022]["own_note"]
    assert rows[2023]["own"] is None  # the year to 30 Sep 2023 starts before 3 Oct 2022
    assert "do not cover the whole 12 months" in rows[2023]["own_note"]
    assert rows[2024]["own"] is not None  # 0.0%: a real zero, the records cover the year
    assert rows[2024]["own_note"] is None
