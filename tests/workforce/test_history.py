"""History is stored, never overwritten: "in post on date D" reads it back for any D."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.locking import UNCHECKED
from tests.factories import PersonFactory, TeamFactory, employ
from workforce import selectors, services
from workforce.choices import ChangeReason

pytestmark = pytest.mark.django_db

D = dt.date


def in_post(on):
    return set(selectors.employments_in_post(as_of=on).values_list("person__swe_number", flat=True))


def test_leaver_is_not_in_post_on_their_leaving_date_but_is_the_day_before():
    e = employ(start=D(2020, 1, 6), end=D(2023, 9, 30))
    swe = e.person.swe_number
    assert swe in in_post(D(2023, 9, 29))
    assert swe not in in_post(D(2023, 9, 30))
    assert swe not in in_post(D(2020, 1, 5))
    assert swe in in_post(D(2020, 1, 6))


def test_person_who_leaves_and_returns_is_in_post_in_each_period_only():
    person = PersonFactory()
    employ(person=person, start=D(2018, 4, 1), end=D(2020, 3, 31))
    employ(person=person, start=D(2021, 9, 1))
    assert person.swe_number in in_post(D(2019, 1, 1))
    assert person.swe_number not in in_post(D(2021, 1, 1))
    assert person.swe_number in in_post(D(2022, 1, 1))
    assert person.employments.count() == 2


def test_returning_while_still_in_post_is_refused():
    person = PersonFactory()
    employ(person=person, start=D(2018, 4, 1))
    with pytest.raises(ValidationError) as exc:
        employ(person=person, start=D(2021, 9, 1))
    assert "overlaps" in str(exc.value)


def test_team_move_keeps_the_old_team_in_history():
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    e = employ(team=north, start=D(2020, 1, 6))
    services.assignment_change(
        employment=e,
        effective_from=D(2022, 6, 1),
        team=south,
        change_reason=ChangeReason.TEAM_MOVE,
        version=UNCHECKED,
    )
    on = lambda d: selectors.assignments_on(as_of=d).get(employment=e).team.name  # noqa: E731
    assert on(D(2022, 5, 31)) == "North"
    assert on(D(2022, 6, 1)) == "South"


def test_fte_change_applies_from_its_date():
    e = employ(start=D(2020, 1, 6), fte="1")
    services.assignment_change(
        employment=e,
        effective_from=D(2021, 1, 1),
        fte="0.6",
        change_reason=ChangeReason.FTE_CHANGE,
        version=UNCHECKED,
    )
    fte = lambda d: selectors.assignments_on(as_of=d).get(employment=e).fte  # noqa: E731
    assert fte(D(2020, 12, 31)) == Decimal("1")
    assert fte(D(2021, 1, 1)) == Decimal("0.6")


@pytest.mark.parametrize("bad_fte", ["0", "1.2", "-0.5"])
def test_fte_outside_zero_to_one_is_refused_and_nothing_is_saved(bad_fte):
    person = PersonFactory()
    with pytest.raises(ValidationError) as exc:
        employ(person=person, fte=bad_fte)
    assert "fte" in exc.value.message_dict
    assert person.employments.count() == 0


def test_leaving_before_starting_is_refused():
    e = employ(start=D(2020, 1, 6))
    with pytest.raises(ValidationError) as exc:
        services.leaver_record(
            employment=e,
            end_date=D(2019, 1, 1),
            leaving_reason=1,
            leaving_destination=1,
            version=UNCHECKED,
        )
    assert "before the start date" in " ".join(exc.value.message_dict["end_date"])
    e.refresh_from_db()
    assert e.end_date is None


def test_leaving_before_starting_gives_one_message_not_a_confusing_second():
    e = employ(start=D(2020, 1, 6))
    with pytest.raises(ValidationError) as exc:
        services.leaver_record(
            employment=e,
            end_date=D(2019, 1, 1),
            leaving_reason=1,
            leaving_destination=1,
            version=UNCHECKED,
        )
    assert exc.value.message_dict["end_date"] == [
        "The leaving date cannot be before the start date (6 January 2020)."
    ]
