"""Dashboard pages (thin views), the site's home redirect and its error pages.

The KPI dashboards under /dashboards/: Overview (a tile per headline KPI), Trends,
Caseloads, Leavers and Benchmarks, sharing one set of filters in the URL
(``DashboardFilterForm``). Figures come from the stored KPI snapshots through
``dashboards.selectors`` (a constant number of queries whatever the council's size);
charts are built by ``dashboards.charts``; each chart's data is also a table and a CSV
download (``ChartDataView``). Scrutiny and lead members never see a small count
(``workforce.suppression``) or a figure computed from one.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from dateutil.relativedelta import relativedelta
from django import forms
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import RedirectView, TemplateView

from core.spreadsheets import safe_cell
from workforce import disclosure, suppression
from workforce.choices import OrgRole
from workforce.roles import (
    ALL_ROLES,
    CASELOAD_WRITERS,
    DASHBOARD_READERS,
    STAFF_READERS,
    WORKFORCE_WRITERS,
    Role,
    RoleRequiredMixin,
    has_role,
    is_team_limited,
    user_roles,
)

from . import charts, selectors
from .kpis import REGISTRY, Scope, caseload_report, kpi_targets, leavers_breakdown, rates
from .kpis.caseload_report import latest_complete_week, teams_entered_label
from .kpis.registry import chart_kpis
from .services import snapshots_status
from .signals import PENDING_KEY, REFRESH_QUEUED_TIMEOUT, refresh_in_thread, refresh_runs_in_process

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Destination:
    """A page a role can use, as listed on the landing page."""

    url_name: str
    title: str
    description: str
    roles: frozenset[Role]
    staff_only: bool = False  # also needs Django's is_staff (the admin site)


DESTINATIONS: tuple[Destination, ...] = (
    Destination(
        "workforce:person-list",
        "People",
        "Find social workers by team, role, contract or dates and open their history.",
        STAFF_READERS,
    ),
    Destination(
        "workforce:starter-create",
        "Record a starter",
        "Add a new or returning social worker and their employment.",
        WORKFORCE_WRITERS,
    ),
    Destination(
        "workforce:caseload-entry",
        "Enter caseloads",
        "Record a team's caseloads for a week.",
        CASELOAD_WRITERS,
    ),
    Destination(
        "census:upload",
        "Census return",
        "Import or prepare the DfE children's social work workforce census.",
        WORKFORCE_WRITERS,
    ),
    Destination(
        "api-docs",
        "API documentation",
        "The workforce API for other council systems.",
        ALL_ROLES,
    ),
    Destination(
        "admin:index",
        "Administration",
        "Manage users, roles and reference data: teams, posts, grades and agencies.",
        frozenset({Role.ADMIN}),
        staff_only=True,
    ),
    Destination(
        "password_change",
        "Change your password",
        "Choose a new password for your account.",
        ALL_ROLES,
    ),
)


def destinations_for(user) -> list[dict[str, str]]:
    """The pages ``user``'s roles can use, leaving out any not yet built."""
    links = []
    for destination in DESTINATIONS:
        if not has_role(user, destination.roles):
            continue
        if destination.staff_only and not user.is_staff:
            continue
        try:
            url = reverse(destination.url_name)
        except NoReverseMatch:
            continue
        links.append(
            {"url": url, "title": destination.title, "description": destination.description}
        )
    return links


class HomeView(RoleRequiredMixin, RedirectView):
    """Everyone with a role lands on the dashboard overview (sign-in first)."""

    allowed_roles = ALL_ROLES
    pattern_name = "dashboards:overview"


# --- The KPI dashboards ----------------------------------------------------------------

HIDDEN_TEXT = "hidden (small numbers)"
#: Highest and lowest caseloads are one person's figure: never shown to councillors.
ONE_PERSON_TEXT = "hidden (one person's figure)"
NOT_AVAILABLE = "not available"
NOT_ENTERED = "not entered"

TREND_YEARS = (("1", "12 months"), ("3", "3 years"), ("5", "5 years"), ("10", "10 years"))
DEFAULT_TREND_YEARS = "3"
CASELOAD_WEEKS = 13
#: How long a page's figures are reused at most (they also expire when the data change).
CACHE_SECONDS = 300


@functools.lru_cache(maxsize=16)
def _as_of_choices(month_ends: tuple[dt.date, ...]) -> list[tuple[str, str]]:
    """The "Figures as of" choices (formatted once: the form is built on every view)."""
    return [(date.isoformat(), date.strftime("%-d %B %Y")) for date in month_ends]


