"""Census return (CSWW) and caseload upload pages."""

from django.urls import path

from . import views

app_name = "census"
urlpatterns = [
    path("upload/", views.CensusUploadView.as_view(), name="upload"),
    path("preview/", views.CensusPreviewView.as_view(), name="preview"),
    path("result/", views.CensusResultView.as_view(), name="result"),
    path("export/", views.CensusExportView.as_view(), name="export"),
    path("caseloads/", views.CaseloadUploadView.as_view(), name="caseloads-upload"),
    path("caseloads/<uuid:pk>/", views.CaseloadJobView.as_view(), name="caseloads-job"),
]
