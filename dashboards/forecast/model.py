"""The forecast: a monthly stock-and-flow Monte Carlo of employed and agency FTE.

Per role group (case holders, managers, others) the employed stock is held as headcount
by month of service (0 to 59, then 60+). Each month, in every simulation at once (numpy,
vectorised over simulations, groups and service months):

- each employed worker leaves with the monthly probability of their service band
  (``hazards``), the hazards themselves drawn per simulation from their uncertainty, and
  a per-simulation multiplier for how far a year can swing (the council's own swing
  pooled with DfE's national figure, ``hazards.pooled_spread``);
- leavers split by destination (to agency, another council, out of council social work,
  not known) at the window's shares; a share of leavers to agency come back as agency;
- starters arrive at the group's historical starter rate for that calendar month
  (Poisson, the rate also drawn per simulation: autumn cohorts of newly qualified staff
  show), or from the recruitment pipeline where it is recorded (``pipeline``), plus a
  scenario's extra recruits;
- employed FTE = headcount x the group's mean FTE on the start date;
- the establishment changes each year as it did in the window (April budgets);
- agency FTE covers the gap between the establishment and employed FTE at a cover ratio
  drawn from the last 12 month ends; with no establishment recorded it follows its own
  history (a random walk with the drift and spread of its monthly changes).

Only ``History.known_on(start)`` is used. A seeded ``numpy.random.Generator`` makes a
forecast reproducible. Returns percentiles (10th, 50th, 90th) per month end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from dateutil.relativedelta import relativedelta

from .hazards import (
    BAND_EDGES,
    NATIONAL_STARTER_SPREAD,
    Hazards,
    fit_hazards,
    pooled_spread,
    yearly_spread,
)
from .history import DAYS_PER_MONTH, GROUPS, History, date_of, day
from .pipeline import NO_PIPELINE, Pipeline

#: Where leavers went (DfE LeaverDestination codes): to agency (3), another council (1),
#: out of council social work (2 outside England, 4 other social work, 5 other social
#: care, 6 out of social care, 7 other), not known (8, 9 or not recorded).
DESTINATIONS = ("to_agency", "to_another_council", "out_of_council_social_work", "not_known")
DESTINATION_LABELS = {
    "to_agency": "To agency",
    "to_another_council": "To another council",
    "out_of_council_social_work": "Out of council social work",
    "not_known": "Not known",
}
DESTINATION_OF_CODE = {3: 0, 1: 1, 2: 2, 4: 2, 5: 2, 6: 2, 7: 2}
SERVICE_MONTHS = 61  # 0..59 months, then 60+ (absorbing)
TARGET = 85.0
PERCENTILES = (10, 50, 90)


@dataclass(frozen=True)
class Scenario:
    """A director's levers. ``group`` is a group name or "" for all groups."""

    name: str = "Baseline"
    leaving_reduction_pct: float = 0.0
    leaving_group: str = ""
    extra_recruits_per_month: int = 0
    recruits_group: str = "case_holders"
    agency_conversions: int = 0
    establishment_change_fte: float = 0.0

    def group_mask(self, group: str) -> np.ndarray:
        return np.array([group in ("", g) for g in GROUPS])


BASELINE = Scenario()


def month_end(date: dt.date) -> dt.date:
    return date + relativedelta(day=31)


def forecast_dates(start: dt.date, months: int) -> list[dt.date]:
    return [month_end(start + relativedelta(months=i)) for i in range(1, months + 1)]


