"""One disclosure rule for every output (domain.md s.8, ``workforce.disclosure``).

- the rule itself: audiences, fail closed, primary and secondary labels, DfE's ``c``;
- the registry declares, for every KPI, what the rule needs (its counts, or safe);
- a property test draws random small teams and checks that no councillor-visible output
  - the API's JSON, the overview's HTML, a chart's CSV, a public pack's workbook and
  Word text - shows a count of 1 to 4 people (worked out from the drawn data, not
  from the engine), or a figure worked out from one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from docx import Document
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from openpyxl import load_workbook

from core.roles import Role
from dashboards import services
from dashboards.kpis import REGISTRY, Scope, compute_kpis
from dashboards.kpis.registry import (
    FAMILIES,
    benchmark_measures,
    chart_kpis,
    families_reading,
    headline_kpis,
)
from dashboards.reports import builder
from dashboards.reports.services import report_files_render
from tests.factories import ServiceAreaFactory, TeamFactory, employ
from workforce import disclosure
from workforce.suppression import suppress_counts, suppress_grid

# --- The rule --------------------------------------------------------------------------------


def test_a_figure_declaring_nothing_is_hidden_fail_closed():
    values = {"x": Decimal(3), "n": Decimal(40)}
    assert disclosure.figure_withheld("x", values, limit=5, derived_from=()) == "primary"
    assert disclosure.figure_withheld("x", values, limit=5, derived_from=(), safe=True) is None
    assert disclosure.figure_withheld("x", values, limit=5, derived_from=("n",)) is None
    # A count it is derived from that is missing: hidden.
    assert disclosure.figure_withheld("x", values, limit=5, derived_from=("m",)) == "primary"
    assert disclosure.figure_withheld("x", {**values, "n": 4}, limit=5, derived_from=("n",))
    assert not disclosure.figure_withheld("x", {**values, "n": 0}, limit=5, derived_from=("n",))


def test_audiences():
    named, councillor = disclosure.Audience.named(), disclosure.Audience.councillor()
    manager = disclosure.Audience("manager", teams=frozenset({"North"}))
    assert not named.suppressed(Scope("team", "South"))
    assert councillor.suppressed(Scope("all")) and disclosure.Audience.public().suppressed()
    assert not manager.suppressed(Scope("team", "North"))
    assert manager.suppressed(Scope("team", "South")) and manager.suppressed(Scope("all"))


def test_secondary_suppression_says_why_it_hides():
    cells, total = suppress_counts({"a": 3, "b": 25, "c": 40})
    assert str(cells["a"]) == "fewer than 5"
    assert str(cells["b"]) == "hidden to protect another figure"  # 68 - 40 - b = a
    assert str(cells["c"]) == "40" and str(total) == "68"
    assert cells["a"].symbol == cells["b"].symbol == "c"
    grid_cells, _rows, cols = suppress_grid({("x", 1): 2, ("y", 1): 0}, col_totals=True)
    assert str(cols[1]) == "fewer than 5"  # the total itself is small: primary


# --- The registry ----------------------------------------------------------------------------


def test_every_kpi_declares_what_the_disclosure_rule_needs():
    for key, definition in REGISTRY.items():
        assert definition.safe or definition.derived_from, f"{key} declares no counts"
        for count in definition.derived_from:
            assert count in REGISTRY, f"{key} is derived from unknown {count}"


def test_the_lists_are_derived_from_the_registry():
    assert headline_kpis() == (
        "permanence_rate",
        "agency_rate",
        "vacancy_rate",
        "turnover_rate",
        "caseload",
        "absence_rate",
        "stability_rate",
        "asye_share",
    )
    assert dict(benchmark_measures())["turnover_rate_fte"] == "turnover_rate"
    assert chart_kpis("workforce-rates") == ("permanence_rate", "agency_rate", "vacancy_rate")
    assert families_reading("exits.ExitRecord") == ("exits",)
    assert set(families_reading("workforce.Employment")) == set(FAMILIES)
    assert families_reading("recruitment.Application") == ("recruitment",)
    assert builder.WORKFORCE_KPIS[0] == "permanence_rate" or "inpost_fte" in builder.WORKFORCE_KPIS


def test_money_is_shown_in_pounds():
    from dashboards.kpis.registry import KpiDefinition

    pay = KpiDefinition(key="pay", label="Pay", unit="money", definition="", decimals=0)
    assert pay.display(Decimal("31234.4")) == "£31,234"
    with pytest.raises(ValueError):
        KpiDefinition(key="x", label="x", unit="parsecs", definition="")


# --- Random small teams: nothing a councillor sees reveals a small count -------------------

AS_OF = dt.date(2024, 3, 31)
COUNTS_OF = {  # what a drawn count moves: every key that must hide when it is 1 to 4
    "employed": (
        "inpost_headcount",
        "inpost_fte",
        "permanence_rate",
        "agency_rate",
        "vacancy_rate",
        "turnover_rate",
        "absence_rate",
        "stability_rate",
    ),
    "agency": ("agency_headcount", "agency_fte", "agency_rate", "permanence_rate"),
    "leavers": ("leavers_headcount", "leavers_fte", "turnover_rate"),
}

team_draw = st.fixed_dictionaries(
    {
        "employed": st.integers(0, 7),
        "agency": st.integers(0, 6),
        "leavers": st.integers(0, 6),
    }
)


def _councillor_client() -> Client:
    user = get_user_model().objects.create_user(username="councillor", password="pw-1-tests")
    user.groups.add(Group.objects.get_or_create(name=str(Role.SCRUTINY_MEMBER))[0])
    client = Client()
    client.force_login(user)
    return client


def _must_hide(draw: dict) -> set[str]:
    return {key for name, keys in COUNTS_OF.items() if 0 < draw[name] < 5 for key in keys}


class CouncillorOutputsProperty(TestCase):
    @settings(
        max_examples=5,
        deadline=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a DB test is slow
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(teams=st.lists(team_draw, min_size=1, max_size=3))
    @example(
        teams=[
            {"employed": 3, "agency": 2, "leavers": 1},
            {"employed": 20, "agency": 0, "leavers": 6},
        ]
    )
    def test_no_councillor_output_reveals_a_small_count(self, teams):
        cache.clear()  # each example's database starts again: so does the pages' cache
        area = ServiceAreaFactory(name="Area")
        for index, draw in enumerate(teams):
            team = TeamFactory(name=f"Team {index}", service_area=area)
            for _ in range(draw["employed"]):
                employ(team=team, start=dt.date(2020, 1, 6))
            for _ in range(draw["agency"]):
                employ(team=team, start=dt.date(2021, 1, 4), agency=True)
            for _ in range(draw["leavers"]):
                employ(team=team, start=dt.date(2019, 1, 7), end=dt.date(2023, 11, 30))
        services.snapshots_refresh(start=AS_OF, end=AS_OF)
        client = _councillor_client()
        for index, draw in enumerate(teams):
            hide = _must_hide(draw)
            scope = f"team:Team {index}"
            truth = compute_kpis(as_of=AS_OF, scope=Scope.parse(scope))
            # The API's JSON.
            body = client.get("/api/kpis/", {"as_of": AS_OF.isoformat(), "scope": scope}).json()
            shown = {k["key"]: k for k in body["kpis"]}
            for key in hide:
                assert shown[key]["value"] is None, (key, draw)
                if truth[key] is not None:
                    assert shown[key]["display"] == "fewer than 5", (key, draw)
            if 0 < draw["leavers"] < 5:
                assert body["leavers"]["leavers"] is None
            # The overview's HTML: no hidden tile's value.
            page = client.get("/dashboards/", {"team": f"Team {index}"}).content.decode()
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
            for key in hide & set(headline_kpis()):
                label, value = REGISTRY[key].label, REGISTRY[key].display(truth[key])
                if truth[key] is not None:
                    assert f"{label} {value}" not in text, (key, draw)
            # A chart's CSV: a hidden figure is DfE's c.
            csv_text = client.get(
                "/dashboards/trends/data/workforce-rates.csv",
                {"team": f"Team {index}", "as_of": AS_OF.isoformat()},
            ).content.decode()
            rows = list(csv.reader(io.StringIO(csv_text)))
            assert rows[0][0].endswith(f"Team: Team {index}")
            columns = rows[1] if len(rows) > 1 else []
            figures = [row for row in rows[2:] if row and row[0] == f"{AS_OF:%-d %b %Y}"]
            for key in hide & set(chart_kpis("workforce-rates")):
                label = REGISTRY[key].label
                if label in columns and truth[key] is not None:
                    column = columns.index(label)
                    assert figures, csv_text
                    for row in figures:  # hidden, or no figure at all: never the value
                        assert row[column] in ("c", "not available"), (key, draw, row)
        # A public pack for the whole service: workbook and Word text.
        whole = {
            name: sum(draw[name] for draw in teams) for name in ("employed", "agency", "leavers")
        }
        hide = _must_hide(whole)
        truth = compute_kpis(as_of=AS_OF, scope=Scope("all"))
        rendered = report_files_render(
            start=dt.date(2023, 4, 1),
            end=AS_OF,
            scope=Scope("all"),
            sections=["summary", "workforce", "leavers", "appendix"],
            formats=("xlsx", "docx"),
            include_charts=False,
        )
        workbook = load_workbook(io.BytesIO(rendered.files["xlsx"]))
        sheet = {row[0].value: row[1].value for row in workbook["Workforce"].iter_rows()}
        appendix = {  # any sheet with KPI keys in its first column (the data appendix)
            row[0]: row[2]
            for ws in workbook.worksheets
            for row in ws.iter_rows(values_only=True)
            if len(row) > 2 and row[0] in REGISTRY
        }
        document = Document(io.BytesIO(rendered.files["docx"]))
        cells = {row.cells[0].text: row.cells[1].text for t in document.tables for row in t.rows}
        for key in hide:
            label = REGISTRY[key].label
            if truth.get(key) is None:
                continue  # no figure: nothing to hide
            if label in sheet:
                assert sheet[label] == "c", (key, whole)
            assert appendix.get(key) in ("c", None), (key, whole)
            if label in cells:
                assert cells[label] == "fewer than 5", (key, whole)


# --- The demo council: the API for every team -------------------------------------------------


@pytest.fixture(scope="module")
def demo_council(django_db_setup, django_db_blocker):
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        # two census years: 30 September 2025 (below) is the first
        call_command("seed_demo", "--scale", "0.5", "--years", "2", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_api_gives_councillors_no_small_count_for_any_team_of_the_demo(demo_council, client_as):
    from workforce.models import Team

    named = client_as(Role.DIRECTOR)
    as_of = "2025-09-30"
    truths = {}
    for team in Team.objects.values_list("name", flat=True):
        body = named.get("/api/kpis/", {"as_of": as_of, "scope": f"team:{team}"}).json()
        truths[team] = {k["key"]: k["value"] for k in body["kpis"]}
    councillor = client_as(Role.SCRUTINY_MEMBER)
    small_seen = 0
    for team, truth in truths.items():
        body = councillor.get("/api/kpis/", {"as_of": as_of, "scope": f"team:{team}"}).json()
        for kpi in body["kpis"]:
            definition = REGISTRY[kpi["key"]]
            small = [c for c in definition.derived_from if disclosure.is_small(truth.get(c), 5)]
            if small and truth[kpi["key"]] is not None:
                small_seen += 1
                assert kpi["value"] is None and kpi["hidden"], (team, kpi["key"])
            if definition.is_count and kpi["value"] is not None:
                assert not 0 < float(kpi["value"]) < 5, (team, kpi["key"])
    assert small_seen, "the demo council has small teams: the test must see some"
