"""Dashboards REST endpoints (KPIs, benchmarks)."""

urlpatterns: list = []
