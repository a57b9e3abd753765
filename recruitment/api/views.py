"""Recruitment REST endpoints in the thin-API shape (see ``workforce.api.views``): the
FilterSet shared with the pages over what the user may see -> an output serializer;
writes: input serializer -> one ``recruitment.services`` call -> output serializer. A
service's ``ValidationError`` becomes a 400 with a message per field (a stale version:
409, who changed what under ``non_field_errors``; ``core.locking``). Roles as the pages
(``recruitment.roles``); the funnel is aggregate and suppressed for councillors.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.locking import required_version
from core.roles import STAFF_READERS, has_role
from recruitment import selectors, services
from recruitment.filters import ApplicationFilterSet, CampaignFilterSet, VacancyFilterSet
from recruitment.models import Campaign
from recruitment.roles import FUNNEL_READERS, RECRUITMENT_READERS, RECRUITMENT_WRITERS
from workforce.api.audit import audited_as
from workforce.api.views import ERRORS_409, ERRORS_428, IF_MATCH
from workforce.dates import date_param
from workforce.disclosure import Audience, disclose_grid
from workforce.selectors import teams_visible_to

from . import serializers as s


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    get=extend_schema(summary="Vacancies", tags=["recruitment"]),
    post=extend_schema(
        summary="Open a vacancy",
        request=s.VacancyInputSerializer,
        responses={201: s.VacancyOutputSerializer},
        tags=["recruitment"],
    ),
)
class VacancyListApi(generics.ListAPIView):
    allowed_roles = RECRUITMENT_READERS
    write_roles = RECRUITMENT_WRITERS
    serializer_class = s.VacancyOutputSerializer
    filterset_class = VacancyFilterSet

    def get_queryset(self):
        return selectors.vacancies_visible_to(self.request.user).order_by("-opened_on", "pk")

    def post(self, request, *args, **kwargs):
        data = _validated(s.VacancyInputSerializer, request.data)
        team = data.get("team") or (data["post"].team if data.get("post") else None)
        if team is not None and not teams_visible_to(request.user).filter(pk=team.pk).exists():
            raise ValidationError({"team": ["You can open vacancies only in your own teams."]})
        vacancy = services.vacancy_open(**data)
        return Response(self.get_serializer(vacancy).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="Adverts and campaigns", tags=["recruitment"]),
    post=extend_schema(
        summary="Record an advert",
        request=s.CampaignInputSerializer,
        responses={201: s.CampaignSerializer},
        tags=["recruitment"],
    ),
)
class CampaignListApi(generics.ListAPIView):
    allowed_roles = RECRUITMENT_READERS
    write_roles = RECRUITMENT_WRITERS
    serializer_class = s.CampaignSerializer
    filterset_class = CampaignFilterSet
    queryset = Campaign.objects.prefetch_related("vacancies").order_by("-opened_on", "pk")

    def post(self, request, *args, **kwargs):
        campaign = services.campaign_create(**_validated(s.CampaignInputSerializer, request.data))
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="Applications, with their stage history", tags=["recruitment"]),
    post=extend_schema(
        summary="Record an application",
        request=s.ApplicationInputSerializer,
        responses={201: s.ApplicationOutputSerializer},
        tags=["recruitment"],
    ),  # fmt: skip
)
class ApplicationListApi(generics.ListAPIView):
    allowed_roles = RECRUITMENT_READERS
    write_roles = RECRUITMENT_WRITERS
    serializer_class = s.ApplicationOutputSerializer
    filterset_class = ApplicationFilterSet

    def get_queryset(self):
        return (
            selectors.applications_visible_to(self.request.user)
            .prefetch_related("stage_changes")
            .order_by("-applied_on", "pk")
        )

    def post(self, request, *args, **kwargs):
        data = _validated(s.ApplicationInputSerializer, request.data)
        visible = selectors.vacancies_visible_to(request.user)
        if not visible.filter(pk=data["vacancy"].pk).exists():
            raise ValidationError({"vacancy": ["There is no such vacancy in your teams."]})
        application = services.application_create(by=request.user, **data)
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)


class ApplicationStageChangeApi(generics.GenericAPIView):
    """POST only: move an application to a later stage, or close it."""

    allowed_roles = RECRUITMENT_WRITERS
    write_roles = RECRUITMENT_WRITERS
    serializer_class = s.StageChangeInputSerializer
    filter_backends: list = []
    http_method_names = ["post", "options"]

    def get_queryset(self):
        return selectors.applications_visible_to(self.request.user)

    @extend_schema(
        summary="Move an application (a stage, or withdrawn/rejected)",
        request=s.StageChangeInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ApplicationOutputSerializer, 409: ERRORS_409, 428: ERRORS_428},
        tags=["recruitment"],
    )
    def post(self, request, *args, **kwargs):
        application = self.get_object()
        data = _validated(s.StageChangeInputSerializer, request.data)
        with audited_as(request.user):
            services.application_stage_change(
                application=application, action=data["action"], date=data["date"],
                version=required_version(request, data),
                close_reason=data.get("close_reason") or "", by=request.user,
            )  # fmt: skip
        application = self.get_queryset().prefetch_related("stage_changes").get(pk=application.pk)
        return Response(s.ApplicationOutputSerializer(application).data)


class FunnelApi(APIView):
    """The funnel per role for a period: aggregate only; councillors get small numbers
    suppressed (null with ``suppressed: true``)."""

    allowed_roles = FUNNEL_READERS
    write_roles: frozenset = frozenset()

    @extend_schema(
        summary="Recruitment funnel (aggregate)",
        responses={200: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter("start", str, description="First day (YYYY-MM-DD)"),
            OpenApiParameter("end", str, description="Last day (YYYY-MM-DD), default today"),
            OpenApiParameter("by", str, enum=["grade", "org_role", "all"]),
        ],
        tags=["recruitment"],
    )
    def get(self, request):
        errors = {}
        dates = {}
        today = timezone.localdate()
        defaults = {"start": today - dt.timedelta(days=364), "end": today}
        for name in ("start", "end"):
            try:
                dates[name] = date_param(request.query_params.get(name), name, defaults[name])
            except ValidationError as exc:
                errors.update(exc.detail)
        by = request.query_params.get("by", "grade")
        if by not in selectors.GROUPINGS:
            errors["by"] = ["Use grade, org_role or all."]
        if not errors and dates["start"] > dates["end"]:
            errors["end"] = ["The end must be on or after the start."]
        if errors:
            raise ValidationError(errors)
        staff = has_role(request.user, STAFF_READERS)
        rows = selectors.funnel(
            start=dates["start"], end=dates["end"], by=by,
            applications=selectors.applications_visible_to(request.user) if staff else None,
        )  # fmt: skip
        stages = [stage.value for stage in selectors.FUNNEL_STAGES]
        body = [r for r in rows if r.key != "total"]
        grid = {(r.label, st): r.counts[st] for r in body for st in stages}
        audience = Audience.named() if staff else Audience.councillor()
        shown, _, _ = disclose_grid(grid, audience=audience, row_totals=False)
        cells = {key: cell.value for key, cell in shown.items()}
        return Response(
            {
                "start": dates["start"],
                "end": dates["end"],
                "by": by,
                "suppressed": not staff,
                "rows": [
                    {
                        "role": r.label,
                        "counts": {st: cells[(r.label, st)] for st in stages},
                        "hidden": {
                            st: str(shown[(r.label, st)])
                            for st in stages
                            if shown[(r.label, st)].suppressed
                        },
                    }
                    for r in body
                ],
            }
        )
