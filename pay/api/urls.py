"""Pay REST endpoints under /api/ (URL names in the ``pay-api`` namespace)."""

from django.urls import path

from . import views

app_name = "pay-api"

urlpatterns = [
    path("pay-costs/", views.PayCostsApi.as_view(), name="costs"),
]
