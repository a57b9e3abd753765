"""Shares of a whole, the one way every page, report and KPI computes a percentage."""

from __future__ import annotations

from decimal import Decimal

HUNDRED = Decimal(100)

Number = Decimal | int | float | None


def _decimal(value: Number) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def share(part: Number, whole: Number) -> Decimal | None:
    """``part / whole`` in percent, exact; ``None`` when either is missing or ``whole``
    is zero (no figure, never 0%)."""
    part, whole = _decimal(part), _decimal(whole)
    if part is None or whole is None or whole == 0:
        return None
    return part / whole * HUNDRED