class DashboardFilterForm(forms.Form):
    """The filters every dashboard page shares, read from the URL (a GET form), so a link
    shows someone else the same view. Service area, team, DfE role and case-holding teams
    narrow the figures to one scope: the most specific one chosen wins (team, then service
    area, then role, then case-holding), and the page says which scope it shows."""

    as_of = forms.ChoiceField(label="Figures as of", required=False)
    years = forms.ChoiceField(
        label="Trend period", choices=TREND_YEARS, required=False, initial=DEFAULT_TREND_YEARS
    )
    area = forms.ChoiceField(label="Service area", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    role = forms.ChoiceField(label="Role group (DfE role)", required=False)
    caseholding = forms.BooleanField(label="Case-holding teams only", required=False)

    def __init__(self, data, *, month_ends: list[dt.date], areas: list[str], teams: list[str]):
        super().__init__(data)
        self.month_ends = month_ends
        self.fields["as_of"].choices = _as_of_choices(tuple(month_ends))
        self.fields["area"].choices = [("", "All service areas")] + [(a, a) for a in areas]
        self.fields["team"].choices = [("", "All teams")] + [(t, t) for t in teams]
        self.fields["role"].choices = [("", "All roles")] + [
            (str(code.value), code.label) for code in OrgRole
        ]
        self.fields["as_of"].error_messages["invalid_choice"] = (
            "Choose a date from the list: there are no figures for %(value)s."
        )
        for name in ("years", "area", "team", "role"):
            label = self.fields[name].label
            self.fields[name].error_messages["invalid_choice"] = (
                f"Choose a {label[0].lower()}{label[1:]} from the list: "
                "%(value)s is not one of them."
            )

    def clean_as_of(self) -> dt.date | None:
        value = self.cleaned_data.get("as_of")
        if value:
            return dt.date.fromisoformat(value)
        return self.month_ends[0] if self.month_ends else None

    def clean_years(self) -> int:
        return int(self.cleaned_data.get("years") or DEFAULT_TREND_YEARS)

    @staticmethod
    def defaults(month_ends: list[dt.date]) -> dict:
        """The filters of a page opened without any: the latest figures, the default
        trend period, the whole service."""
        return {
            "as_of": month_ends[0] if month_ends else None,
            "years": int(DEFAULT_TREND_YEARS),
            "scope": Scope("all"),
        }

    def filters(self) -> dict:
        """The filters to use: the valid ones, defaults for any the user got wrong."""
        data = getattr(self, "cleaned_data", {}) or {}
        filters = self.defaults(self.month_ends)
        if isinstance(data.get("as_of"), dt.date):
            filters["as_of"] = data["as_of"]
        if isinstance(data.get("years"), int):
            filters["years"] = data["years"]
        filters["scope"] = self.scope()
        return filters

    def scope(self) -> Scope:
        data = getattr(self, "cleaned_data", {}) or {}
        if data.get("team"):
            return Scope("team", data["team"])
        if data.get("area"):
            return Scope("area", data["area"])
        if data.get("role"):
            return Scope("role", data["role"])
        if data.get("caseholding"):
            return Scope("caseholding")
        return Scope("all")


@dataclass
class Chart:
    """A chart on a dashboard with what makes it usable without seeing it: a one-line
    summary, its data as a table (shown in a GOV.UK details) and as CSV."""

    slug: str
    title: str
    summary: str
    columns: list[str]
    rows: list[list[str]]
    figure: Callable[[], object] | None = None
    html: str = ""
    block: str = ""  # the whole section as HTML (includes/chart.html), rendered once

    def render(self) -> Chart:
        """Draw the figure once (and drop its builder, so the chart can be cached)."""
        if self.figure is not None and not self.html:
            self.html = charts.chart_html(self.figure(), div_id=f"chart-{self.slug}")
        self.figure = None
        return self


def _show(key: str, value, *, hidden: bool = False, gap: str | None = None) -> str:
    if gap:
        return gap  # "no figure: ..." with the reason, never a zero
    if hidden:
        return HIDDEN_TEXT
    if key in REGISTRY:
        return REGISTRY[key].display(value)
    return NOT_AVAILABLE if value is None else str(value)


def _number(value, places: int = 1) -> str:
    if value is None:
        return NOT_AVAILABLE
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,}"


def _pct(value) -> str:
    return NOT_AVAILABLE if value is None else f"{_number(value)}%"


def _float(value) -> float | None:
    return None if value is None else float(value)


def _date_label(date: dt.date) -> str:
    return date.strftime("%-d %b %Y")


def _latest_summary(rows: list[dict], key: str, *, what: str) -> str:
    """ "Permanence rate was 84.1% on 30 Sep 2025 (82.0% a year earlier)." """
    shown = [row for row in rows if row.get(key) is not None]
    if not shown:
        return f"No {what} figures to show for this period and scope."
    last, first = shown[-1], shown[0]
    return (
        f"{REGISTRY[key].label} was {_show(key, last[key])} on {_date_label(last['date'])}, "
        f"from {_show(key, first[key])} on {_date_label(first['date'])}."
    )


def _month_end_chart(
    *,
    slug: str,
    title: str,
    rows: list[dict],
    keys: list[str],
    summary_key: str,
    what: str,
    chart_title: str,
    y_title: str,
    percent: bool = False,
) -> Chart:
    """A line per KPI of ``keys`` over the month ends of ``rows`` (``dashboard_series``),
    its table (a hidden figure says so) and a one-line summary of ``summary_key``."""
    frame = pd.DataFrame(
        {
            "date": [row["date"] for row in rows],
            **{key: [_float(row[key]) for row in rows] for key in keys},
        }
    )
    return Chart(
        slug=slug,
        title=title,
        summary=_latest_summary(rows, summary_key, what=what),
        columns=["Month end"] + [REGISTRY[key].label for key in keys],
        rows=[
            [_date_label(row["date"])]
            + [
                _show(key, row[key], hidden=key in row["hidden"], gap=row["gaps"].get(key))
                for key in keys
            ]
            for row in rows
        ],
        figure=lambda: charts.line_chart(
            frame,
            x="date",
            series={key: REGISTRY[key].label for key in keys},
            title=chart_title,
            y_title=y_title,
            percent=percent,
        ),
    )


