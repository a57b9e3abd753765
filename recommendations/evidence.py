"""Which KPIs a recommendation can be linked to, without this app importing dashboards.

Dependencies run one way: ``dashboards`` reads the domain apps, never the reverse. Yet a
recommendation's evidence is a KPI of the dashboards' registry. So this app stores the
KPI's key as text and asks for the catalogue of valid keys through a function named by
the setting ``RECOMMENDATIONS_KPI_CATALOGUE`` (a dotted path, resolved when first
needed), by default ``dashboards.templatetags.kpi_trend.kpi_catalogue``: the read side
supplies the catalogue, this app only knows "a callable returning {key: label}". Tests
and other deployments can point the setting elsewhere, and the services take the
catalogue as an argument so they can be tested with any catalogue.

The trend shown on a recommendation's page is drawn by the template tag in the same
dashboards module (``{% load kpi_trend %}``), which reads the stored KPI snapshots.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_CATALOGUE = "dashboards.templatetags.kpi_trend.kpi_catalogue"


def kpi_catalogue() -> Mapping[str, str]:
    """Every KPI a recommendation may cite: ``{key: label}``, in the registry's order."""
    path = getattr(settings, "RECOMMENDATIONS_KPI_CATALOGUE", DEFAULT_CATALOGUE)
    return import_string(path)()
