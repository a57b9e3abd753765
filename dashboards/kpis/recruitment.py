"""Recruitment KPIs (the hiring funnel, time to hire, vacancy age, agency cover), as of any
date for any scope, read through ``recruitment.selectors``.

For date D the period is the 12 months to D, i.e. (D - 1 year, D]:

- Funnel: applications received in the period and how many of them had been
  shortlisted, interviewed, offered, accepted and started by D; conversions between
  stages. A vacancy's team and DfE role place its applications in a scope.
- Time to hire: advert to offer for offers made in the period; offer to start and
  advert to start for starts in the period; median and 90th percentile in days.
- Vacancies open on D (on hold included), their FTE and median age, and how many an
  agency placement in post on D covers.

Queries: three per date (funnel counts, hire dates, open vacancies) plus one for the
teams, whatever the number of scopes or applications.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.numbers import share
from recruitment import selectors
from recruitment.choices import Stage

from . import workforce as _workforce  # noqa: F401  (the workforce family is listed first)
from .registry import KpiDefinition, register_family
from .scope import Scope, team_infos


def _period_start(date: dt.date) -> dt.date:
    try:
        year_before = date.replace(year=date.year - 1)
    except ValueError:  # 29 February
        year_before = date.replace(year=date.year - 1, day=28)
    return year_before + dt.timedelta(days=1)


DEFINITIONS = (
    KpiDefinition(
        key="recruitment_applications",
        charts=("recruitment-funnel",),
        label="Applications received",
        unit="people",
        definition="Applications received in the 12 months to the date.",
        decimals=0,
    ),
    KpiDefinition(
        key="recruitment_interviewed",
        charts=("recruitment-funnel",),
        label="Applicants interviewed",
        unit="people",
        definition="Of the applications received in the 12 months to the date, those "
        "interviewed by the date.",
        decimals=0,
    ),
    KpiDefinition(
        key="recruitment_offered",
        charts=("recruitment-funnel",),
        label="Offers made",
        unit="people",
        definition="Of the applications received in the 12 months to the date, those offered "
        "the job by the date.",
        higher_is_better=True,
        decimals=0,
    ),
    KpiDefinition(
        key="recruitment_started",
        charts=("recruitment-funnel",),
        label="Recruited starters",
        unit="people",
        definition="Of the applications received in the 12 months to the date, those who "
        "had started by the date.",
        higher_is_better=True,
        decimals=0,
    ),
    KpiDefinition(
        key="recruitment_interview_to_offer_rate",
        derived_from=("recruitment_interviewed", "recruitment_offered"),
        label="Interview to offer",
        unit="%",
        definition="Offers as a percentage of applicants interviewed (applications received "
        "in the 12 months to the date).",
    ),
    KpiDefinition(
        key="recruitment_application_to_start_rate",
        derived_from=("recruitment_applications", "recruitment_started"),
        label="Application to start",
        unit="%",
        definition="Starters as a percentage of applications received in the 12 months to "
        "the date.",
        higher_is_better=True,
    ),
    KpiDefinition(
        key="time_to_hire_advert_to_offer_median",
        derived_from=("time_to_hire_offers",),
        charts=("time-to-hire",),
        label="Advert to offer (median)",
        unit="days",
        definition="Median days from the advert opening to the offer, for offers made in "
        "the 12 months to the date.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="time_to_hire_offer_to_start_median",
        derived_from=("time_to_hire_starts",),
        charts=("time-to-hire",),
        label="Offer to start (median)",
        unit="days",
        definition="Median days from offer to start, for starts in the 12 months to the date.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="time_to_hire_advert_to_start_median",
        derived_from=("time_to_hire_starts",),
        charts=("time-to-hire",),
        label="Advert to start (median)",
        unit="days",
        definition="Median days from the advert opening to the start, for starts in the "
        "12 months to the date.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="time_to_hire_advert_to_start_p90",
        derived_from=("time_to_hire_starts",),
        label="Advert to start (90th percentile)",
        unit="days",
        definition="90th percentile of days from the advert opening to the start, for starts "
        "in the 12 months to the date (nine in ten starters took no longer).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="time_to_hire_offers",
        label="Offers made in the period",
        unit="people",
        definition="Offers made in the 12 months to the date (the base of advert to offer).",
        decimals=0,
    ),
    KpiDefinition(
        key="time_to_hire_starts",
        label="Recruited starts in the period",
        unit="people",
        definition="Recruited starters who started in the 12 months to the date (the base "
        "of offer to start and advert to start).",
        decimals=0,
    ),
    KpiDefinition(
        key="vacancies_open",
        safe=True,
        label="Open vacancies",
        unit="vacancies",
        definition="Vacancies open on the date (on hold included), as recorded in recruitment.",
        higher_is_better=False,
        decimals=0,
    ),
    KpiDefinition(
        key="vacancies_open_fte",
        safe=True,
        label="Open vacancy FTE",
        unit="FTE",
        definition="FTE of the vacancies open on the date.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="vacancy_age_median",
        safe=True,
        label="Vacancy age (median)",
        unit="days",
        definition="Median days since opening of the vacancies open on the date.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="vacancies_covered_by_agency",
        derived_from=("vacancies_covered_by_agency",),
        label="Vacancies covered by agency",
        unit="vacancies",
        definition="Open vacancies on the date covered by an agency placement in post that day.",
        decimals=0,
    ),
)

_STAGE_KEYS = {
    "recruitment_applications": Stage.APPLIED,
    "recruitment_interviewed": Stage.INTERVIEWED,
    "recruitment_offered": Stage.OFFERED,
    "recruitment_started": Stage.STARTED,
}


#: The models the recruitment family reads (teams and areas place vacancies in scopes;
#: agency employments and assignments cover vacancies).
READS = (
    "recruitment.Vacancy",
    "recruitment.Campaign",
    "recruitment.Application",
    "recruitment.StageChange",
    "workforce.Employment",
    "workforce.Assignment",
    "workforce.Team",
    "workforce.ServiceArea",
)


@register_family("recruitment", *DEFINITIONS, reads=READS)
def recruitment_kpis(*, dates: list[dt.date], scopes: list[Scope]) -> dict:
    teams = team_infos()

    def included(scope: Scope, team_id: int, org_role: int) -> bool:
        team = teams.get(team_id)
        return team is not None and scope.includes(team, org_role)

    results = {}
    # One query for the hires of every date's period; each date keeps those of its own.
    every_hire = selectors.hire_dates(start=_period_start(min(dates)), end=max(dates))
    for date in dates:
        start = _period_start(date)
        funnel_rows = selectors.funnel_components(start=start, end=date, as_of=date)
        hires = [
            h
            for h in every_hire
            if (h["offered_on"] is not None and start <= h["offered_on"] <= date)
            or (h["started_on"] is not None and start <= h["started_on"] <= date)
        ]
        vacancies = selectors.vacancy_components(as_of=date)
        for scope in scopes:
            counts = {stage.value: 0 for stage in selectors.FUNNEL_STAGES}
            for row in funnel_rows:
                if included(scope, row["team_id"], row["org_role"]):
                    for stage in counts:
                        counts[stage] += row[stage]
            scoped_hires = [
                h for h in hires if included(scope, h["vacancy__team_id"], h["vacancy__org_role"])
            ]
            hire = selectors.time_to_hire_from_rows(scoped_hires, start=start, end=date)
            open_rows = [v for v in vacancies if included(scope, v["team_id"], v["org_role"])]
            ages = [v["age_days"] for v in open_rows]
            values: dict[str, Decimal | None] = {
                key: Decimal(counts[stage]) for key, stage in _STAGE_KEYS.items()
            }
            values["recruitment_interview_to_offer_rate"] = share(
                counts[Stage.OFFERED], counts[Stage.INTERVIEWED]
            )
            values["recruitment_application_to_start_rate"] = share(
                counts[Stage.STARTED], counts[Stage.APPLIED]
            )
            values["time_to_hire_advert_to_offer_median"] = hire["advert_to_offer"]["median"]
            values["time_to_hire_offer_to_start_median"] = hire["offer_to_start"]["median"]
            values["time_to_hire_advert_to_start_median"] = hire["advert_to_start"]["median"]
            values["time_to_hire_advert_to_start_p90"] = hire["advert_to_start"]["p90"]
            values["time_to_hire_offers"] = Decimal(hire["advert_to_offer"]["count"])
            values["time_to_hire_starts"] = Decimal(hire["advert_to_start"]["count"])
            values["vacancies_open"] = Decimal(len(open_rows))
            values["vacancies_open_fte"] = sum((v["fte"] for v in open_rows), Decimal(0))
            values["vacancy_age_median"] = (
                selectors.duration_summary(ages)["median"] if ages else None
            )
            values["vacancies_covered_by_agency"] = Decimal(
                sum(1 for v in open_rows if v["covered"])
            )
            results[(date, scope)] = values
    return results