class DashboardView(RoleRequiredMixin, TemplateView):
    """A dashboard page: the shared filters, the state of the stored figures (and a
    refresh queued when they are stale), small-number suppression for scrutiny and lead
    members, and the page's charts (``build``)."""

    allowed_roles = DASHBOARD_READERS
    template_name = "dashboards/base_dashboard.html"
    page_name = ""
    page_title = ""
    heading = ""  # the page's h1, when not its title

    @property
    def body_template(self) -> str:
        """The page's own content (``templates/dashboards/pages/``), rendered once per
        cache key by ``built`` and placed in the frame."""
        return f"dashboards/pages/{self.page_name}.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._built: dict | None = None

    @functools.cached_property
    def suppress(self) -> bool:
        """Scrutiny and lead members see no small counts. Nor does a service manager
        limited to their own teams, except in the figures of one of those teams (whose
        people they see by name anyway). Anyone else who sees named people sees the
        figures as they are."""
        user = self.request.user
        if not has_role(user, STAFF_READERS):
            return True
        if is_team_limited(user):
            scope = self.state()["scope"]
            return not (scope.kind == "team" and scope.value in _own_team_names(user))
        return False

    def audience(self) -> disclosure.Audience:
        """Who is looking, for the disclosure rule (``workforce.disclosure``)."""
        return disclosure.audience_for(self.request.user)

    def state(self) -> dict:
        if self._built is None:
            status = snapshots_status()
            versions = _versions(status)
            key = f"dashboards:filters:{versions}"
            cached = cache.get(key)
            if cached is None:
                cached = {
                    "choices": selectors.dashboard_filter_choices(),
                    "month_ends": selectors.snapshot_month_ends(),
                }
                cache.set(key, cached, CACHE_SECONDS)
            if self.request.GET:
                form = self.filter_form(self.request.GET, cached)
                form.is_valid()
                filters = form.filters()
            else:  # no filters: nothing to check, and the form is only drawn on a cache miss
                form = None
                filters = DashboardFilterForm.defaults(cached["month_ends"])
            self._built = {
                "form": form,
                "form_choices": cached,
                **filters,
                "limit": suppression.threshold(),
                "status": status,
                "versions": versions,
            }
        return self._built

    @staticmethod
    def filter_form(data, cached: dict) -> DashboardFilterForm:
        return DashboardFilterForm(data, month_ends=cached["month_ends"], **cached["choices"])

    def build(self, *, as_of: dt.date, scope: Scope, years: int, limit: int) -> dict:
        return {"charts": []}

    def cache_parts(self) -> list[str]:
        """Anything else the page's content depends on, besides the filters, who is
        looking (suppressed or not) and the stored figures' versions: it goes in the
        cache key."""
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.state()
        status = state["status"]
        if status.is_stale:
            _queue_refresh(status)
        frame = {
            "form": state["form"],
            "as_of": state["as_of"],
            "scope": state["scope"],
            "years": state["years"],
            "status": status,
            "suppress": self.suppress,
            "limit": state["limit"],
            "page_name": self.page_name,
            "page_title": self.page_title,
            "heading": self.heading or self.page_title,
            "pages": [
                {
                    "url_name": f"dashboards:{name}",
                    "title": title,
                    "current": name == self.page_name,
                }
                for name, title in PAGES
            ],
            "query": self.request.GET.urlencode(),
            "refresh_in_process": refresh_runs_in_process(),
            "refresh_in_thread": refresh_in_thread(),
            # Commands are for administrators; everyone else is told plainly what happens.
            "is_admin": Role.ADMIN in user_roles(self.request.user),
        }
        context.update(frame)
        if state["as_of"] is not None:
            context.update(self.built(state, frame))
        return context

    def built(self, state: dict, frame: dict) -> dict:
        """The page's figures, its charts and its whole content (``content``:
        includes/content.html around dashboards/pages/<page>.html) rendered as HTML,
        cached until the stored figures or the workforce data change (their versions and
        the refresh's state are in the key), for at most ``CACHE_SECONDS``: every
        councillor opening the page after a refresh shares one computation, and later
        views only draw the site's header around it (who is signed in)."""
        query = frame["query"]  # the CSV links and page links carry the query string
        identity = "|".join(
            [
                self.page_name,
                str(int(self.suppress)),
                str(state["limit"]),
                state["versions"],
                state["status"].state,
                str(int(frame["refresh_in_process"])),
                str(int(frame["refresh_in_thread"])),
                str(int(frame["is_admin"])),
                timezone.localdate().isoformat(),
                state["as_of"].isoformat(),
                str(state["years"]),
                str(state["scope"]),
                query,
                *self.cache_parts(),
            ]
        )
        key = "dashboards:page:" + hashlib.sha256(identity.encode()).hexdigest()
        built = cache.get(key)
        if built is None:
            built = self.build(
                as_of=state["as_of"],
                scope=state["scope"],
                years=state["years"],
                limit=state["limit"],
            )
            built["charts"] = [chart.render() for chart in built.get("charts", [])]
            built["has_charts"] = bool(built["charts"])
            for chart in built["charts"]:
                chart.block = loader.render_to_string(
                    "dashboards/includes/chart.html",
                    {"chart": chart, "page_name": self.page_name, "query": query},
                )
            form = state["form"] or self.filter_form(None, state["form_choices"])
            filters_html = loader.render_to_string(
                "dashboards/includes/filters.html", {"form": form, "request": self.request}
            )
            body = loader.render_to_string(self.body_template, {**frame, **built})
            built["content"] = loader.render_to_string(
                "dashboards/includes/content.html",
                {**frame, "form": form, "filters_html": filters_html, "body": body},
            )
            # The charts' HTML is in the content now: the cached copy keeps their figures.
            slim = [dataclasses.replace(chart, html="", block="") for chart in built["charts"]]
            cache.set(key, {**built, "charts": slim}, CACHE_SECONDS)
        return built


def _own_team_names(user) -> set[str]:
    from workforce.selectors import teams_visible_to

    return set(teams_visible_to(user).values_list("name", flat=True))


def _versions(status) -> str:
    """What changes whenever the figures may: the data version, the version the last
    complete refresh read, and when it finished."""
    finished = status.last_refreshed_at.timestamp() if status.last_refreshed_at else 0
    return f"{status.data_version}-{status.refreshed_version}-{finished}"


def _refresh_everything_in_thread() -> None:
    from .signals import _start_thread, pending_add

    pending_add({"everything": True, "families": [], "since": None, "teams": None})
    _start_thread()


