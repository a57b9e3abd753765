"""The pay items of the census return (2025 on), provided to ``workforce.census`` through
its seam (``workforce.census.figures.register_pay_provider``, called by ``PayConfig.ready``).

- ``BaseSalary``: each permanent worker in post on 30 September with a spinal point
  recorded: the full-time annual salary of that point in the pay year in force that day
  (``selectors.pay_on``), allowances and supplements excluded.
- The council-level items: 1 if an incentive scheme of that kind is active at any time in
  the census year (1 October to 30 September), else 0 (``choices.CENSUS_PAY_ITEM``); no
  figure at all if the council records no incentive schemes (the export then keeps what
  an imported return declared).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from workforce.census.figures import CensusPay
from workforce.census.items import census_year_start

from .choices import CENSUS_PAY_ITEM
from .models import IncentiveScheme
from .selectors import pay_on


def census_pay(*, reference_date: dt.date) -> CensusPay:
    salaries = {
        row.employment.pk: row.annual_salary
        for row in pay_on(on=reference_date)
        if row.annual_salary is not None
    }
    if not IncentiveScheme.objects.exists():
        return CensusPay(salaries=salaries, incentives=None)
    year_start = census_year_start(reference_date.year)
    kinds = set(
        IncentiveScheme.objects.filter(start_date__lte=reference_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=year_start))
        .values_list("kind", flat=True)
    )
    incentives = {item: kind in kinds for kind, item in CENSUS_PAY_ITEM.items()}
    return CensusPay(salaries=salaries, incentives=incentives)
