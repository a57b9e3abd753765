"""The workforce KPIs on hand-built cases recorded through the services: each figure as a
person checking the census by hand would count it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from core.locking import UNCHECKED
from dashboards.kpis import Scope, all_scopes, compute_kpis, compute_kpis_many, leavers_breakdown
from tests.factories import GradeFactory, PostFactory, ServiceAreaFactory, TeamFactory, employ
from workforce import services
from workforce.choices import ChangeReason, OrgRole, ReasonLeave
from workforce.models import CensusReturn

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2023, 9, 30)
ALL = Scope("all")


def kpis(scope: Scope = ALL, as_of: dt.date = AS_OF) -> dict:
    return compute_kpis(as_of=as_of, scope=scope)


@pytest.fixture
def teams():
    safeguarding = ServiceAreaFactory(name="Safeguarding")
    care = ServiceAreaFactory(name="Children in Care")
    return {
        "north": TeamFactory(name="North", service_area=safeguarding),
        "south": TeamFactory(name="South", service_area=safeguarding),
        "lac": TeamFactory(name="Looked After", service_area=care),
        "iro": TeamFactory(name="IROs", service_area=care, is_case_holding=False),
    }


def test_an_empty_council_has_zero_stock_and_no_rates(db):
    figures = kpis()
    assert figures["inpost_fte"] == 0
    assert figures["agency_rate"] is None
    assert figures["permanence_rate"] is None
    assert figures["turnover_rate"] is None
    assert figures["caseload"] is None
    assert figures["absence_rate"] is None
    assert figures["stability_rate"] is None
    assert figures["vacancy_fte"] is None


def test_leaver_and_starter_in_the_same_year_count_as_both_and_are_not_in_post(teams):
    employ(team=teams["north"], start=dt.date(2015, 1, 5))
    employ(team=teams["north"], start=dt.date(2022, 11, 1), end=dt.date(2023, 6, 30), fte="0.6")
    figures = kpis()
    assert figures["starters_fte"] == D("0.6")
    assert figures["leavers_fte"] == D("0.6")
    assert figures["inpost_fte"] == 1
    assert figures["turnover_rate"] == 60


def test_a_returner_is_a_starter_again_and_their_service_restarts(teams):
    first = employ(team=teams["north"], start=dt.date(2015, 1, 5), end=dt.date(2021, 3, 31))
    employ(person=first.person, team=teams["south"], start=dt.date(2022, 12, 1))
    figures = kpis()
    assert figures["starters_headcount"] == 1
    assert figures["leavers_headcount"] == 0  # left before the year
    assert figures["inpost_headcount"] == 1
    assert figures["stability_rate"] == 0  # current continuous employment is under 2 years
    assert kpis(as_of=dt.date(2021, 3, 31))["leavers_headcount"] == 1


def test_part_time_and_an_fte_change_use_the_terms_in_force(teams):
    worker = employ(team=teams["north"], start=dt.date(2022, 10, 3), fte="1")
    services.assignment_change(
        employment=worker,
        effective_from=dt.date(2023, 2, 1),
        change_reason=ChangeReason.FTE_CHANGE,
        fte=D("0.6"),
        version=UNCHECKED,
    )
    services.leaver_record(
        employment=worker,
        end_date=dt.date(2023, 8, 31),
        leaving_reason=1,
        leaving_destination=1,
        version=UNCHECKED,
    )
    employ(team=teams["north"], start=dt.date(2019, 1, 7), fte="0.5")
    figures = kpis()
    # DfE's rule (the census FTE item): a starter who has left counts at leaving
    assert figures["starters_fte"] == D("0.6")
    assert figures["leavers_fte"] == D("0.6")  # at their FTE on their last day
    assert figures["inpost_fte"] == D("0.5")
    assert kpis(as_of=dt.date(2023, 1, 31))["inpost_fte"] == D("1.5")
    assert kpis(as_of=dt.date(2023, 2, 1))["inpost_fte"] == D("1.1")


def test_a_starter_in_post_counts_at_their_fte_on_the_date_not_at_their_start(teams):
    """DfE counts a starter's FTE as on 30 September (FTE30), not the FTE they started on."""
    worker = employ(team=teams["north"], start=dt.date(2022, 11, 7), fte="1")
    services.assignment_change(
        employment=worker,
        effective_from=dt.date(2023, 6, 1),
        change_reason=ChangeReason.FTE_CHANGE,
        fte=D("0.8"),
        version=UNCHECKED,
    )
    assert kpis()["starters_fte"] == D("0.8")
    assert kpis(as_of=dt.date(2023, 5, 31))["starters_fte"] == 1


