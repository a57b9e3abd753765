"""Leaving hazards by length of service, fitted to the council's own employments.

Each employed (non-agency) employment is a survival record on the length-of-service
clock: it enters the observation window (the ``lookback_months`` before the forecast's
start) at the service it had then (left truncation), and leaves it at its leaving date
(an event) or at the forecast's start (censored). Within each service band (<1, 1-<2,
2-<3, 3-<5, 5+ years, as the DfE leavers-by-service breakdown) the hazard is taken as
constant: its estimate is leavers / months at risk (the piecewise-exponential maximum
likelihood estimate), with an exact Poisson (chi-square) 90% interval. A band with no
one at risk in a group borrows the whole council's figure, and is flagged as thin.

The retention curve (share still employed after 1, 2, 3 and 5 years, with its 90%
interval) comes from lifelines' Kaplan-Meier fitter over the same records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .history import DAYS_PER_MONTH, GROUPS, History, day

#: Service band edges in months: <1, 1-<2, 2-<3, 3-<5, 5+ years.
BAND_EDGES = (0, 12, 24, 36, 60)
BAND_LABELS = ("Under 1 year", "1 to 2 years", "2 to 3 years", "3 to 5 years", "5 years or more")
#: Fewer leavers than this in a group over the window: its bands are thin.
THIN_LEAVERS = 10

#: How much a council's yearly leaving and starter rates swing from one year to the next
#: beyond chance (log scale): the median over the 147 councils with five or more years in
#: DfE's published figures 2017-2025 (shared/data/dfe/csww_indicators_2017_to_2025.csv:
#: leavers_fte / inpost_fte and starters_fte / inpost_fte per council and year, variance
#: beyond the Poisson variance). A council's own two or three years cannot show how far a
#: year can swing (their estimate is often 0), so it is pooled with this figure.
NATIONAL_LEAVING_SPREAD = 0.24
NATIONAL_STARTER_SPREAD = 0.22
#: The national figure counts as this many years of the council's own.
PRIOR_YEARS = 3


def pooled_spread(own: float, years: int, national: float) -> float:
    """The council's own year-to-year spread (from ``years`` years, so ``years - 1``
    degrees of freedom) pooled with the national one, variance-weighted."""
    own_df = max(years - 1, 0)
    return float(np.sqrt((PRIOR_YEARS * national**2 + own_df * own**2) / (PRIOR_YEARS + own_df)))


@dataclass(frozen=True)
class Hazards:
    """Leavers ``d`` and months at risk ``exposure`` per group and band (3 x 5), the
    monthly hazard and its 90% interval, and which cells borrowed the council figure."""

    leavers: np.ndarray
    exposure: np.ndarray
    borrowed: np.ndarray  # bool: no exposure in this group and band

    @property
    def rate(self) -> np.ndarray:
        return self.leavers / np.maximum(self.exposure, 1e-9)

    @property
    def interval(self) -> tuple[np.ndarray, np.ndarray]:
        from scipy.stats import chi2  # imported when used: it adds 1-2 s to every start

        d, e = self.leavers, np.maximum(self.exposure, 1e-9)
        low = np.where(d > 0, chi2.ppf(0.05, 2 * np.maximum(d, 1)) / (2 * e), 0.0)
        high = chi2.ppf(0.95, 2 * (d + 1)) / (2 * e)
        return low, high

    def sample(self, rng: np.random.Generator, simulations: int) -> np.ndarray:
        """Monthly hazards per simulation (sims x groups x bands), drawn from their
        uncertainty (Gamma with Jeffreys' prior): few leavers give a wide spread."""
        shape = np.broadcast_to(self.leavers + 0.5, (simulations, *self.leavers.shape))
        scale = 1.0 / np.maximum(self.exposure, 1e-9)
        return rng.gamma(shape) * scale

    def thin_groups(self) -> list[str]:
        totals = self.leavers.sum(axis=1)
        return [GROUPS[g] for g in range(len(GROUPS)) if totals[g] < THIN_LEAVERS]

    def rows(self) -> list[dict]:
        """One row per group and band for the page: leavers, months at risk, yearly
        leaving probability and its interval."""
        low, high = self.interval
        out = []
        for g, group in enumerate(GROUPS):
            for b, label in enumerate(BAND_LABELS):
                out.append(
                    {
                        "group": group,
                        "band": label,
                        "leavers": float(self.leavers[g, b]),
                        "months_at_risk": float(self.exposure[g, b]),
                        "yearly": _yearly(self.rate[g, b]),
                        "yearly_low": _yearly(low[g, b]),
                        "yearly_high": _yearly(high[g, b]),
                        "borrowed": bool(self.borrowed[g, b]),
                    }
                )
        return out


def _yearly(monthly_hazard: float) -> float:
    return float(100 * (1 - np.exp(-12 * monthly_hazard)))


def survival_records(history: History, *, start: dt.date, lookback_months: int) -> dict:
    """Entry, exit (service months), event flag and group of each employed employment
    observed in the window up to ``start``."""
    terms = history.last_terms(start)
    d = day(start)
    window = max(d - int(round(lookback_months * DAYS_PER_MONTH)), history.records_begin())
    employed = ~terms["agency"]
    begin, end = terms["start"][employed], terms["end"][employed]
    observed_to = np.minimum(end, d)
    keep = observed_to > np.maximum(begin, window)
    entry = (np.maximum(begin, window) - begin)[keep] / DAYS_PER_MONTH
    exit_ = (observed_to - begin)[keep] / DAYS_PER_MONTH
    event = (end <= d)[keep]
    return {
        "entry": entry,
        "exit": exit_,
        "event": event,
        "group": terms["group"][employed][keep],
        "begin": begin[keep],
    }


def yearly_spread(history: History, *, start: dt.date, lookback_months: int = 36) -> float:
    """How much the council's leaving rate swings from one year to the next beyond what
    chance explains: the log-scale spread of a per-simulation multiplier, the council's
    own years pooled with the national figure (``pooled_spread``)."""
    own, years = _own_yearly_spread(history, start=start, lookback_months=lookback_months)
    return pooled_spread(own, years, NATIONAL_LEAVING_SPREAD)


def _own_yearly_spread(
    history: History, *, start: dt.date, lookback_months: int
) -> tuple[float, int]:
    records = survival_records(history, start=start, lookback_months=lookback_months)
    d = day(start)
    first = max(d - int(round(lookback_months * DAYS_PER_MONTH)), history.records_begin())
    years = int((d - first) // 365.25)
    if years < 2 or records["exit"].size == 0:
        return 0.0, 0
    enter = records["begin"] + records["entry"] * DAYS_PER_MONTH
    leave = records["begin"] + records["exit"] * DAYS_PER_MONTH
    rates, expected = [], []
    for k in range(years):
        hi = d - k * 365.25
        lo = hi - 365.25
        exposure = np.clip(np.minimum(leave, hi) - np.maximum(enter, lo), 0, None).sum() / 365.25
        events = (records["event"] & (leave > lo) & (leave <= hi)).sum()
        if exposure <= 0:
            return 0.0, 0
        rates.append(events / exposure)
        expected.append(exposure)
    rates, exposure = np.array(rates), np.array(expected)
    mean = rates.mean()
    if mean <= 0:
        return 0.0, 0
    chance = (mean / exposure).mean()  # Poisson variance of a yearly rate
    excess = max(rates.var(ddof=1) - chance, 0.0)
    return float(np.sqrt(np.log1p(excess / mean**2))), years


def fit_hazards(history: History, *, start: dt.date, lookback_months: int = 36) -> Hazards:
    records = survival_records(history, start=start, lookback_months=lookback_months)
    groups, bands = len(GROUPS), len(BAND_EDGES)
    edges = np.array([*BAND_EDGES, np.inf])
    leavers = np.zeros((groups, bands))
    exposure = np.zeros((groups, bands))
    entry, exit_ = records["entry"], records["exit"]
    for b in range(bands):
        lo, hi = edges[b], edges[b + 1]
        overlap = np.clip(np.minimum(exit_, hi) - np.maximum(entry, lo), 0, None)
        died = records["event"] & (exit_ >= lo) & (exit_ < hi)
        for g in range(groups):
            mine = records["group"] == g
            exposure[g, b] = overlap[mine].sum()
            leavers[g, b] = died[mine].sum()
    borrowed = exposure <= 0
    if borrowed.any():
        council_d, council_e = leavers.sum(axis=0), exposure.sum(axis=0)
        for b in range(bands - 1, -1, -1):  # nobody at all in a band: the next band's figure
            if council_e[b] <= 0:
                nb = b + 1 if b + 1 < bands else b - 1
                council_d[b], council_e[b] = council_d[nb], council_e[nb]
        if (council_e <= 0).all():  # no history at all: an uninformative 15% a year
            council_d[:], council_e[:] = 0.5, 0.5 / 0.0135
        leavers = np.where(borrowed, council_d[None, :], leavers)
        exposure = np.where(borrowed, council_e[None, :], exposure)
    return Hazards(leavers=leavers, exposure=exposure, borrowed=borrowed)


def retention_curve(history: History, *, start: dt.date, lookback_months: int = 36) -> list[dict]:
    """Kaplan-Meier share still employed after 1, 2, 3 and 5 years of service, with its
    90% interval (lifelines), over the window's records (left-truncated)."""
    from lifelines import KaplanMeierFitter

    records = survival_records(history, start=start, lookback_months=lookback_months)
    if records["exit"].size == 0 or not records["event"].any():
        return []
    kmf = KaplanMeierFitter(alpha=0.10)
    kmf.fit(records["exit"], event_observed=records["event"], entry=records["entry"])
    out = []
    for years in (1, 2, 3, 5):
        months = 12 * years
        if months > records["exit"].max():
            break
        ci = kmf.confidence_interval_survival_function_
        at = ci.index.searchsorted(months, side="right") - 1
        out.append(
            {
                "years": years,
                "retained": 100 * float(kmf.predict(months)),
                "low": 100 * float(ci.iloc[max(at, 0), 0]),
                "high": 100 * float(ci.iloc[max(at, 0), 1]),
            }
        )
    return out
