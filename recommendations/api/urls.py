"""Recommendations REST endpoints under /api/ (URL names in the ``recommendations-api``
namespace)."""

from django.urls import path

from . import views

app_name = "recommendations-api"

urlpatterns = [
    path("reviews/", views.ReviewListApi.as_view(), name="review-list"),
    path("recommendations/", views.RecommendationListApi.as_view(), name="recommendation-list"),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetailApi.as_view(),
        name="recommendation-detail",
    ),
    path(
        "recommendations/<int:pk>/response/",
        views.ExecutiveResponseApi.as_view(),
        name="response-record",
    ),
    path(
        "recommendations/<int:pk>/updates/",
        views.ProgressUpdateApi.as_view(),
        name="update-create",
    ),
]
