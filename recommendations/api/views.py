"""Recommendations REST endpoints, thin: the tracker's FilterSet over the tracked
recommendations -> an output serializer; a write is an input serializer -> one service
call -> the recommendation as read back. A service's ValidationError becomes a 400 with a
message per field (``workforce.api.exception_handlers``). Roles: ``recommendations.access``
(everyone reads; lead members and directors record responses; HR officers and directors
record progress)."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.locking import required_version
from workforce.api.audit import audited_as
from workforce.api.views import ERRORS_409, ERRORS_428, IF_MATCH

from .. import selectors, services
from ..access import PROGRESS_WRITERS, RESPONSE_WRITERS, TRACKER_READERS
from ..filters import RecommendationFilterSet
from ..models import Recommendation, Review
from . import serializers as s


class ReviewListApi(generics.ListAPIView):
    allowed_roles = TRACKER_READERS
    serializer_class = s.ReviewSerializer
    queryset = Review.objects.select_related("committee")


class RecommendationListApi(generics.ListAPIView):
    """The tracker's recommendations, filtered like the page (committee, review, status,
    decision, officer, overdue, as_of)."""

    allowed_roles = TRACKER_READERS
    serializer_class = s.RecommendationSerializer
    filterset_class = RecommendationFilterSet

    def get_queryset(self):
        return selectors.recommendations_tracked()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        filterset = RecommendationFilterSet(self.request.query_params or None)
        context["as_of"] = filterset.as_of_date()
        return context


class RecommendationDetailApi(generics.RetrieveAPIView):
    allowed_roles = TRACKER_READERS
    serializer_class = s.RecommendationDetailSerializer

    def get_queryset(self):
        return selectors.recommendations_tracked()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "as_of": timezone.localdate()}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response


def _read_back(request, pk: int, code: int) -> Response:
    rec = selectors.recommendations_tracked().get(pk=pk)
    data = s.RecommendationDetailSerializer(
        rec, context={"request": request, "as_of": timezone.localdate()}
    ).data
    return Response(data, status=code)


class ExecutiveResponseApi(APIView):
    """POST: record (or correct) the executive response. Lead members, directors."""

    allowed_roles = RESPONSE_WRITERS
    write_roles = RESPONSE_WRITERS

    @extend_schema(
        request=s.ExecutiveResponseInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.RecommendationDetailSerializer, 409: ERRORS_409, 428: ERRORS_428},
    )
    def post(self, request, pk: int):
        rec = get_object_or_404(Recommendation, pk=pk)
        data = s.ExecutiveResponseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes["version"] = required_version(request, changes)
        with transaction.atomic(), audited_as(request.user):
            services.executive_response_record(recommendation=rec, user=request.user, **changes)
        return _read_back(request, rec.pk, status.HTTP_200_OK)


class ProgressUpdateApi(APIView):
    """POST: record a progress update. HR officers, directors."""

    allowed_roles = PROGRESS_WRITERS
    write_roles = PROGRESS_WRITERS

    @extend_schema(request=s.ProgressUpdateInputSerializer,
                   responses=s.RecommendationDetailSerializer)  # fmt: skip
    def post(self, request, pk: int):
        rec = get_object_or_404(Recommendation.objects.select_related("review"), pk=pk)
        data = s.ProgressUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.progress_update_record(
            recommendation=rec, user=request.user, today=timezone.localdate(),
            **data.validated_data,
        )  # fmt: skip
        return _read_back(request, rec.pk, status.HTTP_201_CREATED)
