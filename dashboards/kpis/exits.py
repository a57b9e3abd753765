"""Exit interview coverage KPIs (Surrey 5a, Tameside 5.5): of everyone who left in the
12 months to the date - agency workers included - the share offered an exit interview
and the share who completed one; and the agency leavers' own offered share.

Reads ``exits.selectors.exit_coverage_rows`` (one query per date); a leaver counts in a
scope by the team and DfE role of their last day. ``coverage_rate`` is the arithmetic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .rates import years_before
from .registry import KpiDefinition, register_family
from .scope import Scope, team_infos


def coverage_rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` in percent, or None when nobody left."""
    if not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


@register_family(
    "exits",
    KpiDefinition(
        key="exit_interview_offered_rate",
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
        label="Agency leavers offered an exit interview",
        unit="%",
        definition=(
            "Agency workers whose placement ended in the 12 months to the date who were "
            "offered an exit interview, as a share of those agency leavers."
        ),
        higher_is_better=True,
    ),
)
def exits_kpis(*, dates: list[dt.date], scopes: list[Scope]) -> dict:
    from exits.selectors import exit_coverage_rows

    teams = team_infos()
    results: dict = {}
    for date in dates:
        rows = exit_coverage_rows(start_after=years_before(date, 1), end_on_or_before=date)
        for scope in scopes:
            mine = [
                row
                for row in rows
                if row["team_id"] in teams
                and scope.includes(teams[row["team_id"]], row["org_role"])
            ]
            agency = [row for row in mine if row["agency"]]
            results[(date, scope)] = {
                "exit_interview_offered_rate": coverage_rate(
                    sum(row["offered"] for row in mine), len(mine)
                ),
                "exit_interview_completed_rate": coverage_rate(
                    sum(row["completed"] for row in mine), len(mine)
                ),
                "exit_interview_agency_offered_rate": coverage_rate(
                    sum(row["offered"] for row in agency), len(agency)
                ),
            }
    return results
