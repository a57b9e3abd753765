"""Core pages (namespace ``core``)."""

from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("retention/", views.RetentionView.as_view(), name="retention"),
]
