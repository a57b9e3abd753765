"""Serializers of the recruitment API: input serializers check the shape of a request,
output serializers say what a response holds. The views hand validated input to
``recruitment.services``; nothing here saves."""

from __future__ import annotations

from rest_framework import serializers

from recruitment.choices import Channel, CloseReason, Route, VacancyReason
from recruitment.forms import ACTION_CHOICES
from recruitment.models import Application, Campaign, StageChange, Vacancy
from workforce.models import Employment, Grade, Post, Team


class VacancyOutputSerializer(serializers.ModelSerializer):
    team = serializers.StringRelatedField()
    grade = serializers.StringRelatedField()
    post = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = Vacancy
        fields = [
            "id", "reference", "team", "team_id", "grade", "grade_id", "post", "org_role",
            "fte", "reason", "leaver_employment_id", "agency_cover_id", "opened_on",
            "closed_on", "status", "version",
        ]  # fmt: skip


class VacancyInputSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False)
    grade = serializers.PrimaryKeyRelatedField(queryset=Grade.objects.all(), required=False)
    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.all(), required=False)
    fte = serializers.DecimalField(max_digits=6, decimal_places=2)
    reason = serializers.ChoiceField(choices=VacancyReason.choices)
    opened_on = serializers.DateField()
    leaver_employment = serializers.PrimaryKeyRelatedField(
        queryset=Employment.objects.all(), required=False, allow_null=True
    )
    agency_cover = serializers.PrimaryKeyRelatedField(
        queryset=Employment.objects.all(), required=False, allow_null=True
    )
    reference = serializers.CharField(required=False, allow_blank=True, max_length=40)


class CampaignSerializer(serializers.ModelSerializer):
    vacancies = serializers.PrimaryKeyRelatedField(
        queryset=Vacancy.objects.all(), many=True, required=False
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "channel",
            "partner",
            "opened_on",
            "closes_on",
            "cost",
            "vacancies",
        ]


class CampaignInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    channel = serializers.ChoiceField(choices=Channel.choices)
    partner = serializers.CharField(required=False, allow_blank=True, max_length=120)
    opened_on = serializers.DateField()
    closes_on = serializers.DateField(required=False, allow_null=True)
    cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    vacancies = serializers.PrimaryKeyRelatedField(
        queryset=Vacancy.objects.all(), many=True, required=False
    )


class StageChangeOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = ["from_stage", "to_stage", "outcome", "date", "close_reason", "recorded_at"]


class ApplicationOutputSerializer(serializers.ModelSerializer):
    applicant_name = serializers.CharField(read_only=True)
    stage_changes = StageChangeOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "vacancy_id", "campaign_id", "applicant_name", "email", "is_internal",
            "route", "stage", "outcome", "applied_on", "shortlisted_on", "interviewed_on",
            "offered_on", "accepted_on", "checks_completed_on", "started_on", "closed_on",
            "close_reason", "anonymised_on", "version", "stage_changes",
        ]  # fmt: skip


class ApplicationInputSerializer(serializers.Serializer):
    vacancy = serializers.PrimaryKeyRelatedField(queryset=Vacancy.objects.all())
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    first_name = serializers.CharField(max_length=80)
    last_name = serializers.CharField(max_length=80)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    swe_number = serializers.CharField(required=False, allow_blank=True, max_length=14)
    is_internal = serializers.BooleanField(required=False, default=False)
    route = serializers.ChoiceField(choices=Route.choices)
    applied_on = serializers.DateField()


class StageChangeInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTION_CHOICES)
    date = serializers.DateField()
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Required (here or as an `If-Match` header): the application's version "
        "you last read. A change made by someone else since then is not overwritten (409, "
        "saying who changed what); without it the answer is 428.",
    )
    close_reason = serializers.ChoiceField(
        choices=CloseReason.choices, required=False, allow_blank=True
    )
