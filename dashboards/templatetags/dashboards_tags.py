"""Template helpers for the dashboard pages: tile sparklines drawn as inline SVG (no
script, so eight tiles cost nothing in the browser) and query strings that keep the
page's filters."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

register = template.Library()

WIDTH, HEIGHT, PAD = 120, 32, 3


def sparkline_points(values: list[float | None]) -> list[list[tuple[float, float]]]:
    """Screen coordinates of the values, split into runs where a value is missing."""
    known = [float(v) for v in values if v is not None]
    if not known:
        return []
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(1, len(values) - 1)
    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        x = PAD + index * step
        y = HEIGHT - PAD - (float(value) - low) / span * (HEIGHT - 2 * PAD)
        runs[-1].append((round(x, 1), round(y, 1)))
    return [run for run in runs if run]


@register.simple_tag
def sparkline(points, label: str):
    """An SVG sparkline of ``points`` (``[(date, value or None), ...]``) described by
    ``label`` for screen readers; empty when there is nothing to draw."""
    values = [None if value is None else Decimal(value) for _date, value in points]
    runs = sparkline_points(values)
    if not runs:
        return ""
    lines = format_html_join(
        "",
        '<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="{}"/>',
        ((" ".join(f"{x},{y}" for x, y in run),) for run in runs),
    )
    last_x, last_y = runs[-1][-1]
    return format_html(
        '<svg class="app-sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}" focusable="false">{}<circle cx="{}" cy="{}" r="3" fill="#0b0c0c"/></svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        label,
        lines,
        last_x,
        last_y,
    )


@register.simple_tag(takes_context=True)
def with_filters(context, **changes) -> str:
    """The current query string with ``changes`` applied (an empty value removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted(params.lists()), doseq=True)
    return f"?{encoded}" if encoded else ""
