"""The KPI endpoints: figures with definitions and RAG for every role, clear 400s."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from core.roles import Role
from dashboards.models import KpiTarget
from tests.factories import TeamFactory, employ
from workforce import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    team = TeamFactory(name="Family Safeguarding North")
    employed = [employ(team=team, start=dt.date(2020, 1, 6)) for _ in range(3)]
    agency = employ(team=team, start=dt.date(2023, 1, 9), agency=True)
    services.caseload_record(employment=employed[0], date=dt.date(2023, 9, 29), cases=12)
    services.caseload_record(employment=agency, date=dt.date(2023, 9, 29), cases=18)
    return team


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.DIRECTOR, Role.ADMIN])
def test_named_data_roles_read_the_kpis_with_definitions_and_rag(client_as, world, role):
    response = client_as(role).get(
        "/api/kpis/", {"as_of": "2023-09-30", "scope": "team:Family Safeguarding North"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["scope_label"] == "Team: Family Safeguarding North"
    kpis = {k["key"]: k for k in body["kpis"]}
    permanence = kpis["permanence_rate"]
    assert permanence["value"] == pytest.approx(75.0)
    assert permanence["display"] == "75.0%"
    assert permanence["target"]["target_value"] == 85  # the default 85% target
    assert permanence["rag"] == "red"  # 10 points below, amber margin 5
    assert "in-post FTE" in permanence["definition"]
    assert kpis["caseload"]["value"] == pytest.approx(15.0)
    assert kpis["vacancy_rate"]["value"] is None
    assert kpis["vacancy_rate"]["display"] == "not available"


@pytest.mark.parametrize("role", [Role.SCRUTINY_MEMBER, Role.LEAD_MEMBER, Role.SERVICE_MANAGER])
def test_councillors_and_other_teams_managers_get_no_small_count(client_as, world, role):
    """3 employed and 1 agency worker: every count, and every figure worked out from
    them, is null and says so; the definitions are still there."""
    body = (
        client_as(role)
        .get("/api/kpis/", {"as_of": "2023-09-30", "scope": "team:Family Safeguarding North"})
        .json()
    )
    assert body["suppressed"] is True
    kpis = {k["key"]: k for k in body["kpis"]}
    for key in ("inpost_headcount", "agency_headcount", "permanence_rate", "caseload"):
        assert kpis[key]["value"] is None, key
        assert kpis[key]["hidden"] is True
        assert kpis[key]["display"] == "fewer than 5"
        assert kpis[key]["rag"] is None
    assert "in-post FTE" in kpis["permanence_rate"]["definition"]
    assert body["leavers"]["leavers"] == 0  # nobody left: zero identifies nobody


def test_amber_and_green_follow_the_admins_target(client_as, world):
    KpiTarget.objects.filter(kpi_key="permanence_rate").update(target_value=78, amber_margin=5)
    kpis = {
        k["key"]: k
        for k in client_as(Role.DIRECTOR).get("/api/kpis/?as_of=2023-09-30").json()["kpis"]
    }
    assert kpis["permanence_rate"]["rag"] == "amber"
    KpiTarget.objects.create(kpi_key="caseload", target_value=18, amber_margin=2)
    kpis = {
        k["key"]: k
        for k in client_as(Role.DIRECTOR).get("/api/kpis/?as_of=2023-09-30").json()["kpis"]
    }
    assert kpis["caseload"]["rag"] == "green"  # lower is better: 15 <= 18


@time_machine.travel(dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_the_default_date_is_the_last_30_september(client_as, world):
    body = client_as(Role.SCRUTINY_MEMBER).get("/api/kpis/").json()
    assert body["as_of"] == "2023-09-30"
    assert body["scope"] == "all"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"as_of": "30/09/2023"}, "as_of", "YYYY-MM-DD"),
        ({"as_of": "2023-02-30"}, "as_of", "YYYY-MM-DD"),
        ({"scope": "team:Nowhere"}, "scope", "no team called 'Nowhere'"),
        ({"scope": "role:12"}, "scope", "Unknown DfE role"),
        ({"scope": "planet:Mars"}, "scope", "Unknown scope"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client_as, world, query, field, message):
    response = client_as(Role.HR_OFFICER).get("/api/kpis/", query)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_definitions_list_every_kpi_with_its_target(client_as, db):
    body = client_as(Role.LEAD_MEMBER).get("/api/kpi-definitions/").json()
    keys = [k["key"] for k in body["kpis"]]
    for key in ("inpost_fte", "turnover_rate", "caseload", "absence_rate", "stability_rate"):
        assert key in keys
    permanence = next(k for k in body["kpis"] if k["key"] == "permanence_rate")
    assert permanence["higher_is_better"] is True
    assert permanence["unit"] == "%"
    assert permanence["target"]["target_value"] == 85


def test_caseload_report_over_the_api(client_as, world):
    response = client_as(Role.HR_OFFICER).get(
        "/api/caseload-report/", {"from": "2023-09-25", "to": "2023-10-01"}
    )
    assert response.status_code == 200
    weeks = response.json()["weeks"]
    overall = [w for w in weeks if w["team"] is None]
    assert overall[0]["week"] == "2023-09-25"
    assert overall[0]["workers"] == 2
    assert overall[0]["average_caseload"] == pytest.approx(15.0)
    assert overall[0]["highest_caseload"] == 18
    assert overall[0]["lowest_caseload"] == 12


@pytest.mark.parametrize("role", [Role.SCRUTINY_MEMBER, Role.SERVICE_MANAGER])
def test_caseload_report_hides_small_teams_and_one_persons_figures(client_as, world, role):
    body = (
        client_as(role)
        .get("/api/caseload-report/", {"from": "2023-09-25", "to": "2023-10-01"})
        .json()
    )
    assert body["suppressed"] is True
    for week in body["weeks"]:
        assert week["highest_caseload"] is None  # one person's figure
        assert week["lowest_caseload"] is None
        if week["workers"] is None:
            assert week["hidden"] == "fewer than 5"
        assert week["workers"] in (None, 0)  # 2 case-holders: never shown
    assert "12" not in str([w["cases"] for w in body["weeks"]])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"to": "2023-10-01"}, "from"),
        ({"from": "2023-10-01", "to": "yesterday"}, "to"),
        ({"from": "2023-10-01", "to": "2023-09-01"}, "to"),
        ({"from": "2000-01-01", "to": "2023-09-01"}, "to"),
        ({"from": "2023-09-01", "to": "2023-10-01", "scope": "area:Nowhere"}, "scope"),
    ],
)
def test_caseload_report_bad_parameters_are_a_400(client_as, world, query, field):
    response = client_as(Role.DIRECTOR).get("/api/caseload-report/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_signed_out_users_get_no_figures(client, world):
    assert client.get("/api/kpis/").status_code in (401, 403)
