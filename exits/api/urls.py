"""Exits REST endpoints."""

urlpatterns: list = []
