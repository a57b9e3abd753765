"""The hiring funnel, time to hire, channels and vacancy KPIs on hand-built cases, and
Kent's recruitment table (June 2015 - May 2016) loaded through the services and read
back from the product's funnel and KPI output."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboards.kpis import REGISTRY, Scope, compute_kpis
from recruitment import selectors, services
from recruitment.choices import Stage
from tests.factories import GradeFactory, TeamFactory, employ
from workforce.choices import OrgRole

from .helpers import apply, move, open_vacancy, record_checks, take_to

D = dt.date


# --- Pure arithmetic ------------------------------------------------------------------


def test_duration_summary_median_and_90th_percentile():
    summary = selectors.duration_summary([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    assert summary == {"count": 10, "median": Decimal("55"), "p90": Decimal("91")}
    assert selectors.duration_summary([42])["p90"] == Decimal("42")
    assert selectors.duration_summary([]) == {"count": 0, "median": None, "p90": None}


def test_conversion_between_stages():
    counts = {"applied": 10, "shortlisted": 8, "interviewed": 4, "offered": 3, "accepted": 0,
              "started": 0}  # fmt: skip
    conv = selectors.conversions(counts)
    assert conv[("applied", "shortlisted")] == 80
    assert conv[("interviewed", "offered")] == 75
    assert conv[("accepted", "started")] is None  # nothing to convert from


# --- Kent, June 2015 - May 2016 --------------------------------------------------------------

KENT = {
    # grade: (DfE role, applications, interviewed, offered)
    "Social worker": (OrgRole.CASE_HOLDER, 114, 35, 26),
    "Senior practitioner": (OrgRole.SENIOR_PRACTITIONER, 66, 47, 23),
    "Team manager": (OrgRole.FIRST_LINE_MANAGER, 52, 27, 16),
}


@pytest.fixture
def kent(db):
    team = TeamFactory(name="Kent case-holding")
    for order, (grade_name, (role, applications, interviewed, offered)) in enumerate(KENT.items()):
        grade = GradeFactory(name=grade_name, default_org_role=role, sort_order=order)
        vacancy = open_vacancy(team=team, grade=grade, fte=str(offered), opened_on=D(2015, 6, 1))
        for i in range(applications):
            application = apply(vacancy, applied_on=D(2015, 6, 1) + dt.timedelta(days=i % 300))
            if i < interviewed:
                day = application.applied_on + dt.timedelta(days=14)
                move(application, Stage.INTERVIEWED, day)
                if i < offered:
                    move(application, Stage.OFFERED, day + dt.timedelta(days=2))
                else:
                    application.refresh_from_db()
                    services.application_close(
                        application=application, outcome="rejected",
                        close_reason="unsuccessful_interview", date=day,
                        version=application.version,
                    )  # fmt: skip
    return team


def test_kent_recruitment_table_from_the_funnel(kent):
    rows = selectors.funnel(start=D(2015, 6, 1), end=D(2016, 5, 31), by="grade")
    table = {
        row.label: (row.counts["applied"], row.counts["interviewed"], row.counts["offered"])
        for row in rows
    }
    assert table == {
        "Social worker": (114, 35, 26),
        "Senior practitioner": (66, 47, 23),
        "Team manager": (52, 27, 16),
        "All roles": (232, 109, 65),
    }
    social_workers = next(r for r in rows if r.label == "Social worker")
    assert f"{social_workers.interview_to_offer:.1f}" == "74.3"


def test_kent_table_by_dfe_role_and_through_the_kpi_registry(kent):
    by_role = {
        r.key: r for r in selectors.funnel(start=D(2015, 6, 1), end=D(2016, 5, 31), by="org_role")
    }
    assert by_role[OrgRole.CASE_HOLDER].counts["offered"] == 26
    kpis = compute_kpis(as_of=D(2016, 5, 31), scope=Scope("role", str(OrgRole.CASE_HOLDER.value)))
    assert kpis["recruitment_applications"] == 114
    assert kpis["recruitment_interviewed"] == 35
    assert kpis["recruitment_offered"] == 26
    shown = REGISTRY["recruitment_interview_to_offer_rate"].display(
        kpis["recruitment_interview_to_offer_rate"]
    )
    assert shown == "74.3%"


# --- Hand-built cases ----------------------------------------------------------------------


@pytest.mark.django_db
def test_funnel_counts_only_stages_reached_by_the_date():
    vacancy = open_vacancy()
    application = apply(vacancy, applied_on=D(2024, 2, 1))
    move(application, Stage.INTERVIEWED, D(2024, 3, 1))
    apply(vacancy, applied_on=D(2024, 2, 2))
    rows = selectors.funnel(start=D(2024, 2, 2), end=D(2024, 12, 31), by="all", as_of=D(2024, 3, 1))
    assert rows[0].counts == {"applied": 1, "shortlisted": 0, "interviewed": 0, "offered": 0,
                              "accepted": 0, "started": 0}  # fmt: skip
    rows = selectors.funnel(
        start=D(2024, 1, 1), end=D(2024, 12, 31), by="all", as_of=D(2024, 2, 28)
    )
    assert rows[0].counts["applied"] == 2 and rows[0].counts["interviewed"] == 0
    rows = selectors.funnel(start=D(2024, 1, 1), end=D(2024, 12, 31), by="all")
    assert rows[0].counts["interviewed"] == 1


@pytest.fixture
def hires(db):
    """Three starters from one campaign opened 1 March 2024: offers after 20, 30 and 40
    days, starts 30, 40 and 80 days after the offers."""
    team = TeamFactory(name="Hiring team")
    vacancy = open_vacancy(team=team, fte="3", opened_on=D(2024, 2, 1))
    campaign = services.campaign_create(
        title="Spring", channel="partner", partner="Reed", opened_on=D(2024, 3, 1),
        cost="9000", vacancies=[vacancy],
    )  # fmt: skip
    for n, (to_offer, to_start) in enumerate([(20, 30), (30, 40), (40, 80)]):
        application = apply(
            vacancy, campaign=campaign, applied_on=D(2024, 3, 2), swe_number=f"SW9100{n}"
        )
        offer = D(2024, 3, 1) + dt.timedelta(days=to_offer)
        move(application, Stage.INTERVIEWED, offer - dt.timedelta(days=1))
        move(application, Stage.OFFERED, offer)
        move(application, Stage.ACCEPTED, offer)
        record_checks(application, offer)
        application.refresh_from_db()
        services.application_start(
            application=application, version=application.version,
            start_date=offer + dt.timedelta(days=to_start),
        )  # fmt: skip
    apply(vacancy, applied_on=D(2024, 3, 3))  # a direct application (no campaign)
    return campaign


def test_time_to_hire_median_and_90th_percentile(hires):
    result = selectors.time_to_hire(start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert result["advert_to_offer"] == {"count": 3, "median": 30, "p90": Decimal("38")}
    assert result["offer_to_start"]["median"] == 40
    # advert to start: 50, 70, 120 days
    assert result["advert_to_start"] == {"count": 3, "median": 70, "p90": Decimal("110")}
    kpis = compute_kpis(as_of=D(2024, 12, 31), scope=Scope("team", "Hiring team"))
    assert kpis["time_to_hire_advert_to_start_median"] == 70
    assert kpis["time_to_hire_advert_to_start_p90"] == 110
    assert kpis["recruitment_started"] == 3
    assert (kpis["time_to_hire_offers"], kpis["time_to_hire_starts"]) == (3, 3)
    other = compute_kpis(as_of=D(2024, 12, 31), scope=Scope("role", "1"))
    assert (
        other["recruitment_started"] == 0 and other["time_to_hire_advert_to_start_median"] is None
    )


def test_channels_and_partners_with_cost_per_start(hires):
    rows = {r.label: r for r in selectors.channel_stats(start=D(2024, 1, 1), end=D(2024, 12, 31))}
    reed = rows["Recruitment partner or agency: Reed"]
    assert (reed.applications, reed.interviewed, reed.offered, reed.started) == (3, 3, 3, 3)
    assert reed.cost_per_start == Decimal("3000")
    direct = rows["No advert recorded"]
    assert (direct.applications, direct.started, direct.cost_per_start) == (1, 0, None)


@pytest.mark.django_db
def test_vacancy_age_and_agency_cover():
    team = TeamFactory(name="Vacancy team")
    placement = employ(team=team, agency=True, start=D(2024, 1, 1), end=D(2024, 6, 30))
    open_vacancy(team=team, opened_on=D(2024, 1, 1), agency_cover=placement)
    open_vacancy(team=team, opened_on=D(2024, 3, 1), fte="0.5")
    withdrawn = open_vacancy(team=team, opened_on=D(2024, 1, 1))
    services.vacancy_update(
        vacancy=withdrawn, version=withdrawn.version, status="withdrawn", date=D(2024, 2, 1)
    )
    summary = selectors.vacancy_summary(as_of=D(2024, 4, 1))
    assert summary == {
        "open": 2, "fte": Decimal("1.5"), "median_age_days": Decimal("61"),
        "oldest_age_days": 91, "covered_by_agency": 1,
    }  # fmt: skip
    later = compute_kpis(as_of=D(2024, 7, 1), scope=Scope("team", "Vacancy team"))
    assert later["vacancies_open"] == 2
    assert later["vacancies_covered_by_agency"] == 0  # the placement ended on 30 June


@pytest.mark.django_db
def test_anonymised_applications_still_count_in_the_kpis():
    vacancy = open_vacancy(opened_on=D(2024, 1, 1))
    application = take_to(apply(vacancy, applied_on=D(2024, 2, 1)), Stage.OFFERED)
    before = compute_kpis(as_of=D(2024, 12, 31), scope=Scope("all"))
    services.application_anonymise(application=application)
    after = compute_kpis(as_of=D(2024, 12, 31), scope=Scope("all"))
    assert before["recruitment_offered"] == after["recruitment_offered"] == 1
