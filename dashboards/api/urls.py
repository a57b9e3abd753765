"""Dashboards REST endpoints under /api/ (URL names in the ``dashboards-api`` namespace):
KPIs as of a date and scope, the KPI definitions, the weekly caseload report."""

from django.urls import path

from ..forecast.api import ForecastApi
from . import views

app_name = "dashboards-api"

urlpatterns = [
    path("kpis/", views.KpiApi.as_view(), name="kpis"),
    path("kpi-definitions/", views.KpiDefinitionsApi.as_view(), name="kpi-definitions"),
    path("caseload-report/", views.CaseloadReportApi.as_view(), name="caseload-report"),
    path("forecast/", ForecastApi.as_view(), name="forecast"),
]
