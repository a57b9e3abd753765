"""Forms of the HR officer's workforce pages: starters, leavers, changes, personal details
and the weekly caseload grid.

Forms check what a field can check on its own (a date is a date, a code is one of DfE's
codes, FTE is a number); the business rules live in ``workforce.services``, whose
``ValidationError`` is put back beside the fields by ``add_service_errors``. Rendered with
crispy-forms-gds so every field has a GOV.UK label, hint and error message.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError

from core.forms import add_service_errors
from core.locking import VersionedForm

from .choices import (
    ContractType,
    Ethnicity,
    Gender,
    LeaverDestination,
    OrgRole,
    QualificationRoute,
    QualLevel,
    ReasonLeave,
    StartOrigin,
)
from .dates import BoundedDateField
from .models import Agency, Grade, Person, Post, Team, swe_number_validator
from .services import (
    RETURNING_LABEL,
    caseload_ceiling,
    normalise_swe_number,
    starter_returning_person,
)
from .widgets import GovDateField

#: A single native date box, for the exit record form (the HR forms use ``GovDateField``).
DATE_WIDGET = forms.DateInput(
    attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"
)


def date_field(
    label: str, hint: str = "", required: bool = True, bounded: bool = False
) -> GovDateField:
    """A date as day, month and year (the recruitment forms use it too); ``bounded`` for a
    filter (a parameter, limited to ``workforce.dates``)."""
    if bounded:  # a filter in the URL: one box, written YYYY-MM-DD, within the range
        return BoundedDateField(
            label=label,
            help_text="For example 2024-09-30.",
            required=required,
            widget=DATE_WIDGET,
            error_messages={
                "required": f"Enter the {label.lower()}.",
                "invalid": f"Enter the {label.lower()} as a real date, for example 2024-09-30.",
            },
        )
    validators = []
    return GovDateField(
        label=label,
        hint=hint or "For example 30 9 2024.",
        required=required,
        validators=validators,
    )


def _choice(label: str, choices, *, required: bool = False, coerce=int) -> forms.ChoiceField:
    """A select of a DfE (or local) code set; a code not in it gets a clear message."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Choose...")] + list(choices),
        coerce=coerce,
        empty_value=None,
        required=required,
        error_messages=choice_messages(label, codes=True),
    )


#: Labels that are a question ("Where they came from") take no article in a message.
_QUESTION_WORDS = {"where", "what", "who", "how", "why", "when", "which", "whether"}


def choice_messages(label: str, *, codes: bool = False) -> dict[str, str]:
    """The required and invalid-choice messages of a select labelled ``label``, in plain
    English: "Choose the grade.", and "Choose where they came from." (not "Choose the
    where they came from."). ``codes`` adds which value was not one of the codes."""
    name = label[0].lower() + label[1:]
    if name.split()[0] in _QUESTION_WORDS:
        required = f"Choose {name}."
        invalid = f"Choose one of the listed options for {name}"
    else:
        required = f"Choose the {name}."
        invalid = f"Choose a {name} from the list"
    invalid += " (%(value)s is not one of the codes)." if codes else "."
    return {"required": required, "invalid_choice": invalid}


def _fte_field(required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label="FTE",
        help_text="Contracted hours divided by standard hours: more than 0 and no more than 1, "
        "for example 0.8.",
        required=required,
        max_digits=7,
        decimal_places=6,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the FTE, for example 1 or 0.8.",
            "invalid": "Enter FTE as a number, for example 0.8.",
            "max_digits": "Enter FTE with no more than 6 decimal places, for example 0.8.",
            "max_decimal_places": "Enter FTE with no more than 6 decimal places.",
        },
    )