def _queue_refresh(status) -> None:
    """Queue one refresh of the stale snapshots after the request's transaction commits,
    unless one is running or queued. In eager mode (no broker: development and tests) it
    would run inside this request, so nothing is queued; the nightly job or
    ``manage.py refresh_kpis`` catches up."""
    from .models import KpiFillState
    from .tasks import REFRESH_QUEUED_KEY, refresh_kpi_snapshots

    if status.state == KpiFillState.State.RUNNING:
        return
    if refresh_runs_in_process():
        if refresh_in_thread() and cache.get(PENDING_KEY) is None:
            # Development without a worker: stale with nothing pending (a change the
            # signals could not see): the web process's refresh thread does everything.
            transaction.on_commit(lambda: _refresh_everything_in_thread())
        return
    try:
        if cache.add(REFRESH_QUEUED_KEY, "1", timeout=REFRESH_QUEUED_TIMEOUT):
            # robust: a broker outage after the commit is logged, not a 500
            transaction.on_commit(lambda: refresh_kpi_snapshots.delay(), robust=True)
    except Exception:  # a broker or cache outage must not break the page
        logger.exception("Could not queue the KPI snapshot refresh from a dashboard page")


class OverviewView(DashboardView):
    """A tile per headline KPI, the other apps' figures when they have any, and the
    pages the user's role can use."""

    template_name = "dashboards/overview.html"
    page_name = "overview"
    page_title = "Overview"
    heading = "Workforce dashboard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["role_names"] = sorted(role.value for role in user_roles(user))
        context["destinations"] = destinations_for(user)
        context["sees_named_people"] = has_role(user, STAFF_READERS)
        return context

    def cache_parts(self) -> list[str]:
        # The recommendations summary changes on its own, not with the KPI snapshots.
        return [str(selectors.recommendations_version())]

    def build(self, *, as_of, scope, years, limit):
        tiles = selectors.dashboard_tiles(
            scope=str(scope), as_of=as_of, suppress=self.suppress, limit=limit
        )
        families = selectors.other_family_kpis(
            scope=str(scope), as_of=as_of, suppress=self.suppress, limit=limit
        )
        recommendations = selectors.recommendations_summary(as_of=timezone.localdate())
        return {
            "tiles": tiles,
            "families": families,
            "recommendations": recommendations,
            "charts": [],
        }


class TrendsView(DashboardView):
    """Monthly permanence, agency and vacancy rates, the rolling 12-month turnover and
    starters against leavers, with the targets."""

    page_name = "trends"
    page_title = "Trends"

    def build(self, *, as_of, scope, years, limit):
        start = as_of.replace(day=1) - relativedelta(years=years) + relativedelta(months=1)
        rates = list(chart_kpis("workforce-rates"))
        keys = [*rates, *chart_kpis("turnover"), *chart_kpis("starters-leavers")]
        rows = selectors.dashboard_series(
            scope=str(scope),
            keys=keys,
            start=start,
            end=as_of,
            suppress=self.suppress,
            limit=limit,
        )
        targets = kpi_targets()
        frame = pd.DataFrame(
            {
                "date": [row["date"] for row in rows],
                **{key: [_float(row[key]) for row in rows] for key in keys},
            }
        )

        def table(columns: list[str]) -> list[list[str]]:
            return [
                [_date_label(row["date"])]
                + [
                    _show(key, row[key], hidden=key in row["hidden"], gap=row["gaps"].get(key))
                    for key in columns
                ]
                for row in rows
            ]

        def target(key: str) -> float | None:
            return float(targets[key].target_value) if key in targets else None

        permanence_target = target("permanence_rate")
        summary = _latest_summary(rows, "permanence_rate", what="permanence")
        if permanence_target is not None:
            summary += f" The target is {_number(permanence_target)}%."
        charts_ = [
            Chart(
                slug="workforce-rates",
                title="Permanence, agency and vacancy rates at each month end",
                summary=summary,
                columns=["Month end"] + [REGISTRY[key].label for key in rates],
                rows=table(rates),
                figure=lambda: charts.line_chart(
                    frame,
                    x="date",
                    series={key: REGISTRY[key].label for key in rates},
                    title="Permanence, agency and vacancy rates",
                    y_title="Percent",
                    target=permanence_target,
                    target_label="Permanence target",
                    percent=True,
                ),
            ),
            Chart(
                slug="turnover",
                title="Turnover rate, rolling 12 months",
                summary=_latest_summary(rows, "turnover_rate", what="turnover"),
                columns=["Month end", REGISTRY["turnover_rate"].label],
                rows=table(["turnover_rate"]),
                figure=lambda: charts.line_chart(
                    frame,
                    x="date",
                    series={"turnover_rate": "Turnover rate (12 months)"},
                    title="Turnover rate, rolling 12 months",
                    y_title="Percent",
                    target=target("turnover_rate"),
                    target_label="Turnover target",
                    percent=True,
                ),
            ),
            Chart(
                slug="starters-leavers",
                title="Starters and leavers in the 12 months to each month end (FTE)",
                summary=_starters_leavers_summary(rows),
                columns=["Month end", "Starters (FTE)", "Leavers (FTE)"],
                rows=table(["starters_fte", "leavers_fte"]),
                figure=lambda: charts.line_chart(
                    frame,
                    x="date",
                    series={"starters_fte": "Starters (FTE)", "leavers_fte": "Leavers (FTE)"},
                    title="Starters and leavers, rolling 12 months",
                    y_title="FTE",
                ),
            ),
        ]
        return {"charts": charts_}


def _starters_leavers_summary(rows: list[dict]) -> str:
    shown = [
        r for r in rows if r.get("starters_fte") is not None and r.get("leavers_fte") is not None
    ]
    if not shown:
        return "No starters and leavers figures to show for this period and scope."
    last = shown[-1]
    starters, leavers = last["starters_fte"], last["leavers_fte"]
    net = (
        "more starters than leavers"
        if starters > leavers
        else ("more leavers than starters" if leavers > starters else "as many starters as leavers")
    )
    return (
        f"In the 12 months to {_date_label(last['date'])}: {_number(starters)} FTE started "
        f"and {_number(leavers)} FTE left ({net})."
    )


