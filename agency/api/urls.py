"""Agency REST endpoints under /api/ (URL names in the ``agency-api`` namespace)."""

from django.urls import path

from . import views

app_name = "agency-api"

urlpatterns = [
    path("agency-placements/", views.PlacementListApi.as_view(), name="placement-list"),
    path(
        "agency-placements/<int:pk>/", views.PlacementDetailApi.as_view(), name="placement-detail"
    ),
]
