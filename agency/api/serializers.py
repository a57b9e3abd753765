"""Agency API serializers: input is checked for shape here, the rules by ``agency.services``."""

from __future__ import annotations

from rest_framework import serializers

from workforce.models import Agency, Team

from ..choices import RoleCategory, SignOffRole
from ..models import AgencyPlacement, CapSignOff


class SignOffSerializer(serializers.ModelSerializer):
    class Meta:
        model = CapSignOff
        fields = ["role", "signed_by", "signed_on", "reason"]


class BreachSerializer(serializers.Serializer):
    rule = serializers.CharField()
    message = serializers.CharField()
    evidence = serializers.DictField()


class PlacementOutputSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    person_id = serializers.IntegerField(allow_null=True)
    sign_offs = SignOffSerializer(source="cap_sign_offs", many=True)
    breaches = serializers.SerializerMethodField()

    class Meta:
        model = AgencyPlacement
        fields = [
            "id",
            "swe_number",
            "person_id",
            "agency",
            "team",
            "role_category",
            "pay_rate",
            "charge_rate",
            "hours_per_week",
            "start_date",
            "end_date",
            "notice_weeks",
            "reference_obtained_on",
            "reference_given_on",
            "is_project_team",
            "project_worker_approved",
            "project_costs_broken_down",
            "declared_la_months",
            "sign_offs",
            "breaches",
        ]

    def get_breaches(self, obj) -> list[dict]:
        found = self.context.get("breaches", {}).get(obj.pk, [])
        return [b.as_dict() for b in found]


class SignOffInputSerializer(serializers.Serializer):
    signed_by = serializers.CharField(max_length=120)
    signed_on = serializers.DateField()
    reason = serializers.CharField()


class PlacementInputSerializer(serializers.Serializer):
    swe_number = serializers.CharField(max_length=14)
    agency = serializers.CharField(max_length=120, help_text="The agency's name (created if new).")
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    role_category = serializers.ChoiceField(choices=RoleCategory.choices)
    pay_rate = serializers.DecimalField(max_digits=9, decimal_places=2)
    charge_rate = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True
    )
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=2)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    notice_weeks = serializers.IntegerField(min_value=0)
    reference_obtained_on = serializers.DateField(required=False, allow_null=True)
    reference_given_on = serializers.DateField(required=False, allow_null=True)
    is_project_team = serializers.BooleanField(default=False)
    project_worker_approved = serializers.BooleanField(default=False)
    project_costs_broken_down = serializers.BooleanField(default=False)
    declared_la_months = serializers.IntegerField(min_value=0, default=0)
    sign_offs = serializers.DictField(
        child=SignOffInputSerializer(),
        required=False,
        help_text="By role: " + ", ".join(SignOffRole.values),
    )

    def validate_sign_offs(self, value):
        unknown = set(value) - set(SignOffRole.values)
        if unknown:
            raise serializers.ValidationError(
                f"Sign-offs are by {' and '.join(SignOffRole.values)} (not {', '.join(unknown)})."
            )
        return value

    def placement_fields(self) -> tuple[dict, dict]:
        data = dict(self.validated_data)
        sign_offs = data.pop("sign_offs", {})
        data["agency"], _ = Agency.objects.get_or_create(name=data["agency"].strip())
        return data, sign_offs