def test_agency_workers_with_and_without_cases(teams):
    holder = employ(team=teams["north"], start=dt.date(2020, 1, 6), fte="0.8")
    agency_with = employ(team=teams["north"], start=dt.date(2023, 1, 9), agency=True)
    agency_without = employ(team=teams["north"], start=dt.date(2023, 1, 9), agency=True, fte="0.5")
    services.caseload_record(employment=holder, date=dt.date(2023, 9, 28), cases=16)
    services.caseload_record(employment=agency_with, date=dt.date(2023, 9, 28), cases=20)
    services.caseload_record(employment=agency_without, date=dt.date(2023, 9, 28), cases=0)
    figures = kpis()
    assert figures["agency_fte"] == D("1.5")
    assert figures["agency_headcount"] == 2
    assert figures["case_holders_fte"] == D("1.8")
    assert figures["case_holders_headcount"] == 2
    assert figures["cases"] == 36
    assert figures["caseload"] == D(36) / D("1.8")
    assert figures["starters_fte"] == 0  # agency placements are not starters
    assert figures["agency_rate"] == D("1.5") / D("2.3") * 100
    assert figures["permanence_rate"] + figures["agency_rate"] == 100


def test_no_case_holders_means_no_caseload_rather_than_a_crash(teams):
    employ(team=teams["north"], start=dt.date(2020, 1, 6))
    figures = kpis()
    assert figures["cases"] == 0
    assert figures["case_holders_fte"] == 0
    assert figures["caseload"] is None


def test_caseload_uses_each_workers_latest_record_of_the_7_days_to_the_date(teams):
    worker = employ(team=teams["north"], start=dt.date(2020, 1, 6))
    stale = employ(team=teams["north"], start=dt.date(2020, 1, 6))
    services.caseload_record(employment=worker, date=dt.date(2023, 9, 24), cases=10)
    services.caseload_record(employment=worker, date=dt.date(2023, 9, 29), cases=14)
    services.caseload_record(employment=stale, date=dt.date(2023, 9, 23), cases=30)  # 7 days ago
    figures = kpis()
    assert figures["cases"] == 14
    assert figures["case_holders_headcount"] == 1
    assert kpis(as_of=dt.date(2023, 9, 29))["cases"] == 14 + 30  # both in that window


def test_a_team_move_mid_year_counts_the_leaver_once_in_the_team_they_left_from(teams):
    mover = employ(team=teams["north"], start=dt.date(2018, 4, 2))
    services.assignment_change(
        employment=mover,
        effective_from=dt.date(2023, 3, 1),
        change_reason=ChangeReason.TEAM_MOVE,
        team=teams["south"],
        version=UNCHECKED,
    )
    services.leaver_record(
        employment=mover,
        end_date=dt.date(2023, 8, 31),
        leaving_reason=1,
        leaving_destination=2,
        version=UNCHECKED,
    )
    north, south = Scope("team", "North"), Scope("team", "South")
    assert kpis()["leavers_headcount"] == 1
    assert kpis(north)["leavers_headcount"] == 0
    assert kpis(south)["leavers_headcount"] == 1
    assert kpis(Scope("area", "Safeguarding"))["leavers_headcount"] == 1
    # the team scope follows the date
    assert kpis(north, dt.date(2023, 2, 28))["inpost_headcount"] == 1
    assert kpis(south, dt.date(2023, 2, 28))["inpost_headcount"] == 0
    assert kpis(north, dt.date(2023, 3, 1))["inpost_headcount"] == 0
    assert kpis(south, dt.date(2023, 3, 1))["inpost_headcount"] == 1


