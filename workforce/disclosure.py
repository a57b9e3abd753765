"""One disclosure rule for every output (domain.md s.8): who sees which figure.

Every page, chart, CSV or image download, API endpoint and report pack asks the same
two questions: *who is looking* (``Audience``) and *what may they see of these figures*
(``figure_withheld``, ``disclose_counts``, ``disclose_grid``).

Audiences:

- **named** - HR officers, directors and admins: every figure as it is;
- **manager** - a service manager limited to their teams: as it is within one of their
  own teams (whose people they see by name anyway), as councillors elsewhere;
- **councillor** - scrutiny and lead members: aggregates only, small numbers hidden;
- **public** - a committee paper for publication: as councillors.

The rule fails closed: for an audience that is suppressed, a figure is shown only if it
is declared safe (it describes no person: funded posts, open vacancies) or every count
of people it is derived from is known and is 0 or at least the threshold
(``settings.SUPPRESSION_THRESHOLD``, default 5). A figure that declares nothing is
hidden. Hidden figures are labelled "fewer than 5" (primary: a small count or a figure
worked out from one) or "hidden to protect another figure" (secondary: a cell that a
shown total and the other shown cells would reveal, ``workforce.suppression``); files
write DfE's symbol ``c`` with a key (``SYMBOL_KEY``).

It lives in ``workforce`` (the app every other one may import) so that the domain apps'
own aggregate pages and APIs (recruitment funnel, exit summary) use it as the
dashboards do; the KPI registry supplies each figure's ``derived_from`` and ``safe``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .suppression import (
    PRIMARY,
    SECONDARY,
    SECONDARY_TEXT,
    SYMBOL,
    SYMBOL_KEY,
    Cell,
    primary_text,
    suppress_counts,
    suppress_grid,
    threshold,
)

__all__ = [
    "PRIMARY",
    "SECONDARY",
    "SECONDARY_TEXT",
    "SYMBOL",
    "SYMBOL_KEY",
    "Audience",
    "Cell",
    "audience_for",
    "disclose_counts",
    "disclose_grid",
    "figure_withheld",
    "hidden_text",
    "is_small",
    "threshold",
]

NAMED = "named"
MANAGER = "manager"
COUNCILLOR = "councillor"
PUBLIC = "public"


@dataclass(frozen=True)
class Audience:
    """Who a figure is shown to. ``teams``: a manager's own teams (by name)."""

    kind: str
    teams: frozenset[str] = field(default_factory=frozenset)
    limit: int = 0

    def __post_init__(self) -> None:
        if not self.limit:
            object.__setattr__(self, "limit", threshold())

    @classmethod
    def named(cls) -> Audience:
        return cls(NAMED)

    @classmethod
    def councillor(cls) -> Audience:
        return cls(COUNCILLOR)

    @classmethod
    def public(cls) -> Audience:
        return cls(PUBLIC)

    def suppressed(self, scope=None) -> bool:
        """Whether small numbers are hidden from this audience for figures over
        ``scope`` (a ``dashboards.kpis.Scope`` or None for the whole service)."""
        if self.kind == NAMED:
            return False
        if self.kind == MANAGER:
            kind = getattr(scope, "kind", None)
            return not (kind == "team" and getattr(scope, "value", None) in self.teams)
        return True


def audience_for(user) -> Audience:
    """The audience a signed-in user belongs to (``core.roles``)."""
    from core.roles import STAFF_READERS, has_role, is_team_limited

    if not has_role(user, STAFF_READERS):
        return Audience.councillor()
    if is_team_limited(user):
        from .selectors import teams_visible_to

        names = frozenset(teams_visible_to(user).values_list("name", flat=True))
        return Audience(MANAGER, teams=names)
    return Audience.named()


def is_small(value, limit: int) -> bool:
    """A count from 1 to ``limit - 1``: it could identify someone."""
    return value is not None and 0 < Decimal(value) < limit


def figure_withheld(
    key: str,
    values: Mapping[str, object],
    *,
    limit: int,
    derived_from: Iterable[str],
    safe: bool = False,
) -> str | None:
    """Why the figure ``key`` must be hidden from a suppressed audience, given the other
    figures of the same date and scope (``values``) and the counts it is ``derived_from``
    (the KPI registry's declaration), or None when it may be shown.

    Fails closed: a figure declaring no counts and not ``safe`` is hidden, and so is one
    whose counts are missing."""
    if safe:
        return None
    counts = tuple(derived_from)
    if not counts:
        return PRIMARY
    for count in counts:
        if count not in values:
            return PRIMARY
        value = values[count]
        if value is None:
            if values.get(key) is None:
                continue  # no figure and no count: nothing is revealed
            return PRIMARY
        if is_small(value, limit):
            return PRIMARY
    return None


def hidden_text(reason: str | None, limit: int) -> str:
    """The words shown in place of a hidden figure."""
    return SECONDARY_TEXT if reason == SECONDARY else primary_text(limit)


def disclose_counts(
    counts: Mapping[Hashable, int], *, audience: Audience, scope=None, with_total: bool = True
) -> tuple[dict[Hashable, Cell], Cell]:
    """One line of counts (and its total, if shown) as ``audience`` sees them."""
    limit = audience.limit
    if not audience.suppressed(scope):
        return {k: Cell(v, limit) for k, v in counts.items()}, Cell(sum(counts.values()), limit)
    return suppress_counts(counts, limit=limit, with_total=with_total)


def disclose_grid(
    grid: Mapping[tuple[Hashable, Hashable], int],
    *,
    audience: Audience,
    scope=None,
    row_totals: bool = True,
    col_totals: bool = True,
) -> tuple[dict[tuple, Cell], dict[Hashable, Cell], dict[Hashable, Cell]]:
    """A table of counts with its shown totals as ``audience`` sees it."""
    limit = audience.limit
    if audience.suppressed(scope):
        return suppress_grid(grid, limit=limit, row_totals=row_totals, col_totals=col_totals)
    cells = {key: Cell(value, limit) for key, value in grid.items()}
    rows: dict[Hashable, int] = {}
    cols: dict[Hashable, int] = {}
    for (row, col), value in grid.items():
        rows[row] = rows.get(row, 0) + value
        cols[col] = cols.get(col, 0) + value
    return (
        cells,
        {row: Cell(value, limit) for row, value in rows.items()} if row_totals else {},
        {col: Cell(value, limit) for col, value in cols.items()} if col_totals else {},
    )
