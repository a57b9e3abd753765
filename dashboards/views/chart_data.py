"""Each chart's data as CSV: the same figures, filters and suppression as its page."""

from __future__ import annotations

import csv
import re

from django.http import Http404, HttpResponse
from django.views import View

from core.roles import DASHBOARD_READERS, RoleRequiredMixin
from core.spreadsheets import safe_cell
from workforce import disclosure

from .base import DashboardView
from .benchmarks import BenchmarksView
from .caseloads import CaseloadsView
from .exits import ExitsView
from .figures import HIDDEN_TEXT, ONE_PERSON_TEXT
from .leavers import LeaversView
from .recruitment import RecruitmentView
from .trends import TrendsView

PAGE_VIEWS: dict[str, type[DashboardView]] = {
    "recruitment": RecruitmentView,
    "trends": TrendsView,
    "caseloads": CaseloadsView,
    "leavers": LeaversView,
    "benchmarks": BenchmarksView,
    "exits": ExitsView,
}


class ChartDataView(RoleRequiredMixin, View):
    """A chart's data as CSV (the same figures, filters and suppression as its page)."""

    allowed_roles = DASHBOARD_READERS

    def get(self, request, page: str, slug: str):
        view_class = PAGE_VIEWS.get(page)
        if view_class is None:
            raise Http404("No such dashboard.")
        view = view_class()
        view.setup(request, page=page)
        state = view.state()
        if state["as_of"] is None:
            raise Http404("There are no figures yet.")
        built = view.build(
            as_of=state["as_of"], scope=state["scope"], years=state["years"], limit=state["limit"]
        )
        chart = next((c for c in built.get("charts", []) if c.slug == slug), None)
        if chart is None:
            raise Http404("No such chart.")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{slug}-{state['scope']}-{state['as_of'].isoformat()}".replace(":", "-")
        filename = re.sub(r"[^A-Za-z0-9._-]+", "-", filename)
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv.writer(response)
        writer.writerow([safe_cell(f"{chart.title} - {state['scope'].label}")])
        writer.writerow([safe_cell(column) for column in chart.columns])
        hidden = _hidden_texts(state["limit"])
        withheld = False
        for row in chart.rows:
            # In a file a hidden figure is DfE's symbol c, with the key below the table.
            cells = [disclosure.SYMBOL if cell in hidden else cell for cell in row]
            withheld = withheld or cells != list(row)
            writer.writerow([safe_cell(cell) for cell in cells])
        if withheld:
            writer.writerow([])
            writer.writerow([disclosure.SYMBOL_KEY.format(limit=state["limit"])])
        return response


def _hidden_texts(limit: int) -> set[str]:
    """Every label a page shows in place of a hidden figure."""
    return {
        HIDDEN_TEXT,
        ONE_PERSON_TEXT,
        disclosure.SECONDARY_TEXT,
        disclosure.hidden_text(disclosure.PRIMARY, limit),
    }
