"""Exits pages under /exits/ (namespace ``exits``); see ``exits.views`` for who sees what."""

from django.urls import path

from . import views

app_name = "exits"

urlpatterns = [
    path("", views.ExitRecordListView.as_view(), name="record-list"),
    path("analysis/", views.AnalysisView.as_view(), name="analysis"),
    path("records/<int:pk>/", views.ExitRecordDetailView.as_view(), name="record-detail"),
    path("records/<int:pk>/edit/", views.ExitRecordEditView.as_view(), name="record-edit"),
    path("records/<int:pk>/link/", views.QuestionnaireLinkCreateView.as_view(), name="link-create"),
    path(
        "records/<int:pk>/questionnaire/",
        views.QuestionnaireEnterView.as_view(),
        name="questionnaire-enter",
    ),
    path("records/<int:pk>/themes/", views.CodingView.as_view(), name="coding"),
    path("themes/", views.ThemeListView.as_view(), name="theme-list"),
    path("themes/new/", views.ThemeEditView.as_view(), name="theme-create"),
    path("themes/<int:pk>/", views.ThemeEditView.as_view(), name="theme-edit"),
    path("q/<str:token>/", views.QuestionnaireLinkView.as_view(), name="questionnaire"),
]
