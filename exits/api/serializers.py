"""Exits API serializers: output shapes, and the input of an exit interview offer."""

from __future__ import annotations

from rest_framework import serializers

from core.locking import VersionedInput

from ..choices import RETENTION_STATEMENTS, Channel, Conductor, OfferResponse
from ..models import ExitQuestionnaire, ExitRecord, ExitTheme


class ExitThemeOutputSerializer(serializers.ModelSerializer):
    keyword_rules = serializers.ListField(source="phrases", child=serializers.CharField())

    class Meta:
        model = ExitTheme
        fields = ["id", "name", "keyword_rules", "is_active"]


class QuestionnaireOutputSerializer(serializers.ModelSerializer):
    reasons = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = ExitQuestionnaire
        fields = [
            "completed_through_link",
            "reasons",
            *(field for field, _ in RETENTION_STATEMENTS),
            "destination",
            "would_return",
            "would_recommend",
            "free_text",
            "free_text_erased_on",
            "themes",
            "quote",
            "quote_approved",
        ]


class ExitRecordOutputSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(source="employment.person_id")
    leaver = serializers.CharField(source="employment.person.full_name")
    contract_type = serializers.CharField(source="employment.contract_type")
    start_date = serializers.DateField(source="employment.start_date")
    end_date = serializers.DateField(source="employment.end_date")
    status = serializers.CharField()

    class Meta:
        model = ExitRecord
        fields = [
            "id",
            "employment",
            "person_id",
            "leaver",
            "contract_type",
            "start_date",
            "end_date",
            "offered_on",
            "channel",
            "conductor",
            "response",
            "completed_on",
            "status",
            "version",
        ]


class ExitRecordDetailOutputSerializer(ExitRecordOutputSerializer):
    questionnaire = QuestionnaireOutputSerializer(read_only=True, allow_null=True)

    class Meta(ExitRecordOutputSerializer.Meta):
        fields = [*ExitRecordOutputSerializer.Meta.fields, "questionnaire"]


class ExitOfferInputSerializer(VersionedInput, serializers.Serializer):
    offered_on = serializers.DateField(allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True)
    conductor = serializers.ChoiceField(choices=Conductor.choices, required=False, allow_blank=True)
    response = serializers.ChoiceField(
        choices=OfferResponse.choices, required=False, allow_blank=True
    )
    completed_on = serializers.DateField(required=False, allow_null=True)
