"""Recruitment REST endpoints under /api/recruitment/ (URL names in ``recruitment-api``)."""

from django.urls import path

from . import views

app_name = "recruitment-api"

urlpatterns = [
    path("recruitment/vacancies/", views.VacancyListApi.as_view(), name="vacancy-list"),
    path("recruitment/campaigns/", views.CampaignListApi.as_view(), name="campaign-list"),
    path("recruitment/applications/", views.ApplicationListApi.as_view(), name="application-list"),
    path(
        "recruitment/applications/<int:pk>/stage-changes/",
        views.ApplicationStageChangeApi.as_view(),
        name="application-stage-change",
    ),
    path("recruitment/funnel/", views.FunnelApi.as_view(), name="funnel"),
]
