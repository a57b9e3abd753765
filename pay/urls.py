"""Pay pages under /pay/ (namespace ``pay``); see ``pay.views`` for who sees what."""

from django.urls import path

from . import benchmark_views, views

app_name = "pay"

urlpatterns = [
    path("", views.CostsView.as_view(), name="costs"),
    path("what-if/", views.WhatIfView.as_view(), name="what-if"),
    path("due/", views.DueListView.as_view(), name="due-list"),
    path("due/record/", views.PaymentRecordView.as_view(), name="payment-record"),
    path("increments/", views.IncrementListView.as_view(), name="increment-list"),
    path("increments/confirm/", views.IncrementConfirmView.as_view(), name="increment-confirm"),
    path("benchmarking/", benchmark_views.BenchmarkView.as_view(), name="benchmarking"),
    path(
        "benchmarking/upload/",
        benchmark_views.BenchmarkUploadView.as_view(),
        name="benchmarking-upload",
    ),
]
