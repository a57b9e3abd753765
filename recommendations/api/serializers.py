"""Output and input shapes of the recommendations API."""

from rest_framework import serializers

from core.locking import VersionedInput

from ..choices import Decision, DeliveryStatus, Rag
from ..models import Action, ExecutiveResponse, ProgressUpdate, Recommendation, Review


class ReviewSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.name")
    council = serializers.CharField(source="committee.council")

    class Meta:
        model = Review
        fields = ["id", "council", "committee", "title", "kind", "report_date", "meeting",
                  "paper_url", "chair", "monitoring_months"]  # fmt: skip


class ExecutiveResponseSerializer(serializers.ModelSerializer):
    decision_display = serializers.CharField()

    class Meta:
        model = ExecutiveResponse
        fields = [
            "decision",
            "decision_display",
            "response_text",
            "response_date",
            "decision_body",
            "officer_responsible",
            "action_by",
            "action_by_date",
        ]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = ["id", "update_date", "status", "rag", "text"]


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "number", "description", "owner", "due_date", "completed_on"]


class RecommendationSerializer(serializers.ModelSerializer):
    """A recommendation with its response, latest status and whether it is overdue (as
    of the ``as_of`` filter, default today)."""

    review = ReviewSerializer()
    parent_number = serializers.CharField(source="parent.number", default=None, allow_null=True)
    response = serializers.SerializerMethodField()
    latest_status = serializers.CharField(allow_null=True)
    latest_rag = serializers.CharField(allow_null=True)
    latest_update_date = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = ["id", "review", "number", "parent_number", "text", "theme", "lead_member",
                  "lead_officers", "kpi_key", "kpi_target", "kpi_target_date", "response",
                  "latest_status", "latest_rag", "latest_update_date", "overdue",
                  "version"]  # fmt: skip

    def get_response(self, obj) -> dict | None:
        from ..selectors import recommendation_response

        response = recommendation_response(obj)
        return ExecutiveResponseSerializer(response).data if response else None

    def get_overdue(self, obj) -> bool:
        from ..selectors import recommendation_is_overdue

        return recommendation_is_overdue(recommendation=obj, as_of=self.context["as_of"])


class RecommendationDetailSerializer(RecommendationSerializer):
    updates = ProgressUpdateSerializer(many=True)
    actions = ActionSerializer(many=True)

    class Meta(RecommendationSerializer.Meta):
        fields = [*RecommendationSerializer.Meta.fields, "updates", "actions"]


class ExecutiveResponseInputSerializer(VersionedInput, serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("", "Not stated"), *Decision.choices],
                                       required=False, default="")  # fmt: skip
    response_text = serializers.CharField()
    response_date = serializers.DateField()
    decision_body = serializers.CharField(required=False, default="", allow_blank=True)
    officer_responsible = serializers.CharField(required=False, default="", allow_blank=True)
    action_by = serializers.CharField(required=False, default="", allow_blank=True)
    action_by_date = serializers.DateField(required=False, allow_null=True, default=None)


class ProgressUpdateInputSerializer(serializers.Serializer):
    update_date = serializers.DateField()
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    rag = serializers.ChoiceField(choices=[("", "Not rated"), *Rag.choices], required=False,
                                  default="")  # fmt: skip
    text = serializers.CharField()