ARROWS = {"up": ("↑", "up"), "down": ("↓", "down"), "flat": ("→", "no change")}


class CaseloadsView(DashboardView):
    """The weekly caseload report (Buckinghamshire recommendation 18) for the 13 weeks to
    the chosen date: per team, average with highest and lowest, the 2-week trailing
    average, direction of movement and the change in the team's FTE."""

    page_name = "caseloads"
    page_title = "Caseloads"

    def build(self, *, as_of, scope, years, limit):
        end = as_of
        month_ends = self.state()["form_choices"]["month_ends"]
        if month_ends and as_of == month_ends[0]:  # the latest figures: up to this week
            end = max(as_of, timezone.localdate())
        start = end - dt.timedelta(weeks=CASELOAD_WEEKS - 1)
        report = caseload_report(start=start, end=end, scope=scope)
        weeks = sorted({entry["week"] for entry in report})
        if self.suppress:  # the disclosure rule, as the API applies it
            report = selectors.caseload_report_disclosed(
                report, audience=self.audience(), scope=scope
            )
        hidden = {(e["series"], e["week"]): e["hidden"] for e in report if e.get("hidden")}
        overall = [e for e in report if e["team"] is None]
        # the teams of the latest week with any entries, those yet to enter saying so
        entered_weeks = [e["week"] for e in overall if e["entered"]]
        last_week = entered_weeks[-1] if entered_weeks else (weeks[-1] if weeks else None)
        team_rows = [
            e
            for e in report
            if e["team"] is not None and e["week"] == last_week and e["teams_expected"]
        ]

        def value(entry, key):
            return None if (entry["series"], entry["week"]) in hidden else entry[key]

        def complete(entry, key):
            return value(entry, key) if entry["complete"] else None

        frame = pd.DataFrame(
            {
                "week": [e["week"] for e in overall],
                # only complete weeks are drawn: a half-entered week is not a dip
                "average": [_float(complete(e, "average_caseload")) for e in overall],
                "highest": [_float(complete(e, "highest_caseload")) for e in overall],
                "lowest": [_float(complete(e, "lowest_caseload")) for e in overall],
                "trailing": [_float(complete(e, "trailing_2_week_average")) for e in overall],
            }
        )
        overall_rows = [
            self._row(e, hidden, label=_date_label(e["week"])) + [teams_entered_label(e)]
            for e in overall
        ]
        headline = latest_complete_week(report)
        if headline is not None and value(headline, "average_caseload") is not None:
            last = headline
            summary = (
                f"In the week of {_date_label(last['week'])} the average caseload was "
                f"{_number(last['average_caseload'])} cases per social worker"
                + (
                    f", {ARROWS[last['direction']][1]} on the week before"
                    if last["direction"]
                    else ""
                )
                + "."
            )
        elif overall and any(e["entered"] for e in overall):
            summary = "No week in this period has caseloads from every case-holding team."
        else:
            summary = "No caseloads were recorded in these weeks for this scope."
        if overall and not overall[-1]["complete"] and overall[-1]["teams_expected"]:
            summary += (
                f" Week beginning {_date_label(overall[-1]['week'])}: "
                f"{teams_entered_label(overall[-1])} have entered caseloads so far, so its "
                "figures are not in the headline or the chart."
            )
        columns = [
            "Average caseload",
            "Highest",
            "Lowest",
            "2-week trailing average",
            "Direction",
            "Social workers (FTE)",
            "FTE change",
        ]
        return {
            "charts": [
                Chart(
                    slug="weekly-caseloads",
                    title=f"Weekly caseloads: {scope.label}",
                    summary=summary,
                    columns=["Week beginning"] + columns + ["Teams entered"],
                    rows=overall_rows,
                    figure=lambda: charts.caseload_band_chart(
                        frame, title="Average caseload per social worker, with highest and lowest"
                    ),
                ),
            ],
            "report_end": end,
            "team_table": {
                "week": last_week,
                "caption": f"Caseloads by team, week beginning {last_week:%-d %B %Y}"
                if last_week
                else "",
                "entered": next(
                    (teams_entered_label(e) for e in overall if e["week"] == last_week), ""
                ),
                "columns": ["Team"] + columns,
                "rows": [self._row(e, hidden, label=e["team"]) for e in team_rows],
            },
        }

    def _row(self, entry: dict, hidden: dict, *, label: str) -> list[str]:
        if not entry["entered"]:
            return [label] + [NOT_ENTERED] * 7
        reason = hidden.get((entry["series"], entry["week"]))
        if reason:
            return [label] + [reason] * 7
        one_person = ONE_PERSON_TEXT if self.suppress else NOT_AVAILABLE
        direction = entry["direction"]
        arrow = f"{ARROWS[direction][0]} {ARROWS[direction][1]}" if direction else NOT_AVAILABLE
        change = entry["fte_change"]
        return [
            label,
            _number(entry["average_caseload"]),
            _number(entry["highest_caseload"], 0)
            if entry["highest_caseload"] is not None
            else one_person,
            _number(entry["lowest_caseload"], 0)
            if entry["lowest_caseload"] is not None
            else one_person,
            _number(entry["trailing_2_week_average"]),
            arrow,
            _number(entry["fte"]),
            NOT_AVAILABLE if change is None else f"{'+' if change > 0 else ''}{_number(change)}",
        ]