def test_a_leaver_on_the_reference_date_is_a_leaver_and_not_in_post(teams):
    employ(team=teams["north"], start=dt.date(2016, 1, 4), end=AS_OF)
    employ(team=teams["north"], start=dt.date(2016, 1, 4), end=dt.date(2022, 9, 30))
    employ(team=teams["north"], start=AS_OF, fte="0.5")  # starts on the date: in post
    figures = kpis()
    assert figures["leavers_headcount"] == 1  # the 2022-09-30 leaver is last year's
    assert figures["inpost_fte"] == D("0.5")
    assert figures["starters_fte"] == D("0.5")
    assert kpis(as_of=dt.date(2023, 9, 29))["inpost_headcount"] == 1


def test_a_move_to_another_council_role_reason_7_is_a_leaver(teams):
    employ(
        team=teams["north"],
        start=dt.date(2016, 1, 4),
        end=dt.date(2023, 4, 30),
        reason=ReasonLeave.MOVED_WITHIN_COUNCIL,
        destination=5,
    )
    employ(team=teams["north"], start=dt.date(2016, 1, 4))
    assert kpis()["leavers_fte"] == 1
    breakdown = leavers_breakdown(start=dt.date(2022, 10, 1), end=AS_OF, scope=ALL)
    assert [(r["code"], r["count"]) for r in breakdown["by_reason"]] == [(7, 1)]


def test_absence_counts_staff_in_post_and_absences_ending_in_the_year(teams):
    in_post = employ(team=teams["north"], start=dt.date(2016, 1, 4))
    leaver = employ(team=teams["north"], start=dt.date(2016, 1, 4), end=dt.date(2023, 6, 30))
    agency = employ(team=teams["north"], start=dt.date(2022, 1, 4), agency=True)
    record = services.sickness_absence_record
    record(
        employment=in_post,
        start_date=dt.date(2023, 1, 9),
        end_date=dt.date(2023, 1, 13),
        working_days_lost=5,
    )
    record(
        employment=in_post,
        start_date=dt.date(2022, 9, 26),
        end_date=dt.date(2022, 9, 30),
        working_days_lost=5,
    )  # ended before the year
    record(
        employment=in_post,
        start_date=dt.date(2022, 9, 28),
        end_date=dt.date(2022, 10, 3),
        working_days_lost="2.5",
    )  # ends in the year
    record(
        employment=leaver,
        start_date=dt.date(2023, 3, 1),
        end_date=dt.date(2023, 3, 10),
        working_days_lost=8,
    )
    record(
        employment=agency,
        start_date=dt.date(2023, 3, 1),
        end_date=dt.date(2023, 3, 10),
        working_days_lost=8,
    )
    figures = kpis()
    assert figures["working_days_lost"] == D("7.5")
    assert figures["absence_rate"] == D("7.5") / 253 * 100


def test_stability_counts_two_years_to_the_day(teams):
    employ(team=teams["north"], start=dt.date(2021, 9, 30))  # exactly 2 years
    employ(team=teams["north"], start=dt.date(2021, 10, 1))  # a day short
    employ(team=teams["north"], start=dt.date(2010, 1, 4))
    employ(team=teams["north"], start=dt.date(2010, 1, 4), agency=True)  # agency: not counted
    assert kpis()["stability_rate"] == D(2) / 3 * 100


def test_asye_shares_of_all_and_of_employed(teams):
    employ(team=teams["north"], start=dt.date(2023, 1, 9), is_asye=True)
    employ(team=teams["north"], start=dt.date(2023, 1, 9), is_asye=True, fte="0.5")
    employ(team=teams["north"], start=dt.date(2019, 1, 7))
    employ(team=teams["north"], start=dt.date(2023, 1, 9), agency=True)
    figures = kpis()
    assert figures["asye_fte"] == D("1.5")
    assert figures["asye_share"] == D("1.5") / D("3.5") * 100
    assert figures["asye_share_of_employed"] == D("1.5") / D("2.5") * 100
    assert figures["asye_and_agency_share"] == D("2.5") / D("3.5") * 100


