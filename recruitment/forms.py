"""Forms of the recruitment pages. They check what a field can check on its own; the
rules (stage order, interview before offer, dates, optimistic locking) are in
``recruitment.services``, whose errors ``add_service_errors`` puts beside the fields.
Rendered with crispy-forms-gds."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms
from django.utils import timezone

from core import locking as core_locking
from workforce.choices import ContractType, StartOrigin
from workforce.forms import PostChoiceField, choice_messages, date_field
from workforce.models import Employment, Grade, Post, Team
from workforce.selectors import employment_active_q
from workforce.services import RETURNING_LABEL

from .choices import (
    Channel,
    Check,
    CloseReason,
    Outcome,
    PipelineRoute,
    Route,
    Stage,
    VacancyReason,
    VacancyStatus,
)
from .models import Campaign, Vacancy
from .services import STAGE_ORDER, vacancy_open_problems


def _choice(label: str, choices, required: bool = True, coerce=str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Choose...")] + list(choices),
        coerce=coerce,
        empty_value=None,
        required=required,
        error_messages=choice_messages(label),
    )


def _model_choice(label: str, queryset, required: bool = False, empty="Choose...", hint=""):
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        empty_label=empty,
        help_text=hint,
        error_messages={
            "required": f"Choose the {label.lower()}.",
            "invalid_choice": f"Choose a {label.lower()} from the list.",
        },
    )


class GovForm(forms.Form):
    """A form with a GOV.UK submit button (``submit_label``) and no browser validation."""

    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*self.fields)
        self.helper.add_input(Submit("submit", self.submit_label))


class VersionedForm(core_locking.VersionedForm, GovForm):
    """Carries the version the user loaded (``core.locking``); required on these pages."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class EmploymentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employment) -> str:
        end = f" to {obj.end_date:%d %b %Y}" if obj.end_date else ""
        agency = f" ({obj.agency})" if obj.agency_id else ""
        return f"{obj.person}{agency}: from {obj.start_date:%d %b %Y}{end}"


def _leavers():
    since = timezone.localdate() - dt.timedelta(days=730)
    return (
        Employment.objects.filter(end_date__gte=since)
        .exclude(contract_type=ContractType.AGENCY)
        .select_related("person")
        .order_by("-end_date")
    )


def _agency_in_post():
    return (
        Employment.objects.filter(
            employment_active_q(timezone.localdate()), contract_type=ContractType.AGENCY
        )
        .select_related("person", "agency")
        .order_by("person__last_name")
    )


