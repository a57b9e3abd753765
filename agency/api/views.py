"""Agency REST endpoints (thin): the placements FilterSet shared with the pages, then one
selector or service call. Same roles as the pages: HR officers, directors and admins read;
HR officers and admins write. A rule broken is reported in ``breaches``; a rate above the
cap without both sign-offs is refused with a 400, as in the browser."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from .. import selectors, services
from ..filters import PlacementFilterSet
from ..views import AGENCY_READERS, AGENCY_WRITERS
from . import serializers as s


def _output(request, placements, *, many: bool):
    items = placements if many else [placements]
    breaches = selectors.placement_breaches(items, as_of=timezone.localdate())
    return s.PlacementOutputSerializer(
        placements, many=many, context={"request": request, "breaches": breaches}
    ).data


@extend_schema_view(
    get=extend_schema(summary="Agency placements and the rules each breaks", tags=["agency"]),
    post=extend_schema(
        summary="Record an agency placement",
        tags=["agency"],
        request=s.PlacementInputSerializer,
        responses=s.PlacementOutputSerializer,
    ),
)
class PlacementListApi(generics.ListCreateAPIView):
    allowed_roles = AGENCY_READERS
    write_roles = AGENCY_WRITERS
    serializer_class = s.PlacementOutputSerializer
    filterset_class = PlacementFilterSet

    def get_queryset(self):
        return selectors.placements_all().order_by("-start_date", "swe_number")

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(_output(request, page, many=True))

    def create(self, request, *args, **kwargs):
        data = s.PlacementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():  # a new agency is kept only if the placement is saved
            fields, sign_offs = data.placement_fields()
            placement = services.placement_save(
                sign_offs=sign_offs, recorded_by=request.user, **fields
            )
        placement = selectors.placements_all().get(pk=placement.pk)
        return Response(_output(request, placement, many=False), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="One agency placement", tags=["agency"]),
    put=extend_schema(
        summary="Change an agency placement (or record its cap sign-offs)",
        tags=["agency"],
        request=s.PlacementInputSerializer,
        responses=s.PlacementOutputSerializer,
    ),
)
class PlacementDetailApi(generics.RetrieveUpdateAPIView):
    allowed_roles = AGENCY_READERS
    write_roles = AGENCY_WRITERS
    serializer_class = s.PlacementOutputSerializer
    http_method_names = ["get", "put", "head", "options"]

    def get_queryset(self):
        return selectors.placements_all()

    def retrieve(self, request, *args, **kwargs):
        return Response(_output(request, self.get_object(), many=False))

    def update(self, request, *args, **kwargs):
        placement = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        data = s.PlacementInputSerializer(data=request.data, context={"placement": placement})
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            fields, sign_offs = data.placement_fields()
            services.placement_save(
                placement=placement, sign_offs=sign_offs, recorded_by=request.user, **fields
            )
        placement = selectors.placements_all().get(pk=placement.pk)
        return Response(_output(request, placement, many=False))
