"""What every dashboard page shares: the filters in the URL (``DashboardFilterForm``),
the state of the stored figures (a refresh queued when they are stale), who is looking
(small-number suppression) and the page's content cached per cache key
(``DashboardView``). A page subclasses ``DashboardView`` and its ``build`` calls the
page's own function (figures in, charts and summaries out), which tests call directly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import logging

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.template import loader
from django.utils import timezone
from django.views.generic import TemplateView

from core.roles import (
    DASHBOARD_READERS,
    STAFF_READERS,
    Role,
    RoleRequiredMixin,
    has_role,
    is_team_limited,
    user_roles,
)
from workforce import disclosure, suppression
from workforce.choices import OrgRole

from .. import selectors
from ..kpis import Scope
from ..services import snapshots_status
from ..signals import (
    PENDING_KEY,
    REFRESH_QUEUED_TIMEOUT,
    refresh_in_thread,
    refresh_runs_in_process,
)

logger = logging.getLogger(__name__)

TREND_YEARS = (("1", "12 months"), ("3", "3 years"), ("5", "5 years"), ("10", "10 years"))
DEFAULT_TREND_YEARS = "3"
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
    from ..signals import _start_thread, pending_add

    pending_add({"everything": True, "families": [], "since": None, "teams": None})
    _start_thread()


def _queue_refresh(status) -> None:
    """Queue one refresh of the stale snapshots after the request's transaction commits,
    unless one is running or queued. In eager mode (no broker: development and tests) it
    would run inside this request, so nothing is queued; the nightly job or
    ``manage.py refresh_kpis`` catches up."""
    from ..models import KpiFillState
    from ..tasks import REFRESH_QUEUED_KEY, refresh_kpi_snapshots

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
