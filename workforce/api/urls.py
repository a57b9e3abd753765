"""Workforce REST endpoints under /api/ (URL names in the ``workforce-api`` namespace).

Reads: service areas, teams, grades, agencies, posts, people (and one person's history),
employments, caseloads. Writes (HR officers and admins): people, starters, leavers,
changes of terms, caseloads. ``auth/token/`` gives a token for ``Authorization: Token``.
"""

from django.urls import path

from . import views

app_name = "workforce-api"

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="token"),
    path("service-areas/", views.ServiceAreaListApi.as_view(), name="service-area-list"),
    path("teams/", views.TeamListApi.as_view(), name="team-list"),
    path("grades/", views.GradeListApi.as_view(), name="grade-list"),
    path("agencies/", views.AgencyListApi.as_view(), name="agency-list"),
    path("posts/", views.PostListApi.as_view(), name="post-list"),
    path("people/", views.PersonListApi.as_view(), name="person-list"),
    path("people/<int:pk>/", views.PersonDetailApi.as_view(), name="person-detail"),
    path("employments/", views.EmploymentListApi.as_view(), name="employment-list"),
    path(
        "employments/<int:pk>/leave/", views.EmploymentLeaveApi.as_view(), name="employment-leave"
    ),
    path(
        "employments/<int:pk>/changes/",
        views.EmploymentChangeApi.as_view(),
        name="employment-changes",
    ),
    path("caseloads/", views.CaseloadListApi.as_view(), name="caseload-list"),
]
