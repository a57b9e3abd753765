"""Recommendations REST endpoints."""

urlpatterns: list = []
