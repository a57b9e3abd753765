"""The case-holding FTE the cost per case-holding FTE divides by, asked of the KPI engine.

The engine (``dashboards.kpis``) counts case-holding social workers; computing them again
here would be a second definition. ``dashboards`` reads ``pay``, not the reverse, so the
engine provides the figure when it starts (``DashboardsConfig.ready`` registers
``dashboards.kpis.costs.case_holding_average``), as it does for the census return's
figures (``workforce.census.figures``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

#: ``provider(*, start, end, scope) -> (average FTE, average headcount)``, None for none.
Provider = Callable[..., tuple[Decimal | None, Decimal | None]]

_provider: Provider | None = None


def register_provider(provider: Provider) -> None:
    global _provider
    _provider = provider


def case_holding_average(
    *, start: dt.date, end: dt.date, scope=None
) -> tuple[Decimal | None, Decimal | None]:
    """The average case-holding FTE and headcount of ``scope`` over the period: the mean of
    the engine's ``case_holders_fte`` and ``case_holders_headcount`` on the last day of
    each month in it (the period's last day if it holds no month end)."""
    if _provider is None:
        raise ImproperlyConfigured(
            "No case-holding FTE provider is registered: the dashboards app must be installed."
        )
    return _provider(start=start, end=end, scope=scope)
