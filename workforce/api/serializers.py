"""Serializers of the workforce API: input serializers check the shape and the codes of a
request; output serializers say what a response contains. Neither saves anything: the
views hand validated input to ``workforce.services`` (writes) and pass what the
selectors return to an output serializer.

Code fields (DfE ``OrgRole``, ``ReasonLeave``...) are the DfE code values, with a
``*_label`` beside them in responses; an unknown code is refused with a message on its
field.
"""

from __future__ import annotations

import copy

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.locking import VersionedInput
from workforce.choices import (
    CaseloadSource,
    CFKSSStatus,
    ChangeReason,
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
from workforce.models import (
    Agency,
    Assignment,
    CaseloadSnapshot,
    Employment,
    Grade,
    Person,
    Post,
    ServiceArea,
    Team,
)
from workforce.selectors import person_timeline
from workforce.services import MAX_CASES

#: More cases than anyone could hold: a bigger figure is a typing mistake.

FTE_FIELD = {"max_digits": 7, "decimal_places": 6, "coerce_to_string": True}


class FteInputField(serializers.DecimalField):
    """An FTE as sent (``1.5`` stays ``1.5``), so the services' range message quotes it."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=6, coerce_to_string=True, **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data).normalize()


class OptionalBooleanField(serializers.BooleanField):
    """A boolean that is left out (unchanged) when not sent, even in a form post."""

    default_empty_html = serializers.empty


# --- Reference data (read only) ------------------------------------------------------


class ServiceAreaOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceArea
        fields = ["id", "name"]


class TeamOutputSerializer(serializers.ModelSerializer):
    service_area_name = serializers.CharField(source="service_area.name", read_only=True)

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "service_area",
            "service_area_name",
            "is_case_holding",
            "valid_from",
            "valid_to",
        ]


class GradeOutputSerializer(serializers.ModelSerializer):
    # A plain code (not a second enum of OrgRole in the schema): see ``org_role``.
    default_org_role = serializers.IntegerField(read_only=True, help_text="DfE OrgRole code.")
    default_org_role_label = serializers.CharField(
        source="get_default_org_role_display", read_only=True
    )

    class Meta:
        model = Grade
        fields = ["id", "name", "default_org_role", "default_org_role_label", "is_asye"]


class AgencyOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]


class PostOutputSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    grade_name = serializers.CharField(source="grade.name", read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "reference",
            "team",
            "team_name",
            "grade",
            "grade_name",
            "fte",
            "valid_from",
            "valid_to",
        ]


# --- Assignments and employments -----------------------------------------------------


class AssignmentOutputSerializer(serializers.ModelSerializer):
    """One period of an employment's terms (``effective_to`` empty = still in force)."""

    team_name = serializers.CharField(source="team.name", read_only=True)
    grade_name = serializers.CharField(
        source="grade.name", read_only=True, default=None, allow_null=True
    )
    post_reference = serializers.CharField(
        source="post.reference", read_only=True, default=None, allow_null=True
    )
    org_role_label = serializers.CharField(source="get_org_role_display", read_only=True)
    change_reason_label = serializers.CharField(source="get_change_reason_display", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "employment",
            "effective_from",
            "effective_to",
            "team",
            "team_name",
            "post",
            "post_reference",
            "grade",
            "grade_name",
            "org_role",
            "org_role_label",
            "fte",
            "is_asye",
            "cfkss_status",
            "change_reason",
            "change_reason_label",
        ]


class EmploymentOutputSerializer(serializers.ModelSerializer):
    """An employment (or agency placement) with all its terms, oldest first."""

    person_name = serializers.CharField(source="person.full_name", read_only=True)
    contract_type_label = serializers.CharField(source="get_contract_type_display", read_only=True)
    agency_name = serializers.CharField(
        source="agency.name", read_only=True, default=None, allow_null=True
    )
    assignments = AssignmentOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Employment
        fields = [
            "id",
            "person",
            "person_name",
            "contract_type",
            "contract_type_label",
            "agency",
            "agency_name",
            "start_date",
            "start_origin",
            "end_date",
            "leaving_reason",
            "leaving_destination",
            "assignments",
            "version",
        ]


class CurrentAssignmentOutputSerializer(serializers.Serializer):
    """Where a person is today: their employment in post and its terms in force."""

    employment = serializers.IntegerField(source="employment_id")
    contract_type = serializers.CharField(source="employment.contract_type")
    agency_name = serializers.CharField(
        source="employment.agency.name", default=None, allow_null=True
    )
    start_date = serializers.DateField(source="employment.start_date")
    team = serializers.IntegerField(source="team_id")
    team_name = serializers.CharField(source="team.name")
    service_area_name = serializers.CharField(source="team.service_area.name")
    grade_name = serializers.CharField(source="grade.name", default=None, allow_null=True)
    org_role = serializers.IntegerField()
    org_role_label = serializers.CharField(source="get_org_role_display")
    fte = serializers.DecimalField(**FTE_FIELD)
    is_asye = serializers.BooleanField()


# --- People --------------------------------------------------------------------------


class PersonListOutputSerializer(serializers.ModelSerializer):
    """A person in a list, with a summary of where they are in post today (or null)."""

    full_name = serializers.CharField(read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "swe_number",
            "staff_ref",
            "first_name",
            "last_name",
            "full_name",
            "current",
        ]

    @extend_schema_field(CurrentAssignmentOutputSerializer(allow_null=True))
    def get_current(self, person: Person) -> dict | None:
        # ``current_employments`` / ``current_assignments`` are prefetched by the view.
        for employment in getattr(person, "current_employments", []):
            for assignment in employment.current_assignments:
                return CurrentAssignmentOutputSerializer(assignment).data
        return None


class TimelineEventOutputSerializer(serializers.Serializer):
    """One event of a person's history (``workforce.selectors.person_timeline``)."""

    date = serializers.DateField()
    kind = serializers.CharField(help_text="start, leave, or the reason for a change.")
    title = serializers.CharField()
    detail = serializers.CharField()
    employment = serializers.IntegerField(source="employment.pk")


class PersonDetailOutputSerializer(serializers.ModelSerializer):
    """A person with their whole history: every employment and its terms, and the
    same history as a list of events, oldest first."""

    full_name = serializers.CharField(read_only=True)
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    ethnicity_label = serializers.CharField(source="get_ethnicity_display", read_only=True)
    qualification_route_label = serializers.CharField(
        source="get_qualification_route_display", read_only=True
    )
    employments = EmploymentOutputSerializer(many=True, read_only=True)
    timeline = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "swe_number",
            "staff_ref",
            "first_name",
            "last_name",
            "full_name",
            "date_of_birth",
            "gender",
            "gender_label",
            "ethnicity",
            "ethnicity_label",
            "qualification_route",
            "qualification_route_label",
            "qualification_institution",
            "qualification_level",
            "employments",
            "timeline",
            "version",
        ]

    @extend_schema_field(TimelineEventOutputSerializer(many=True))
    def get_timeline(self, person: Person) -> list[dict]:
        # person_timeline() prefetches on its own: give it the person without the
        # view's prefetched employments, or Django refuses the second prefetch.
        plain = copy.copy(person)
        plain._prefetched_objects_cache = {}
        events = person_timeline(person=plain)
        return TimelineEventOutputSerializer(events, many=True).data


