"""Workforce pages (people, starters, leavers, changes, caseloads)."""

app_name = "workforce"
urlpatterns: list = []
