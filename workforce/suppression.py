"""Small-number suppression for anything a scrutiny member (or a public report) sees.

A count from 1 to ``threshold - 1`` (default 5, ``settings.SUPPRESSION_THRESHOLD``) is
shown as "fewer than 5" (primary suppression). Zero is shown: it identifies nobody.
**Secondary suppression**:
where a total is shown, a line (a row or column of a table) never has exactly one hidden
cell, or the total minus the visible cells would reveal it; the smallest visible non-zero
cell of that line is hidden as well ("hidden to protect another figure"), repeated until every
line is safe. If a line has a
hidden cell and no other non-zero cell to hide, its total is hidden too.

Use ``suppress_counts`` for a list (one line with a total) and ``suppress_grid`` for a
table with row and column totals. Rates computed from a hidden count must be hidden
with it: ``Cell.rate_of`` does that. Who sees suppressed figures, and the rule for a
figure worked out from counts, is ``workforce.disclosure``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.conf import settings


def threshold() -> int:
    return int(getattr(settings, "SUPPRESSION_THRESHOLD", 5))


#: Why a figure is hidden: itself a small count (or worked out from one), or because it
#: would reveal another hidden figure (secondary suppression).
PRIMARY = "primary"
SECONDARY = "secondary"
SECONDARY_TEXT = "hidden to protect another figure"
#: DfE's symbol for a suppressed figure, used in files (CSV, XLSX) with ``SYMBOL_KEY``.
SYMBOL = "c"
SYMBOL_KEY = (
    "c: hidden to protect confidentiality (a count of fewer than {limit} people, a figure "
    "worked out from one, or a figure that would reveal one)"
)


def primary_text(limit: int) -> str:
    return f"fewer than {limit}"


@dataclass(frozen=True)
class Cell:
    """A count as shown: ``value`` is None when it is hidden, ``reason`` says why
    (``PRIMARY`` or ``SECONDARY``)."""

    value: int | None
    limit: int
    reason: str = PRIMARY

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def symbol(self) -> str:
        """As written in a file: the DfE symbol ``c`` when hidden, else the count."""
        return SYMBOL if self.value is None else str(self.value)

    def __str__(self) -> str:
        if self.value is not None:
            return f"{self.value:,}"
        return SECONDARY_TEXT if self.reason == SECONDARY else primary_text(self.limit)

    def rate_of(self, denominator: Cell | int | None) -> float | None:
        """``value / denominator * 100``, or None if either is hidden or the base is 0."""
        base = denominator.value if isinstance(denominator, Cell) else denominator
        if self.value is None or not base:
            return None
        return self.value / base * 100


def _primary(value: int, limit: int) -> bool:
    return 0 < value < limit


def suppress_counts(
    counts: Mapping[Hashable, int], *, limit: int | None = None, with_total: bool = True
) -> tuple[dict[Hashable, Cell], Cell]:
    """Suppress one line of counts. Returns the cells and the total as shown."""
    grid = {(key, 0): value for key, value in counts.items()}
    cells, row_totals, col_totals = suppress_grid(
        grid, limit=limit, row_totals=False, col_totals=with_total
    )
    total = col_totals.get(0, Cell(sum(counts.values()), limit or threshold()))
    return {key: cells[(key, 0)] for key in counts}, total


def suppress_grid(
    grid: Mapping[tuple[Hashable, Hashable], int],
    *,
    limit: int | None = None,
    row_totals: bool = True,
    col_totals: bool = True,
) -> tuple[dict[tuple, Cell], dict[Hashable, Cell], dict[Hashable, Cell]]:
    """Suppress a table ``{(row, col): count}`` whose row and/or column totals are shown.

    Returns (cells, row totals, column totals) as shown.
    """
    limit = threshold() if limit is None else limit
    hidden = {key for key, value in grid.items() if _primary(value, limit)}
    rows: dict[Hashable, list] = {}
    cols: dict[Hashable, list] = {}
    for key in grid:
        rows.setdefault(key[0], []).append(key)
        cols.setdefault(key[1], []).append(key)
    lines = ([*rows.values()] if row_totals else []) + ([*cols.values()] if col_totals else [])
    hidden_totals: set[int] = set()
    changed = True
    while changed:
        changed = False
        for index, line in enumerate(lines):
            inside = [key for key in line if key in hidden]
            if len(inside) != 1:
                continue
            candidates = sorted(
                (grid[key], str(key)) for key in line if key not in hidden and grid[key] > 0
            )
            if candidates:
                smallest = next(key for key in line if str(key) == candidates[0][1])
                hidden.add(smallest)
                changed = True
            elif index not in hidden_totals:
                hidden_totals.add(index)
    cells = {
        key: Cell(
            None if key in hidden else value,
            limit,
            PRIMARY if _primary(value, limit) else SECONDARY,
        )
        for key, value in grid.items()
    }

    def total_cell(index: int, keys: list) -> Cell:
        value = sum(grid[key] for key in keys)
        if _primary(value, limit):
            return Cell(None, limit, PRIMARY)
        if index in hidden_totals:
            return Cell(None, limit, SECONDARY)
        return Cell(value, limit)

    n_rows = len(rows) if row_totals else 0
    shown_rows = {
        row: total_cell(i, keys) for i, (row, keys) in enumerate(rows.items()) if row_totals
    }
    shown_cols = {
        col: total_cell(n_rows + i, keys)
        for i, (col, keys) in enumerate(cols.items())
        if col_totals
    }
    return cells, shown_rows, shown_cols