class PersonInputSerializer(serializers.Serializer):
    """A person's details. On PATCH only the fields sent are changed."""

    swe_number = serializers.CharField(
        max_length=20, help_text="Social Work England number, for example SW123456."
    )
    staff_ref = serializers.CharField(
        max_length=30, required=False, allow_blank=True, allow_null=True
    )
    first_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_null=True)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices, required=False, allow_blank=True)
    qualification_route = serializers.ChoiceField(
        choices=QualificationRoute.choices, required=False, allow_blank=True
    )
    qualification_institution = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )
    qualification_level = serializers.ChoiceField(
        choices=QualLevel.choices, required=False, allow_null=True
    )


class PersonUpdateInputSerializer(VersionedInput, PersonInputSerializer):
    """A correction of a person's details, with the version the client last read."""


# --- Writes on employments -----------------------------------------------------------


class StarterInputSerializer(serializers.Serializer):
    """A starter (or the start of an agency placement) for an existing person."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    contract_type = serializers.ChoiceField(choices=ContractType.choices)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    start_date = serializers.DateField(help_text="DfE RoleStartDate.")
    start_origin = serializers.ChoiceField(
        choices=StartOrigin.choices, required=False, allow_null=True
    )
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    post = serializers.PrimaryKeyRelatedField(
        queryset=Post.objects.all(), required=False, allow_null=True
    )
    grade = serializers.PrimaryKeyRelatedField(
        queryset=Grade.objects.all(), required=False, allow_null=True
    )
    org_role = serializers.ChoiceField(choices=OrgRole.choices, help_text="DfE OrgRole.")
    fte = FteInputField(help_text="More than 0 and no more than 1.")
    is_asye = serializers.BooleanField(required=False, default=False)
    cfkss_status = serializers.ChoiceField(
        choices=CFKSSStatus.choices, required=False, allow_null=True
    )


class LeaverInputSerializer(VersionedInput, serializers.Serializer):
    """A leaving: DfE RoleEndDate, ReasonLeave and LeaverDestination (the codes are
    required for employed leavers, optional when an agency placement ends)."""

    end_date = serializers.DateField(help_text="DfE RoleEndDate: the leaving date.")
    leaving_reason = serializers.ChoiceField(
        choices=ReasonLeave.choices, required=False, allow_null=True
    )
    leaving_destination = serializers.ChoiceField(
        choices=LeaverDestination.choices, required=False, allow_null=True
    )


class AssignmentChangeInputSerializer(VersionedInput, serializers.Serializer):
    """A change to an employment's terms from a date; fields not sent are unchanged."""

    effective_from = serializers.DateField()
    change_reason = serializers.ChoiceField(
        choices=[c for c in ChangeReason.choices if c[0] != ChangeReason.START]
    )
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False)
    post = serializers.PrimaryKeyRelatedField(
        queryset=Post.objects.all(), required=False, allow_null=True
    )
    grade = serializers.PrimaryKeyRelatedField(
        queryset=Grade.objects.all(), required=False, allow_null=True
    )
    org_role = serializers.ChoiceField(choices=OrgRole.choices, required=False)
    fte = FteInputField(required=False)
    is_asye = OptionalBooleanField(required=False)
    cfkss_status = serializers.ChoiceField(
        choices=CFKSSStatus.choices, required=False, allow_null=True
    )


# --- Caseloads -----------------------------------------------------------------------


class CaseloadOutputSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="employment.person_id", read_only=True)
    person_name = serializers.CharField(source="employment.person.full_name", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = CaseloadSnapshot
        fields = ["id", "employment", "person", "person_name", "date", "cases", "team", "team_name"]


class CaseloadInputSerializer(serializers.Serializer):
    """Cases held by one worker on one date; a repeat for the same worker and date
    replaces the earlier figure. The team defaults to the worker's team on the date."""

    employment = serializers.PrimaryKeyRelatedField(queryset=Employment.objects.all())
    date = serializers.DateField()
    cases = serializers.IntegerField(
        help_text=f"A whole number from 0 to {MAX_CASES}. A figure above the council's "
        "ceiling (CASELOAD_CONFIRM_ABOVE, 40 unless the council sets another) needs "
        '"confirmed": true.'
    )
    confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The figure above the council's caseload ceiling has been checked.",
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    source = serializers.ChoiceField(
        choices=CaseloadSource.choices, required=False, default=CaseloadSource.MANUAL
    )
