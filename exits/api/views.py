"""Exits REST endpoints (thin): FilterSet over what the user may see -> serializer; a
write is input serializer -> one ``exits.services`` call -> output serializer (a
service's ``ValidationError`` becomes a 400 naming each field).

Exit records, answers and themes: HR officers and admins. The summary (coverage and
theme counts) is for every role, suppressed for those who see suppressed figures on
the analysis page.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.locking import required_version
from core.roles import ALL_ROLES, has_role, is_team_limited
from workforce.api.audit import audited_as
from workforce.api.views import ERRORS_409, ERRORS_428, IF_MATCH
from workforce.selectors import teams_visible_to

from .. import selectors, services
from ..filters import ExitRecordFilterSet
from ..forms import AnalysisFilterForm
from ..models import ExitTheme
from ..summaries import coverage_table, theme_table
from ..views import EXIT_OFFICERS, UNSUPPRESSED_READERS
from . import serializers as s

NO_WRITES: frozenset = frozenset()


@extend_schema_view(get=extend_schema(summary="Exit records of leavers", tags=["exits"]))
class ExitRecordListApi(generics.ListAPIView):
    allowed_roles = EXIT_OFFICERS
    write_roles = NO_WRITES
    serializer_class = s.ExitRecordOutputSerializer
    filterset_class = ExitRecordFilterSet

    def get_queryset(self):
        return selectors.exit_records_visible_to(self.request.user).order_by(
            "-employment__end_date", "pk"
        )


@extend_schema_view(
    get=extend_schema(summary="One exit record with the leaver's answers", tags=["exits"])
)
class ExitRecordDetailApi(generics.RetrieveAPIView):
    allowed_roles = EXIT_OFFICERS
    write_roles = NO_WRITES
    serializer_class = s.ExitRecordDetailOutputSerializer

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def get_queryset(self):
        return selectors.exit_records_visible_to(self.request.user).select_related("questionnaire")


class ExitOfferApi(APIView):
    """Record the offer of an exit interview (POST)."""

    allowed_roles = EXIT_OFFICERS
    write_roles = EXIT_OFFICERS

    @extend_schema(
        summary="Record an exit interview offer and its outcome",
        tags=["exits"],
        request=s.ExitOfferInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ExitRecordOutputSerializer, 409: ERRORS_409, 428: ERRORS_428},
    )
    def post(self, request, pk: int):
        record = get_object_or_404(selectors.exit_records_visible_to(request.user), pk=pk)
        data = s.ExitOfferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = {
            **data.validated_data,
            "version": required_version(request, data.validated_data),
        }
        with audited_as(request.user):
            record = services.exit_record_update(exit_record=record, **changes)
        record = selectors.exit_records_visible_to(request.user).get(pk=record.pk)
        return Response(s.ExitRecordOutputSerializer(record).data)


@extend_schema_view(get=extend_schema(summary="Themes and their keyword rules", tags=["exits"]))
class ExitThemeListApi(generics.ListAPIView):
    allowed_roles = EXIT_OFFICERS
    write_roles = NO_WRITES
    serializer_class = s.ExitThemeOutputSerializer
    queryset = ExitTheme.objects.all()
    pagination_class = None


def _cell(cell) -> int | None:
    return cell.value


def _hidden(**cells) -> dict[str, str]:
    """Why each hidden figure is hidden ("fewer than 5", "hidden to protect another
    figure"), by field (``workforce.disclosure``)."""
    return {name: str(cell) for name, cell in cells.items() if cell.suppressed}


class ExitSummaryApi(APIView):
    """Exit interview coverage and theme counts for leavers from ``start`` to ``end``
    (default the 12 months to today); counts under the threshold are null for roles
    that see suppressed figures, with secondary suppression."""

    allowed_roles = ALL_ROLES
    write_roles = NO_WRITES

    @extend_schema(
        summary="Exit interview coverage and themes (aggregates only)",
        tags=["exits"],
        responses=inline_serializer(
            "ExitSummary",
            {
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "suppressed": serializers.BooleanField(),
                "coverage": serializers.ListField(child=serializers.DictField()),
                "themes": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        form = AnalysisFilterForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(
                {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            )
        start, end = form.period()
        user = request.user
        suppressed = not has_role(user, UNSUPPRESSED_READERS)
        teams = teams_visible_to(user) if is_team_limited(user) else None
        leavers = selectors.leavers_between(start=start, end=end, teams=teams)
        coverage = coverage_table(selectors.exit_interview_coverage(leavers=leavers), suppressed)
        themes = theme_table(selectors.themes_by(leavers=leavers, dimension="quarter"), suppressed)
        return Response(
            {
                "start": start,
                "end": end,
                "suppressed": suppressed,
                "coverage": [
                    {
                        "measure": table["label"],
                        "rows": [
                            {
                                "leavers": row["group"],
                                "number_of_leavers": _cell(row["leavers"]),
                                "count": _cell(row["count"]),
                                "rate": row["rate"],
                                "hidden": _hidden(
                                    number_of_leavers=row["leavers"], count=row["count"]
                                ),
                            }
                            for row in table["rows"]
                        ],
                    }
                    for table in coverage
                ],
                "themes": [
                    {
                        "theme": row["theme"],
                        "leavers": _cell(row["total"]),
                        "hidden": _hidden(leavers=row["total"]),
                    }
                    for row in themes["rows"]
                ],
            }
        )
