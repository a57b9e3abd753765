"""The arithmetic of the DfE workforce KPIs: pure functions, no database.

Every function takes exact (unrounded) figures and returns an exact ``Decimal`` or
``None`` when the figure cannot be computed (a zero or missing denominator). Rates are
percentages (0-100). Rounding is for display only (``registry.KpiDefinition.display``).

The same functions are used by the live path, the stored snapshots and the check
against DfE's published figures (tests/dashboards/test_acceptance_dfe.py), so the
product and DfE can be compared line by line. Definitions: domain.md section 3.
"""

from __future__ import annotations

from decimal import Decimal

from core.numbers import share

#: Working days in a year, DfE's denominator for the sickness absence rate (inferred
#: from DfE's published figures: it reproduces them).
WORKING_DAYS_PER_YEAR = 253

ZERO = Decimal(0)

Number = Decimal | int | None


def _d(value: Number) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def add(*values: Number) -> Decimal | None:
    """The sum, or ``None`` if any term is missing."""
    total = ZERO
    for value in values:
        value = _d(value)
        if value is None:
            return None
        total += value
    return total


def agency_rate(*, agency_fte: Number, inpost_fte: Number) -> Decimal | None:
    """Agency FTE / (agency FTE + in-post FTE) x 100 (DfE ``agency_rate_fte``)."""
    return share(agency_fte, add(agency_fte, inpost_fte))


def permanence_rate(*, inpost_fte: Number, agency_fte: Number) -> Decimal | None:
    """In-post FTE / (in-post FTE + agency FTE) x 100 = 100 - agency rate."""
    return share(inpost_fte, add(inpost_fte, agency_fte))


def vacancy_rate(*, vacancy_fte: Number, inpost_fte: Number) -> Decimal | None:
    """Vacancy FTE / (vacancy FTE + in-post FTE) x 100 (DfE ``vacancy_rate_fte``)."""
    return share(vacancy_fte, add(vacancy_fte, inpost_fte))


def posts_filled_permanent_rate(*, inpost_fte: Number, vacancy_fte: Number) -> Decimal | None:
    """Establishment basis: in-post FTE / (in-post FTE + vacancy FTE) x 100 (Kent)."""
    return share(inpost_fte, add(inpost_fte, vacancy_fte))


def posts_covered_by_agency_rate(
    *, agency_cover_fte: Number, inpost_fte: Number, vacancy_fte: Number
) -> Decimal | None:
    """Establishment basis: agency FTE covering vacancies / (in-post + vacancy FTE) x 100."""
    return share(agency_cover_fte, add(inpost_fte, vacancy_fte))


def agency_cover_rate(*, agency_cover_fte: Number, agency_fte: Number) -> Decimal | None:
    """Agency FTE covering vacancies / agency FTE x 100."""
    return share(agency_cover_fte, agency_fte)


def vacancies_covered_by_agency_rate(
    *, agency_cover_fte: Number, vacancy_fte: Number
) -> Decimal | None:
    """Agency FTE covering vacancies / vacancy FTE x 100 (DfE ``vacancy_agency_cover_rate_fte``)."""
    return share(agency_cover_fte, vacancy_fte)


def turnover_rate(*, leavers_fte: Number, inpost_fte: Number) -> Decimal | None:
    """Leavers FTE in the 12 months to the date / in-post FTE on the date x 100.

    DfE divides by the stock at the end of the year, so this can exceed 100."""
    return share(leavers_fte, inpost_fte)


def caseload(*, cases: Number, case_holders_fte: Number) -> Decimal | None:
    """Cases held / FTE of the social workers holding them (DfE ``caseload_fte``)."""
    cases, fte = _d(cases), _d(case_holders_fte)
    if cases is None or fte is None or fte == 0:
        return None
    return cases / fte


def absence_rate(*, working_days_lost: Number, inpost_fte: Number) -> Decimal | None:
    """Working days lost / (in-post FTE x 253) x 100 (DfE ``absence_rate_fte``)."""
    days, fte = _d(working_days_lost), _d(inpost_fte)
    if days is None or fte is None:
        return None
    return share(days, fte * WORKING_DAYS_PER_YEAR)


def stability_rate(*, stable_headcount: Number, inpost_headcount: Number) -> Decimal | None:
    """Employed in post with 2+ years' continuous service / employed in post x 100."""
    return share(stable_headcount, inpost_headcount)


def team_vacancy_fte(*, establishment_fte: Number, inpost_fte: Number) -> Decimal:
    """One team's vacancies: funded FTE not filled by employed staff, never below 0."""
    return max(ZERO, (_d(establishment_fte) or ZERO) - (_d(inpost_fte) or ZERO))


def team_agency_cover_fte(*, agency_fte: Number, vacancy_fte: Number) -> Decimal:
    """One team's agency FTE covering vacancies: no more than its vacancies."""
    return min(_d(agency_fte) or ZERO, _d(vacancy_fte) or ZERO)
