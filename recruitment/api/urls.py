"""Recruitment REST endpoints."""

urlpatterns: list = []
