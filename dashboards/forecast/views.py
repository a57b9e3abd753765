"""The Forecast page (every dashboard reader: aggregates only, small leaver counts hidden
from councillors) and the form directors use to save a scenario."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from core.roles import DASHBOARD_READERS, STAFF_READERS, Role, RoleRequiredMixin, has_role

from .forms import ForecastScenarioForm
from .model import month_end
from .page import SIMULATIONS, forecast_page
from .services import ForecastError, forecast_scenario_create

SCENARIO_MAKERS = frozenset({Role.DIRECTOR, Role.ADMIN})
COLUMNS = {
    "summary_columns": ["Month end", "Permanence rate", "Employed FTE", "Agency FTE"],
    "scenario_columns": [
        "Scenario",
        "85% reached (median)",
        "Chance by the end",
        "Median in 12 months",
        "in 24 months",
        "in 36 months",
        "Cost a year (years 1, 2, 3)",
        "Against the baseline a year",
    ],
    "flow_columns": [
        "Year",
        "Starters (FTE)",
        "Leavers (FTE)",
        "to agency",
        "to another council",
        "out of council social work",
        "destination not known",
        "Leavers back as agency cover",
        "Agency FTE at year end",
    ],
    "hazard_columns": ["Role group and service", "Leavers", "Years at risk", "Leaving a year"],
    "retention_columns": ["After", "Still in post", "90% interval"],
}


def default_start(today: dt.date) -> dt.date:
    """The last month end on or before ``today``."""
    end = month_end(today)
    return end if end == today else today.replace(day=1) - dt.timedelta(days=1)


class ForecastView(RoleRequiredMixin, TemplateView):
    allowed_roles = DASHBOARD_READERS
    template_name = "dashboards/forecast.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        start = default_start(today)
        error = ""
        raw = self.request.GET.get("from", "").strip()
        if raw:
            try:
                start = dt.date.fromisoformat(raw)
                if start > today:
                    raise ValueError
            except ValueError:
                error = "Enter a start date written YYYY-MM-DD, not after today."
                start = default_start(today)
        user = self.request.user
        context.update(
            {
                "page_title": "Forecast",
                "start": start,
                "from_error": error,
                "can_save": has_role(user, SCENARIO_MAKERS),
                "simulations": f"{SIMULATIONS:,}",
                **COLUMNS,
            }
        )
        try:
            context["forecast"] = forecast_page(
                start=start, suppress=not has_role(user, STAFF_READERS)
            )
        except ForecastError as exc:
            context["forecast_error"] = str(exc)
        return context


class ForecastScenarioCreateView(RoleRequiredMixin, FormView):
    allowed_roles = SCENARIO_MAKERS
    template_name = "dashboards/forecast_scenario_form.html"
    form_class = ForecastScenarioForm

    def form_valid(self, form):
        try:
            forecast_scenario_create(**form.cleaned_data, created_by=self.request.user)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            return self.form_invalid(form)
        return redirect("dashboards:forecast")
