"""The demo council's pay: spine, points, Surrey's supplement, Buckinghamshire's thirds."""

import datetime as dt
from decimal import Decimal

import pytest

from pay import selectors
from pay.models import IncentivePayment, IncentiveScheme, WorkerPoint
from workforce import demo as workforce_demo

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 11, 15)


@pytest.fixture(scope="module")
def demo_council(django_db_setup, django_db_blocker):
    """The demo council for this module, rolled back after it."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        workforce_demo.seed_demo(seed=7, years=2, scale=0.3, today=TODAY)
        yield
        transaction.set_rollback(True)


def test_demo_workers_are_costed_and_paid_incentives(demo_council):
    on = dt.date(2025, 9, 30)
    rows = selectors.pay_on(on=on)
    costed = [row for row in rows if row.annual_salary is not None]
    assert len(costed) >= 0.9 * len(rows) > 10
    assert all(Decimal(20000) < row.annual_salary < Decimal(60000) for row in costed)
    assert WorkerPoint.objects.filter(reason="increment").exists()
    surrey = IncentiveScheme.objects.get(name__startswith="Market supplement: Family")
    paid = IncentivePayment.objects.filter(scheme=surrey)
    assert paid.exists() and all(p.amount <= Decimal("416.67") for p in paid)  # 5,000/12 x FTE
    thirds = IncentiveScheme.objects.get(name__startswith="Retention payment: thirds")
    assert IncentivePayment.objects.filter(scheme=thirds, amount=Decimal("1000.00")).exists()
    # This month is left for HR: due and not yet recorded.
    dues = selectors.incentive_dues(start=TODAY.replace(day=1), end=dt.date(2025, 11, 30))
    assert dues and all(d.paid is None for d in dues)
    figures = selectors.costs(start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31))
    assert figures["permanent_paybill"] > 1_000_000
    assert figures["incentives_paid"] > 0
