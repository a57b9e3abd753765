"""The benchmark's SQL floor (benchmarks/costs.py) and the product give the same cost
figures on a small hand-made council, so `make bench` compares like with like: a pay
award (1 April), an on-cost change (6 April), an FTE change, an increment, a leaver, a
starter, an agency placement part-way through the period. PostgreSQL only (the floor
uses generate_series and LATERAL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from agency.models import AgencyPlacement
from benchmarks.costs import floor_costs, floor_pay_family
from core.locking import UNCHECKED
from dashboards.kpis.pay import pay_kpis
from dashboards.kpis.scope import Scope
from pay import agency, selectors, services
from pay.arithmetic import pounds
from pay.models import OnCostRate
from tests.factories import AgencyFactory, PersonFactory, TeamFactory, employ
from workforce import services as workforce_services
from workforce.choices import ChangeReason

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL floor is PostgreSQL's"),
]
D = dt.date
START, END = D(2024, 10, 1), D(2025, 9, 30)


@pytest.fixture
def council(spine, oncosts):
    OnCostRate.objects.create(
        effective_from=D(2025, 4, 6), employer_ni_rate=Decimal("15"),
        employer_ni_threshold=Decimal("5000"), pension_rate=Decimal("19.5"),
    )  # fmt: skip
    north = TeamFactory(name="North")
    stayer = employ(person=PersonFactory(swe_number="SW1"), team=north, start=D(2019, 5, 1))
    part = employ(person=PersonFactory(swe_number="SW2"), team=north, start=D(2022, 1, 10))
    workforce_services.assignment_change(
        employment=part, effective_from=D(2025, 1, 13),
        change_reason=ChangeReason.FTE_CHANGE, fte=Decimal("0.6"), version=UNCHECKED,
    )  # fmt: skip
    leaver = employ(
        person=PersonFactory(swe_number="SW3"), team=north, start=D(2020, 3, 2),
        end=D(2025, 2, 28),
    )  # fmt: skip
    starter = employ(person=PersonFactory(swe_number="SW4"), team=north, start=D(2025, 6, 16))
    employ(person=PersonFactory(swe_number="SW5"), team=north, start=D(2023, 1, 9))  # no point
    for employment, scp, start in (
        (stayer, 33, D(2021, 4, 1)), (part, 29, D(2022, 1, 10)), (leaver, 40, D(2021, 4, 1)),
        (starter, 26, D(2025, 6, 16)),
    ):  # fmt: skip
        services.worker_point_set(
            employment=employment, effective_from=start, scp=scp, reason="start"
        )
    services.worker_point_set(
        employment=stayer, effective_from=D(2025, 4, 1), scp=34, reason="increment"
    )
    temp = employ(
        person=PersonFactory(swe_number="SW6"), team=north, start=D(2024, 11, 4),
        end=D(2025, 5, 2), agency=True,
    )  # fmt: skip
    AgencyPlacement.objects.create(
        swe_number="SW6", person=temp.person, employment=temp, agency=AgencyFactory(),
        team=north, role_category="social_worker", pay_rate=Decimal("32.50"),
        charge_rate=Decimal("44.10"), hours_per_week=Decimal("37"), start_date=temp.start_date,
        end_date=temp.end_date, notice_weeks=4,
    )  # fmt: skip
    AgencyPlacement.objects.create(  # no charge rate: costed at its pay rate
        swe_number="SW7", agency=AgencyFactory(), role_category="team_manager",
        pay_rate=Decimal("41"), hours_per_week=Decimal("30"), start_date=D(2025, 8, 4),
        notice_weeks=4,
    )  # fmt: skip


def test_the_floor_gives_the_products_paybill_and_agency_spend(council):
    bill = selectors.paybill(start=START, end=END)
    spend, _premium = agency.agency_costs(start=START, end=END)
    floor_bill, floor_spend = floor_costs(start=START, end=END)
    assert bill.workers == 5 and bill.workers_without_point == 1
    assert pounds(floor_bill) == pounds(bill.total) > Decimal(90_000)
    assert pounds(floor_spend) == pounds(spend) > Decimal(30_000)


def test_the_floor_gives_the_pay_familys_yearly_cost_on_each_date(council):
    dates = [D(2024, 10, 31), D(2025, 3, 31), D(2025, 4, 30), D(2025, 9, 30)]
    scope = Scope.parse("all")
    family = pay_kpis(dates=dates, scopes=[scope])
    floor = floor_pay_family(dates=dates)
    for date in dates:
        figures = family[(date, scope)]
        assert floor[date][0] == figures["paid_headcount"]
        assert pounds(floor[date][1]) == pounds(figures["permanent_pay_yearly_cost"])
