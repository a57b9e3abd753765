"""import_benchmarks: DfE's published indicators CSV into BenchmarkFigure, and the reads."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from dashboards.benchmarks import benchmark_comparators, benchmark_series, parse_cell
from dashboards.models import BenchmarkFigure

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
DFE_CSV = REPO / "data" / "dfe" / "csww_indicators_2017_to_2025.csv"
HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,inpost_fte,turnover_rate_fte\n"
)


def run(path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_benchmarks", str(path), stdout=out)
    return out.getvalue()


def figure(**kwargs) -> BenchmarkFigure:
    return BenchmarkFigure.objects.get(**kwargs)


@pytest.fixture(scope="class")
def imported(django_db_setup, django_db_blocker):
    """DfE's real file, imported once for ``TestTheRealFile`` (32,000 figures) inside a
    transaction rolled back after it; each test runs in a savepoint of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run(DFE_CSV)
        transaction.set_rollback(True)


class TestTheRealFile:
    """DfE's published file as imported, and the reads of it."""

    def test_real_file_counts_per_level_and_symbols(self, imported):
        assert "1355 Local authority, 9 National, 99 Regional" in imported
        assert "8 'c'" in imported and "98 'x'" in imported and "12 'low'" in imported
        # 1,463 rows x 22 measure columns
        assert BenchmarkFigure.objects.count() == 1463 * 22
        levels = {
            level: BenchmarkFigure.objects.filter(
                geographic_level=level, measure="inpost_fte"
            ).count()
            for level in BenchmarkFigure.Level.values
        }
        assert levels == {"National": 9, "Regional": 99, "Local authority": 1355}

    def test_england_2023_turnover_is_stored_exactly(self, imported):
        england = figure(time_period=2023, geographic_level="National", measure="turnover_rate_fte")
        assert england.value == Decimal("15.9")
        assert england.symbol == ""
        assert england.area_name == "England"
        assert england.area_code == "E92000001"

    def test_symbols_are_kept_with_no_value_never_zero(self, imported):
        for symbol in ("c", "x", "z", "u", "low"):
            kept = BenchmarkFigure.objects.filter(symbol=symbol)
            assert kept.exists(), symbol
            assert not kept.exclude(value=None).exists(), symbol
        suppressed = BenchmarkFigure.objects.filter(symbol="c").first()
        assert suppressed.value is None
        assert not BenchmarkFigure.objects.filter(symbol="", value=None).exists()

    def test_merged_council_codes_kept_as_published(self, imported):
        merged = BenchmarkFigure.objects.filter(old_la_code="314 / 318", measure="inpost_fte")
        assert merged.exists()
        assert merged.first().area_code == "E09000021 / E09000027"
        # A council's series finds the years it was published merged with another.
        series = benchmark_series(measure="inpost_fte", lea_code="318", national=False)
        assert series["council"]
        assert {p.area_code for p in series["council"]} >= {"E09000021 / E09000027"}

    def test_reimport_updates_in_place_without_duplicates(self, imported):
        count = BenchmarkFigure.objects.count()
        england = {
            "time_period": 2023,
            "geographic_level": "National",
            "measure": "turnover_rate_fte",
        }
        BenchmarkFigure.objects.filter(**england).update(value=Decimal("99"))
        second = run(DFE_CSV)
        assert BenchmarkFigure.objects.count() == count
        assert "0 new" in second
        assert figure(**england).value == Decimal("15.9")

    def test_benchmark_series_for_england_region_and_council(self, imported):
        kent = BenchmarkFigure.objects.filter(area_name="Kent").first()
        series = benchmark_series(
            measure="turnover_rate_fte", lea_code=kent.old_la_code, region="South East"
        )
        assert [p.time_period for p in series["national"]] == list(range(2017, 2026))
        assert {p.area_name for p in series["regional"]} == {"South East"}
        assert {p.area_name for p in series["council"]} == {"Kent"}
        assert series["national"][6].value == Decimal("15.9")  # 2023
        group = benchmark_comparators(
            measure="agency_rate_fte", lea_codes=[kent.old_la_code, "314"], time_period=2020
        )
        assert len(group) == 2
        assert "Kent" in {p.area_name for p in group}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("15.9", (Decimal("15.9"), "")),
        ("c", (None, "c")),
        ("low", (None, "low")),
        ("12.5 u", (Decimal("12.5"), "u")),
        ("12.5u", (Decimal("12.5"), "u")),
        ("1,234", (Decimal("1234"), "")),
    ],
)
def test_cells(cell, expected):
    assert parse_cell(cell) == expected


def test_value_with_trailing_symbol_keeps_both(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text(HEADER + "2024,Reporting year,National,E92000001,England,,,,,,100.5 u,x\n")
    run(path)
    inpost = figure(measure="inpost_fte")
    assert (inpost.value, inpost.symbol) == (Decimal("100.5"), "u")
    turnover = figure(measure="turnover_rate_fte")
    assert (turnover.value, turnover.symbol) == (None, "x")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "looks like a web page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"name,age\nAnn,4\n", "lacks the columns time_period"),
        (HEADER.encode(), "no figures"),
    ],
    ids=["empty", "html", "binary", "other-csv", "header-only"],
)
def test_files_that_are_not_this_csv_get_one_clear_message(tmp_path, content, message):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        run(path)
    assert message in str(raised.value)
    assert "Traceback" not in str(raised.value)
    assert not BenchmarkFigure.objects.exists()


def test_bad_cells_are_all_reported_and_nothing_is_loaded(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "2024,Reporting year,National,E92000001,England,,,,,,100,n/a\n"
        + "2024,Reporting year,Regional,E92000001,England,E12000001,North East,,,,abc,1\n"
        + "20x4,Reporting year,Regional,E92000001,England,E12000002,North West,,,,1,1\n"
        + "2024,Reporting year,Planet,E92000001,England,,,,,,1,1\n"
    )
    with pytest.raises(CommandError) as raised:
        run(path)
    text = str(raised.value)
    assert "Row 2, turnover_rate_fte: 'n/a'" in text
    assert "Row 3, inpost_fte: 'abc'" in text
    assert "Row 4, time_period: '20x4'" in text
    assert "Row 5, geographic_level: 'Planet'" in text
    assert not BenchmarkFigure.objects.exists()


def test_missing_file_is_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nope.csv")