class LeaversView(DashboardView):
    """Leavers in the 12 months to the chosen date by DfE reason, destination and length
    of service (Kent's analysis), leaving within 1, 2 and 3 years, and ASYE cohort
    retention."""

    page_name = "leavers"
    page_title = "Leavers"

    def build(self, *, as_of, scope, years, limit):
        start = selectors.leavers_period_start(as_of=as_of)
        breakdown = leavers_breakdown(start=start, end=as_of, scope=scope)
        period = f"{_date_label(start)} to {_date_label(as_of)}"
        suppress_limit = limit if self.suppress else 0
        charts_ = [
            self._counts_chart(
                slug="leavers-by-reason",
                title="Leavers by reason for leaving (DfE)",
                entries=breakdown["by_reason"],
                period=period,
                limit=suppress_limit,
            ),
            self._counts_chart(
                slug="leavers-by-destination",
                title="Leavers by destination (DfE)",
                entries=breakdown["by_destination"],
                period=period,
                limit=suppress_limit,
            ),
            self._counts_chart(
                slug="leavers-by-length-of-service",
                title="Leavers by length of service",
                entries=breakdown["by_length_of_service"],
                period=period,
                limit=suppress_limit,
                keep_order=True,
            ),
            self._within_years_chart(breakdown, period=period, limit=suppress_limit),
            self._asye_chart(scope=scope, as_of=as_of, limit=limit if self.suppress else None),
        ]
        return {"charts": charts_, "period": period}

    def _cells(self, entries: list[dict], limit: int):
        counts = {index: entry["count"] for index, entry in enumerate(entries)}
        if not limit:
            cells = {i: suppression.Cell(c, 0) for i, c in counts.items()}
            return cells, suppression.Cell(sum(counts.values()), 0)
        return suppression.suppress_counts(counts, limit=limit)

    def _counts_chart(self, *, slug, title, entries, period, limit, keep_order=False) -> Chart:
        cells, total = self._cells(entries, limit)
        order = list(range(len(entries)))
        if not keep_order:
            order.sort(key=lambda i: -(cells[i].value or 0))
        rows, labels, values, notes = [], [], [], []
        for i in order:
            entry, cell = entries[i], cells[i]
            share = cell.rate_of(total)
            rows.append(
                [
                    entry["label"],
                    str(cell),
                    HIDDEN_TEXT if cell.suppressed else _number(entry["fte"]),
                    HIDDEN_TEXT if cell.suppressed else _pct(share),
                ]
            )
            # A hidden group has no bar: its label says so, or it would read as none.
            labels.append(f"{entry['label']} (hidden)" if cell.suppressed else entry["label"])
            values.append(_float(share) if share is not None else None)
            notes.append(str(cell) if cell.suppressed else charts.NO_FIGURE)
        rows.append(
            [
                "All leavers",
                str(total),
                _number(sum(e["fte"] for e in entries)) if not total.suppressed else HIDDEN_TEXT,
                "100.0%" if total.value else NOT_AVAILABLE,
            ]
        )
        frame = pd.DataFrame({"label": labels, "share": values})
        visible = [i for i in order if cells[i].value]
        if visible and total.value:
            top = max(visible, key=lambda i: cells[i].value)
            summary = (
                f"{period}: {total} leavers; the largest group was {entries[top]['label']} "
                f"({_pct(cells[top].rate_of(total))})."
            )
        else:
            summary = f"{period}: {total} leavers."
        return Chart(
            slug=slug,
            title=title,
            summary=summary,
            columns=["Group", "Leavers", "FTE", "Share of leavers"],
            rows=rows,
            figure=lambda: charts.horizontal_bar_chart(
                frame,
                category="label",
                value="share",
                title=title,
                x_title="Share of leavers (%)",
                notes=notes,
            ),
        )

    def _within_years_chart(self, breakdown, *, period, limit) -> Chart:
        bands = breakdown["by_length_of_service"]
        cells, total = self._cells(bands, limit)
        rows, labels, values = [], [], []
        for years in (1, 2, 3):
            parts = [cells[i] for i in range(years)]
            if any(cell.suppressed for cell in parts) or total.suppressed:
                count, share = None, None
            else:
                count = sum(cell.value for cell in parts)
                share = rates.share(count, total.value)
            label = f"Within {years} year{'s' if years > 1 else ''} of starting"
            rows.append(
                [
                    label,
                    HIDDEN_TEXT if count is None else f"{count:,}",
                    HIDDEN_TEXT if count is None else _pct(share),
                ]
            )
            labels.append(f"{label} (hidden)" if count is None else label)
            values.append(_float(share))
        frame = pd.DataFrame({"label": labels, "share": values})
        notes = [HIDDEN_TEXT if value is None else charts.NO_FIGURE for value in values]
        shown = [row for row in rows if row[2] != HIDDEN_TEXT]
        summary = (
            f"{period}: {shown[-1][2]} of leavers left {shown[-1][0].lower()}."
            if shown and total.value
            else f"{period}: no leavers to show."
        )
        return Chart(
            slug="leavers-within-years",
            title="Leavers who left within 1, 2 and 3 years",
            summary=summary,
            columns=["Left", "Leavers", "Share of leavers"],
            rows=rows,
            figure=lambda: charts.horizontal_bar_chart(
                frame,
                category="label",
                value="share",
                title="Leavers who left within 1, 2 and 3 years",
                x_title="Share of leavers (%)",
                notes=notes if total.value else None,
            ),
        )

    def _asye_chart(self, *, scope, as_of, limit) -> Chart:
        cohorts = selectors.asye_cohort_retention(scope=scope, as_of=as_of, limit=limit)

        def shown(entry, years):
            if not entry[f"retained_{years}_due"]:
                return "not yet"
            if entry[f"retained_{years}"] is None:
                return HIDDEN_TEXT
            return f"{entry[f'retained_{years}']:,} ({_pct(entry[f'retained_{years}_share'])})"

        rows = [
            [entry["cohort"], str(suppression.Cell(entry["started"], limit or 0))]
            + [shown(entry, years) for years in (1, 2, 3)]
            for entry in cohorts
        ]
        frame = pd.DataFrame(
            {
                "cohort": [e["cohort"] for e in cohorts],
                **{
                    f"after_{y}": [_float(e[f"retained_{y}_share"]) for e in cohorts]
                    for y in (1, 2, 3)
                },
            }
        )
        # A cohort's missing bar says why: not yet due, or hidden (never an empty bar).
        notes = {
            f"after_{y}": [
                "not yet"
                if not e[f"retained_{y}_due"]
                else (HIDDEN_TEXT if e[f"retained_{y}"] is None else charts.NO_FIGURE)
                for e in cohorts
            ]
            for y in (1, 2, 3)
        }
        complete = [e for e in cohorts if e["retained_1_share"] is not None]
        summary = (
            f"Of the {complete[-1]['cohort']} ASYE cohort, {_pct(complete[-1]['retained_1_share'])}"
            " were still employed a year after they started."
            if complete
            else "No ASYE cohort has reached its first anniversary in this scope."
        )
        return Chart(
            slug="asye-retention",
            title="ASYE cohort retention",
            summary=summary,
            columns=[
                "Cohort (reporting year started)",
                "Started",
                "Still employed after 1 year",
                "After 2 years",
                "After 3 years",
            ],
            rows=rows,
            figure=lambda: charts.bar_chart(
                frame,
                x="cohort",
                series={
                    "after_1": "After 1 year",
                    "after_2": "After 2 years",
                    "after_3": "After 3 years",
                },
                title="ASYE cohorts still employed",
                y_title="Percent of cohort",
                percent=True,
                notes=notes,
            ),
        )


