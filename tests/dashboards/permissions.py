"""Permission matrix entries for the dashboard pages (dashboards/urls.py)."""

from core.roles import DASHBOARD_READERS, Role
from tests.access import Access

EXPECTED = {
    "dashboards:overview": Access(
        DASHBOARD_READERS, notes="aggregates only; councillors suppressed"
    ),
    "dashboards:trends": Access(DASHBOARD_READERS),
    "dashboards:caseloads": Access(DASHBOARD_READERS),
    "dashboards:leavers": Access(DASHBOARD_READERS),
    "dashboards:benchmarks": Access(DASHBOARD_READERS),
    "dashboards:recruitment": Access(DASHBOARD_READERS),
    "dashboards:exits": Access(DASHBOARD_READERS, notes="aggregates only; councillors suppressed"),
    "dashboards:chart-data": Access(
        DASHBOARD_READERS,
        kwargs=lambda world: {"page": "trends", "slug": "turnover"},
        ok_status=404,
        notes="the matrix's world has no stored figures, so there is no chart data (404)",
    ),
}


def build_world(world):
    """A finished report pack with no stored file, for the report pack pages."""
    import datetime as dt

    from dashboards.models import ReportPack

    world.report_pack = ReportPack.objects.create(
        title="Workforce report",
        period_start=dt.date(2023, 4, 1),
        period_end=dt.date(2024, 3, 31),
        sections=["summary"],
        status=ReportPack.Status.DONE,
    )


REPORT_MAKERS = frozenset({Role.DIRECTOR, Role.ADMIN})
EXPECTED |= {
    "dashboards:report-list": Access(REPORT_MAKERS),
    "dashboards:report-create": Access(REPORT_MAKERS),
    "dashboards:report-detail": Access(
        REPORT_MAKERS, kwargs=lambda world: {"pk": world.report_pack.pk}
    ),
    "dashboards:report-download": Access(
        REPORT_MAKERS,
        kwargs=lambda world: {"pk": world.report_pack.pk, "fmt": "docx"},
        ok_status=404,
        notes="the matrix's pack has no stored file (404); directors and admins only",
    ),
}

EXPECTED |= {
    "dashboards:forecast": Access(
        DASHBOARD_READERS, notes="aggregates only; councillors see no leaver count under 5"
    ),
    "dashboards:forecast-scenario-create": Access(REPORT_MAKERS, notes="directors and admins"),
}
