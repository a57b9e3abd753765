"""Dashboard pages under /dashboards/."""

from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
]
