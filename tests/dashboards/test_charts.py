"""The dashboards' Plotly charts, checked on ``fig.to_dict()``: data in the right traces,
gaps for missing figures, the target line, the colour-blind-safe palette, no CDN."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards import charts


def months(n: int) -> list[dt.date]:
    return [dt.date(2025, m, 28) for m in range(1, n + 1)]


def test_line_chart_one_trace_per_series_with_gaps_and_a_target_line():
    df = pd.DataFrame(
        {"date": months(3), "permanence": [80.0, None, 86.5], "agency": [20.0, 19.0, 13.5]}
    )
    fig = charts.line_chart(
        df,
        x="date",
        series={"permanence": "Permanence rate", "agency": "Agency rate"},
        title="Rates",
        target=85,
        target_label="Permanence target",
        percent=True,
    ).to_dict()
    names = [trace["name"] for trace in fig["data"]]
    assert names == ["Permanence rate", "Agency rate", "Permanence target"]
    permanence = fig["data"][0]
    assert list(permanence["y"]) == [80.0, None, 86.5]  # a gap, never a zero
    assert permanence["connectgaps"] is False
    target = fig["data"][2]
    assert list(target["y"]) == [85.0, 85.0] and target["line"]["dash"] == "dash"
    assert fig["layout"]["yaxis"]["ticksuffix"] == "%"
    assert fig["layout"]["title"]["text"] == "Rates"
    # Okabe-Ito colours, and a different dash per series (not colour alone).
    assert permanence["line"]["color"] == charts.OKABE_ITO[0]
    assert fig["data"][1]["line"]["color"] == charts.OKABE_ITO[1]
    assert permanence["line"]["dash"] != fig["data"][1]["line"]["dash"]


def test_no_target_no_target_trace():
    df = pd.DataFrame({"date": months(2), "turnover": [10.0, 12.0]})
    fig = charts.line_chart(df, x="date", series={"turnover": "Turnover"}, title="T").to_dict()
    assert [trace["name"] for trace in fig["data"]] == ["Turnover"]


def test_bar_chart_groups_series_with_patterns():
    df = pd.DataFrame({"cohort": ["2022-23", "2023-24"], "a": [90.0, 80.0], "b": [70.0, None]})
    fig = charts.bar_chart(
        df, x="cohort", series={"a": "After 1 year", "b": "After 2 years"}, title="ASYE"
    ).to_dict()
    assert fig["layout"]["barmode"] == "group"
    assert list(fig["data"][0]["x"]) == ["2022-23", "2023-24"]
    assert list(fig["data"][1]["y"]) == [70.0, None]
    assert (
        fig["data"][0]["marker"]["pattern"]["shape"] != fig["data"][1]["marker"]["pattern"]["shape"]
    )


def test_horizontal_bars_keep_the_order_from_the_top():
    df = pd.DataFrame({"label": ["Resignation", "Retired"], "share": [75.0, 25.0]})
    fig = charts.horizontal_bar_chart(df, category="label", value="share", title="By reason")
    data = fig.to_dict()
    assert data["data"][0]["orientation"] == "h"
    assert list(data["data"][0]["y"]) == ["Resignation", "Retired"]
    assert data["layout"]["yaxis"]["autorange"] == "reversed"


def test_caseload_band_chart_fills_between_lowest_and_highest():
    df = pd.DataFrame(
        {
            "week": months(2),
            "average": [15.0, 16.0],
            "highest": [22.0, 23.0],
            "lowest": [8.0, 9.0],
            "trailing": [None, 15.5],
        }
    )
    fig = charts.caseload_band_chart(df, title="Caseloads").to_dict()
    names = [trace["name"] for trace in fig["data"]]
    assert names == [
        "Highest caseload",
        "Lowest caseload",
        "Average caseload",
        "2-week trailing average",
    ]
    assert fig["data"][1]["fill"] == "tonexty"
    assert list(fig["data"][3]["y"]) == [None, 15.5]


def test_benchmark_chart_has_a_category_per_year():
    df = pd.DataFrame({"year": [2023, 2024], "council": [20.0, 18.0], "england": [15.0, 14.0]})
    fig = charts.benchmark_chart(
        df, title="Turnover", series={"council": "Demoshire", "england": "England"}, y_title="%"
    ).to_dict()
    assert fig["layout"]["xaxis"]["type"] == "category"
    assert [trace["name"] for trace in fig["data"]] == ["Demoshire", "England"]


def test_chart_html_needs_local_plotly_and_offers_the_png_download():
    df = pd.DataFrame({"date": months(2), "v": [1.0, 2.0]})
    html = charts.chart_html(
        charts.line_chart(df, x="date", series={"v": "V"}, title="V"), div_id="chart-v"
    )
    assert 'id="chart-v"' in html
    assert "cdn.plot.ly" not in html and "<script src" not in html
    assert '"displaylogo": false' in html and '"toImageButtonOptions"' in html
