"""Pages of the recommendations tracker, under /recommendations/."""

from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.TrackerView.as_view(), name="tracker"),
    path("tracker.docx", views.TrackerExportView.as_view(file_format="docx"), name="tracker-docx"),
    path("tracker.xlsx", views.TrackerExportView.as_view(file_format="xlsx"), name="tracker-xlsx"),
    path("monitoring/", views.MonitoringView.as_view(), name="monitoring"),
    path("<int:pk>/", views.RecommendationDetailView.as_view(), name="detail"),
    path("<int:pk>/response/", views.ExecutiveResponseView.as_view(), name="response"),
    path("<int:pk>/updates/new/", views.ProgressUpdateView.as_view(), name="update-create"),
    path("<int:pk>/actions/new/", views.ActionCreateView.as_view(), name="action-create"),
    path("<int:pk>/comments/new/", views.CommentCreateView.as_view(), name="comment-create"),
    path("actions/<int:pk>/done/", views.ActionCompleteView.as_view(), name="action-complete"),
    path("<int:pk>/evidence/", views.EvidenceView.as_view(), name="evidence"),
]
