"""Property tests: on random workforces the KPIs keep their invariants.

- permanence rate + agency rate = 100 wherever defined;
- every share lies in [0, 100]; turnover (which can exceed 100) is leavers / in post;
- additive measures summed over the teams (and over the DfE roles) equal the whole service.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from core.locking import UNCHECKED
from dashboards.kpis import Scope, compute_kpis_many
from tests.factories import GradeFactory, PostFactory, ServiceAreaFactory, TeamFactory, employ
from workforce import services
from workforce.choices import ChangeReason, OrgRole

DATES = [dt.date(2022, 9, 30), dt.date(2023, 3, 31), dt.date(2023, 9, 30)]
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2024, 3, 31)
SPAN = (LAST_DAY - FIRST_DAY).days

SHARES = (
    "agency_rate",
    "permanence_rate",
    "vacancy_rate",
    "agency_cover_rate",
    "vacancies_covered_by_agency_rate",
    "posts_filled_permanent_rate",
    "posts_covered_by_agency_rate",
    "posts_vacant_uncovered_rate",
    "asye_share",
    "asye_share_of_employed",
    "asye_and_agency_share",
    "employed_experienced_share",
    "stability_rate",
)
ADDITIVE = (
    "inpost_fte",
    "inpost_headcount",
    "agency_fte",
    "starters_fte",
    "leavers_fte",
    "cases",
    "case_holders_fte",
    "working_days_lost",
    "asye_fte",
)

worker = st.fixed_dictionaries(
    {
        "team": st.integers(0, 2),
        "role": st.sampled_from([OrgRole.SENIOR_PRACTITIONER, OrgRole.CASE_HOLDER, 6]),
        "agency": st.booleans(),
        "asye": st.booleans(),
        "fte": st.integers(1, 10).map(lambda n: D(n) / 10),
        "start": st.integers(0, SPAN - 60),
        "length": st.one_of(st.none(), st.integers(1, 3000)),
        "move": st.one_of(st.none(), st.tuples(st.integers(1, 2000), st.integers(0, 1))),
        "cases": st.one_of(st.none(), st.integers(0, 30)),
        "days_lost": st.integers(0, 20),
    }
)


class KpiPropertyTests(TestCase):
    def build(self, workers: list[dict], posts: list[int]) -> None:
        area = ServiceAreaFactory(name="Area")
        teams = [TeamFactory(name=f"Team {n}", service_area=area) for n in range(3)]
        grade = GradeFactory(name="Social worker")
        for team, count in zip(teams, posts, strict=True):
            for _ in range(count):
                PostFactory(team=team, grade=grade)
        for w in workers:
            start = FIRST_DAY + dt.timedelta(days=w["start"])
            end = start + dt.timedelta(days=w["length"]) if w["length"] else None
            if end and end > LAST_DAY:
                end = None
            employment = employ(
                team=teams[w["team"]],
                start=start,
                fte=w["fte"],
                agency=w["agency"],
                is_asye=w["asye"] and not w["agency"],
                org_role=w["role"],
            )
            if w["move"]:
                moved = start + dt.timedelta(days=w["move"][0])
                if (end is None or moved < end) and moved <= LAST_DAY:
                    services.assignment_change(
                        employment=employment,
                        effective_from=moved,
                        change_reason=ChangeReason.TEAM_MOVE,
                        team=teams[(w["team"] + 1 + w["move"][1]) % 3],  # another team
                        fte=w["fte"] / 2 if w["move"][1] == 0 else w["fte"],
                        version=UNCHECKED,
                    )
            if end:
                services.leaver_record(
                    employment=employment,
                    end_date=end,
                    leaving_reason=1,
                    leaving_destination=1,
                    version=UNCHECKED,
                )
            for date in DATES:
                in_post = start <= date and (end is None or end > date)
                if in_post and w["cases"] is not None:
                    services.caseload_record(employment=employment, date=date, cases=w["cases"])
                if in_post:
                    services.sickness_absence_record(
                        employment=employment,
                        start_date=date - dt.timedelta(days=30),
                        end_date=date - dt.timedelta(days=25),
                        working_days_lost=w["days_lost"],
                    )

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        workers=st.lists(worker, max_size=12),
        posts=st.lists(st.integers(0, 4), min_size=3, max_size=3),
    )
    def test_invariants_hold_on_random_workforces(self, workers, posts):
        self.build(workers, posts)
        teams = [Scope("team", f"Team {n}") for n in range(3)]
        roles = [Scope("role", str(code.value)) for code in OrgRole]
        everyone = Scope("all")
        results = compute_kpis_many(dates=DATES, scopes=[everyone, *teams, *roles])
        tolerance = D("1e-20")
        for date in DATES:
            whole = results[(date, everyone)]
            for scope in [everyone, *teams, *roles]:
                figures = results[(date, scope)]
                if figures["permanence_rate"] is not None:
                    total = figures["permanence_rate"] + figures["agency_rate"]
                    assert abs(total - 100) < tolerance, (date, scope, total)
                for key in SHARES:
                    value = figures[key]
                    assert value is None or -tolerance <= value <= 100 + tolerance, (key, value)
                if figures["turnover_rate"] is not None:
                    assert figures["turnover_rate"] >= 0
                    recovered = figures["turnover_rate"] * figures["inpost_fte"] / 100
                    assert abs(recovered - figures["leavers_fte"]) < tolerance
                else:
                    assert figures["inpost_fte"] == 0
                if figures["caseload"] is not None:
                    assert figures["caseload"] >= 0
            for key in ADDITIVE:
                assert sum(results[(date, s)][key] for s in teams) == whole[key], key
                assert sum(results[(date, s)][key] for s in roles) == whole[key], key
            if whole["vacancy_fte"] is not None:
                team_vacancies = [results[(date, s)]["vacancy_fte"] or 0 for s in teams]
                assert sum(team_vacancies) == whole["vacancy_fte"]
