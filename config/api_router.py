"""The REST API under /api/: each app contributes its routes from ``<app>/api/urls.py``."""

from django.urls import include, path

urlpatterns = [
    path("", include("workforce.api.urls")),
    path("", include("dashboards.api.urls")),
    path("", include("recruitment.api.urls")),
    path("", include("exits.api.urls")),
    path("", include("recommendations.api.urls")),
    path("", include("agency.api.urls")),
    path("", include("pay.api.urls")),
]