class VacancyForm(GovForm):
    submit_label = "Open vacancy"

    team = _model_choice("Team", Team.objects.none(), required=False, hint="Or choose a post.")
    post = PostChoiceField(
        label="Funded post",
        queryset=Post.objects.none(),
        required=False,
        empty_label="Choose...",
        help_text="Gives the team and grade. A post is at most 1 FTE.",
        error_messages={"invalid_choice": "Choose a funded post from the list."},
    )
    grade = _model_choice("Grade", Grade.objects.all())
    fte = forms.DecimalField(
        label="FTE",
        max_digits=6,
        decimal_places=2,
        help_text="For example 1 for one post. Without a post (team and grade), more: "
        "3 for a campaign to fill three posts.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the FTE.", "invalid": "Enter the FTE as a number."},
    )
    reason = _choice("Reason", VacancyReason.choices)
    leaver_employment = EmploymentChoice(
        label="Leaver replaced",
        queryset=Employment.objects.none(),
        required=False,
        empty_label="Not a replacement",
        help_text="For a replacement: the leaver (leavers in the last two years).",
    )
    agency_cover = EmploymentChoice(
        label="Agency cover",
        queryset=Employment.objects.none(),
        required=False,
        empty_label="No agency cover",
        help_text="The agency worker covering this vacancy meanwhile.",
    )
    opened_on = date_field("Date opened")
    reference = forms.CharField(
        label="Reference", required=False, max_length=40, help_text="Left empty, one is made up."
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, teams=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = teams if teams is not None else Team.objects.all()
        self.fields["team"].queryset = teams
        self.fields["post"].queryset = Post.objects.filter(team__in=teams).select_related(
            "team", "grade"
        )
        leavers, agency = _leavers(), _agency_in_post()
        if people is not None:  # a service manager: only people from their teams
            leavers, agency = leavers.filter(person__in=people), agency.filter(person__in=people)
        self.fields["leaver_employment"].queryset = leavers
        self.fields["agency_cover"].queryset = agency

    def clean(self):
        """The service's rules too, so every problem is reported in one round (not the
        fields' first, then the rules once those are put right)."""
        data = super().clean()
        fields = ("fte", "reason", "opened_on", "team", "grade", "post",
                  "leaver_employment", "agency_cover", "reference")  # fmt: skip
        problems = vacancy_open_problems(
            skip=set(self.errors), **{name: data.get(name) for name in fields}
        )
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data


class VacancyUpdateForm(VersionedForm):
    submit_label = "Save changes"

    status = _choice("Status", VacancyStatus.choices)
    date = date_field("Date closed", required=False, hint="For filled or withdrawn.")
    agency_cover = EmploymentChoice(
        label="Agency cover",
        queryset=Employment.objects.none(),
        required=False,
        empty_label="No agency cover",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, vacancy: Vacancy, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = _agency_in_post()
        if people is not None:
            queryset = queryset.filter(person__in=people)
        if vacancy.agency_cover_id:
            queryset = queryset | Employment.objects.filter(pk=vacancy.agency_cover_id)
        self.fields["agency_cover"].queryset = queryset.distinct()


class CampaignForm(GovForm):
    submit_label = "Save advert"

    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title."})
    channel = _choice("Channel", Channel.choices)
    partner = forms.CharField(
        label="Recruitment partner or agency",
        required=False,
        max_length=120,
        help_text="For a partner channel, for example Reed or Connect2Surrey.",
    )
    opened_on = date_field("Advert opened")
    closes_on = date_field("Advert closes", required=False)
    cost = forms.DecimalField(
        label="Cost (£)",
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "invalid": "Enter the cost in pounds, for example 1250.00.",
            "min_value": "The cost cannot be negative.",
        },
    )
    vacancies = forms.ModelMultipleChoiceField(
        label="Vacancies advertised",
        queryset=Vacancy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, vacancies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancies"].queryset = (
            vacancies if vacancies is not None else Vacancy.objects.all()
        ).filter(closed_on__isnull=True)


class ApplicationForm(GovForm):
    submit_label = "Record application"

    first_name = forms.CharField(
        max_length=80, error_messages={"required": "Enter the first name."}
    )
    last_name = forms.CharField(max_length=80, error_messages={"required": "Enter the last name."})
    email = forms.EmailField(
        required=False, error_messages={"invalid": "Enter an email address like name@example.org."}
    )
    phone = forms.CharField(required=False, max_length=30)
    swe_number = forms.CharField(
        label="Social Work England number",
        required=False,
        max_length=14,
        help_text="If known. Needed before the start, for example SW123456.",
    )
    is_internal = forms.BooleanField(
        label="Internal applicant (already works for the council)", required=False
    )
    route = _choice("Route", Route.choices)
    campaign = _model_choice("Advert or campaign", Campaign.objects.none(), empty="None recorded")
    applied_on = date_field("Date applied")

    def __init__(self, *args, vacancy: Vacancy, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Campaign.objects.filter(vacancies=vacancy)
        if not campaigns.exists():
            campaigns = Campaign.objects.all()
        self.fields["campaign"].queryset = campaigns


#: What a stage change can do: move to a later stage, or close the application.
ACTION_CHOICES = [
    *[(s.value, s.label) for s in Stage if s not in (Stage.APPLIED, Stage.STARTED)],
    (Outcome.WITHDRAWN.value, "Withdrawn by the applicant"),
    (Outcome.REJECTED.value, "Rejected"),
]


class StageChangeForm(VersionedForm):
    submit_label = "Record"

    action = _choice("Move to", ACTION_CHOICES)
    date = date_field("Date")
    close_reason = _choice("Reason", CloseReason.choices, required=False)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["close_reason"].help_text = "For withdrawn or rejected."
        if application is not None:
            current = STAGE_ORDER[Stage(application.stage)]
            self.fields["action"].choices = [("", "Choose...")] + [
                (value, label)
                for value, label in ACTION_CHOICES
                if value in (Outcome.WITHDRAWN, Outcome.REJECTED)
                or STAGE_ORDER[Stage(value)] > current
            ]


class BulkStageChangeForm(GovForm):
    submit_label = "Move selected"

    action = _choice("Move selected applicants to", ACTION_CHOICES)
    date = date_field("Date")
    close_reason = _choice("Reason", CloseReason.choices, required=False)


class CheckForm(VersionedForm):
    submit_label = "Record check"

    check = _choice("Pre-employment check", Check.choices)
    date = date_field("Date passed")
    checked_by = forms.CharField(
        label="Checked by",
        max_length=120,
        help_text="Who made the check: their name and role.",
        error_messages={"required": "Enter who checked it."},
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None:  # offer only the checks not yet recorded
            missing = {c.value for c in Check if getattr(application, c.value) is None}
            self.fields["check"].choices = [("", "Choose...")] + [
                (c.value, c.label) for c in Check if c.value in missing
            ]


class StartForm(VersionedForm):
    submit_label = "Record the start"

    start_date = date_field("Start date")
    swe_number = forms.CharField(
        label="Social Work England number",
        max_length=14,
        required=False,
        help_text="The number from the registration check, for example SW123456.",
    )
    returning = forms.BooleanField(
        label=f"{RETURNING_LABEL}: record a return for the person already recorded",
        required=False,
        help_text="Tick this only when the Social Work England number belongs to someone "
        "already recorded (a leaver coming back). Their recorded details are kept.",
    )
    date_of_birth = date_field(
        "Date of birth", required=False, hint="If known, for example 27 3 1990."
    )
    contract_type = _choice(
        "Contract",
        [
            (ContractType.PERMANENT.value, "Permanent"),
            (ContractType.FIXED_TERM.value, "Fixed-term"),
        ],
    )
    fte = forms.DecimalField(
        label="FTE",
        max_digits=7,
        decimal_places=6,
        help_text="More than 0 and no more than 1, for example 0.8.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the FTE.",
            "invalid": "Enter FTE as a number, for example 0.8.",
        },
    )
    start_origin = _choice("Where they came from", StartOrigin.choices, coerce=int)
    is_asye = forms.BooleanField(label="ASYE (newly qualified)", required=False)


class CheckInForm(GovForm):
    submit_label = "Record check-in"

    completed_on = date_field("Date held")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CohortForm(GovForm):
    submit_label = "Save cohort"

    route = _choice("Route", PipelineRoute.choices)
    name = forms.CharField(max_length=120, error_messages={"required": "Enter a name."})
    provider = forms.CharField(required=False, max_length=120, help_text="University or programme.")
    places = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": "Enter the number of places.",
            "invalid": "Enter the number of places as a whole number.",
            "min_value": "Enter the number of places: 1 or more.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    expected_start = date_field("Expected start")
    team = _model_choice("Team", Team.objects.all(), empty="Not decided")
    grade = _model_choice("Grade", Grade.objects.all(), empty="Not decided")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FunnelPeriodForm(forms.Form):
    start = date_field("From", required=False, bounded=True)
    end = date_field("To", required=False, bounded=True)
    by = forms.ChoiceField(
        label="Roles",
        required=False,
        choices=[("grade", "By local grade"), ("org_role", "By DfE role")],
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end of the period must be on or after its start.")
        return data
