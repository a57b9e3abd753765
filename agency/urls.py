"""Agency register pages under /agency/ (namespace ``agency``); see ``agency.views``."""

from django.urls import path

from . import views

app_name = "agency"

urlpatterns = [
    path("", views.PlacementListView.as_view(), name="placement-list"),
    path("new/", views.PlacementCreateView.as_view(), name="placement-create"),
    path("<int:pk>/edit/", views.PlacementEditView.as_view(), name="placement-edit"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("return/", views.ReturnView.as_view(), name="return"),
    path("costs/", views.CostsView.as_view(), name="costs"),
]
