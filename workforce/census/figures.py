"""The figures a census return declares, asked of the KPI engine through one seam.

The return must say what the engine says (vacancies, agency cover, each worker's FTE,
FTE30, Cases30, working days lost, starters and leavers), so the export never computes
them itself. The engine lives in ``dashboards`` (the read side), which reads
``workforce`` and must not be imported by it. So ``workforce`` states what it needs
(``CensusFigures``, ``WorkerFigures``) and the read side provides it: the dashboards app
registers its provider when it starts (``DashboardsConfig.ready`` calls
``register_provider(dashboards.kpis.census.census_figures)``). The data still flow one
way; only the call goes through this interface, as Django's own signal and check
registries do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class WorkerFigures:
    """One employment's census figures on the reference date, as the KPIs count them.

    ``None`` means the worker does not count in that figure (not in post, not a starter,
    not a leaver); a number, that the KPIs include exactly that amount for the worker."""

    fte30: Decimal | None = None
    """FTE in post on the date (employed or agency)."""
    cases30: int | None = None
    """Cases held on the date (the engine's rule: the latest record of the 7 days to the
    date); 0 for a worker in post with no cases on that rule."""
    starter_fte: Decimal | None = None
    """An employed starter of the year: FTE on the date, or at leaving (DfE's rule)."""
    leaver_fte: Decimal | None = None
    """An employed leaver of the year: FTE on the last day."""
    working_days_lost: Decimal | None = None
    """Working days lost in absences ending in the year, for employed staff in post."""


@dataclass(frozen=True)
class CensusFigures:
    """The council-level figures and every worker's, on a census reference date."""

    reference_date: dt.date
    vacancies_fte: Decimal | None
    agency_cover_fte: Decimal | None
    agency_cover_headcount: int | None
    workers: dict[int, WorkerFigures] = field(default_factory=dict)
    """By employment id."""


Provider = Callable[..., CensusFigures]

_provider: Provider | None = None


def register_provider(provider: Provider) -> None:
    """Name the function giving ``CensusFigures`` for ``reference_date=`` (the KPI
    engine's, registered by the dashboards app at start-up)."""
    global _provider
    _provider = provider


def census_figures(*, reference_date: dt.date) -> CensusFigures:
    """The engine's census figures on ``reference_date``."""
    if _provider is None:
        raise ImproperlyConfigured(
            "No census figures provider is registered: the dashboards app must be installed."
        )
    return _provider(reference_date=reference_date)


# --- Pay (census years from 2025) ------------------------------------------------------
#
# The same seam for the pay items: ``workforce`` must not import ``pay`` (pay builds on
# workforce), so the pay app registers its provider at start-up (``PayConfig.ready``).


@dataclass(frozen=True)
class CensusPay:
    """What the pay app knows for a census reference date."""

    salaries: dict[int, Decimal] = field(default_factory=dict)
    """Full-time annual base salary on the reference date by employment id: permanent
    workers with a spinal point recorded (the spine's salary of their point)."""
    incentives: dict[str, bool] | None = None
    """The council-level pay items (``items.COUNCIL_PAY_ITEMS``) from the incentive
    schemes active in the census year; None when the council records no schemes at all."""


PayProvider = Callable[..., CensusPay]

_pay_provider: PayProvider | None = None


def register_pay_provider(provider: PayProvider) -> None:
    """Name the function giving ``CensusPay`` for ``reference_date=`` (the pay app's)."""
    global _pay_provider
    _pay_provider = provider


def census_pay(*, reference_date: dt.date) -> CensusPay:
    """The pay app's census figures; empty if no pay app is installed."""
    if _pay_provider is None:
        return CensusPay()
    return _pay_provider(reference_date=reference_date)