@dataclass
class Inputs:
    """What the simulation is fitted to, all known on ``start``."""

    start: dt.date
    stock: np.ndarray  # groups x SERVICE_MONTHS headcount of employed staff in post
    mean_fte: np.ndarray  # per group
    starter_counts: np.ndarray  # starters per group in the window
    starter_by_month: np.ndarray  # groups x calendar months: starters in the window
    starter_spread: float  # log-scale spread of the yearly starter rate beyond chance
    leaving_spread: float  # the same for the leaving rate
    window_months: float
    hazards: Hazards
    inpost_fte: float
    agency_fte: float
    establishment_fte: float
    cover_ratios: np.ndarray  # agency FTE / gap at past month ends (gap > 0)
    agency_changes: np.ndarray  # monthly change of agency FTE at past month ends
    #: yearly relative changes of the establishment over the window (one per year)
    establishment_changes: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: share of the establishment's past changes made in each calendar month (April
    #: budgets); sums to 1, or all zero when it never changed
    establishment_months: np.ndarray = field(default_factory=lambda: np.zeros(12))
    notes: list[str] = field(default_factory=list)
    #: starters known from the recruitment pipeline (``pipeline.load_pipeline``)
    pipeline: Pipeline = NO_PIPELINE
    #: employed leavers in the window by destination (DESTINATIONS order)
    leavers_by_destination: np.ndarray = field(default_factory=lambda: np.zeros(4))
    #: share of leavers to agency who came back to the council as agency workers, with
    #: the counts it is learnt from (``history.agency_returns``); None if never recorded
    agency_return: tuple[int, int] | None = None


