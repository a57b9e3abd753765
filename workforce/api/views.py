"""Workforce REST endpoints: thin views in the HackSoftware "thin API" shape.

A read is: the FilterSet shared with the HTML lists (``workforce.filters``) over what the
user may see (``workforce.selectors``) -> an output serializer. A write is: an input
serializer -> one ``workforce.services`` call -> an output serializer. A service's
``ValidationError`` becomes a 400 with a message per field
(``workforce.api.exception_handlers``), and the service's transaction means nothing is
half-saved.

Every view declares ``allowed_roles`` (who may read) and ``write_roles`` (who may write),
checked by ``core.permissions.DenyUnlessRoleDeclared``: staff readers (HR officers,
service managers, directors, admins) read; HR officers and admins write; service managers
see only people who have worked in their teams; scrutiny and lead members see none of it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from knox.models import AuthToken
from rest_framework import generics, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.locking import required_version
from core.roles import ALL_ROLES, STAFF_READERS, WORKFORCE_WRITERS, has_role
from workforce import services
from workforce.dates import date_param
from workforce.filters import (
    CaseloadFilterSet,
    EmploymentFilterSet,
    PersonFilterSet,
    PostFilterSet,
    TeamFilterSet,
)
from workforce.models import (
    Agency,
    Assignment,
    CaseloadSnapshot,
    Employment,
    Grade,
    Person,
    Post,
    ServiceArea,
    Team,
)
from workforce.selectors import (
    assignment_active_q,
    employment_active_q,
    people_visible_to,
    teams_visible_to,
)

from . import serializers as s
from .audit import audited_as
from .exception_handlers import domain_error_detail

NO_WRITES: frozenset = frozenset()

ERRORS_409 = OpenApiResponse(
    description="Someone changed the record after the version you sent (``version`` or "
    "``If-Match``): ``non_field_errors`` says who, when and what. Nothing was saved."
)
ERRORS_428 = OpenApiResponse(
    description="The update did not say which version of the record it was based on: send "
    "the ``version`` field (from the record's GET) or an ``If-Match`` header with its "
    "``ETag``. ``version`` says what to send. Nothing was saved."
)
#: The header a client may send instead of ``version`` (every versioned update).
IF_MATCH = OpenApiParameter(
    "If-Match",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description='The record\'s ``ETag`` (its version) from your last GET, e.g. ``"3"``; '
    "instead of the ``version`` field. One of the two is required.",
)
ERRORS_400 = OpenApiResponse(
    description="The request was not valid: a list of messages per field "
    "(``non_field_errors`` for the request as a whole). Nothing was saved."
)


def _validated(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _assignments_oldest_first() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.select_related("team", "grade", "post").order_by(
            "effective_from"
        ),
    )


def _employments_visible_to(user) -> QuerySet[Employment]:
    return Employment.objects.filter(person__in=people_visible_to(user))


def _people_with_history(user) -> QuerySet[Person]:
    """People the user may see, each with every employment and its terms, oldest first."""
    return people_visible_to(user).prefetch_related(
        Prefetch(
            "employments",
            queryset=Employment.objects.select_related("agency")
            .prefetch_related(_assignments_oldest_first())
            .order_by("start_date"),
        )
    )


# --- Reference data ------------------------------------------------------------------


class ReferenceListApi(generics.ListAPIView):
    allowed_roles = STAFF_READERS
    write_roles = NO_WRITES


@extend_schema_view(get=extend_schema(summary="Service areas", tags=["reference data"]))
class ServiceAreaListApi(ReferenceListApi):
    queryset = ServiceArea.objects.all()
    serializer_class = s.ServiceAreaOutputSerializer


@extend_schema_view(get=extend_schema(summary="Teams", tags=["reference data"]))
class TeamListApi(ReferenceListApi):
    queryset = Team.objects.select_related("service_area")
    serializer_class = s.TeamOutputSerializer
    filterset_class = TeamFilterSet


@extend_schema_view(get=extend_schema(summary="Local grades", tags=["reference data"]))
class GradeListApi(ReferenceListApi):
    queryset = Grade.objects.all()
    serializer_class = s.GradeOutputSerializer


@extend_schema_view(get=extend_schema(summary="Agencies", tags=["reference data"]))
class AgencyListApi(ReferenceListApi):
    queryset = Agency.objects.all()
    serializer_class = s.AgencyOutputSerializer


@extend_schema_view(
    get=extend_schema(summary="Funded posts (the establishment)", tags=["reference data"])
)
class PostListApi(ReferenceListApi):
    queryset = Post.objects.select_related("team", "grade")
    serializer_class = s.PostOutputSerializer
    filterset_class = PostFilterSet


# --- People --------------------------------------------------------------------------


class PersonListApi(generics.ListAPIView):
    allowed_roles = STAFF_READERS
    write_roles = WORKFORCE_WRITERS
    serializer_class = s.PersonListOutputSerializer
    filterset_class = PersonFilterSet

    def _as_of(self) -> dt.date:
        raw = self.request.query_params.get("in_post_on")
        return date_param(raw, "in_post_on", default=timezone.localdate())

    def get_queryset(self) -> QuerySet[Person]:
        as_of = self._as_of()
        current_assignments = Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(assignment_active_q(as_of)).select_related(
                "team__service_area", "grade"
            ),
            to_attr="current_assignments",
        )
        current_employments = Prefetch(
            "employments",
            queryset=Employment.objects.filter(employment_active_q(as_of))
            .select_related("agency")
            .prefetch_related(current_assignments),
            to_attr="current_employments",
        )
        return people_visible_to(self.request.user).prefetch_related(current_employments)

    @extend_schema(
        summary="People",
        description="Social workers (employed and agency) the user may see. ``current`` is "
        "where the person is in post on ``in_post_on`` (today if not given), or null.",
        tags=["people"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Add a person",
        description="Records a person's details (then POST /api/employments/ records their "
        "start). HR officers and admins only.",
        request=s.PersonInputSerializer,
        responses={201: s.PersonDetailOutputSerializer, 400: ERRORS_400},
        tags=["people"],
    )
    def post(self, request, *args, **kwargs):
        data = _validated(s.PersonInputSerializer, request.data)
        with audited_as(request.user):
            person = services.person_create(**data)
        person = _people_with_history(request.user).get(pk=person.pk)
        return Response(s.PersonDetailOutputSerializer(person).data, status=status.HTTP_201_CREATED)


class PersonDetailApi(generics.RetrieveAPIView):
    allowed_roles = STAFF_READERS
    write_roles = WORKFORCE_WRITERS
    serializer_class = s.PersonDetailOutputSerializer
    filter_backends: list = []
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Person]:
        return _people_with_history(self.request.user)

    @extend_schema(
        summary="A person and their whole history",
        description="Every employment with its terms over time, and the same history as "
        "a timeline of events (start, changes, leaving), oldest first.",
        tags=["people"],
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    @extend_schema(
        summary="Correct a person's details",
        description="Only the fields sent are changed; the audit trail keeps the before and "
        "after. Send the ``version`` you read (or ``If-Match``; required, else 428): if "
        "someone has changed the person since, nothing is saved and the answer is 409 "
        "saying who changed what. "
        "HR officers and admins only.",
        request=s.PersonUpdateInputSerializer(partial=True),
        parameters=[IF_MATCH],
        responses={
            200: s.PersonDetailOutputSerializer,
            400: ERRORS_400,
            409: ERRORS_409,
            428: ERRORS_428,
        },
        tags=["people"],
    )
    def patch(self, request, *args, **kwargs):
        person = self.get_object()
        changes = _validated(s.PersonUpdateInputSerializer, request.data, partial=True)
        changes["version"] = required_version(request, changes)
        with audited_as(request.user):
            services.person_update(person=person, **changes)
        data = self.get_serializer(self.get_object()).data
        return Response(data, headers={"ETag": f'"{data["version"]}"'})


# --- Employments ---------------------------------------------------------------------


class EmploymentListApi(generics.ListAPIView):
    allowed_roles = STAFF_READERS
    write_roles = WORKFORCE_WRITERS
    serializer_class = s.EmploymentOutputSerializer
    filterset_class = EmploymentFilterSet

    def get_queryset(self) -> QuerySet[Employment]:
        return (
            _employments_visible_to(self.request.user)
            .select_related("person", "agency")
            .prefetch_related(_assignments_oldest_first())
        )

    @extend_schema(
        summary="Employments and agency placements",
        description="Each with its terms (team, post, grade, DfE role, FTE, ASYE) over time.",
        tags=["employments"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Record a starter",
        description="Starts an employment (or an agency placement) for an existing person, "
        "with its first terms. HR officers and admins only.",
        request=s.StarterInputSerializer,
        responses={201: s.EmploymentOutputSerializer, 400: ERRORS_400},
        tags=["employments"],
    )
    def post(self, request, *args, **kwargs):
        data = _validated(s.StarterInputSerializer, request.data)
        with audited_as(request.user):
            employment = services.starter_record(**data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=employment.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class EmploymentWriteApi(generics.GenericAPIView):
    """Base of the POST-only actions on one employment (GET is 405 for writers)."""

    allowed_roles = WORKFORCE_WRITERS
    write_roles = WORKFORCE_WRITERS
    filter_backends: list = []
    http_method_names = ["post", "options"]

    def get_queryset(self) -> QuerySet[Employment]:
        return _employments_visible_to(self.request.user)


class EmploymentLeaveApi(EmploymentWriteApi):
    serializer_class = s.LeaverInputSerializer

    @extend_schema(
        summary="Record a leaver",
        description="Ends the employment on ``end_date`` (DfE RoleEndDate) with the DfE "
        "reason and destination (optional when an agency placement ends).",
        request=s.LeaverInputSerializer,
        parameters=[IF_MATCH],
        responses={
            200: s.EmploymentOutputSerializer,
            400: ERRORS_400,
            409: ERRORS_409,
            428: ERRORS_428,
        },
        tags=["employments"],
    )
    def post(self, request, *args, **kwargs):
        employment = self.get_object()
        data = _validated(s.LeaverInputSerializer, request.data)
        with audited_as(request.user):
            services.leaver_record(
                employment=employment,
                end_date=data["end_date"],
                leaving_reason=data.get("leaving_reason"),
                leaving_destination=data.get("leaving_destination"),
                version=required_version(request, data),
            )
        employment = (
            self.get_queryset()
            .select_related("person", "agency")
            .prefetch_related(_assignments_oldest_first())
            .get(pk=employment.pk)
        )
        return Response(s.EmploymentOutputSerializer(employment).data)


class EmploymentChangeApi(EmploymentWriteApi):
    serializer_class = s.AssignmentChangeInputSerializer

    @extend_schema(
        summary="Record a change of terms",
        description="A team move, FTE change, grade or role change, or ASYE completed, from "
        "``effective_from``. Terms not sent are carried over; history is kept.",
        request=s.AssignmentChangeInputSerializer,
        parameters=[IF_MATCH],
        responses={
            201: s.AssignmentOutputSerializer,
            400: ERRORS_400,
            409: ERRORS_409,
            428: ERRORS_428,
        },
        tags=["employments"],
    )
    def post(self, request, *args, **kwargs):
        employment = self.get_object()
        data = _validated(s.AssignmentChangeInputSerializer, request.data)
        data["version"] = required_version(request, data)
        with audited_as(request.user):
            assignment = services.assignment_change(employment=employment, **data)
        return Response(
            s.AssignmentOutputSerializer(assignment).data, status=status.HTTP_201_CREATED
        )


# --- Caseloads -----------------------------------------------------------------------


class CaseloadListApi(generics.ListAPIView):
    allowed_roles = STAFF_READERS
    write_roles = WORKFORCE_WRITERS
    serializer_class = s.CaseloadOutputSerializer
    filterset_class = CaseloadFilterSet

    def get_queryset(self) -> QuerySet[CaseloadSnapshot]:
        return CaseloadSnapshot.objects.filter(
            team__in=teams_visible_to(self.request.user)
        ).select_related("employment__person", "team")

    @extend_schema(summary="Caseloads", tags=["caseloads"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Record caseloads",
        description="One caseload, or a list of them. All or nothing: if any is wrong, none "
        "is saved and the errors come back in the same order as the list.",
        request=PolymorphicProxySerializer(
            component_name="CaseloadInputOneOrMany",
            serializers=[s.CaseloadInputSerializer, s.CaseloadInputSerializer(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        responses={
            201: PolymorphicProxySerializer(
                component_name="CaseloadOneOrMany",
                serializers=[s.CaseloadOutputSerializer, s.CaseloadOutputSerializer(many=True)],
                resource_type_field_name=None,
                many=False,
            ),
            400: ERRORS_400,
        },
        tags=["caseloads"],
    )
    def post(self, request, *args, **kwargs):
        many = isinstance(request.data, list)
        if many and not request.data:
            raise ValidationError({"non_field_errors": ["Send at least one caseload."]})
        data = _validated(s.CaseloadInputSerializer, request.data, many=many)
        entries = data if many else [data]
        with audited_as(request.user), transaction.atomic():
            saved, errors = [], []
            for entry in entries:
                try:
                    saved.append(services.caseload_record(**entry))
                    errors.append({})
                except DjangoValidationError as exc:
                    errors.append(domain_error_detail(exc))
            if any(errors):
                raise ValidationError(errors if many else errors[0])  # rolls back
        saved = CaseloadSnapshot.objects.filter(pk__in=[c.pk for c in saved]).select_related(
            "employment__person", "team"
        )
        output = s.CaseloadOutputSerializer(saved, many=True).data
        return Response(output if many else output[0], status=status.HTTP_201_CREATED)


# --- Token ---------------------------------------------------------------------------


class AnyoneMayAskForAToken(BasePermission):
    """POST checks the username and password itself; other methods need a role."""

    def has_permission(self, request, view) -> bool:
        if request.method == "POST":
            return True
        return has_role(request.user, view.allowed_roles)


@extend_schema_view(
    post=extend_schema(
        summary="Get an API token",
        description="Send a username and password; use the token as "
        "``Authorization: Token <key>``. Any user with a role may have one. Each request "
        "issues a new token, valid until ``expiry``; only a hash of it is kept, and all of "
        "a user's tokens stop working when their password changes.",
        request=inline_serializer(
            "TokenRequest",
            fields={"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer(
                "TokenResponse",
                fields={"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
            ),
            400: ERRORS_400,
            403: OpenApiResponse(description="The account has no role."),
        },
        tags=["authentication"],
    )
)
class TokenObtainApi(APIView):
    """Issue a django-rest-knox token (hashed at rest, expiring); its creation is in the
    audit trail with the user as actor (``workforce.apps``)."""

    allowed_roles = ALL_ROLES
    write_roles = ALL_ROLES
    permission_classes = [AnyoneMayAskForAToken]
    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if not has_role(user, ALL_ROLES):
            raise PermissionDenied("This account has no role yet: ask an administrator.")
        with audited_as(user):
            instance, token = AuthToken.objects.create(user=user)
        return Response({"token": token, "expiry": instance.expiry})
