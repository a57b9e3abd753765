"""KPI endpoints under /api/: thin views over ``dashboards.selectors`` and ``dashboards.kpis``.

- ``/api/kpis/?as_of=YYYY-MM-DD&scope=...``: every KPI as of a date (default: the last
  30 September) for a scope, with its definition, value shown to 1 dp, target and RAG.
- ``/api/kpi-definitions/``: the registry: what each KPI means, and its target.
- ``/api/caseload-report/?from=...&to=...&scope=...``: the weekly caseload series.

Aggregates only, so every role may read them (``ALL_ROLES``), each as the disclosure rule
(``workforce.disclosure``) lets the caller's audience see them: councillors, and service
managers outside their own teams, get null (with ``hidden``) for a count of fewer than 5
people and any figure worked out from one. A bad parameter is a 400 naming the parameter.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import ALL_ROLES
from dashboards.kpis import Scope, caseload_report
from dashboards.selectors import (
    caseload_report_disclosed,
    kpi_definitions,
    kpi_report,
    last_census_date,
)
from workforce.dates import BoundedDateParam
from workforce.disclosure import audience_for

SCOPE_HELP = "all, caseholding, area:<service area>, team:<team name> or role:<DfE role 1-6>"
DATE_FORMAT_MESSAGE = "Enter a date written YYYY-MM-DD, for example 2023-09-30."


class ScopeField(serializers.CharField):
    def to_internal_value(self, data) -> Scope:
        try:
            return Scope.parse(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


def _date_field(**kwargs) -> serializers.DateField:
    return BoundedDateParam(error_messages={"invalid": DATE_FORMAT_MESSAGE}, **kwargs)


class KpiQuerySerializer(serializers.Serializer):
    as_of = _date_field(required=False)
    scope = ScopeField(required=False, default="all", help_text=SCOPE_HELP)


class CaseloadReportQuerySerializer(serializers.Serializer):
    start = _date_field(param="from")
    end = _date_field(param="to")
    scope = ScopeField(required=False, default="all", help_text=SCOPE_HELP)

    def to_internal_value(self, data):
        data = {
            "start": data.get("from"),
            "end": data.get("to"),
            **({"scope": data["scope"]} if "scope" in data else {}),
        }
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            renamed = {"start": "from", "end": "to"}
            raise serializers.ValidationError(
                {renamed.get(key, key): value for key, value in exc.detail.items()}
            ) from None

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"to": "The 'to' date is before the 'from' date."})
        return attrs


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class KpiApi(APIView):
    """Every KPI as of a date for a scope, with definitions, targets and RAG."""

    allowed_roles = ALL_ROLES

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter("as_of", str, description="YYYY-MM-DD; default the last 30 Sept."),
            OpenApiParameter("scope", str, description=SCOPE_HELP),
        ],
    )
    def get(self, request):
        query = _query(KpiQuerySerializer, request)
        as_of = query.get("as_of") or last_census_date(today=timezone.localdate())
        scope = query["scope"]
        if isinstance(scope, str):
            scope = Scope.parse(scope)
        return Response(kpi_report(as_of=as_of, scope=scope, audience=audience_for(request.user)))


class KpiDefinitionsApi(APIView):
    """The KPI registry: key, label, unit, definition, whether up is good, target."""

    allowed_roles = ALL_ROLES

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response({"kpis": kpi_definitions()})


class CaseloadReportApi(APIView):
    """The weekly caseload report for a period and scope."""

    allowed_roles = ALL_ROLES

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter("from", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("scope", str, description=SCOPE_HELP),
        ],
    )
    def get(self, request):
        query = _query(CaseloadReportQuerySerializer, request)
        scope = query["scope"]
        if isinstance(scope, str):
            scope = Scope.parse(scope)
        try:
            weeks = caseload_report(start=query["start"], end=query["end"], scope=scope)
        except ValueError as exc:
            raise serializers.ValidationError({"to": str(exc)}) from None
        audience = audience_for(request.user)
        weeks = caseload_report_disclosed(weeks, audience=audience, scope=scope)
        return Response(
            {
                "from": query["start"],
                "to": query["end"],
                "scope": str(scope),
                "scope_label": scope.label,
                "suppressed": audience.suppressed(scope),
                "weeks": weeks,
            }
        )
