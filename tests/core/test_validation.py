"""core.validation.full_clean: Model.full_clean, except that inside checked_by_database()
keys and constraints are left to the database, which still refuses a broken record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.validation import checked_by_database, full_clean
from tests.factories import PersonFactory
from workforce.choices import ContractType
from workforce.models import Employment

pytestmark = pytest.mark.django_db


def _ends_before_it_starts() -> Employment:
    return Employment(
        person=PersonFactory(), contract_type=ContractType.PERMANENT,
        start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 4, 1),
    )  # fmt: skip


def test_a_broken_constraint_is_refused_with_a_message():
    with pytest.raises(ValidationError) as refused:
        full_clean(_ends_before_it_starts())
    assert "employment_end_not_before_start" in str(refused.value)


def test_inside_the_block_the_database_still_refuses_it():
    employment = _ends_before_it_starts()
    with checked_by_database():
        full_clean(employment)  # no query, no message
        with pytest.raises(IntegrityError), transaction.atomic():
            employment.save()
    assert not Employment.objects.exists()


def test_inside_the_block_the_fields_are_still_checked():
    employment = _ends_before_it_starts()
    employment.contract_type = "zero-hours"
    with checked_by_database(), pytest.raises(ValidationError) as refused:
        full_clean(employment)
    assert "contract_type" in refused.value.message_dict
