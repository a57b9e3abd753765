"""Pay REST endpoints under /api/ (URL names in the ``pay-api`` namespace)."""

from django.urls import path

from . import benchmarks, views

app_name = "pay-api"

urlpatterns = [
    path("pay-costs/", views.PayCostsApi.as_view(), name="costs"),
    path("pay-benchmarks/", benchmarks.PayBenchmarksApi.as_view(), name="benchmarks"),
]