class PostsByTeam(forms.models.ModelChoiceIterator):
    """The posts grouped by team (one ``<optgroup>`` per team, labelled as the team list
    shows it), so the list is usable without JavaScript; ``static/js/post-by-team.mjs``
    then shows only the chosen team's group."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for post in self.queryset.select_related("team", "grade").order_by(
            "team__name", "reference"
        ):
            groups.setdefault(str(post.team), []).append(self.choice(post))
        yield from groups.items()


class PostChoiceField(forms.ModelChoiceField):
    """A funded post, offered grouped by its team. The services still check that the post
    belongs to the team chosen (a post sent for another team is refused)."""

    iterator = PostsByTeam

    def __init__(self, *args, team_field: str = "team", **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"data-module": "app-post-by-team", "data-team-field": team_field})

    def label_from_instance(self, post: Post) -> str:
        return f"{post.reference}: {post.grade}" if post.grade_id else post.reference


def _helper(*layout, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}  # the server's messages, not the browser's
    helper.render_hidden_fields = True  # the version a versioned form carries
    helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit))
    return helper


class PersonDetailsForm(forms.Form):
    """A person's details: used to record a new starter and to correct them later."""

    swe_number = forms.CharField(
        label="Social Work England number",
        max_length=14,
        help_text="Two letters then digits, for example SW123456.",
        error_messages={"required": "Enter the Social Work England number."},
    )
    staff_ref = forms.CharField(
        label="Staff reference", max_length=30, required=False, help_text="From the HR system."
    )
    first_name = forms.CharField(
        max_length=80, error_messages={"required": "Enter the first name."}
    )
    last_name = forms.CharField(max_length=80, error_messages={"required": "Enter the last name."})
    date_of_birth = date_field("Date of birth", "For example 27 3 1990.", required=False)
    gender = _choice("Gender", Gender.choices)
    ethnicity = _choice("Ethnicity", Ethnicity.choices, coerce=str)
    qualification_route = _choice("Qualification route", QualificationRoute.choices, coerce=str)
    qualification_level = _choice("Qualification level", QualLevel.choices)

    person_fields = [
        "swe_number",
        "staff_ref",
        "first_name",
        "last_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "qualification_route",
        "qualification_level",
    ]

    def clean_swe_number(self) -> str:
        value = normalise_swe_number(self.cleaned_data["swe_number"])
        swe_number_validator(value)
        return value

    def person_details(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.person_fields}
        data["staff_ref"] = data["staff_ref"] or None
        data["ethnicity"] = data["ethnicity"] or ""
        data["qualification_route"] = data["qualification_route"] or ""
        return data


class PersonEditForm(VersionedForm, PersonDetailsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("swe_number", field_width=10),
            Field.text("staff_ref", field_width=10),
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field("date_of_birth"),
            Field.select("gender"),
            Field.select("ethnicity"),
            Field.select("qualification_route"),
            Field.select("qualification_level"),
            submit="Save details",
        )

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {name: getattr(person, name) for name in cls.person_fields} | {
            "version": person.version
        }


