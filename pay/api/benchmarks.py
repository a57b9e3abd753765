"""The Pay benchmarking figures as JSON (thin): the page's comparison for a pay year.
Public pay ranges, no one's pay: every role (see ``pay.benchmark_views``)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import ALL_ROLES

from ..benchmark_forms import BenchmarkYearForm
from ..benchmark_selectors import benchmark_comparison, benchmark_years
from ..benchmark_views import council_name


def _money(value) -> float | None:
    return None if value is None else float(value)


class PayBenchmarksApi(APIView):
    """Each role's pay ranges in a pay year (default: the latest loaded): ours and the
    neighbours', the neighbours' medians and where ours ranks (1 = highest)."""

    allowed_roles = ALL_ROLES
    write_roles: frozenset = frozenset()

    @extend_schema(
        summary="Pay benchmarking (public pay ranges)",
        tags=["pay"],
        responses={200: OpenApiTypes.OBJECT},
        parameters=[OpenApiParameter("year", str, description="Pay year, e.g. 2024/25.")],
    )
    def get(self, request):
        years = benchmark_years()
        form = BenchmarkYearForm(request.query_params or None, years=years)
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(
                {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            )
        year = (form.cleaned_data.get("year") if form.is_bound else None) or (
            years[0] if years else None
        )
        name = council_name()
        rows = benchmark_comparison(pay_year=year, council_name=name) if year else []
        return Response(
            {
                "pay_year": year,
                "pay_years": years,
                "council": name,
                "roles": [
                    {
                        "role": row.role,
                        "label": row.label,
                        "ours": None
                        if row.ours is None
                        else {
                            "minimum": _money(row.ours.minimum),
                            "maximum": _money(row.ours.maximum),
                        },
                        "grades": list(row.grades),
                        "neighbours": row.neighbours,
                        "median_minimum": _money(row.median_minimum),
                        "median_maximum": _money(row.median_maximum),
                        "minimum_rank": row.minimum_rank,
                        "maximum_rank": row.maximum_rank,
                        "ranges": [
                            {
                                "council": r.council,
                                "minimum": _money(r.minimum),
                                "maximum": _money(r.maximum),
                                "ours": r.ours,
                            }
                            for r in row.ranges
                        ],
                    }
                    for row in rows
                ],
            }
        )
