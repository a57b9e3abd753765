"""``manage.py costs`` and the pay KPI family."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dashboards import kpis
from dashboards.kpis.pay import average
from pay import services
from pay.choices import IncentiveKind
from pay.models import IncentiveScheme
from tests.factories import TeamFactory, employ

pytestmark = pytest.mark.django_db


def test_average_of_nobody_is_not_available():
    assert average(Decimal(0), 0) is None
    assert average(Decimal(10), 4) == Decimal("2.5")


@pytest.fixture
def council(spine, level3, oncosts):
    team = TeamFactory(name="Family Safeguarding")
    other = TeamFactory(name="Children in Care")
    for t in (team, other):
        employment = employ(team=t, start=dt.date(2021, 6, 1), grade=level3)
        services.worker_point_set(employment=employment, effective_from=dt.date(2021, 6, 1), scp=29)
    scheme = IncentiveScheme.objects.create(
        name="Supplement", kind=IncentiveKind.MARKET_SUPPLEMENT, amount=Decimal("5000"),
        start_date=dt.date(2024, 4, 1),
    )  # fmt: skip
    scheme.teams.add(team)
    paid = team.assignments.get().employment
    services.incentive_payment_record(
        scheme=scheme, employment=paid, due_date=dt.date(2024, 4, 30),
        amount=Decimal("416.67"), paid_on=dt.date(2024, 4, 30),
    )  # fmt: skip
    return team


def run(*args):
    out = StringIO()
    call_command("costs", *args, stdout=out)
    return out.getvalue()


def test_costs_json_for_a_pay_year(council):
    data = json.loads(run("--from", "2024-04-01", "--to", "2025-03-31", "--format", "json"))
    assert data["from"] == "2024-04-01" and data["to"] == "2025-03-31" and data["scope"] == "all"
    assert data["permanent_paybill"] == 100851.58  # 2 x 50,425.788
    assert data["incentives_paid"] == 416.67
    assert data["incentives_due"] == 5000.04  # 12 x 416.67
    # no agency placement in the period: nothing spent, so no premium over permanent pay
    assert data["agency_spend"] == 0 and data["agency_premium"] == 0


def test_agency_spend_is_hours_times_the_charge_rate(council):
    """One placement, 37 hours a week at £52 an hour, for the whole week 6-12 January 2025:
    37 x 52 = £1,924 - for the whole service and for its team, nothing for another team."""
    from agency.models import AgencyPlacement
    from workforce.models import Agency

    AgencyPlacement.objects.create(
        agency=Agency.objects.create(name="Locum Partners"), team=council,
        swe_number="SW900001", role_category="social_worker", pay_rate=Decimal("40.00"),
        charge_rate=Decimal("52.00"), hours_per_week=Decimal("37"),
        start_date=dt.date(2025, 1, 6), notice_weeks=4, declared_la_months=36,
    )  # fmt: skip
    week = ("--from", "2025-01-06", "--to", "2025-01-12")
    assert json.loads(run(*week))["agency_spend"] == 1924.0
    assert json.loads(run(*week, "--scope", "team:Family Safeguarding"))["agency_spend"] == 1924.0
    assert json.loads(run(*week, "--scope", "team:Children in Care"))["agency_spend"] == 0


def test_costs_by_team_scope_and_table(council):
    data = json.loads(
        run("--from", "2024-04-01", "--to", "2025-03-31", "--scope", "team:Children in Care")
    )
    assert data["scope"] == "team:Children in Care"
    assert data["permanent_paybill"] == 50425.79
    assert data["incentives_paid"] == 0 and data["incentives_due"] == 0
    table = run("--from", "2024-04-01", "--to", "2025-03-31", "--format", "table")
    assert "£100,851.58" in table and "Agency spend" in table and "not available" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2024-13-01", "--to", "2025-01-01"), "is not a date"),
        (("--from", "2025-01-01", "--to", "2024-01-01"), "on or after"),
        (("--from", "2024-01-01", "--to", "2025-01-01", "--scope", "team:Nope"), "no team"),
    ],
)
def test_costs_command_errors_are_plain(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_pay_kpi_family_in_the_registry(council):
    on = dt.date(2024, 9, 30)
    values = kpis.compute_kpis(as_of=on, scope=kpis.Scope("all"))
    assert values["paid_headcount"] == 2
    assert values["average_salary"] == Decimal("38626")
    assert round(values["permanent_pay_yearly_cost"], 2) == Decimal("100851.58")
    assert values["incentives_paid_12m"] == Decimal("416.67")
    team = kpis.compute_kpis(as_of=on, scope=kpis.Scope("team", "Children in Care"))
    assert (team["paid_headcount"], team["incentives_paid_12m"]) == (1, 0)
    assert kpis.REGISTRY["average_salary"].display(Decimal("38626.4")) == "£38,626"