class StarterForm(PersonDetailsForm):
    """A starter: a new person (or a returning one, found by SWE number) and their employment."""

    returning = forms.BooleanField(
        label=f"{RETURNING_LABEL}: record a return for the person already recorded",
        required=False,
        help_text="Tick this when the Social Work England number belongs to someone already "
        "recorded. Their recorded details are kept; correct them on their page.",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.select_related("service_area"),
        empty_label="Choose the team",
        error_messages={
            "required": "Choose the team.",
            "invalid_choice": "Choose a team from the list.",
        },
    )
    post = PostChoiceField(
        queryset=Post.objects.select_related("team", "grade"),
        required=False,
        empty_label="No post",
        help_text="Optional. The funded post in the team's establishment.",
        error_messages={"invalid_choice": "Choose a post from the list."},
    )
    grade = forms.ModelChoiceField(
        queryset=Grade.objects.all(),
        required=False,
        empty_label="No local grade",
        label="Local grade",
        error_messages={"invalid_choice": "Choose a grade from the list."},
    )
    org_role = _choice("DfE role", OrgRole.choices)
    contract_type = forms.TypedChoiceField(
        label="Contract type",
        choices=ContractType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose permanent, fixed-term or agency.",
            "invalid_choice": "Choose permanent, fixed-term or agency.",
        },
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        empty_label="Choose the agency",
        help_text="Required for agency workers.",
        error_messages={"invalid_choice": "Choose an agency from the list."},
    )
    fte = _fte_field()
    start_date = date_field("Start date", "DfE RoleStartDate, for example 2 9 2024.")
    start_origin = _choice("Where they came from", StartOrigin.choices)
    is_asye = forms.BooleanField(label="ASYE (newly qualified, first year)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_role"].help_text = "Leave empty to use the grade's usual DfE role."
        self.fields["org_role"].choices = [("", "The grade's usual role")] + OrgRole.choices
        self.fields["start_origin"].help_text = "DfE StartOrigin. Not asked for agency workers."
        self.returning_person: Person | None = None
        # On a return the person's details are already recorded: the number is enough.
        self.fields["first_name"].required = False
        self.fields["last_name"].required = False
        self.helper = _helper(
            Fieldset(
                Field.text("swe_number", field_width=10),
                Field.checkbox("returning"),
                Field.text("staff_ref", field_width=10),
                Field.text("first_name", field_width=20),
                Field.text("last_name", field_width=20),
                Field("date_of_birth"),
                Field.select("gender"),
                Field.select("ethnicity"),
                Field.select("qualification_route"),
                Field.select("qualification_level"),
                legend="The person",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("contract_type", inline=True),
                Field.select("agency"),
                Field.select("team"),
                Field.select("post"),
                Field.select("grade"),
                Field.select("org_role"),
                Field.text("fte", field_width=5),
                Field("start_date"),
                Field.select("start_origin"),
                Field.checkbox("is_asye"),
                legend="The employment",
                legend_size=Size.MEDIUM,
            ),
            submit="Record starter",
        )

    def clean(self):
        data = super().clean()
        swe = data.get("swe_number")
        if swe:
            try:
                self.returning_person = starter_returning_person(
                    swe_number=swe, returning=bool(data.get("returning"))
                )
            except ValidationError as exc:
                add_service_errors(self, exc)
        if not data.get("returning"):
            for name in ("first_name", "last_name"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Enter the {name.replace('_', ' ')}.")
        return data

    def employment_terms(self) -> dict:
        data = self.cleaned_data
        return {
            "contract_type": data["contract_type"],
            "agency": data.get("agency"),
            "team": data["team"],
            "post": data.get("post"),
            "grade": data.get("grade"),
            "org_role": data.get("org_role"),
            "fte": data["fte"],
            "start_date": data["start_date"],
            "start_origin": data.get("start_origin"),
            "is_asye": bool(data.get("is_asye")),
        }


class LeaverForm(VersionedForm):
    """A leaving, or the end of an agency placement (codes optional for agency)."""

    end_date = date_field("Leaving date", "DfE RoleEndDate: their first day no longer in post.")
    leaving_reason = _choice("Reason for leaving", ReasonLeave.choices)
    leaving_destination = _choice("Destination", LeaverDestination.choices)

    def __init__(self, *args, agency: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if agency:
            self.fields["end_date"].label = "Placement end date"
            self.fields["end_date"].error_messages["required"] = "Enter the placement end date."
            self.fields[
                "leaving_reason"
            ].help_text = "Optional for agency workers (DfE ReasonLeave)."
            self.fields[
                "leaving_destination"
            ].help_text = "Optional for agency workers (DfE LeaverDestination)."
        else:
            self.fields["leaving_reason"].help_text = "DfE ReasonLeave."
            self.fields["leaving_destination"].help_text = "DfE LeaverDestination."
        self.helper = _helper(
            Field("end_date"),
            Field.select("leaving_reason"),
            Field.select("leaving_destination"),
            submit="End agency placement" if agency else "Record leaving",
        )


class ChangeForm(VersionedForm):
    """A change to an employment's terms from a date; empty fields stay as they are."""

    CHANGE_KINDS = [
        ("team_move", "Team move"),
        ("fte_change", "FTE change"),
        ("role_change", "Grade or role change"),
        ("asye_completed", "ASYE completed"),
    ]

    change_reason = forms.ChoiceField(
        label="What changed",
        choices=CHANGE_KINDS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what changed.",
            "invalid_choice": "Choose what changed from the list.",
        },
    )
    effective_from = date_field("Date of the change", "The first day of the new terms.")
    team = forms.ModelChoiceField(
        queryset=Team.objects.select_related("service_area"),
        required=False,
        empty_label="Same team",
        label="New team",
        error_messages={"invalid_choice": "Choose a team from the list."},
    )
    post = PostChoiceField(
        queryset=Post.objects.select_related("team", "grade"),
        required=False,
        empty_label="Same post",
        label="New post",
        error_messages={"invalid_choice": "Choose a post from the list."},
    )
    grade = forms.ModelChoiceField(
        queryset=Grade.objects.all(),
        required=False,
        empty_label="Same grade",
        label="New local grade",
        error_messages={"invalid_choice": "Choose a grade from the list."},
    )
    org_role = _choice("New DfE role", OrgRole.choices)
    fte = _fte_field(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fte"].label = "New FTE"
        self.fields["org_role"].choices = [("", "Same role (or the new grade's)")] + OrgRole.choices
        for name in ("team", "post", "grade", "org_role", "fte"):
            self.fields[name].help_text = "Leave empty if it stays the same."
        self.helper = _helper(
            Field.radios("change_reason"),
            Field("effective_from"),
            Field.select("team"),
            Field.select("post"),
            Field.select("grade"),
            Field.select("org_role"),
            Field.text("fte", field_width=5),
            submit="Record change",
        )

    def clean(self):
        data = super().clean()
        kind = data.get("change_reason")
        if kind == "team_move" and not data.get("team") and "team" not in self.errors:
            self.add_error("team", "Choose the new team.")
        if kind == "fte_change" and data.get("fte") is None and "fte" not in self.errors:
            self.add_error("fte", "Enter the new FTE.")
        if (
            kind == "role_change"
            and not data.get("grade")
            and data.get("org_role") is None
            and "grade" not in self.errors
        ):
            self.add_error("grade", "Choose the new grade or the new DfE role.")
        return data

    def change_terms(self) -> dict:
        """The keyword arguments of ``services.assignment_change`` for what was entered."""
        data = self.cleaned_data
        terms = {
            "effective_from": data["effective_from"],
            "change_reason": data["change_reason"],
            "version": data.get("version"),
        }
        for name in ("team", "post", "grade"):
            if data.get(name) is not None:
                terms[name] = data[name]
        if data.get("org_role") is not None:
            terms["org_role"] = data["org_role"]
        elif data.get("grade") is not None:
            terms["org_role"] = data["grade"].default_org_role
        if data.get("fte") is not None:
            terms["fte"] = data["fte"]
        if data["change_reason"] == "asye_completed":
            terms["is_asye"] = False
            terms["cfkss_status"] = None
        return terms


class CaseloadWeekForm(forms.Form):
    """Choose the team and the week (GET) before the grid is shown."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        empty_label="Choose the team",
        error_messages={
            "required": "Choose the team.",
            "invalid_choice": "Choose one of your teams from the list.",
        },
    )
    date = date_field(
        "Week date", "The date the caseloads were counted, for example 27 9 2024.", bounded=True
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams


class AsciiIntegerField(forms.IntegerField):
    """A whole number written with the digits 0-9 only: Django's own field takes other
    scripts' digits (Arabic-Indic "\u0661\u0662" as 12)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class CaseloadGridForm(forms.Form):
    """One row per worker in the team on the date: the cases they hold (empty = none
    recorded). Field names are ``cases_<employment id>``, as the service reports errors."""

    def __init__(self, *args, members, recorded: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for assignment in members:
            employment = assignment.employment
            name = f"cases_{employment.pk}"
            self.fields[name] = AsciiIntegerField(
                label=f"Cases held by {employment.person}",
                required=False,
                initial=recorded.get(employment.pk),
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
                ),
                error_messages={
                    "invalid": f"Enter the cases held by {employment.person} as a whole number.",
                },
            )
            self.rows.append({"assignment": assignment, "name": name})
        self.ceiling = caseload_ceiling()
        self.fields["confirm_high"] = forms.BooleanField(
            label=f"I have checked the figures above {self.ceiling} cases: they are correct",
            required=False,
        )

    @property
    def needs_confirmation(self) -> bool:
        """Whether a figure sent is above the council's ceiling (the tick is then shown)."""
        if not self.is_bound:
            return False
        for row in self.rows:
            value = (self.data.get(self.add_prefix(row["name"])) or "").strip()
            if value.isdigit() and int(value) > self.ceiling:
                return True
        return False

    @property
    def confirmed(self) -> bool:
        return bool(self.cleaned_data.get("confirm_high"))

    def entries(self):
        """``(employment, cases)`` pairs for ``services.caseloads_record_week``."""
        for row in self.rows:
            yield row["assignment"].employment, self.cleaned_data.get(row["name"])

    def row_fields(self):
        for row in self.rows:
            yield {**row, "field": self[row["name"]]}


__all__ = [
    "CaseloadGridForm",
    "CaseloadWeekForm",
    "ChangeForm",
    "LeaverForm",
    "PersonEditForm",
    "StarterForm",
    "add_service_errors",
    "date_field",
]
