"""The agency premium and the cost per case-holding FTE, on hand-made cases.

Spine (``data/pay``): SCP 29 £38,626, 31 £40,476, 34 £43,693 in 2024/25; SCP 34 £45,091 in
2025/26. On-costs (``oncosts``): 13.8% NI above £9,100 and 20% pension; from April 2025
15% NI above £5,000. Level 3 spans SCP 29-34 (``level3``).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from agency.models import AgencyPlacement
from dashboards import kpis
from dashboards.kpis.scope import Scope
from pay import costing, selectors, services
from pay.models import AgencyEquivalentGrade
from tests.factories import TeamFactory, employ
from workforce import services as workforce_services
from workforce.models import Agency

pytestmark = pytest.mark.django_db
D = dt.date
TOP_2024 = Decimal(43693) + (Decimal(43693) - 9100) * Decimal("0.138") + Decimal(43693) / 5
"""SCP 34 in 2024/25 with on-costs: £57,205.434 a year."""


def test_grade_point_bottom_mid_top():
    assert costing.grade_point(low=29, high=34, point="bottom") == 29
    assert costing.grade_point(low=29, high=34, point="mid") == 31  # lower of 31 and 32
    assert costing.grade_point(low=29, high=33, point="mid") == 31
    assert costing.grade_point(low=29, high=34, point="top") == 34


def test_premium_yearly_cost_and_cost_per_fte_arithmetic():
    # 37 hours at £52 for 365/7 weeks = £100,322.86, less a permanent £57,205.43.
    yearly = costing.premium_yearly_cost(
        hours_per_week=Decimal(37), hourly_cost=Decimal(52), permanent_yearly_cost=TOP_2024
    )
    assert round(yearly, 2) == Decimal("43117.42")
    assert costing.cost_per_fte(
        paybill=Decimal(900), agency_cost=Decimal(100), case_holding_fte=Decimal("2.5")
    ) == Decimal(400)
    assert costing.cost_per_fte(paybill=Decimal(1), agency_cost=ZERO, case_holding_fte=None) is None
    assert costing.cost_per_fte(paybill=Decimal(1), agency_cost=ZERO, case_holding_fte=ZERO) is None


ZERO = Decimal(0)


@pytest.fixture
def equivalent(spine, level3, oncosts):
    return AgencyEquivalentGrade.objects.create(role_category="social_worker", grade=level3)


@pytest.fixture
def fs_team():
    return TeamFactory(name="Family Safeguarding")


def place(team, start, end=None, *, hours="37", charge="52.00", category="social_worker", n=1):
    return AgencyPlacement.objects.create(
        agency=Agency.objects.get_or_create(name="Locum Partners")[0], team=team,
        swe_number=f"SW9{n:05d}", role_category=category, pay_rate=Decimal("40.00"),
        charge_rate=Decimal(charge) if charge else None, hours_per_week=Decimal(hours),
        start_date=start, end_date=end, notice_weeks=4, declared_la_months=36,
    )  # fmt: skip


def test_premium_of_a_week_is_agency_cost_minus_the_top_of_the_grade(equivalent, fs_team):
    """6-12 January 2025, 37 hours at £52: £1,924 agency; permanent SCP 34 with on-costs
    for 7 days: £57,205.434 x 7 / 365 = £1,097.09; premium £826.91."""
    place(fs_team, D(2025, 1, 6))
    line = costing.agency_premium(start=D(2025, 1, 6), end=D(2025, 1, 12))
    assert line.agency_cost == Decimal(1924)
    assert round(line.permanent_cost, 2) == Decimal("1097.09")
    assert round(line.premium, 2) == Decimal("826.91")
    assert line.fte_years == Decimal(7) / Decimal(365)


def test_half_time_at_the_middle_of_the_grade(equivalent, fs_team):
    """18.5 hours (0.5 FTE) at the middle point (SCP 31, £40,476): pay £20,238 a year, plus
    (20,238 - 9,100) x 13.8% NI and 20% pension = £25,822.644; for 73 days: £5,164.53.
    Agency: 18.5 x £52 x 73 / 7 = £10,032.29. Premium £4,867.76."""
    equivalent.point = "mid"
    equivalent.save()
    place(fs_team, D(2024, 5, 1), D(2024, 7, 13), hours="18.5")  # 73 days: 1 May - 12 Jul
    line = costing.agency_premium(start=D(2024, 4, 1), end=D(2024, 12, 31))
    assert round(line.agency_cost, 2) == Decimal("10032.29")
    assert round(line.permanent_cost, 2) == Decimal("5164.53")
    assert round(line.premium, 2) == Decimal("4867.76")


def test_a_placement_over_the_pay_year_end_takes_each_day_at_its_own_rates(equivalent, fs_team):
    """31 March 2025 at 2024/25 pay and on-costs, 1 April 2025 at 2025/26's (SCP 34 £45,091,
    15% NI above £5,000, 20% pension: £60,122.85 a year)."""
    place(fs_team, D(2025, 3, 31), D(2025, 4, 2))
    line = costing.agency_premium(start=D(2025, 3, 1), end=D(2025, 4, 30))
    new_year = Decimal(45091) + (Decimal(45091) - 5000) * Decimal("0.15") + Decimal(45091) / 5
    assert new_year == Decimal("60122.85")
    assert round(line.permanent_cost, 6) == round((TOP_2024 + new_year) / 365, 6)
    _total, by_month = costing.agency_premium(start=D(2025, 3, 1), end=D(2025, 4, 30), by="month")
    assert by_month["2025-03"].permanent_cost == TOP_2024 / 365
    assert by_month["2025-04"].permanent_cost == new_year / 365
    assert by_month["2025-03"].agency_cost == Decimal(37) * 52 / 7


def test_no_equivalent_grade_means_no_premium_and_says_why(equivalent, fs_team):
    place(fs_team, D(2025, 1, 6), category="team_manager")
    line = costing.agency_premium(start=D(2025, 1, 6), end=D(2025, 1, 12))
    assert line.agency_cost == Decimal(37 * 52)  # still spent
    assert line.premium is None
    assert line.missing == {
        "Team manager: no equivalent grade set (admin, pay: agency equivalent grades)."
    }


def test_premium_by_team_and_role_and_scope(equivalent, fs_team):
    other = TeamFactory(name="Children in Care")
    place(fs_team, D(2025, 1, 6), n=1)
    place(other, D(2025, 1, 6), n=2, charge="")  # costed at its pay rate, £40
    place(None, D(2025, 1, 6), n=3)  # no team: the whole service and role scopes only
    week = {"start": D(2025, 1, 6), "end": D(2025, 1, 12)}
    permanent = TOP_2024 * 7 / 365
    fs = costing.agency_premium(**week, scope=Scope("team", "Family Safeguarding"))
    assert fs.premium == 1924 - permanent
    cic = costing.agency_premium(**week, scope=Scope("team", "Children in Care"))
    assert cic.premium == 37 * 40 - permanent
    everyone, by_team = costing.agency_premium(**week, by="team")
    assert everyone.premium == 1924 * 2 + 1480 - 3 * permanent
    assert by_team["No team recorded"].premium == 1924 - permanent
    assert costing.agency_premium(**week, scope=Scope("role", "5")).agency_cost == 1924 * 2 + 1480
    assert costing.agency_premium(
        **week, scope=Scope("area", fs_team.service_area.name)
    ).placements == {AgencyPlacement.objects.get(team=fs_team).pk}


def run(*args) -> dict:
    out = StringIO()
    call_command("costs", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def april_council(equivalent, fs_team):
    """Two permanent Level 3 workers on SCP 29, 1 FTE, each holding 10 cases on 29 April
    2024, and an agency worker 37 hours at £52 for the 7 days from 1 April 2024."""
    other = TeamFactory(name="Children in Care")
    for team in (fs_team, other):
        employment = employ(team=team, start=D(2021, 6, 1), grade=equivalent.grade)
        services.worker_point_set(employment=employment, effective_from=D(2021, 6, 1), scp=29)
        workforce_services.caseload_record(employment=employment, date=D(2024, 4, 29), cases=10)
    place(fs_team, D(2024, 4, 1), D(2024, 4, 8))
    return fs_team


def test_costs_command_prints_the_premium_and_the_cost_per_case_holding_fte(april_council):
    """April 2024: pay bill 2 x £50,425.788 x 30 / 365 = £8,289.17; agency 37 x 52 = £1,924;
    case-holding FTE on 30 April: 2 (the agency worker has left by then).
    Cost per case-holding FTE: (8,289.17 + 1,924) / 2 = £5,106.59.
    Premium: 1,924 - 57,205.434 x 7 / 365 (SCP 34, 2024/25... at 2022's on-costs) = £826.91."""
    data = run("--from", "2024-04-01", "--to", "2024-04-30")
    assert data["permanent_paybill"] == 8289.17
    assert data["agency_spend"] == 1924.0
    assert data["agency_premium"] == 826.91
    assert data["cost_per_case_holding_fte"] == 5106.59
    assert data["units"]["cost_per_case_holding_fte"] == "GBP per FTE"
    team = run("--from", "2024-04-01", "--to", "2024-04-30", "--scope", "team:Family Safeguarding")
    assert team["cost_per_case_holding_fte"] == round((8289.1716 / 2 + 1924) / 1, 2)


def test_no_pay_data_no_cost_per_fte(equivalent, fs_team):
    employment = employ(team=fs_team, start=D(2021, 6, 1))
    workforce_services.caseload_record(employment=employment, date=D(2024, 4, 29), cases=10)
    assert run("--from", "2024-04-01", "--to", "2024-04-30")["cost_per_case_holding_fte"] is None


def test_the_kpis_are_the_12_months_to_the_date_and_agree_with_the_command(april_council):
    as_of = D(2025, 3, 31)
    values = kpis.compute_kpis(as_of=as_of, scope=Scope("all"))
    figures = selectors.costs(start=D(2024, 4, 1), end=as_of)
    assert round(values["agency_premium"], 2) == figures["agency_premium"] == Decimal("826.91")
    assert round(values["cost_per_case_holding_fte"], 2) == figures["cost_per_case_holding_fte"]
    # The only caseload (29 April 2024) counts on 30 April: the mean over 12 month ends.
    assert figures["case_holding_fte"] == Decimal(2) / 12
    definition = kpis.REGISTRY["agency_premium"]
    assert definition.unit == "money" and "financial" in definition.report_sections
    assert "financial" in kpis.REGISTRY["cost_per_case_holding_fte"].report_sections


def test_the_kpis_for_many_dates_and_scopes_in_a_fixed_number_of_queries(april_council):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboards.kpis.costs import costs_kpis

    scopes = [Scope("all"), Scope("team", "Family Safeguarding"), Scope("role", "5")]
    with CaptureQueriesContext(connection) as one:
        costs_kpis(dates=[D(2025, 3, 31)], scopes=scopes[:1])
    dates = [D(2024, m, 28) for m in range(1, 13)]
    with CaptureQueriesContext(connection) as many:
        results = costs_kpis(dates=dates, scopes=scopes)
    assert len(many) == len(one)
    assert results[(D(2024, 4, 28), Scope("team", "Family Safeguarding"))]["agency_premium"]


def test_the_api_gives_the_premium_and_hides_it_from_councillors_when_small(
    client_as, april_council
):
    from django.urls import reverse

    from core.roles import Role

    url = reverse("pay-api:costs")
    query = {"start": "2024-04-01", "end": "2024-04-30"}
    director = client_as(Role.DIRECTOR).get(url, query).json()
    assert director["agency_premium"] == 826.91
    assert director["cost_per_case_holding_fte"] == 5106.59
    assert director["hidden"] == {}
    member = client_as(Role.SCRUTINY_MEMBER).get(url, query).json()
    # One placement and two case-holders: fewer than 5 people behind each figure.
    assert member["agency_premium"] is None and member["agency_spend"] is None
    assert member["cost_per_case_holding_fte"] is None
    assert member["hidden"]["agency_premium"] == "fewer than 5"
