"""Workforce pages (people, starters, leavers, changes, caseloads)."""

from django.urls import path

from . import views

app_name = "workforce"
urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person-edit"),
    path("starters/new/", views.StarterCreateView.as_view(), name="starter-create"),
    path(
        "employments/<int:pk>/leaving/",
        views.LeaverCreateView.as_view(),
        name="leaver-create",
    ),
    path(
        "employments/<int:pk>/change/",
        views.ChangeCreateView.as_view(),
        name="change-create",
    ),
    path("caseloads/", views.CaseloadEntryView.as_view(), name="caseload-entry"),
]
