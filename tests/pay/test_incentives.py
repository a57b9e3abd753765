"""Incentives as dated payments: what is due when, what HR recorded, a leaver's clawback
at its boundaries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pay import selectors, services
from pay.choices import IncentiveKind
from pay.models import IncentiveInstalment, IncentiveScheme
from tests.factories import TeamFactory, employ

pytestmark = pytest.mark.django_db


def supplement(team):
    scheme = IncentiveScheme.objects.create(
        name="Family safeguarding market supplement", kind=IncentiveKind.MARKET_SUPPLEMENT,
        amount=Decimal("5000"), start_date=dt.date(2024, 4, 1),
    )  # fmt: skip
    scheme.teams.add(team)
    return scheme


def thirds(*, clawback_months=12):
    """Buckinghamshire: 1/3 after year 1, 2/3 after year 2, repaid if leaving within N months."""
    scheme = IncentiveScheme.objects.create(
        name="Retention payment", kind=IncentiveKind.RETENTION_PAYMENT, amount=Decimal("3000"),
        start_date=dt.date(2023, 1, 1), clawback_months=clawback_months,
    )  # fmt: skip
    IncentiveInstalment.objects.create(scheme=scheme, months_after=12, share=Decimal(1) / 3)
    IncentiveInstalment.objects.create(scheme=scheme, months_after=24, share=Decimal(2) / 3)
    return scheme


def test_market_supplement_is_due_monthly_for_the_named_team_pro_rata_fte():
    team = TeamFactory(name="Family Safeguarding")
    supplement(team)
    full = employ(team=team, start=dt.date(2024, 1, 1))
    half = employ(team=team, start=dt.date(2024, 1, 1), fte="0.5")
    employ(start=dt.date(2024, 1, 1))  # another team: nothing
    employ(team=team, start=dt.date(2024, 1, 1), agency=True)  # agency: nothing
    dues = selectors.incentive_dues(start=dt.date(2024, 3, 1), end=dt.date(2024, 5, 31))
    assert [(d.employment, d.due_date, d.amount) for d in dues] == sorted(
        [
            (full, dt.date(2024, 4, 30), Decimal("416.67")),
            (half, dt.date(2024, 4, 30), Decimal("208.33")),
            (full, dt.date(2024, 5, 31), Decimal("416.67")),
            (half, dt.date(2024, 5, 31), Decimal("208.33")),
        ],
        key=lambda row: (row[1], row[0].person.last_name),
    )  # none in March: the scheme had not started


def test_retention_thirds_fall_due_after_years_one_and_two_and_not_after_leaving():
    thirds()
    stays = employ(start=dt.date(2022, 6, 1))  # in post when the scheme starts: from 1 Jan 2023
    new = employ(start=dt.date(2023, 3, 15))
    leaves = employ(start=dt.date(2023, 3, 15), end=dt.date(2024, 6, 1))
    dues = selectors.incentive_dues(
        start=dt.date(2023, 1, 1), end=dt.date(2026, 1, 1),
        employments=[stays, new, leaves],
    )  # fmt: skip
    got = {(d.employment.pk, d.due_date, d.amount) for d in dues}
    assert got == {
        (stays.pk, dt.date(2024, 1, 1), Decimal("1000.00")),
        (stays.pk, dt.date(2025, 1, 1), Decimal("2000.00")),
        (new.pk, dt.date(2024, 3, 15), Decimal("1000.00")),
        (new.pk, dt.date(2025, 3, 15), Decimal("2000.00")),
        (leaves.pk, dt.date(2024, 3, 15), Decimal("1000.00")),
    }


def test_hr_records_a_payment_once_and_the_due_list_shows_it_paid():
    scheme = thirds()
    employment = employ(start=dt.date(2023, 3, 15))
    services.incentive_payment_record(
        scheme=scheme, employment=employment, due_date=dt.date(2024, 3, 15),
        amount=Decimal("1000"), paid_on=dt.date(2024, 3, 28),
    )  # fmt: skip
    [due] = selectors.incentive_dues(start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 31))
    assert due.paid is not None and due.paid.amount == Decimal("1000")
    with pytest.raises(ValidationError, match="already recorded"):
        services.incentive_payment_record(
            scheme=scheme, employment=employment, due_date=dt.date(2024, 3, 15),
            amount=Decimal("1000"), paid_on=dt.date(2024, 3, 29),
        )  # fmt: skip
    assert selectors.incentives_paid(
        start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 31)
    ) == Decimal("1000")


@pytest.mark.parametrize(
    ("leaving", "owes"),
    [
        (dt.date(2024, 3, 16), Decimal("1000.00")),  # the day after it fell due
        (dt.date(2024, 9, 14), Decimal("1000.00")),  # one day before the clawback ends
        (dt.date(2024, 9, 15), Decimal("0.00")),  # the day it ends: nothing owed
        (dt.date(2024, 9, 16), Decimal("0.00")),  # one day after
    ],
)
def test_clawback_at_its_boundaries(leaving, owes):
    scheme = thirds(clawback_months=6)  # first third due 15 March 2024: repayable to 15 Sept
    employment = employ(start=dt.date(2023, 3, 15), end=leaving)
    services.incentive_payment_record(
        scheme=scheme, employment=employment, due_date=dt.date(2024, 3, 15),
        amount=Decimal("1000"), paid_on=dt.date(2024, 3, 28),
    )  # fmt: skip
    clawback = selectors.clawback_for(employment=employment)
    assert clawback.total == owes
    if owes:
        [line] = clawback.lines
        assert (line.repay_until, line.recorded_paid) == (dt.date(2024, 9, 15), True)


def test_clawback_of_an_unrecorded_instalment_says_so_and_in_post_owes_nothing():
    thirds(clawback_months=6)
    employment = employ(start=dt.date(2023, 3, 15), end=dt.date(2024, 5, 1))
    [line] = selectors.clawback_for(employment=employment).lines
    assert (line.amount, line.recorded_paid) == (Decimal("1000.00"), False)
    in_post = employ(start=dt.date(2023, 3, 15))
    assert selectors.clawback_for(employment=in_post).total == 0


def test_relocation_is_due_on_the_start_day_and_car_allowance_monthly_for_a_grade():
    from tests.factories import GradeFactory

    relocation = IncentiveScheme.objects.create(
        name="Relocation", kind=IncentiveKind.RELOCATION, amount=Decimal("8000"),
        start_date=dt.date(2024, 1, 1),
    )  # fmt: skip
    IncentiveInstalment.objects.create(scheme=relocation, months_after=0, share=Decimal(1))
    manager = GradeFactory(name="Team manager")
    car = IncentiveScheme.objects.create(
        name="Car allowance", kind=IncentiveKind.CAR_ALLOWANCE, amount=Decimal("2000"),
        start_date=dt.date(2024, 1, 1),
    )  # fmt: skip
    car.grades.add(manager)
    joiner = employ(start=dt.date(2024, 2, 12), grade=manager)
    before = employ(start=dt.date(2023, 6, 1))  # joined before the scheme: no relocation
    dues = selectors.incentive_dues(
        start=dt.date(2024, 2, 1), end=dt.date(2024, 2, 29), employments=[joiner, before]
    )
    assert {(d.scheme.name, d.employment, d.due_date, d.amount) for d in dues} == {
        ("Relocation", joiner, dt.date(2024, 2, 12), Decimal("8000.00")),
        ("Car allowance", joiner, dt.date(2024, 2, 29), Decimal("166.67")),
    }
