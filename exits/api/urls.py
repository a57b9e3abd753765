"""Exits REST endpoints under /api/ (URL names in the ``exits-api`` namespace)."""

from django.urls import path

from . import views

app_name = "exits-api"

urlpatterns = [
    path("exit-records/", views.ExitRecordListApi.as_view(), name="exit-record-list"),
    path("exit-records/<int:pk>/", views.ExitRecordDetailApi.as_view(), name="exit-record-detail"),
    path("exit-records/<int:pk>/offer/", views.ExitOfferApi.as_view(), name="exit-record-offer"),
    path("exit-themes/", views.ExitThemeListApi.as_view(), name="theme-list"),
    path("exit-summary/", views.ExitSummaryApi.as_view(), name="summary"),
]
