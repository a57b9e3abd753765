"""Pay REST endpoints (thin): the Pay and costs figures with the page's disclosure rule -
totals and averages only, never one person's pay; for councillors and team-limited
service managers no count or average over fewer than 5 people."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import ALL_ROLES, has_role, is_team_limited

from .. import presenters, selectors
from ..arithmetic import add_months
from ..forms import CostsFilterForm
from ..views import UNSUPPRESSED_READERS

MONEY = (
    "permanent_paybill",
    "incentives_paid",
    "incentives_due",
    "agency_spend",
    "agency_premium",
    "cost_per_case_holding_fte",
)


class PayCostsApi(APIView):
    """Cost figures of a period (default the 12 months to today) and average salary by
    DfE role on its last day. Money in pounds; a figure is null where it cannot be worked
    out, or where the disclosure rule hides it (``hidden`` says why)."""

    allowed_roles = ALL_ROLES
    write_roles: frozenset = frozenset()

    @extend_schema(
        summary="Pay and costs (aggregates only)",
        tags=["pay"],
        responses=inline_serializer(
            "PayCosts",
            {
                "from": serializers.DateField(),
                "to": serializers.DateField(),
                "scope": serializers.CharField(),
                "suppressed": serializers.BooleanField(),
                "hidden": serializers.DictField(child=serializers.CharField()),
                **{key: serializers.FloatField(allow_null=True) for key in MONEY},
                "average_salary_by_role": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        form = CostsFilterForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(
                {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            )
        today = timezone.localdate()
        data = form.cleaned_data if form.is_bound else {}
        start = data.get("start") or add_months(today, -12) + dt.timedelta(days=1)
        end = data.get("end") or today
        scope = data.get("scope")
        user = request.user
        suppressed = not has_role(user, UNSUPPRESSED_READERS) or is_team_limited(user)
        figures = selectors.costs(start=start, end=end, scope=scope)
        hidden = presenters.hidden_figures(figures, suppressed=suppressed)
        roles = presenters.average_salary_data(
            selectors.pay_on(on=end, scope=scope), suppressed=suppressed
        )
        return Response(
            {
                "from": figures["from"],
                "to": figures["to"],
                "scope": figures["scope"],
                "suppressed": suppressed,
                **{
                    k: None if figures[k] is None or k in hidden else float(figures[k])
                    for k in MONEY
                },
                "hidden": {key: hidden[key] for key in MONEY if key in hidden},
                "average_salary_by_role": [
                    {
                        **row,
                        "fte": None if row["fte"] is None else float(row["fte"]),
                        "average_salary": None
                        if row["average_salary"] is None
                        else float(row["average_salary"]),
                    }
                    for row in roles
                ],
            }
        )
