"""Agency API serializers: input is checked for shape here, the rules by ``agency.services``
(``placement_validate``, called from ``PlacementInputSerializer.validate``: one place)."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from workforce.api.exception_handlers import domain_error_detail
from workforce.models import Agency, Team

from .. import services
from ..choices import RoleCategory, SignOffRole
from ..forms import SIGN_OFF_PARTS
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
    """The shape of one sign-off; whether each part is there is the service's check."""

    signed_by = serializers.CharField(max_length=120, required=False, allow_blank=True)
    signed_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True)


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
    notice_weeks = serializers.IntegerField()
    reference_obtained_on = serializers.DateField(required=False, allow_null=True)
    reference_given_on = serializers.DateField(required=False, allow_null=True)
    is_project_team = serializers.BooleanField(default=False)
    project_worker_approved = serializers.BooleanField(default=False)
    project_costs_broken_down = serializers.BooleanField(default=False)
    declared_la_months = serializers.IntegerField(default=0)
    sign_offs = serializers.DictField(
        child=SignOffInputSerializer(),
        required=False,
        help_text="By role: " + ", ".join(SignOffRole.values),
    )

    def validate(self, attrs):
        """The placement's rules, checked by the one service that checks them for the
        pages, the API and the imports (``agency.services.placement_validate``); its
        errors keep this input's shape (``sign_offs.dcs.reason``)."""
        data = dict(attrs)
        sign_offs = data.pop("sign_offs", {})
        name = data["agency"].strip()
        data["agency"] = Agency.objects.filter(name=name).first() or Agency(name=name)
        existing = self.context.get("placement")
        try:
            services.placement_validate(
                placement=copy.copy(existing) if existing is not None else None,
                sign_offs=sign_offs,
                **data,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_nested(domain_error_detail(exc))) from None
        return attrs

    def placement_fields(self) -> tuple[dict, dict]:
        data = dict(self.validated_data)
        sign_offs = data.pop("sign_offs", {})
        data["agency"], _ = Agency.objects.get_or_create(name=data["agency"].strip())
        return data, sign_offs


def _nested(detail: dict) -> dict:
    """The service's ``dcs_reason`` as the input's ``sign_offs.dcs.reason``, and its
    ``sign_offs`` as ``sign_offs.non_field_errors``."""
    nested: dict = {}
    sign_offs: dict = {}
    for key, messages in detail.items():
        role, _, part = key.partition("_")
        if key.startswith("chief_executive_"):
            role, part = "chief_executive", key.removeprefix("chief_executive_")
        if role in SignOffRole.values and part in SIGN_OFF_PARTS:
            sign_offs.setdefault(role, {})[part] = messages
        elif key == "sign_offs":
            sign_offs["non_field_errors"] = messages
        else:
            nested[key] = messages
    if sign_offs:
        nested["sign_offs"] = sign_offs
    return nested
