"""Dashboard pages (thin views), and the site's home redirect (the error pages are ``core.errors``).

The KPI dashboards under /dashboards/: Overview (a tile per headline KPI), Trends,
Caseloads, Leavers, Benchmarks, Recruitment and Exits, sharing one set of filters in the
URL (``base.DashboardFilterForm``). A module per page: its figures, rows, summaries and
charts come from a plain function (``trends_page``, ``caseloads_page``, ...: figures in,
charts out, callable without HTTP), and its view only reads the request, calls it and
renders (``base.DashboardView``). Figures come from the stored KPI snapshots through
``dashboards.selectors``; charts are built by ``dashboards.charts``; each chart's data is
also a table and a CSV download (``chart_data.ChartDataView``). Scrutiny and lead members
never see a small count or a figure computed from one (``workforce.disclosure``).
"""

from .base import DashboardFilterForm, DashboardView
from .benchmarks import BenchmarksView
from .caseloads import CaseloadsView
from .chart_data import ChartDataView
from .exits import ExitsView
from .home import HomeView
from .leavers import LeaversView
from .overview import OverviewView
from .recruitment import RecruitmentView
from .trends import TrendsView

__all__ = [
    "BenchmarksView",
    "CaseloadsView",
    "ChartDataView",
    "DashboardFilterForm",
    "DashboardView",
    "ExitsView",
    "HomeView",
    "LeaversView",
    "OverviewView",
    "RecruitmentView",
    "TrendsView",
]
