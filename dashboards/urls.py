"""Dashboard pages under /dashboards/: the overview and the KPI pages it links to, and
each chart's data as CSV (same filters as the page, from the query string)."""

from django.urls import path

from . import views
from .forecast import views as forecast_views
from .reports import views as report_views

app_name = "dashboards"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("trends/", views.TrendsView.as_view(), name="trends"),
    path("caseloads/", views.CaseloadsView.as_view(), name="caseloads"),
    path("leavers/", views.LeaversView.as_view(), name="leavers"),
    path("benchmarks/", views.BenchmarksView.as_view(), name="benchmarks"),
    path("recruitment/", views.RecruitmentView.as_view(), name="recruitment"),
    path("exits/", views.ExitsView.as_view(), name="exits"),
    path("forecast/", forecast_views.ForecastView.as_view(), name="forecast"),
    path(
        "forecast/scenarios/new/",
        forecast_views.ForecastScenarioCreateView.as_view(),
        name="forecast-scenario-create",
    ),
    path("reports/", report_views.ReportPackListView.as_view(), name="report-list"),
    path("reports/new/", report_views.ReportPackCreateView.as_view(), name="report-create"),
    path("reports/<int:pk>/", report_views.ReportPackDetailView.as_view(), name="report-detail"),
    path(
        "reports/<int:pk>/<slug:fmt>/",
        report_views.ReportPackDownloadView.as_view(),
        name="report-download",
    ),
    path("<slug:page>/data/<slug:slug>.csv", views.ChartDataView.as_view(), name="chart-data"),
]
