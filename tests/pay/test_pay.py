"""Each worker's pay: point on the dated record, salary from the spine as of a date, the
pay bill with on-costs, increments due on the increment date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pay import selectors, services
from pay.arithmetic import pounds
from pay.choices import PointChangeReason
from tests.factories import employ

pytestmark = pytest.mark.django_db


def worker(grade, *, scp, start=dt.date(2021, 6, 1), fte="1", **kw):
    employment = employ(start=start, fte=fte, grade=grade, **kw)
    services.worker_point_set(employment=employment, effective_from=start, scp=scp)
    return employment


def test_salary_on_a_date_is_the_point_of_the_pay_year_times_fte(spine, level3):
    employment = worker(level3, scp=29, fte="0.5")
    row = selectors.worker_pay_on(employment=employment, on=dt.date(2024, 9, 30))
    assert (row.scp, row.annual_salary, row.pay) == (29, Decimal("38626.00"), Decimal("19313"))
    # The same worker, the year before: the 2023/24 value.
    row = selectors.worker_pay_on(employment=employment, on=dt.date(2024, 3, 31))
    assert row.annual_salary == Decimal("37336.00")


def test_paybill_for_a_pay_year_includes_ni_above_threshold_and_pension(spine, level3, oncosts):
    worker(level3, scp=29)
    bill = selectors.paybill(start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31))
    # 38,626 + 13.8% x (38,626 - 9,100) + 20% x 38,626 = 38,626 + 4,074.588 + 7,725.20
    assert pounds(bill.total) == Decimal("50425.79")
    assert pounds(bill.pay) == Decimal("38626.00")
    assert (bill.workers, bill.workers_without_point) == (1, 0)


def test_paybill_across_the_pay_year_and_on_cost_change_is_pro_rata(spine, level3, oncosts):
    worker(level3, scp=29)
    bill = selectors.paybill(start=dt.date(2025, 3, 1), end=dt.date(2025, 4, 30))
    march = (Decimal(38626) + Decimal("0.138") * (38626 - 9100) + Decimal("0.2") * 38626) * 31
    april = (Decimal(39862) + Decimal("0.15") * (39862 - 5000) + Decimal("0.2") * 39862) * 30
    assert pounds(bill.total) == pounds((march + april) / 365)


def test_agency_workers_and_leavers_are_not_on_the_paybill(spine, level3, oncosts):
    employ(start=dt.date(2021, 6, 1), agency=True)
    worker(level3, scp=29, end=dt.date(2024, 4, 1))  # left on the first day
    unpointed = employ(start=dt.date(2021, 6, 1), grade=level3)
    bill = selectors.paybill(start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31))
    assert bill.total == 0
    assert (bill.workers, bill.workers_without_point) == (1, 1)
    assert unpointed.pay_points.count() == 0


def test_increments_due_on_the_increment_date_stop_at_the_top_of_the_grade(spine, level3):
    low = worker(level3, scp=29)
    worker(level3, scp=34)  # top of Level 3
    on = selectors.increment_date_on_or_after(dt.date(2025, 1, 15))
    assert on == dt.date(2025, 4, 1)
    due = selectors.increments_due(on=on)
    assert [(d.employment, d.from_scp, d.to_scp) for d in due] == [(low, 29, 30)]
    assert (due[0].from_salary, due[0].to_salary) == (
        Decimal("39862.00"),
        Decimal("40777.00"),
    )  # 39,513 x 1.032

    services.increment_confirm(employment=low, date=on)
    assert selectors.worker_pay_on(employment=low, on=on).scp == 30
    assert selectors.worker_pay_on(employment=low, on=on - dt.timedelta(days=1)).scp == 29
    assert selectors.increments_due(on=on) == []
    with pytest.raises(ValidationError, match="No increment is due"):
        services.increment_confirm(employment=low, date=on)


def test_a_point_cannot_start_before_the_worker_or_for_an_agency_worker(spine, level3):
    employment = employ(start=dt.date(2022, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.worker_point_set(employment=employment, effective_from=dt.date(2021, 1, 1), scp=99)
    assert "before the worker started" in str(error.value)
    assert "not on the pay spine" in str(error.value)
    agency = employ(start=dt.date(2022, 1, 1), agency=True)
    with pytest.raises(ValidationError, match="Agency workers"):
        services.worker_point_set(
            employment=agency, effective_from=dt.date(2022, 1, 1), scp=29,
            reason=PointChangeReason.START,
        )  # fmt: skip
