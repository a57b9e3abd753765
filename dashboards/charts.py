"""The dashboards' Plotly charts: pure functions, a pandas DataFrame in, a figure out.

No ORM and no request here: the views read the figures through ``dashboards.selectors``,
put them in a DataFrame and pass it in; tests check ``fig.to_dict()``. Every chart uses
the Okabe-Ito colour-blind-safe palette, a dashed line for a target and a different
dash or marker per series (so a series is never told apart by colour alone), and the
GOV.UK typeface. ``chart_html`` renders a figure for a page with plotly.js served from
``static/plotly`` (no CDN) and the modebar's "download as PNG" button.

A missing figure (not computable, or hidden from scrutiny members) is NaN in the
DataFrame and a gap in the line, never a zero. A bar chart never draws an empty bar that
would read as zero: each missing bar is labelled where it would stand (``notes``: "hidden",
"no figure", "not yet"; default ``NO_FIGURE``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import plotly.io as pio

if TYPE_CHECKING:
    import pandas as pd

#: Okabe & Ito's palette, safe for the common colour-vision deficiencies (yellow last:
#: it is too pale for a line on white).
OKABE_ITO = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)
TARGET_COLOUR = "#505a5f"  # GOV.UK secondary text grey
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MARKERS = ("circle", "square", "diamond", "triangle-up", "x", "cross")
FONT = '"GDS Transport", arial, sans-serif'
NO_FIGURE = "no figure"

#: plotly.js options for every chart: the PNG download, no Plotly logo, responsive.
CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def _layout(*, title: str, y_title: str = "", x_title: str = "", percent: bool = False) -> dict:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        "font": {"family": FONT, "size": 14, "color": "#0b0c0c"},
        "colorway": list(OKABE_ITO),
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 60, "b": 40},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "hovermode": "x unified",
        "height": 380,
        "xaxis": {"title": {"text": x_title}, "showgrid": False, "linecolor": "#b1b4b6"},
        "yaxis": {
            "title": {"text": y_title},
            "gridcolor": "#f3f2f1",
            "zeroline": False,
            "rangemode": "tozero",
            **({"ticksuffix": "%"} if percent else {}),
        },
    }


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts. Plotly's property validation (about 50 ms a chart) is
    skipped: the dicts here are fixed by this module and checked by its tests."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def _values(df: pd.DataFrame, column: str) -> list:
    import pandas as pd  # imported when used: it adds a second to every command's start

    return [None if pd.isna(value) else float(value) for value in df[column]]


def _dates(df: pd.DataFrame, column: str) -> list:
    return [value.isoformat() if hasattr(value, "isoformat") else value for value in df[column]]


def _hover(label: str, *, percent: bool) -> str:
    return "%{y:.1f}" + ("%" if percent else "") + "<extra>" + label + "</extra>"


def line_chart(
    df: pd.DataFrame,
    *,
    x: str,
    series: dict[str, str],
    title: str,
    y_title: str = "",
    target: float | None = None,
    target_label: str = "Target",
    percent: bool = False,
    x_category: bool = False,
) -> go.Figure:
    """One line per column of ``series`` (column -> legend label) over ``x``, with an
    optional dashed target line; ``x_category`` spaces the x values evenly (years)."""
    xs = _dates(df, x)
    traces = [
        {
            "type": "scatter",
            "x": xs,
            "y": _values(df, column),
            "name": label,
            "mode": "lines+markers",
            "line": {"color": OKABE_ITO[index % len(OKABE_ITO)], "dash": DASHES[index % 6]},
            "marker": {"symbol": MARKERS[index % 6], "size": 5},
            "connectgaps": False,
            "hovertemplate": _hover(label, percent=percent),
        }
        for index, (column, label) in enumerate(series.items())
    ]
    if target is not None:
        traces.append(
            {
                "type": "scatter",
                "x": [xs[0], xs[-1]] if xs else [],
                "y": [float(target), float(target)] if xs else [],
                "name": target_label,
                "mode": "lines",
                "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 2},
                "hoverinfo": "skip",
            }
        )
    layout = _layout(title=title, y_title=y_title, percent=percent)
    if x_category:
        layout["xaxis"]["type"] = "category"
    return _figure(traces, layout)


def bar_chart(
    df: pd.DataFrame,
    *,
    x: str,
    series: dict[str, str],
    title: str,
    y_title: str = "",
    percent: bool = False,
    notes: dict[str, list] | None = None,
) -> go.Figure:
    """Grouped bars: one bar per column of ``series`` for each value of ``x``, each
    series with its own fill pattern as well as its colour. A missing value is labelled
    with its ``notes[column][row]`` (default "no figure"), never left an empty bar."""
    traces = [
        {
            "type": "bar",
            "x": [str(value) for value in df[x]],
            "y": _values(df, column),
            "name": label,
            "marker": {
                "color": OKABE_ITO[index % len(OKABE_ITO)],
                "pattern": {"shape": ["", "/", ".", "x", "-", "+"][index % 6]},
            },
            "hovertemplate": _hover(label, percent=percent),
        }
        for index, (column, label) in enumerate(series.items())
    ]
    layout = _layout(title=title, y_title=y_title, percent=percent)
    layout["barmode"] = "group"
    # A missing bar is labelled where it would stand (a group is 80% of a category wide).
    width = 0.8 / max(1, len(series))
    annotations = []
    for index, (column, _label) in enumerate(series.items()):
        for position, value in enumerate(_values(df, column)):
            if value is None:
                text = _note(notes, column, position)
                annotations.append(_missing_note(
                    text, x=position + (index - (len(series) - 1) / 2) * width, y=0, textangle=-90
                ))  # fmt: skip
    if annotations:
        layout["xaxis"]["type"] = "category"
        layout["annotations"] = annotations
    return _figure(traces, layout)


def _note(notes, column: str, position: int) -> str:
    if not notes:
        return NO_FIGURE
    column_notes = notes.get(column) if isinstance(notes, dict) else notes
    if column_notes is None or position >= len(column_notes) or not column_notes[position]:
        return NO_FIGURE
    return str(column_notes[position])


def _missing_note(text: str, *, x, y, textangle: int = 0) -> dict:
    return {
        "x": x,
        "y": y,
        "xref": "x",
        "yref": "y",
        "text": text,
        "showarrow": False,
        "textangle": textangle,
        "xanchor": "left" if not textangle else "center",
        "yanchor": "bottom" if textangle else "middle",
        "font": {"size": 12, "color": TARGET_COLOUR},
    }


def horizontal_bar_chart(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    x_title: str = "",
    notes: list | None = None,
) -> go.Figure:
    """One horizontal bar per row: ``category`` labels, ``value`` lengths, in the
    DataFrame's order from the top. A missing value is labelled with ``notes[row]``
    (default "no figure"), never left an empty bar."""
    labels = [str(label) for label in df[category]]
    missing = [
        _missing_note(_note(notes, value, row), x=0, y=labels[row])
        for row, length in enumerate(_values(df, value))
        if length is None
    ]
    trace = {
        "type": "bar",
        "x": _values(df, value),
        "y": [str(label) for label in df[category]],
        "orientation": "h",
        "marker": {"color": OKABE_ITO[0]},
        "hovertemplate": "%{x:.1f}<extra></extra>",
    }
    layout = _layout(title=title, x_title=x_title)
    layout["yaxis"] = {"autorange": "reversed", "automargin": True}
    layout["xaxis"] = {
        "title": {"text": x_title},
        "rangemode": "tozero",
        "gridcolor": "#f3f2f1",
        "showgrid": True,
    }
    layout["hovermode"] = "closest"
    layout["height"] = max(260, 60 + 34 * len(df))
    if missing:
        layout["annotations"] = missing
    return _figure([trace], layout)


def pay_range_chart(df: pd.DataFrame, *, title: str) -> go.Figure:
    """Pay ranges, one horizontal bar per council from its minimum to its maximum (pounds
    a year), in the DataFrame's order from the top. Columns: ``council``, ``minimum``,
    ``maximum``, ``ours`` (bool): the council's own bar is another colour and hatched, and
    named in the legend, so it is never told apart by colour alone."""
    traces = []
    for ours, name, colour, pattern in (
        (False, "Neighbours", OKABE_ITO[0], ""),
        (True, "This council", OKABE_ITO[1], "/"),
    ):
        part = df[df["ours"] == ours]
        traces.append(
            {
                "type": "bar",
                "name": name,
                "orientation": "h",
                "y": [str(c) for c in part["council"]],
                "base": _values(part, "minimum"),
                "x": [
                    hi - lo
                    for lo, hi in zip(
                        _values(part, "minimum"), _values(part, "maximum"), strict=True
                    )
                ],
                "customdata": [
                    [lo, hi]
                    for lo, hi in zip(
                        _values(part, "minimum"), _values(part, "maximum"), strict=True
                    )
                ],
                "marker": {"color": colour, "pattern": {"shape": pattern}},
                "hovertemplate": (
                    "£%{customdata[0]:,.0f} to £%{customdata[1]:,.0f}<extra>%{y}</extra>"
                ),
            }
        )
    layout = _layout(title=title, x_title="Full-time salary, £ a year")
    layout["barmode"] = "overlay"
    layout["hovermode"] = "closest"
    layout["yaxis"] = {
        "autorange": "reversed",
        "automargin": True,
        "categoryorder": "array",
        "categoryarray": [str(c) for c in df["council"]],
    }
    layout["xaxis"] = {
        "title": {"text": "Full-time salary, £ a year"},
        "tickprefix": "£",
        "separatethousands": True,
        "gridcolor": "#f3f2f1",
        "showgrid": True,
    }
    layout["height"] = max(260, 80 + 30 * len(df))
    return _figure(traces, layout)


def caseload_band_chart(df: pd.DataFrame, *, title: str) -> go.Figure:
    """The weekly caseload report of one series: the band between the lowest and
    highest caseload of one worker, the average caseload and the 2-week trailing average.
    Columns: ``week``, ``lowest``, ``highest``, ``average``, ``trailing``."""
    weeks = _dates(df, "week")
    band = {"color": OKABE_ITO[5], "width": 1, "dash": "dot"}
    traces = [
        {
            "type": "scatter",
            "x": weeks,
            "y": _values(df, "highest"),
            "name": "Highest caseload",
            "mode": "lines",
            "line": band,
        },
        {
            "type": "scatter",
            "x": weeks,
            "y": _values(df, "lowest"),
            "name": "Lowest caseload",
            "mode": "lines",
            "fill": "tonexty",
            "fillcolor": "rgba(86, 180, 233, 0.2)",
            "line": band,
        },
        {
            "type": "scatter",
            "x": weeks,
            "y": _values(df, "average"),
            "name": "Average caseload",
            "mode": "lines+markers",
            "line": {"color": OKABE_ITO[0], "width": 3},
            "marker": {"symbol": "circle", "size": 6},
        },
        {
            "type": "scatter",
            "x": weeks,
            "y": _values(df, "trailing"),
            "name": "2-week trailing average",
            "mode": "lines",
            "line": {"color": OKABE_ITO[1], "dash": "dash"},
        },
    ]
    return _figure(traces, _layout(title=title, y_title="Cases per social worker"))


def fan_chart(
    df: pd.DataFrame,
    *,
    x: str,
    low: str,
    median: str,
    high: str,
    title: str,
    y_title: str = "",
    target: float | None = None,
    target_label: str = "Target",
    band_label: str = "80% of simulations",
    median_label: str = "Median",
    percent: bool = False,
) -> go.Figure:
    """A forecast's fan: the band between the ``low`` and ``high`` columns shaded, the
    ``median`` as a line, and an optional dashed target line over ``x``."""
    xs = _dates(df, x)
    traces = [
        {
            "type": "scatter",
            "x": xs,
            "y": _values(df, high),
            "name": f"{band_label}: high",
            "mode": "lines",
            "line": {"width": 0, "color": OKABE_ITO[0]},
            "showlegend": False,
            "hovertemplate": _hover("high", percent=percent),
        },
        {
            "type": "scatter",
            "x": xs,
            "y": _values(df, low),
            "name": band_label,
            "mode": "lines",
            "fill": "tonexty",
            "fillcolor": "rgba(0,114,178,0.2)",
            "line": {"width": 0, "color": OKABE_ITO[0]},
            "hovertemplate": _hover("low", percent=percent),
        },
        {
            "type": "scatter",
            "x": xs,
            "y": _values(df, median),
            "name": median_label,
            "mode": "lines",
            "line": {"color": OKABE_ITO[0], "width": 3},
            "hovertemplate": _hover(median_label, percent=percent),
        },
    ]
    if target is not None and xs:
        traces.append(
            {
                "type": "scatter",
                "x": [xs[0], xs[-1]],
                "y": [float(target), float(target)],
                "name": target_label,
                "mode": "lines",
                "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 2},
                "hoverinfo": "skip",
            }
        )
    layout = _layout(title=title, y_title=y_title, percent=percent)
    layout["yaxis"]["rangemode"] = "normal"
    return _figure(traces, layout)


def benchmark_chart(
    df: pd.DataFrame, *, title: str, series: dict[str, str], y_title: str
) -> go.Figure:
    """The council's figure by year beside England, its region and its comparator group
    (one line each, ``series`` column -> label; ``year`` on the x axis)."""
    return line_chart(df, x="year", series=series, title=title, y_title=y_title, x_category=True)


#: Characters escaped in a chart's JSON so that it cannot end its ``<script>`` element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def chart_html(fig: go.Figure, *, div_id: str) -> str:
    """The figure as an HTML fragment for a page that loads plotly.js itself: an empty
    ``<div>`` and the figure's data in a JSON block beside it, drawn by
    ``static/js/charts.js``. No inline script, so the Content-Security-Policy needs no
    ``'unsafe-inline'`` for scripts (issue 17)."""
    figure = json.loads(pio.to_json(fig, validate=False))
    payload = json.dumps(
        {"data": figure.get("data", []), "layout": figure.get("layout", {}), "config": CONFIG}
    ).translate(_JSON_ESCAPES)
    return (
        f'<div id="{div_id}" class="plotly-graph-div app-chart"></div>'
        f'<script type="application/json" data-chart-for="{div_id}">{payload}</script>'
    )
