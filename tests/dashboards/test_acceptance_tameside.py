"""Acceptance 3: Tameside, September 2022 (seed 004, table 1), from the ``kpis`` command.

The paper counts 136.0 FTE children's social workers in its case-holding teams: 94 FTE
employed (69.1%), of whom 39 FTE ASYE (28.7% of all 136), and 42 FTE agency (30.9%);
ASYE + agency 81 FTE (59.6%); employed non-ASYE 55 FTE (40.4%). DfE counts the whole
service (171.3 in post + 43 agency FTE), so the staff outside those teams are built too
and the two scopes are checked side by side."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from tests.factories import ServiceAreaFactory, TeamFactory, employ
from workforce.choices import OrgRole

pytestmark = pytest.mark.django_db


def one_dp(value: float) -> str:
    return f"{value:.1f}"


def kpis(scope: str) -> dict:
    out = io.StringIO()
    call_command("kpis", "--as-of", "2022-09-30", "--scope", scope, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_tameside_table_1():
    area = ServiceAreaFactory(name="Children's social care")
    teams = [
        TeamFactory(name=name, service_area=area)
        for name in ("Duty and Assessment", "Child Protection and Court", "Cared for Children")
    ]
    support = TeamFactory(
        name="Quality Assurance and IROs", service_area=area, is_case_holding=False
    )
    started = dt.date(2018, 4, 9)
    for n in range(39):
        employ(team=teams[n % 3], start=dt.date(2021, 10, 4), is_asye=True)
    for n in range(55):
        employ(team=teams[n % 3], start=started)
    for n in range(42):
        employ(team=teams[n % 3], start=dt.date(2022, 3, 7), agency=True)
    # outside the paper's scope: managers, IROs, QA (DfE counts them)
    for _ in range(77):
        employ(team=support, start=started, org_role=OrgRole.QUALIFIED_NO_CASES)
    employ(team=support, start=started, org_role=OrgRole.QUALIFIED_NO_CASES, fte="0.3")
    employ(team=support, start=dt.date(2022, 3, 7), agency=True, org_role=OrgRole.MIDDLE_MANAGER)

    paper = kpis("caseholding")
    assert paper["inpost_fte"] + paper["agency_fte"] == pytest.approx(136.0)
    assert paper["inpost_fte"] == pytest.approx(94.0)
    assert paper["agency_fte"] == pytest.approx(42.0)
    assert paper["asye_fte"] == pytest.approx(39.0)
    assert one_dp(paper["permanence_rate"]) == "69.1"
    assert one_dp(paper["agency_rate"]) == "30.9"
    assert one_dp(paper["asye_share"]) == "28.7"
    assert one_dp(paper["asye_share_of_employed"]) == "41.5"  # 39 / 94: the other basis
    assert one_dp(paper["asye_and_agency_share"]) == "59.6"
    assert one_dp(paper["employed_experienced_share"]) == "40.4"

    dfe = kpis("all")
    assert dfe["inpost_fte"] == pytest.approx(171.3)
    assert dfe["agency_fte"] == pytest.approx(43.0)