class BenchmarksView(DashboardView):
    """The council against England, its region and its comparator group from DfE's
    published figures, per measure and year, with its rank, and its own census-date
    figures beside DfE's."""

    page_name = "benchmarks"
    page_title = "Benchmarks"

    def build(self, *, as_of, scope, years, limit):
        comparison = selectors.benchmark_comparison(suppress=self.suppress, limit=limit)
        group = comparison["group"]
        group_label = f"{group.name} (median)" if group else None
        council = comparison["council"]
        council_label = council.name if council else "The council"
        charts_ = []
        for measure in comparison["measures"]:
            rows = measure["rows"]
            if not rows:
                continue
            percent = measure["unit"] == "%"
            fmt = _pct if percent else _number
            series = {
                "council": f"{council_label} (DfE)",
                "own": f"{council_label} (own figures)",
                "region": comparison["region"] or "Region",
                "england": "England",
            }
            if group_label:
                series["group_median"] = group_label
            frame = pd.DataFrame(
                {
                    "year": [r["year"] for r in rows],
                    **{key: [_float(r[key]) for r in rows] for key in series},
                }
            )
            table = [
                [
                    f"{r['year'] - 1}-{str(r['year'])[-2:]}",
                    fmt(r["council"])
                    if r["council"] is not None
                    else (
                        f"{NOT_AVAILABLE} ({r['council_symbol']})"
                        if r["council_symbol"]
                        else NOT_AVAILABLE
                    ),
                    fmt(r["own"]) if r["own"] is not None else (r["own_note"] or NOT_AVAILABLE),
                    fmt(r["region"]),
                    fmt(r["england"]),
                    fmt(r["group_median"]),
                    f"{r['rank']} of {r['councils_ranked']}" if r["rank"] else NOT_AVAILABLE,
                    f"{r['group_rank']} of {r['group_size']}" if r["group_rank"] else NOT_AVAILABLE,
                ]
                for r in rows
            ]
            latest = next((r for r in reversed(rows) if r["council"] is not None), None)
            if latest:
                summary = (
                    f"In {latest['year']}, {council_label}'s {measure['label'].lower()} was "
                    f"{fmt(latest['council'])} against {fmt(latest['england'])} for England; "
                    f"ranked {latest['rank']} of {latest['councils_ranked']} councils "
                    "(1 = lowest)."
                )
            else:
                summary = f"DfE publishes no {measure['label'].lower()} for {council_label}."
            charts_.append(
                Chart(
                    slug=f"benchmark-{measure['measure'].replace('_', '-')}",
                    title=measure["label"],
                    summary=summary,
                    columns=[
                        "Year (to 30 September)",
                        f"{council_label} (DfE)",
                        f"{council_label} (own figures)",
                        comparison["region"] or "Region",
                        "England",
                        group_label or "Comparator group",
                        "Rank among councils",
                        "Rank in group",
                    ],
                    rows=table,
                    figure=lambda frame=frame, series=series, measure=measure, percent=percent: (
                        charts.benchmark_chart(
                            frame,
                            title=measure["label"],
                            series=series,
                            y_title="Percent" if percent else measure["unit"],
                        )
                    ),
                )
            )
        return {"charts": charts_, "comparison": comparison}


#: The charts' KPIs, from the registry (each KPI's ``charts``).
FUNNEL = chart_kpis("recruitment-funnel")
TIME_TO_HIRE = chart_kpis("time-to-hire")


