"""Aggregates as shown: each table with small-number suppression applied (or not), for
the analysis page and the summary API alike. ``suppressed=True`` hides counts from 1 to
threshold - 1 ("fewer than 5") with secondary suppression (``workforce.suppression``)."""

from __future__ import annotations

from workforce.suppression import Cell, suppress_counts, suppress_grid, threshold

from . import selectors


def _plain(counts: dict) -> tuple[dict, Cell]:
    limit = threshold()
    return {k: Cell(v, limit) for k, v in counts.items()}, Cell(sum(counts.values()), limit)


def count_line(counts: dict, suppressed: bool) -> dict:
    cells, total = suppress_counts(counts) if suppressed else _plain(counts)
    return {
        "rows": [(key, cell, cell.rate_of(total)) for key, cell in cells.items()],
        "total": total,
    }


def theme_table(data: dict, suppressed: bool) -> dict:
    limit = threshold()
    grid, columns = data["grid"], data["columns"]
    if suppressed and grid:
        cells, row_totals, _ = suppress_grid(grid, row_totals=True, col_totals=False)
        answered, answered_total = suppress_counts(data["answered"])
    else:
        cells = {key: Cell(value, limit) for key, value in grid.items()}
        row_totals = {
            theme: Cell(sum(grid[(theme, c)] for c in columns), limit) for theme in data["themes"]
        }
        answered, answered_total = _plain(data["answered"])
    rows = [
        {
            "theme": theme,
            "cells": [cells[(theme, column)] for column in columns],
            "total": row_totals.get(theme, Cell(0, limit)),
        }
        for theme in data["themes"]
    ]
    return {
        "columns": columns,
        "rows": rows,
        "answered": [answered[c] for c in columns],
        "answered_total": answered_total,
    }


def coverage_table(coverage: dict, suppressed: bool) -> list[dict]:
    """Offered and completed by employed/agency, as a grid whose totals are shown, so
    secondary suppression keeps an agency count from being worked out from the whole."""
    limit = threshold()
    groups = {"Employed": coverage["employed"], "Agency": coverage["agency"]}
    tables = []
    for measure, label in (
        ("offered", "Offered an exit interview"),
        ("completed", "Completed one"),
    ):
        grid = {}
        for group, counts in groups.items():
            grid[(group, "yes")] = counts[measure]
            grid[(group, "no")] = counts["leavers"] - counts[measure]
        if suppressed:
            cells, row_totals, col_totals = suppress_grid(grid)
        else:
            cells = {key: Cell(value, limit) for key, value in grid.items()}
            row_totals = {g: Cell(c["leavers"], limit) for g, c in groups.items()}
            col_totals = {
                col: Cell(sum(grid[(g, col)] for g in groups), limit) for col in ("yes", "no")
            }
        all_leavers = coverage["all"]["leavers"]
        whole = Cell(all_leavers, limit)
        if suppressed and (0 < all_leavers < limit):
            whole = Cell(None, limit)
        rows = [
            {
                "group": group,
                "leavers": row_totals[group],
                "count": cells[(group, "yes")],
                "rate": cells[(group, "yes")].rate_of(row_totals[group]),
            }
            for group in groups
        ]
        rows.append(
            {
                "group": "All leavers (agency included)",
                "leavers": whole,
                "count": col_totals["yes"],
                "rate": col_totals["yes"].rate_of(whole),
            }
        )
        tables.append({"label": label, "rows": rows})
    return tables


def within_years(bands: dict[str, Cell], raw: dict[str, int], suppressed: bool) -> list:
    """Leavers within 1, 2 and 3 years of starting (cumulative bands); hidden if any band
    inside is hidden, so a cumulative figure cannot reveal a hidden band."""
    limit = threshold()
    names = list(selectors.LENGTH_OF_SERVICE_BANDS)
    rows = []
    for years in (1, 2, 3):
        inside = names[:years]
        value = sum(raw[name] for name in inside)
        hidden = suppressed and (
            any(bands[name].suppressed for name in inside) or 0 < value < limit
        )
        rows.append((years, Cell(None if hidden else value, limit)))
    return rows
