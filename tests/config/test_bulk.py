"""``config.bulk.rows_insert``: COPY on PostgreSQL, one INSERT run elsewhere; the same rows
either way, and an upsert in which a later row with the same key wins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from config.bulk import rows_insert
from dashboards.models import BenchmarkFigure
from tests.factories import TeamFactory, employ
from workforce.models import CaseloadSnapshot

pytestmark = pytest.mark.django_db

KEY = ["time_period", "geographic_level", "area_code", "measure"]
UPDATE = ["area_name", "value", "symbol"]


def figure(value, *, area="E06000001", symbol="", name="Hartlepool"):
    return {
        "time_period": 2025,
        "geographic_level": "Local authority",
        "area_code": area,
        "area_name": name,
        "measure": "turnover_rate_fte",
        "value": value,
        "symbol": symbol,
    }


def stored():
    return {
        f.area_code: (f.area_name, f.value, f.symbol, f.old_la_code, f.region_name)
        for f in BenchmarkFigure.objects.all()
    }


def test_rows_are_written_with_their_values_and_defaults():
    assert (
        rows_insert(BenchmarkFigure, [figure(Decimal("12.5")), figure(None, area="E2", symbol="c")])
        == 2
    )
    assert stored() == {
        "E06000001": ("Hartlepool", Decimal("12.500"), "", "", ""),
        "E2": ("Hartlepool", None, "c", "", ""),
    }


def test_an_upsert_updates_the_stored_row_and_the_last_of_two_rows_with_one_key_wins():
    rows_insert(BenchmarkFigure, [figure(Decimal("1"))])
    rows = [
        figure(Decimal("2"), name="First"),
        figure(None, symbol="x", name="Last"),
        figure(Decimal("3"), area="E2"),
    ]
    assert rows_insert(BenchmarkFigure, rows, unique_fields=KEY, update_fields=UPDATE) == 3
    assert stored() == {
        "E06000001": ("Last", None, "x", "", ""),
        "E2": ("Hartlepool", Decimal("3.000"), "", "", ""),
    }
    assert BenchmarkFigure.objects.count() == 2


def test_model_instances_and_timestamps():
    team = TeamFactory()
    employment = employ(team=team)
    rows_insert(
        CaseloadSnapshot,
        [CaseloadSnapshot(employment=employment, team=team, date=dt.date(2025, 3, 31), cases=12)],
    )
    snapshot = CaseloadSnapshot.objects.get()
    assert (snapshot.employment_id, snapshot.cases, snapshot.date) == (
        employment.pk,
        12,
        dt.date(2025, 3, 31),
    )
    assert snapshot.created_at is not None and snapshot.created_at == snapshot.updated_at


def test_a_failed_write_writes_nothing():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(BenchmarkFigure, [figure(Decimal("1")), figure(Decimal("2"))])  # same key
    assert not BenchmarkFigure.objects.exists()
