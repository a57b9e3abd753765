"""The pure KPI arithmetic on hand-computed numbers (no database)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dashboards.kpis import rates
from dashboards.kpis.registry import KpiDefinition


def test_agency_and_permanence_rates_are_shares_of_all_fte():
    assert rates.agency_rate(agency_fte=D("1.0"), inpost_fte=D("1.8")) == D(1) / D("2.8") * 100
    assert rates.permanence_rate(inpost_fte=D("94"), agency_fte=D("42")) == D(94) / 136 * 100
    assert rates.agency_rate(agency_fte=D(0), inpost_fte=D(0)) is None
    assert rates.permanence_rate(inpost_fte=D(0), agency_fte=D(3)) == 0


def test_vacancy_rate_and_establishment_basis():
    assert (
        rates.vacancy_rate(vacancy_fte=D("2.5"), inpost_fte=D("1.8")) == D("2.5") / D("4.3") * 100
    )
    assert rates.vacancy_rate(vacancy_fte=None, inpost_fte=D(5)) is None
    assert rates.posts_filled_permanent_rate(inpost_fte=D(755), vacancy_fte=D(245)) == D("75.5")
    assert rates.posts_covered_by_agency_rate(
        agency_cover_fte=D(183), inpost_fte=D(755), vacancy_fte=D(245)
    ) == D("18.3")
    assert rates.vacancies_covered_by_agency_rate(agency_cover_fte=D(3), vacancy_fte=D(4)) == 75
    assert rates.agency_cover_rate(agency_cover_fte=D(3), agency_fte=D(6)) == 50
    assert rates.agency_cover_rate(agency_cover_fte=D(0), agency_fte=D(0)) is None


def test_team_vacancies_are_never_negative_and_cover_never_exceeds_them():
    assert rates.team_vacancy_fte(establishment_fte=D(10), inpost_fte=D("7.5")) == D("2.5")
    assert rates.team_vacancy_fte(establishment_fte=D(5), inpost_fte=D(7)) == 0
    assert rates.team_agency_cover_fte(agency_fte=D(4), vacancy_fte=D("2.5")) == D("2.5")
    assert rates.team_agency_cover_fte(agency_fte=D(1), vacancy_fte=D("2.5")) == 1


def test_turnover_divides_by_the_stock_on_the_date_and_can_exceed_100():
    assert rates.turnover_rate(leavers_fte=D("5254.6"), inpost_fte=D("33119.1")) == pytest.approx(
        D("15.866"), abs=D("0.001")
    )
    assert rates.turnover_rate(leavers_fte=D(3), inpost_fte=D(2)) == 150
    assert rates.turnover_rate(leavers_fte=D(1), inpost_fte=D(0)) is None


def test_caseload_is_cases_per_case_holding_fte():
    assert rates.caseload(cases=41, case_holders_fte=D("2.8")) == D(41) / D("2.8")
    assert rates.caseload(cases=337055, case_holders_fte=D("21111.4")) == pytest.approx(
        D("15.97"), abs=D("0.01")
    )
    assert rates.caseload(cases=0, case_holders_fte=D(0)) is None


def test_absence_uses_253_working_days_per_fte():
    assert rates.WORKING_DAYS_PER_YEAR == 253
    assert (
        rates.absence_rate(working_days_lost=D(4), inpost_fte=D("1.8"))
        == D(4) / (D("1.8") * 253) * 100
    )
    assert rates.absence_rate(working_days_lost=D("253"), inpost_fte=D(1)) == 100
    assert rates.absence_rate(working_days_lost=D(0), inpost_fte=D(0)) is None


def test_stability_is_a_headcount_share():
    assert rates.stability_rate(stable_headcount=1, inpost_headcount=2) == 50
    assert rates.stability_rate(stable_headcount=58, inpost_headcount=100) == 58
    assert rates.stability_rate(stable_headcount=0, inpost_headcount=0) is None


def test_display_rounds_half_up_to_one_decimal_place():
    rate = KpiDefinition(key="x", label="X", unit="%", definition="")
    assert rate.display(D(32) / D(144) * 100) == "22.2%"
    assert rate.display(D("0.05")) == "0.1%"
    assert rate.display(None) == "not available"
    fte = KpiDefinition(key="y", label="Y", unit="FTE", definition="")
    assert fte.display(D("171.25")) == "171.3 FTE"
