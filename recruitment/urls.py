"""Recruitment pages (see ``recruitment.views`` for who may use each)."""

from django.urls import path

from . import views

app_name = "recruitment"
urlpatterns = [
    path("vacancies/", views.VacancyListView.as_view(), name="vacancy-list"),
    path("vacancies/new/", views.VacancyCreateView.as_view(), name="vacancy-create"),
    path("vacancies/<int:pk>/", views.VacancyDetailView.as_view(), name="vacancy-detail"),
    path("vacancies/<int:pk>/change/", views.VacancyUpdateView.as_view(), name="vacancy-update"),
    path(
        "vacancies/<int:pk>/applications/new/",
        views.ApplicationCreateView.as_view(),
        name="application-create",
    ),
    path("adverts/", views.CampaignListView.as_view(), name="campaign-list"),
    path("adverts/new/", views.CampaignCreateView.as_view(), name="campaign-create"),
    path("pipeline/", views.PipelineView.as_view(), name="pipeline"),
    path(
        "applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application-detail"
    ),
    path(
        "applications/<int:pk>/stage/",
        views.ApplicationStageChangeView.as_view(),
        name="application-stage",
    ),
    path(
        "applications/<int:pk>/checks/",
        views.ApplicationCheckView.as_view(),
        name="application-check",
    ),
    path(
        "applications/<int:pk>/start/",
        views.ApplicationStartView.as_view(),
        name="application-start",
    ),
    path(
        "applications/<int:pk>/delete-personal-data/",
        views.ApplicationAnonymiseView.as_view(),
        name="application-anonymise",
    ),
    path("induction/", views.InductionView.as_view(), name="induction"),
    path(
        "induction/<int:pk>/done/",
        views.CheckInCompleteView.as_view(),
        name="check-in-complete",
    ),
    path("pipelines/", views.CohortListView.as_view(), name="cohort-list"),
    path("pipelines/new/", views.CohortCreateView.as_view(), name="cohort-create"),
    path("funnel/", views.FunnelView.as_view(), name="funnel"),
]