class RecruitmentView(DashboardView):
    """The recruitment funnel in the 12 months to the chosen date and the time to hire
    at each month end, from the recruitment KPI family's stored figures."""

    page_name = "recruitment"
    page_title = "Recruitment"

    def build(self, *, as_of, scope, years, limit):
        start = as_of.replace(day=1) - relativedelta(years=years) + relativedelta(months=1)
        keys = [key for key in FUNNEL + TIME_TO_HIRE if key in REGISTRY]
        rows = selectors.dashboard_series(
            scope=str(scope),
            keys=[*keys, "time_to_hire_offers", "time_to_hire_starts"],
            start=start,
            end=as_of,
            suppress=self.suppress,
            limit=limit,
        )
        latest = rows[-1] if rows and rows[-1]["date"] == as_of else None
        funnel = [key for key in FUNNEL if key in REGISTRY]
        stages = [
            [
                REGISTRY[key].label,
                _show(
                    key,
                    latest.get(key) if latest else None,
                    hidden=bool(latest) and (key in latest["hidden"]),
                ),
            ]
            for key in funnel
        ]
        funnel_hidden = [bool(latest) and key in latest["hidden"] for key in funnel]
        funnel_frame = pd.DataFrame(
            {  # a hidden stage has no bar: its label says so, or it would read as none
                "stage": [
                    f"{REGISTRY[key].label} (hidden)" if hidden else REGISTRY[key].label
                    for key, hidden in zip(funnel, funnel_hidden, strict=True)
                ],
                "count": [_float(latest.get(key)) if latest else None for key in funnel],
            }
        )
        funnel_notes = [HIDDEN_TEXT if hidden else charts.NO_FIGURE for hidden in funnel_hidden]
        hire = [key for key in TIME_TO_HIRE if key in REGISTRY]
        # Medians of a handful of hires describe a few people: hidden with their counts.
        for row in rows:
            small = any(
                row.get(count) is not None and 0 < row[count] < limit
                for count in ("time_to_hire_offers", "time_to_hire_starts")
            )
            if self.suppress and small:
                for key in hire:
                    row[key] = None
                    row["hidden"].add(key)
        applications = stages[0][1] if stages else NOT_AVAILABLE
        started = stages[-1][1] if stages else NOT_AVAILABLE
        charts_ = [
            Chart(
                slug="recruitment-funnel",
                title="Recruitment funnel, 12 months to the date",
                summary=f"In the 12 months to {_date_label(as_of)}: {applications} "
                f"applications, {started} recruited starters.",
                columns=["Stage", "Applicants"],
                rows=stages,
                figure=lambda: charts.horizontal_bar_chart(
                    funnel_frame,
                    category="stage",
                    value="count",
                    title="Recruitment funnel",
                    x_title="Applicants",
                    notes=funnel_notes,
                ),
            ),
            _month_end_chart(
                slug="time-to-hire",
                title="Time to hire at each month end (median days, 12 months to the date)",
                rows=rows,
                keys=hire,
                summary_key=TIME_TO_HIRE[-1],
                what="time to hire",
                chart_title="Time to hire (median days)",
                y_title="Days",
            ),
        ]
        return {"charts": charts_}


EXIT_COVERAGE = chart_kpis("exit-interview-coverage")


class ExitsView(DashboardView):
    """Why social workers leave: the themes leavers gave in the 12 months to the chosen
    date (read live from the exit questionnaires, so their version is in the cache key)
    and exit interview coverage at each month end, from the exits KPI family's stored
    figures. The exits analysis page has every breakdown."""

    page_name = "exits"
    page_title = "Exits"

    def cache_parts(self) -> list[str]:
        return [selectors.exits_version()]

    def build(self, *, as_of, scope, years, limit):
        year_start = as_of - relativedelta(years=1) + dt.timedelta(days=1)
        themes = selectors.exit_themes(
            start=year_start, end=as_of, scope=scope, suppress=self.suppress, limit=limit
        )
        theme_rows = [
            [row["theme"], HIDDEN_TEXT if row["count"] is None else f"{row['count']:,}"]
            for row in themes["themes"]
        ]
        theme_frame = pd.DataFrame(
            {  # a hidden count has no bar: its label says so, or it would read as none
                "theme": [
                    row["theme"] if row["count"] is not None else f"{row['theme']} (hidden)"
                    for row in themes["themes"]
                ],
                "count": [_float(row["count"]) for row in themes["themes"]],
            }
        )
        start = as_of.replace(day=1) - relativedelta(years=years) + relativedelta(months=1)
        coverage = [key for key in EXIT_COVERAGE if key in REGISTRY]
        rows = selectors.dashboard_series(
            scope=str(scope),
            keys=coverage,
            start=start,
            end=as_of,
            suppress=self.suppress,
            limit=limit,
        )
        charts_ = [
            Chart(
                slug="exit-themes",
                title="Why leavers left: themes in the 12 months to the date",
                summary=_themes_summary(themes, as_of=as_of, scope=scope, limit=limit),
                columns=["Theme", "Leavers who gave it"],
                rows=theme_rows,
                figure=lambda: charts.horizontal_bar_chart(
                    theme_frame,
                    category="theme",
                    value="count",
                    title="Themes leavers gave",
                    x_title="Leavers",
                    notes=[HIDDEN_TEXT if row["count"] is None else "" for row in themes["themes"]],
                ),
            ),
            _month_end_chart(
                slug="exit-interview-coverage",
                title="Exit interview coverage, 12 months to each month end",
                rows=rows,
                keys=coverage,
                summary_key=EXIT_COVERAGE[0],
                what="exit interview",
                chart_title="Exit interview coverage",
                y_title="Percent",
                percent=True,
            ),
        ]
        return {"charts": charts_, "whole_service": themes["whole_service"]}


def _themes_summary(themes: dict, *, as_of: dt.date, scope: Scope, limit: int) -> str:
    """ "12 leavers answered ...; the reasons given most: Workload (7), ..." """
    where = "the whole service" if themes["whole_service"] else scope.label
    period = f"in the 12 months to {_date_label(as_of)} ({where})"
    answered = themes["answered"]
    if answered is None:
        return (
            f"Fewer than {limit} leavers answered the exit questionnaire {period}: "
            "their reasons are hidden."
        )
    if not answered:
        return f"No leaver answered the exit questionnaire {period}."
    top = [row for row in themes["themes"] if row["count"]][:3]
    most = ", ".join(f"{row['theme']} ({row['count']:,})" for row in top)
    return f"{answered:,} leavers answered the exit questionnaire {period}" + (
        f"; the reasons given most: {most}." if most else "."
    )


PAGES: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("trends", "Trends"),
    ("caseloads", "Caseloads"),
    ("leavers", "Leavers"),
    ("benchmarks", "Benchmarks"),
    ("recruitment", "Recruitment"),
    ("exits", "Exits"),
    ("forecast", "Forecast"),
)
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


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may be in the database or a context processor.
    return HttpResponseServerError(loader.get_template("500.html").render())
