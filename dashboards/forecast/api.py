"""``/api/forecast/?from=YYYY-MM-DD&months=N[&scenario=NAME][&simulations=1000]``: the
forecast as ``manage.py forecast`` prints it (aggregate FTE and rates only, so every
role may read it). A bad parameter or an unknown scenario is a 400 naming it."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import ALL_ROLES

from .services import ForecastError, forecast_report, scenario_named


class ForecastQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        input_formats=["iso-8601"],
        error_messages={"invalid": "Enter a date written YYYY-MM-DD, for example 2024-03-31."},
    )
    months = serializers.IntegerField(min_value=1, max_value=60, default=24)
    simulations = serializers.IntegerField(min_value=100, max_value=5000, default=1000)
    scenario = serializers.CharField(required=False, allow_blank=True, default="")

    def to_internal_value(self, data):
        data = dict(data.items())
        if "from" in data:
            data["start"] = data.pop("from")
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(
                {("from" if key == "start" else key): value for key, value in exc.detail.items()}
            ) from None


class ForecastApi(APIView):
    """The permanence-rate forecast with its percentiles and the 85% target."""

    allowed_roles = ALL_ROLES

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter("from", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("months", int, description="1 to 60 (default 24)"),
            OpenApiParameter("scenario", str, description="A saved scenario's name"),
            OpenApiParameter("simulations", int, description="100 to 5,000 (default 1,000)"),
        ],
    )
    def get(self, request):
        serializer = ForecastQuerySerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        query = serializer.validated_data
        try:
            scenario = scenario_named(query["scenario"])
        except ForecastError as exc:
            raise serializers.ValidationError({"scenario": str(exc)}) from None
        try:
            report = forecast_report(
                start=query["start"],
                months=query["months"],
                simulations=query["simulations"],
                scenario=scenario,
            )
        except ForecastError as exc:
            raise serializers.ValidationError({"from": str(exc)}) from None
        return Response(report)
