"""What the workforce forms accept on their own, before the services' rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import GradeFactory, PersonFactory, TeamFactory, employ
from workforce.choices import OrgRole
from workforce.forms import CaseloadGridForm, ChangeForm, LeaverForm, StarterForm

pytestmark = pytest.mark.django_db


def starter(team, **overrides):
    data = {
        "swe_number": "sw 123 456",
        "first_name": "Sam",
        "last_name": "Lee",
        "contract_type": "permanent",
        "team": team.pk,
        "org_role": OrgRole.CASE_HOLDER,
        "fte": "1",
        "start_date": "2024-09-02",
    }
    data.update(overrides)
    return StarterForm(data={k: v for k, v in data.items() if v is not None})


def test_swe_number_is_stored_upper_case_without_spaces():
    form = starter(TeamFactory())
    assert form.is_valid(), form.errors
    assert form.person_details()["swe_number"] == "SW123456"


@pytest.mark.parametrize("value", ["123456", "S1234", "SWABC"])
def test_malformed_swe_number_is_refused(value):
    form = starter(TeamFactory(), swe_number=value)
    assert not form.is_valid()
    assert "two letters then digits" in form.errors["swe_number"][0]


def test_new_person_needs_names_but_a_return_does_not():
    team = TeamFactory()
    form = starter(team, first_name="", last_name="")
    assert not form.is_valid()
    assert form.errors["first_name"] == ["Enter the first name."]
    assert form.errors["last_name"] == ["Enter the last name."]
    person = PersonFactory(swe_number="SW123456")
    form = starter(team, first_name="", last_name="", returning="on")
    assert form.is_valid(), form.errors
    assert form.returning_person == person


def test_return_for_an_unknown_number_says_so():
    form = starter(TeamFactory(), returning="on")
    assert not form.is_valid()
    assert "No one with Social Work England number SW123456" in form.errors["returning"][0]


def test_iso_and_british_dates_are_accepted():
    for value in ("2024-09-02", "02/09/2024"):
        form = starter(TeamFactory(), start_date=value)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["start_date"] == dt.date(2024, 9, 2)
    form = starter(TeamFactory(), start_date="2024-02-30")
    assert not form.is_valid()
    assert "real date" in form.errors["start_date"][0]


def test_role_change_to_a_grade_takes_the_grades_dfe_role():
    grade = GradeFactory(default_org_role=OrgRole.FIRST_LINE_MANAGER)
    form = ChangeForm(
        data={
            "change_reason": "role_change",
            "effective_from": "2024-01-08",
            "grade": grade.pk,
            "version": "1",
        }
    )
    assert form.is_valid(), form.errors
    assert form.change_terms()["org_role"] == OrgRole.FIRST_LINE_MANAGER


def test_each_change_needs_its_new_value():
    for kind, field in [("team_move", "team"), ("fte_change", "fte"), ("role_change", "grade")]:
        form = ChangeForm(data={"change_reason": kind, "effective_from": "2024-01-08"})
        assert not form.is_valid()
        assert field in form.errors, kind


def test_asye_completed_clears_the_asye_terms():
    form = ChangeForm(
        data={"change_reason": "asye_completed", "effective_from": "2024-01-08", "version": "1"}
    )
    assert form.is_valid()
    assert form.change_terms()["is_asye"] is False
    assert form.change_terms()["cfkss_status"] is None


def test_fte_change_passes_the_decimal_through():
    form = ChangeForm(
        data={
            "change_reason": "fte_change",
            "effective_from": "2024-01-08",
            "fte": "0.75",
            "version": "1",
        }
    )
    assert form.is_valid()
    assert form.change_terms()["fte"] == Decimal("0.75")


def test_agency_placement_end_uses_its_own_words():
    form = LeaverForm(agency=True)
    assert form.fields["end_date"].label == "Placement end date"
    assert "Optional" in form.fields["leaving_reason"].help_text


def test_caseload_grid_gives_one_field_per_worker_and_empty_means_none():
    team = TeamFactory()
    a, b = employ(team=team), employ(team=team)
    members = [a.assignments.get(), b.assignments.get()]
    form = CaseloadGridForm(
        data={f"cases_{a.pk}": "15", f"cases_{b.pk}": ""}, members=members, recorded={a.pk: 3}
    )
    assert form.is_valid()
    assert list(form.entries()) == [(a, 15), (b, None)]
    unbound = CaseloadGridForm(members=members, recorded={a.pk: 3})
    assert unbound[f"cases_{a.pk}"].value() == 3


# --- The GOV.UK date input (workforce/widgets.py) ------------------------------------------


def _date_form(**data):
    from django import forms

    from workforce.widgets import GovDateField

    class Form(forms.Form):
        start_date = GovDateField(label="Start date")

    return Form(data=data)


def test_dates_are_entered_as_day_month_and_year_boxes():
    """Issue 18: hints said 1990-03-27 while the browser's picker showed another format."""
    form = _date_form(start_date_0="2", start_date_1="9", start_date_2="2024")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_date"] == dt.date(2024, 9, 2)
    html = str(StarterForm()["start_date"])
    assert 'class="govuk-date-input"' in html
    for part in ("Day", "Month", "Year"):
        assert f">{part}</label>" in html
    assert "1990-03-27" not in str(StarterForm()) and "2024-09-02" not in str(StarterForm())


@pytest.mark.parametrize(
    ("parts", "message", "box"),
    [
        (("", "", ""), "Enter the start date.", None),
        (("2", "", "2024"), "The start date must include a month.", 1),
        (("30", "2", "2024"), "The start date must be a real date.", 0),
        (("2", "13", "2024"), "The start date must be a real date (there is no month 13).", 1),
        (("2", "9", "24"), "The year of the start date must include 4 numbers.", 2),
        (("x", "9", "2024"), "The start date must be a real date.", 0),
    ],
)
def test_each_date_problem_is_named_and_linked_to_its_box(parts, message, box):
    form = _date_form(**{f"start_date_{i}": v for i, v in enumerate(parts)})
    assert not form.is_valid()
    assert form.errors["start_date"] == [message]
    if box is not None:
        widget_errors = [f.widget.errors for f in form.fields["start_date"].fields]
        assert widget_errors[box] == [message]
