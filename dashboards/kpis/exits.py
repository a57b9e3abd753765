"""Exit interview coverage KPIs (Surrey 5a, Tameside 5.5): of everyone who left in the
12 months to the date - agency workers included - the share offered an exit interview
and the share who completed one; and the agency leavers' own offered share.

Reads ``exits.selectors.exit_coverage_rows`` (one query for all the dates); a leaver counts in a
scope by the team and DfE role of their last day. ``core.numbers.share`` is the arithmetic.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from decimal import Decimal

from core.dates import years_before
from core.numbers import share

from .registry import KpiDefinition, register_family
from .scope import Scope, team_infos

#: The models the exits family reads: leavings (employments and their last team) and
#: their exit records.
READS = (
    "exits.ExitRecord",
    "workforce.Employment",
    "workforce.Assignment",
    "workforce.Team",
    "workforce.ServiceArea",
)


@register_family(
    "exits",
    KpiDefinition(
        key="exit_interview_offered_rate",
        derived_from=("exit_leavers_headcount", "exit_offered_headcount"),
        charts=("exit-interview-coverage",),
        label="Leavers offered an exit interview",
        unit="%",
        definition=(
            "Leavers in the 12 months to the date, agency workers included, who were "
            "offered an exit interview, as a share of all those leavers (headcount)."
        ),
        higher_is_better=True,
    ),
    KpiDefinition(
        key="exit_interview_completed_rate",
        derived_from=("exit_leavers_headcount", "exit_completed_headcount"),
        charts=("exit-interview-coverage",),
        label="Leavers who completed an exit interview",
        unit="%",
        definition=(
            "Leavers in the 12 months to the date, agency workers included, whose exit "
            "interview or questionnaire was completed, as a share of all those leavers."
        ),
        higher_is_better=True,
    ),
    KpiDefinition(
        key="exit_interview_agency_offered_rate",
        derived_from=("exit_agency_leavers_headcount", "exit_agency_offered_headcount"),
        charts=("exit-interview-coverage",),
        label="Agency leavers offered an exit interview",
        unit="%",
        definition=(
            "Agency workers whose placement ended in the 12 months to the date who were "
            "offered an exit interview, as a share of those agency leavers."
        ),
        higher_is_better=True,
    ),
    KpiDefinition(
        key="exit_leavers_headcount",
        label="Leavers (agency included)",
        unit="people",
        definition="Leavers in the 12 months to the date, agency workers included (the base of "
        "exit interview coverage).",
        decimals=0,
    ),
    KpiDefinition(
        key="exit_offered_headcount",
        label="Leavers offered an exit interview (headcount)",
        unit="people",
        definition="Leavers in the 12 months to the date, agency workers included, offered an "
        "exit interview.",
        decimals=0,
    ),
    KpiDefinition(
        key="exit_completed_headcount",
        label="Leavers who completed an exit interview (headcount)",
        unit="people",
        definition="Leavers in the 12 months to the date, agency workers included, whose exit "
        "interview or questionnaire was completed.",
        decimals=0,
    ),
    KpiDefinition(
        key="exit_agency_leavers_headcount",
        label="Agency leavers",
        unit="people",
        definition="Agency workers whose placement ended in the 12 months to the date.",
        decimals=0,
    ),
    KpiDefinition(
        key="exit_agency_offered_headcount",
        label="Agency leavers offered an exit interview (headcount)",
        unit="people",
        definition="Agency workers whose placement ended in the 12 months to the date who were "
        "offered an exit interview.",
        decimals=0,
    ),
    reads=READS,
)
def exits_kpis(*, dates: list[dt.date], scopes: list[Scope]) -> dict:
    from exits.selectors import exit_coverage_rows

    teams = team_infos()
    results: dict = {}
    # One query for every date: the leavings of all their 12-month periods, by leaving date.
    every = sorted(
        exit_coverage_rows(start_after=years_before(min(dates), 1), end_on_or_before=max(dates)),
        key=lambda row: row["end_date"],
    )
    leaving_dates = [row["end_date"] for row in every]
    for date in dates:
        after, upto = years_before(date, 1), date
        rows = every[bisect_right(leaving_dates, after) : bisect_right(leaving_dates, upto)]
        # Leavers, offered and completed by (team, DfE role, agency): a few dozen groups.
        groups: dict[tuple, list[int]] = {}
        for row in rows:
            counts = groups.setdefault((row["team_id"], row["org_role"], row["agency"]), [0, 0, 0])
            counts[0] += 1
            counts[1] += row["offered"]
            counts[2] += row["completed"]
        for scope in scopes:
            mine = [
                (agency, counts)
                for (team_id, org_role, agency), counts in groups.items()
                if team_id in teams and scope.includes(teams[team_id], org_role)
            ]
            agency_only = [counts for agency, counts in mine if agency]
            leavers = sum(counts[0] for _, counts in mine)
            offered = sum(counts[1] for _, counts in mine)
            completed = sum(counts[2] for _, counts in mine)
            agency_leavers = sum(counts[0] for counts in agency_only)
            agency_offered = sum(counts[1] for counts in agency_only)
            results[(date, scope)] = {
                "exit_interview_offered_rate": share(offered, leavers),
                "exit_interview_completed_rate": share(completed, leavers),
                "exit_interview_agency_offered_rate": share(agency_offered, agency_leavers),
                "exit_leavers_headcount": Decimal(leavers),
                "exit_offered_headcount": Decimal(offered),
                "exit_completed_headcount": Decimal(completed),
                "exit_agency_leavers_headcount": Decimal(agency_leavers),
                "exit_agency_offered_headcount": Decimal(agency_offered),
            }
    return results
