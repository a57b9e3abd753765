import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from pay.models import GradePointRange, OnCostRate
from tests.factories import GradeFactory

SPINE = Path(__file__).resolve().parents[2] / "data" / "pay" / "njc_pay_spine.csv"


@pytest.fixture
def spine(db):
    call_command("import_pay_spine", str(SPINE), stdout=StringIO())


@pytest.fixture
def level3(db):
    """Tameside's Level 3 social worker: SCP 29-34."""
    grade = GradeFactory(name="Level 3 social worker")
    GradePointRange.objects.create(
        grade=grade, min_scp=29, max_scp=34, effective_from=dt.date(2020, 4, 1)
    )
    return grade


@pytest.fixture
def oncosts(db):
    """13.8% NI above £9,100 and 20% pension from April 2022; 15% above £5,000 from April 2025."""
    OnCostRate.objects.create(
        effective_from=dt.date(2022, 4, 1), employer_ni_rate=Decimal("13.8"),
        employer_ni_threshold=Decimal("9100"), pension_rate=Decimal("20"),
    )  # fmt: skip
    OnCostRate.objects.create(
        effective_from=dt.date(2025, 4, 1), employer_ni_rate=Decimal("15"),
        employer_ni_threshold=Decimal("5000"), pension_rate=Decimal("20"),
    )  # fmt: skip
