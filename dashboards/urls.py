"""Dashboard pages under /dashboards/: the overview and the KPI pages it links to, and
each chart's data as CSV (same filters as the page, from the query string)."""

from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("trends/", views.TrendsView.as_view(), name="trends"),
    path("caseloads/", views.CaseloadsView.as_view(), name="caseloads"),
    path("leavers/", views.LeaversView.as_view(), name="leavers"),
    path("benchmarks/", views.BenchmarksView.as_view(), name="benchmarks"),
    path("recruitment/", views.RecruitmentView.as_view(), name="recruitment"),
    path("<slug:page>/data/<slug:slug>.csv", views.ChartDataView.as_view(), name="chart-data"),
]