def test_role_caseholding_and_area_scopes(teams):
    employ(team=teams["north"], start=dt.date(2019, 1, 7))
    employ(team=teams["lac"], start=dt.date(2019, 1, 7), org_role=OrgRole.SENIOR_PRACTITIONER)
    employ(team=teams["iro"], start=dt.date(2019, 1, 7), org_role=OrgRole.QUALIFIED_NO_CASES)
    assert kpis(Scope.parse("role:4"))["inpost_fte"] == 1
    assert kpis(Scope.parse("role:1"))["inpost_fte"] == 0
    assert kpis(Scope.parse("caseholding"))["inpost_fte"] == 2
    assert kpis(Scope.parse("area:children in care"))["inpost_fte"] == 2
    assert kpis()["inpost_fte"] == 3


def test_vacancies_from_the_establishment_per_team(teams):
    grade = GradeFactory(name="Social worker", default_org_role=OrgRole.CASE_HOLDER)
    for _ in range(4):
        PostFactory(team=teams["north"], grade=grade)
    PostFactory(team=teams["south"], grade=grade)
    PostFactory(team=teams["south"], grade=grade, valid_to=dt.date(2023, 4, 1))  # unfunded now
    for _ in range(2):
        employ(team=teams["north"], start=dt.date(2019, 1, 7))
    employ(team=teams["north"], start=dt.date(2023, 1, 9), agency=True, fte="0.5")
    for _ in range(2):
        employ(team=teams["south"], start=dt.date(2019, 1, 7))  # one more than funded
    employ(team=teams["south"], start=dt.date(2023, 1, 9), agency=True)
    figures = kpis()
    assert figures["establishment_fte"] == 5
    assert figures["vacancy_fte"] == 2  # North 4 - 2; South never below 0
    assert figures["agency_cover_fte"] == D("0.5")  # South's agency worker covers no vacancy
    assert figures["vacancy_rate"] == D(2) / 6 * 100
    assert figures["agency_cover_rate"] == D("0.5") / D("1.5") * 100
    assert figures["vacancies_covered_by_agency_rate"] == 25
    assert figures["posts_filled_permanent_rate"] == D(4) / 6 * 100
    assert kpis(Scope("team", "South"))["vacancy_fte"] == 0
    assert kpis(Scope("team", "Looked After"))["vacancy_fte"] is None  # no posts recorded
    # a census return's declared figures win for the whole service on its date only
    CensusReturn.objects.create(
        year=2023, reference_date=AS_OF, lea="886", vacancies_fte=D("7.5"), agency_cover_fte=D(1)
    )
    assert kpis()["vacancy_fte"] == D("7.5")
    assert kpis()["agency_cover_fte"] == 1
    assert kpis(Scope("team", "North"))["vacancy_fte"] == 2
    assert kpis(as_of=dt.date(2023, 9, 29))["vacancy_fte"] == 2


def test_the_batch_path_gives_the_same_figures_as_the_live_path(teams):
    employ(team=teams["north"], start=dt.date(2019, 1, 7))
    employ(team=teams["lac"], start=dt.date(2022, 1, 7), end=dt.date(2023, 2, 1))
    employ(team=teams["south"], start=dt.date(2023, 1, 9), agency=True)
    dates = [dt.date(2022, 9, 30), dt.date(2023, 3, 31), AS_OF]
    scopes = all_scopes()
    batch = compute_kpis_many(dates=dates, scopes=scopes)
    assert len(batch) == len(dates) * len(scopes)
    for date in dates:
        for scope in scopes:
            assert batch[(date, scope)] == compute_kpis(as_of=date, scope=scope)


def test_all_scopes_lists_the_whole_service_areas_teams_and_roles(teams):
    names = [str(scope) for scope in all_scopes()]
    assert names[:2] == ["all", "caseholding"]
    assert "area:Safeguarding" in names
    assert "team:IROs" in names
    assert "role:6" in names
    assert all(str(Scope.parse(name)) == name for name in names)
    assert Scope.parse("team:north").label == "Team: North"
    assert Scope.parse("role:5").label == "DfE role: Case holder"
