"""The Forecast page's presenter: figures in, rows, summaries and the fan chart out
(testable without HTTP). The view (``dashboards.views.ForecastView``) is thin.

The whole content is cached per start date, saved scenarios and data version: a
forecast is seeded, so the same inputs always give the same page.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
from django.core.cache import cache

from workforce import suppression

from .. import charts
from ..models import ForecastScenario
from . import costs, model
from .backtest import backtest
from .hazards import retention_curve
from .history import GROUP_LABELS, load_history
from .services import run_forecast, scenario_for

MONTHS = 36
SIMULATIONS = 1000
CACHE_SECONDS = 60 * 30
MAX_SCENARIOS = 4


def _pct(value) -> str:
    return "not available" if value is None or np.isnan(value) else f"{value:.1f}%"


def _fte(value) -> str:
    return f"{value:,.1f}"


def _month(iso: str | None) -> str:
    if not iso:
        return "Not within 3 years"
    return dt.date.fromisoformat(iso).strftime("%B %Y")


def fan_chart(runs: list[dict]) -> object:
    """The baseline's 80% band and median, each scenario's median, the 85% line."""
    base = runs[0]
    dates = [d.isoformat() for d in base["dates"]]
    p10, p50, p90 = np.nanpercentile(base["permanence_rate"], model.PERCENTILES, axis=0)
    traces = [
        {
            "type": "scatter",
            "x": dates,
            "y": [float(v) for v in p90],
            "name": "Baseline: 90th percentile",
            "mode": "lines",
            "line": {"width": 0, "color": charts.OKABE_ITO[0]},
            "showlegend": False,
            "hovertemplate": "90th percentile %{y:.1f}%<extra></extra>",
        },
        {
            "type": "scatter",
            "x": dates,
            "y": [float(v) for v in p10],
            "name": "Baseline: 80% of simulations",
            "mode": "lines",
            "fill": "tonexty",
            "fillcolor": "rgba(0,114,178,0.2)",
            "line": {"width": 0, "color": charts.OKABE_ITO[0]},
            "hovertemplate": "10th percentile %{y:.1f}%<extra></extra>",
        },
    ]
    for index, run in enumerate(runs):
        median = np.nanpercentile(run["permanence_rate"], 50, axis=0)
        traces.append(
            {
                "type": "scatter",
                "x": dates,
                "y": [float(v) for v in median],
                "name": f"{run['scenario'].name}: median",
                "mode": "lines+markers" if index else "lines",
                "marker": {"symbol": charts.MARKERS[index % 6], "size": 5},
                "line": {
                    "color": charts.OKABE_ITO[index % len(charts.OKABE_ITO)],
                    "dash": charts.DASHES[index % 6],
                },
                "hovertemplate": f"{run['scenario'].name} %{{y:.1f}}%<extra></extra>",
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": [dates[0], dates[-1]],
            "y": [model.TARGET, model.TARGET],
            "name": "Target: 85% permanent",
            "mode": "lines",
            "line": {"color": charts.TARGET_COLOUR, "dash": "dash", "width": 2},
            "hoverinfo": "skip",
        }
    )
    layout = charts._layout(
        title="Permanence rate forecast", y_title="Permanence rate", percent=True
    )
    layout["yaxis"]["rangemode"] = "normal"
    return charts._figure(traces, layout)


def _money(value: float) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000:
        return f"{sign}£{value / 1_000_000:,.2f}m"
    return f"{sign}£{value / 1_000:,.0f}k"


def flows_chart(base: dict, years: int) -> object:
    """Per forecast year (medians): starters, leavers by destination (stacked), leavers
    back as agency cover, and agency FTE at the year end."""
    labels = [f"Year to {base['dates'][12 * y + 11]:%b %Y}" for y in range(years)]

    def yearly(values: np.ndarray) -> list[float]:
        return [float(np.median(values[:, 12 * y : 12 * y + 12].sum(axis=1))) for y in range(years)]

    traces = [
        {
            "type": "bar",
            "x": labels,
            "y": yearly(base["starters_fte"]),
            "name": "Starters (FTE)",
            "offsetgroup": "starters",
            "marker": {"color": charts.OKABE_ITO[2]},
        }
    ]
    for index, key in enumerate(model.DESTINATIONS):
        traces.append(
            {
                "type": "bar",
                "x": labels,
                "y": yearly(base["leavers_by_destination_fte"][:, :, index]),
                "name": f"Leavers: {model.DESTINATION_LABELS[key].lower()}",
                "offsetgroup": "leavers",
                "marker": {"color": charts.OKABE_ITO[(index + 3) % len(charts.OKABE_ITO)]},
            }
        )
    traces.append(
        {
            "type": "bar",
            "x": labels,
            "y": yearly(base["returned_as_agency_fte"]),
            "name": "Leavers back as agency cover",
            "offsetgroup": "returned",
            "marker": {"color": charts.OKABE_ITO[1], "pattern": {"shape": "/"}},
        }
    )
    traces.append(
        {
            "type": "scatter",
            "x": labels,
            "y": [float(np.median(base["agency_fte"][:, 12 * y + 11])) for y in range(years)],
            "name": "Agency FTE at the year end",
            "mode": "lines+markers",
            "line": {"color": charts.OKABE_ITO[0], "dash": "dash"},
            "marker": {"symbol": "diamond", "size": 8},
        }
    )
    layout = charts._layout(title="Starters, leavers and agency (medians)", y_title="FTE")
    layout["barmode"] = "stack"
    return charts._figure(traces, layout)


def _key(start: dt.date, scenarios: list[ForecastScenario], suppress: bool) -> str:
    from workforce.models import Assignment, Employment, Post

    def stamp(model_) -> str:
        last = model_.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
        return f"{model_.objects.count()}:{last}"

    posts = Post.objects.count()
    parts = [
        start.isoformat(),
        str(int(suppress)),
        stamp(Employment),
        stamp(Assignment),
        str(posts),
        *(f"{s.pk}:{s.name}:{s.created_at}" for s in scenarios),
    ]
    return "forecast:page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def forecast_page(*, start: dt.date, suppress: bool) -> dict:
    scenarios = list(ForecastScenario.objects.order_by("-created_at")[:MAX_SCENARIOS])
    key = _key(start, scenarios, suppress)
    built = cache.get(key)
    if built is None:
        built = build(
            start=start,
            scenarios=scenarios,
            suppress=suppress,
            key=_key(start, [], False),
        )
        cache.set(key, built, CACHE_SECONDS)
    return built


def _backtest(history, *, start: dt.date, key: str) -> dict:
    """The backtest with ``manage.py forecast_backtest``'s defaults (the figures in
    docs/forecast.md), cached apart from the scenarios: they do not change it."""
    key = f"{key}:backtest"
    tested = cache.get(key) if key else None
    if tested is None:
        tested = backtest(history, end=start, horizon=12, step=3, simulations=300)
        tested = {k: v for k, v in tested.items() if k != "rows"}
        if key:
            cache.set(key, tested, CACHE_SECONDS)
    return tested


def build(
    *, start: dt.date, scenarios: list[ForecastScenario], suppress: bool, key: str = ""
) -> dict:
    history = load_history(as_of=start)
    units = costs.unit_costs(history, as_of=start)
    inputs, base = run_forecast(
        start=start, months=MONTHS, simulations=SIMULATIONS, history=history
    )
    runs = [base]
    for record in scenarios:
        runs.append(
            model.simulate(
                inputs, months=MONTHS, simulations=SIMULATIONS, scenario=scenario_for(record)
            )
        )
    dates = base["dates"]
    comparison = []
    base_costs = costs.yearly_costs(base, units)
    for run in runs:
        target = model.target_summary(run["permanence_rate"], dates)
        medians = np.nanpercentile(run["permanence_rate"], 50, axis=0)
        run_costs = costs.yearly_costs(run, units)
        if run_costs is None or base_costs is None:
            cost, against = costs.NO_PAY_DATA, costs.NO_PAY_DATA
        else:
            cost = ", ".join(_money(row["total"]) for row in run_costs)
            against = ", ".join(
                _money(row["total"] - other["total"])
                for row, other in zip(run_costs, base_costs, strict=True)
            )
        comparison.append(
            [
                run["scenario"].name,
                _month(target["median_month"]),
                f"{100 * target['probability_by_end']:.0f}%",
                *(_pct(medians[m - 1]) for m in (12, 24, 36)),
                cost,
                against,
            ]
        )
    summary_rows = []
    for m in (12, 24, 36):
        i = m - 1
        summary_rows.append(
            [
                dates[i].strftime("%B %Y"),
                *(
                    " to ".join(_fmt(v) for v in np.nanpercentile(base[key][:, i], (10, 90)))
                    + f" (median {_fmt(float(np.nanpercentile(base[key][:, i], 50)))})"
                    for key, _fmt in (
                        ("permanence_rate", _pct),
                        ("inpost_fte", _fte),
                        ("agency_fte", _fte),
                    )
                ),
            ]
        )
    flows = []
    for year in range(MONTHS // 12):
        months = slice(12 * year, 12 * year + 12)
        flows.append(
            [
                f"Year to {dates[12 * year + 11].strftime('%B %Y')}",
                _fte(float(np.median(base["starters_fte"][:, months].sum(axis=1)))),
                _fte(float(np.median(base["leavers_fte"][:, months].sum(axis=1)))),
                *(
                    _fte(
                        float(
                            np.median(base["leavers_by_destination_fte"][:, months, i].sum(axis=1))
                        )
                    )
                    for i in range(len(model.DESTINATIONS))
                ),
                _fte(float(np.median(base["returned_as_agency_fte"][:, months].sum(axis=1)))),
                _fte(float(np.median(base["agency_fte"][:, 12 * year + 11]))),
            ]
        )
    limit = suppression.threshold()
    hazards = []
    for row in inputs.hazards.rows():
        small = 0 < row["leavers"] < limit
        hidden = suppress and small
        hazards.append(
            [
                f"{GROUP_LABELS[row['group']]}, {row['band'].lower()}",
                f"fewer than {limit}" if hidden else f"{row['leavers']:.0f}",
                _fte(row["months_at_risk"] / 12),
                f"hidden (fewer than {limit} leavers)"
                if hidden
                else f"{row['yearly']:.1f}% ({row['yearly_low']:.1f}% to {row['yearly_high']:.1f}%)"
                + (" - council figure" if row["borrowed"] else ""),
            ]
        )
    retention = [
        [
            f"{r['years']} year{'s' if r['years'] > 1 else ''}",
            _pct(r["retained"]),
            f"{_pct(r['low'])} to {_pct(r['high'])}",
        ]
        for r in retention_curve(history, start=start)
    ]
    tested = _backtest(history, start=start, key=key)
    base_target = model.target_summary(base["permanence_rate"], dates)
    chart = charts.chart_html(fan_chart(runs), div_id="chart-forecast")
    return {
        "start": start,
        "now": history.stock_on(start),
        "chart_html": chart,
        "flows_chart_html": charts.chart_html(
            flows_chart(base, MONTHS // 12), div_id="chart-forecast-flows"
        ),
        "starters_source": base["starters_source"],
        "costs": None
        if not units.known
        else {
            "permanent": _money(units.permanent_fte_year),
            "agency": _money(units.agency_fte_year),
        },
        "agency_return": inputs.agency_return,
        "median_month": _month(base_target["median_month"]),
        "probability": f"{100 * base_target['probability_by_end']:.0f}%",
        "summary_rows": summary_rows,
        "comparison": comparison,
        "flows": flows,
        "hazards": hazards,
        "retention": retention,
        "backtest": tested,
        "agency_basis": base["agency_basis"],
        "notes": inputs.notes,
        "starters_per_month": float(inputs.starter_counts.sum() / inputs.window_months),
        "window_months": inputs.window_months,
    }
