"""The NJC pay spine: the shipped file, its import, salaries by grade and point per pay year."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pay import selectors
from pay.models import SpinePoint

SPINE = Path(__file__).resolve().parents[2] / "data" / "pay" / "njc_pay_spine.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture
def spine():
    call_command("import_pay_spine", str(SPINE), stdout=StringIO())


# Hand-computed from the awards (README): 2021/22 from Tameside's table; 2022/23 +1,925;
# 2023/24 +1,925; 2024/25 +1,290; 2025/26 x 1.032 rounded to the pound.
EXPECTED = [
    (dt.date(2021, 4, 1), 29, "33486.00"),
    (dt.date(2021, 4, 1), 40, "44624.00"),
    (dt.date(2022, 3, 31), 29, "33486.00"),
    (dt.date(2022, 4, 1), 29, "35411.00"),
    (dt.date(2022, 4, 1), 40, "46549.00"),
    (dt.date(2023, 4, 1), 29, "37336.00"),
    (dt.date(2023, 4, 1), 40, "48474.00"),
    (dt.date(2024, 9, 30), 29, "38626.00"),
    (dt.date(2024, 9, 30), 40, "49764.00"),
    (dt.date(2025, 4, 1), 29, "39862.00"),  # 38,626 x 1.032 = 39,862.03
    (dt.date(2025, 4, 1), 40, "51356.00"),  # 49,764 x 1.032 = 51,356.45
    (dt.date(2025, 4, 1), 2, "24413.00"),  # 23,656 x 1.032 = 24,412.99
    (dt.date(2024, 4, 1), 43, "52805.00"),
]


@pytest.mark.parametrize(("on", "scp", "salary"), EXPECTED)
def test_salary_for_a_point_matches_the_njc_award_of_the_year(spine, on, scp, salary):
    assert selectors.spine_salary(scp=scp, on=on) == Decimal(salary)


def test_tameside_2021_22_points_all_agree(spine):
    tameside = {26: 30984, 29: 33486, 31: 35336, 32: 36371, 34: 38553, 36: 40578, 40: 44624,
                42: 46662, 43: 47665}  # fmt: skip
    for scp, salary in tameside.items():
        assert selectors.spine_salary(scp=scp, on=dt.date(2021, 10, 1)) == salary


def test_scp_1_is_gone_from_april_2023_and_no_salary_before_the_spine(spine):
    assert selectors.spine_salary(scp=1, on=dt.date(2022, 4, 1)) == Decimal("20258.00")
    assert selectors.spine_salary(scp=1, on=dt.date(2023, 4, 1)) is None
    assert selectors.spine_salary(scp=29, on=dt.date(2021, 3, 31)) is None


def test_every_year_has_a_source_and_the_right_points():
    call_command("import_pay_spine", str(SPINE), stdout=StringIO())
    assert SpinePoint.objects.filter(source="").count() == 0
    assert SpinePoint.objects.filter(pay_year="2022/23").count() == 43
    assert SpinePoint.objects.filter(pay_year="2025/26").count() == 42


def test_reimport_replaces_rather_than_duplicates(spine):
    call_command("import_pay_spine", str(SPINE), stdout=StringIO())
    assert SpinePoint.objects.count() == 212


def test_a_bad_file_names_every_problem_with_its_row_and_loads_nothing(tmp_path):
    bad = tmp_path / "spine.csv"
    bad.write_text(
        "pay_year,effective_from,scp,annual_salary,source\n"
        "2024/25,2024-04-01,29,38626,ok\n"
        "2024/25,2024-13-01,30,39000,bad date\n"
        "2024/25,2024-04-01,abc,39000,bad point\n"
        "2024/25,2024-04-01,29,lots,bad salary and repeat\n"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("import_pay_spine", str(bad), stdout=StringIO(), stderr=err)
    text = err.getvalue()
    assert "Row 3" in text and "Row 4" in text and "Row 5" in text
    assert "repeats row 2" in text
    assert SpinePoint.objects.count() == 0


def test_a_missing_file_is_a_plain_error(tmp_path):
    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_pay_spine", str(tmp_path / "nope.csv"))