def fit(history: History, *, start: dt.date, lookback_months: int = 36) -> Inputs:
    known = history.known_on(start)
    d = day(start)
    hazards = fit_hazards(known, start=start, lookback_months=lookback_months)
    terms = known.last_terms(start)
    in_post = (terms["start"] <= d) & (terms["end"] > d) & ~terms["agency"]
    service = np.clip(
        ((d - terms["start"][in_post]) / DAYS_PER_MONTH).astype(int), 0, SERVICE_MONTHS - 1
    )
    groups = terms["group"][in_post]
    stock = np.zeros((len(GROUPS), SERVICE_MONTHS), dtype=np.int64)
    np.add.at(stock, (groups, service), 1)
    fte = terms["fte"][in_post]
    overall_fte = float(fte.mean()) if fte.size else 1.0
    mean_fte = np.array(
        [float(fte[groups == g].mean()) if (groups == g).any() else overall_fte for g in range(3)]
    )
    earliest = min(known.records_begin(), d)
    window_days = min(int(round(lookback_months * DAYS_PER_MONTH)), max(d - earliest, 1))
    window_months = window_days / DAYS_PER_MONTH
    started = (~terms["agency"]) & (terms["start"] > d - window_days) & (terms["start"] <= d)
    starter_counts = np.bincount(terms["group"][started], minlength=3).astype(float)
    left = (~terms["agency"]) & (terms["end"] > d - window_days) & (terms["end"] <= d)
    leavers_by_destination = np.bincount(
        [DESTINATION_OF_CODE.get(int(c), 3) for c in terms["destination"][left]],
        minlength=len(DESTINATIONS),
    ).astype(float)
    starter_by_month = np.zeros((len(GROUPS), 12))
    start_months = np.array(
        [date_of(int(x)).month - 1 for x in terms["start"][started]], dtype=np.int64
    )
    np.add.at(starter_by_month, (terms["group"][started], start_months), 1)

    # Year-to-year swings in recruitment beyond chance (overdispersion): a spread for
    # the starter rate drawn per simulation.
    years = int(window_days // 365.25)
    own_spread, own_years = 0.0, 0
    if years >= 2:
        ages = (d - terms["start"][started]) // 365.25
        yearly = np.bincount(ages[ages < years].astype(int), minlength=years).astype(float)
        mean = yearly.mean()
        if mean > 0:
            excess = max(yearly.var(ddof=1) - mean, 0.0)
            own_spread, own_years = float(np.sqrt(np.log1p(excess / mean**2))), years
    starter_spread = pooled_spread(own_spread, own_years, NATIONAL_STARTER_SPREAD)
    now = known.stock_on(start)
    past = [month_end(start - relativedelta(months=i)) for i in range(lookback_months, -1, -1)]
    past = [p for p in past if day(p) <= d and day(p) >= earliest]
    stocks = [known.stock_on(p) for p in past]
    ratios = np.array(
        [
            s["agency_fte"] / (s["establishment_fte"] - s["inpost_fte"])
            for s in stocks[-12:]
            if s["establishment_fte"] - s["inpost_fte"] > 0.5
        ]
    )
    agency_series = np.array([s["agency_fte"] for s in stocks] + [now["agency_fte"]])
    # How the establishment changed from year to year (budgets), and in which months.
    establishment = np.array([s["establishment_fte"] for s in stocks] + [now["establishment_fte"]])
    est_dates = [*past, start]
    establishment_changes = np.array(
        [
            establishment[i] / establishment[i - 12] - 1
            for i in range(len(establishment) - 1, 11, -12)
            if establishment[i - 12] > 0
        ]
    )
    establishment_months = np.zeros(12)
    steps = np.abs(np.diff(establishment))
    for i, step in enumerate(steps):
        establishment_months[est_dates[i + 1].month - 1] += step
    if establishment_months.sum() > 0:
        establishment_months /= establishment_months.sum()
    notes = []
    thin = hazards.thin_groups()
    if thin:
        notes.append(
            "Few leavers to learn from in: "
            + ", ".join(g.replace("_", " ") for g in thin)
            + " - their leaving rates are uncertain and the band is wider."
        )
    return Inputs(
        start=start,
        stock=stock,
        mean_fte=mean_fte,
        starter_counts=starter_counts,
        starter_by_month=starter_by_month,
        starter_spread=starter_spread,
        leaving_spread=yearly_spread(known, start=start, lookback_months=lookback_months),
        window_months=window_months,
        hazards=hazards,
        inpost_fte=now["inpost_fte"],
        agency_fte=now["agency_fte"],
        establishment_fte=now["establishment_fte"],
        cover_ratios=np.clip(ratios, 0, 2),
        agency_changes=np.diff(agency_series) if agency_series.size > 2 else np.zeros(1),
        establishment_changes=establishment_changes,
        establishment_months=establishment_months,
        leavers_by_destination=leavers_by_destination,
        notes=notes,
    )


def _band_of_service() -> np.ndarray:
    months = np.arange(SERVICE_MONTHS)
    return np.searchsorted(np.array(BAND_EDGES), months, side="right") - 1


def _establishment_growth(
    inputs: Inputs, rng: np.random.Generator, simulations: int, dates: list[dt.date]
) -> np.ndarray:
    """Multipliers (sims x months) of today's establishment: each forecast year changes
    it as the past years did (a yearly change drawn around the window's mean, itself
    uncertain with so few years), in the calendar months it used to change (April
    budgets). An establishment that never changed stays as it is."""
    months = len(dates)
    changes = inputs.establishment_changes
    weights = inputs.establishment_months
    if changes.size == 0 or weights.sum() <= 0:
        return np.ones((simulations, months))
    mean = float(changes.mean())
    spread = float(changes.std(ddof=1)) if changes.size > 1 else abs(mean)
    spread = max(spread, abs(mean) / 2, 0.005)
    level = rng.normal(mean, spread / np.sqrt(changes.size), size=(simulations, 1))
    yearly = rng.normal(level, spread, size=(simulations, months // 12 + 2))
    year_of = np.arange(months) // 12
    step = yearly[:, year_of] * weights[[d.month - 1 for d in dates]][None, :]
    return np.cumprod(1 + step, axis=1)


def simulate(
    inputs: Inputs,
    *,
    months: int,
    simulations: int = 1000,
    seed: int = 2026,
    scenario: Scenario = BASELINE,
) -> dict:
    """Run the Monte Carlo; returns arrays (sims x months) and percentile summaries."""
    rng = np.random.default_rng(seed)
    S, G, K = simulations, len(GROUPS), SERVICE_MONTHS
    band = _band_of_service()
    hazard = inputs.hazards.sample(rng, S)  # S x G x bands
    cut = 1 - scenario.leaving_reduction_pct / 100 * scenario.group_mask(scenario.leaving_group)
    hazard = hazard * cut[None, :, None]
    if inputs.leaving_spread:
        sigma = inputs.leaving_spread
        hazard *= rng.lognormal(-(sigma**2) / 2, sigma, size=(S, 1, 1))
    leave_p = 1 - np.exp(-hazard[:, :, band])  # S x G x K
    # Starters by calendar month (cohorts of newly qualified staff start in the autumn).
    years = inputs.window_months / 12
    starter_rate = rng.gamma(inputs.starter_by_month + 0.1, size=(S, G, 12)) / years
    if inputs.starter_spread:
        sigma = inputs.starter_spread
        starter_rate *= rng.lognormal(-(sigma**2) / 2, sigma, size=(S, 1, 1))
    dates = forecast_dates(inputs.start, months)
    extra = np.zeros(G, dtype=np.int64)
    if scenario.extra_recruits_per_month:
        extra[GROUPS.index(scenario.recruits_group or "case_holders")] = (
            scenario.extra_recruits_per_month
        )

    # The recruitment pipeline: its starts by month and group, drawn per simulation; it
    # replaces the historical rate in the months it covers, and a cohort's places replace
    # its calendar month's usual peak (the median month's rate instead).
    pipeline = inputs.pipeline
    scheduled = np.zeros((S, G, months), dtype=np.int64)
    from_pipeline = np.zeros(months, dtype=bool)
    cohort = np.zeros(months, dtype=bool)
    if pipeline.used:
        index = {(d.year, d.month): i for i, d in enumerate(dates)}
        for when, group, count, chance in pipeline.starts:
            i = index.get((when.year, when.month))
            if i is not None:
                scheduled[:, group, i] += rng.binomial(count, chance, size=S)
        from_pipeline[: pipeline.horizon_months] = True
        cohort = np.array([(d.year, d.month) in pipeline.cohort_months for d in dates])
    usual_rate = np.median(starter_rate, axis=2)  # S x G

    stock = np.broadcast_to(inputs.stock, (S, G, K)).copy()
    if scenario.agency_conversions:
        stock[:, 0, 0] += scenario.agency_conversions
    converted_fte = scenario.agency_conversions * float(inputs.mean_fte[0])

    establishment = np.full(S, inputs.establishment_fte + scenario.establishment_change_fte)
    est_growth = _establishment_growth(inputs, rng, S, dates)  # S x months multipliers
    use_establishment = inputs.establishment_fte > 0 and inputs.cover_ratios.size > 0
    if use_establishment:
        ratio = rng.choice(inputs.cover_ratios, size=S)
    else:
        changes = inputs.agency_changes
        drift = float(changes.mean()) if changes.size else 0.0
        spread = float(changes.std(ddof=1)) if changes.size > 1 else 0.0
        walk = rng.normal(drift, spread, size=(S, months)).cumsum(axis=1)
        agency_path = np.clip(inputs.agency_fte - converted_fte + walk, 0, None)

    # Leavers' destinations: the window's shares, drawn per simulation (Dirichlet). A
    # share of leavers to agency come back as agency cover: with an establishment they are
    # part of the cover of the gap they left; without one they move agency FTE away from
    # its own history's trend (which already holds the usual number of them) when more
    # or fewer leave than usual.
    shares = rng.dirichlet(inputs.leavers_by_destination + 0.5, size=S)  # S x 4
    returning = np.zeros(S)
    if inputs.agency_return is not None:
        back, out_of = inputs.agency_return
        returning = rng.beta(back + 0.5, out_of - back + 0.5, size=S)
    usual_to_agency = (
        inputs.leavers_by_destination[0] / inputs.window_months * float(inputs.mean_fte.mean())
    )
    by_destination = np.empty((S, months, len(DESTINATIONS)))
    returned = np.zeros((S, months))
    inpost = np.empty((S, months))
    agency = np.empty((S, months))
    starters = np.empty((S, months))
    leavers = np.empty((S, months))
    for m in range(months):
        establishment_m = establishment * est_growth[:, m]
        gone = rng.binomial(stock, leave_p)
        stock -= gone
        leavers[:, m] = (gone.sum(axis=2) * inputs.mean_fte).sum(axis=1)
        by_destination[:, m] = leavers[:, m, None] * shares
        returned[:, m] = returning * by_destination[:, m, 0]
        aged = np.empty_like(stock)
        aged[:, :, 1:] = stock[:, :, :-1]
        aged[:, :, -1] += stock[:, :, -1]
        if from_pipeline[m]:
            new = scheduled[:, :, m] + extra
        elif cohort[m]:
            new = rng.poisson(usual_rate) + scheduled[:, :, m] + extra
        else:
            new = rng.poisson(starter_rate[:, :, dates[m].month - 1]) + extra
        aged[:, :, 0] = new
        stock = aged
        starters[:, m] = (new * inputs.mean_fte).sum(axis=1)
        inpost[:, m] = (stock.sum(axis=2) * inputs.mean_fte).sum(axis=1)
        if use_establishment:
            agency[:, m] = ratio * np.clip(establishment_m - inpost[:, m], 0, None)
        else:
            surprise = (returned[:, : m + 1] - returning[:, None] * usual_to_agency).sum(axis=1)
            agency[:, m] = np.clip(agency_path[:, m] + surprise, 0, None)
    total = inpost + agency
    rate = np.where(total > 0, 100 * inpost / np.where(total > 0, total, 1), np.nan)
    return {
        "dates": dates,
        "permanence_rate": rate,
        "inpost_fte": inpost,
        "agency_fte": agency,
        "starters_fte": starters,
        "leavers_fte": leavers,
        "leavers_by_destination_fte": by_destination,
        "returned_as_agency_fte": returned,
        "agency_basis": "establishment" if use_establishment else "history",
        "starters_source": pipeline.describe(),
        "scenario": scenario,
    }


def percentiles(values: np.ndarray) -> list[dict]:
    p10, p50, p90 = np.nanpercentile(values, PERCENTILES, axis=0)
    return [
        {"p10": float(a), "p50": float(b), "p90": float(c)}
        for a, b, c in zip(p10, p50, p90, strict=True)
    ]


def target_summary(rate: np.ndarray, dates: list[dt.date], target: float = TARGET) -> dict:
    """The median month the target is first reached (null if fewer than half the
    simulations reach it) and the probability of having reached it by each month end."""
    reached = np.maximum.accumulate(rate >= target, axis=1)
    by_month = reached.mean(axis=0)
    median_month = next((dates[i] for i, p in enumerate(by_month) if p >= 0.5), None)
    return {
        "value": target,
        "median_month": median_month.isoformat() if median_month else None,
        "probability_by_end": float(by_month[-1]) if len(by_month) else 0.0,
        "probability_by_month": [float(p) for p in by_month],
    }


def summarise(result: dict, *, start: dt.date) -> dict:
    """The issue's JSON shape."""
    dates = result["dates"]
    rows = zip(
        dates,
        percentiles(result["permanence_rate"]),
        percentiles(result["inpost_fte"]),
        percentiles(result["agency_fte"]),
        strict=True,
    )
    target = target_summary(result["permanence_rate"], dates)
    return {
        "from": start.isoformat(),
        "months": [
            {"date": d.isoformat(), "permanence_rate": r, "inpost_fte": i, "agency_fte": a}
            for d, r, i, a in rows
        ],
        "target": {k: target[k] for k in ("value", "median_month", "probability_by_end")},
    }


def forecast(
    history: History,
    *,
    start: dt.date,
    months: int,
    simulations: int = 1000,
    seed: int = 2026,
    scenario: Scenario = BASELINE,
    lookback_months: int = 36,
) -> dict:
    """Fit on what was known on ``start`` and simulate: the issue's JSON shape."""
    inputs = fit(history, start=start, lookback_months=lookback_months)
    result = simulate(inputs, months=months, simulations=simulations, seed=seed, scenario=scenario)
    return summarise(result, start=start)
