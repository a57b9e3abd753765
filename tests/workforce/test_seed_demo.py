"""The demo council (``seed_demo``) and the demo logins (``demo_logins``).

The shape tests build one small council (``--scale 0.2``) for the module and read it
back the way the dashboards will: through the workforce selectors, on the census dates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.test import override_settings
from django.urls import reverse

from core.roles import Role, user_roles
from dashboards.models import KpiSnapshot
from dashboards.services import snapshots_status
from workforce import demo, selectors
from workforce.choices import ChangeReason, ContractType, OrgRole
from workforce.models import (
    Assignment,
    CaseloadSnapshot,
    Council,
    Employment,
    Person,
    Post,
    SicknessAbsence,
    Team,
)

SCALE = 0.2


@pytest.fixture(scope="class")
def council(django_db_setup, django_db_blocker):
    """One small demo council for ``TestDemoCouncil``, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", "--scale", str(SCALE), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _fte(assignments) -> Decimal:
    return assignments.aggregate(total=Sum("fte"))["total"] or Decimal(0)


def _position(on: dt.date) -> tuple[Decimal, Decimal]:
    """(employed FTE, agency FTE) in post on ``on``."""
    assignments = selectors.assignments_on(as_of=on)
    agency = assignments.filter(employment__contract_type=ContractType.AGENCY)
    employed = assignments.exclude(employment__contract_type=ContractType.AGENCY)
    return _fte(employed), _fte(agency)


def _signature() -> list[tuple]:
    """What a user would see of the council: people, their employments and terms."""
    rows = []
    for a in Assignment.objects.select_related("employment__person", "team").order_by(
        "employment__person__swe_number", "employment__start_date", "effective_from"
    ):
        e = a.employment
        rows.append(
            (e.person.swe_number, e.person.last_name, e.start_date, e.end_date,
             e.contract_type, a.effective_from, a.team.name, a.fte, a.is_asye)
        )  # fmt: skip
    rows.append(("cases", CaseloadSnapshot.objects.aggregate(total=Sum("cases"))["total"]))
    rows.append(("absence", SicknessAbsence.objects.aggregate(t=Sum("working_days_lost"))["t"]))
    return rows


def _wipe_people() -> None:
    """Set-up between two builds, not a change anyone made: not audited."""
    from auditlog.context import disable_auditlog

    with disable_auditlog():
        CaseloadSnapshot.objects.all().delete()
        SicknessAbsence.objects.all().delete()
        Employment.objects.all().delete()
        Person.objects.all().delete()


# --- The shape of the council at the last census date ---------------------------------


@pytest.mark.django_db
class TestDemoCouncil:
    """The shape of one small demo council, read back through the selectors."""

    def test_council_and_structure(self, council):
        assert Council.objects.get().name == demo.COUNCIL_NAME
        assert Council.objects.get().lea_code == "999"
        teams = Team.objects.all()
        assert 12 <= teams.count() <= 16
        assert teams.values("service_area").distinct().count() == 4
        assert teams.filter(is_case_holding=False).count() >= 2
        # establishment grows: more funded FTE at the end than at the start
        census = demo.census_dates()
        funded = [
            _fte(Post.objects.filter(selectors.active_on(d, start="valid_from", end="valid_to")))
            for d in (census[0], census[-1])
        ]
        assert funded[1] > funded[0]

    def test_summary_is_printed(self, council):
        assert "FTE employed in post" in council
        assert "agency" in council
        assert "Weekly caseload rows" in council

    def test_fte_in_post_and_agency_share_are_plausible(self, council):
        last = demo.last_census_date()
        assert last.month == 9 and last.day == 30 and last <= dt.date.today()
        employed, agency = _position(last)
        total = employed + agency
        assert 250 * SCALE * 0.7 <= total <= 250 * SCALE * 1.4
        assert 0.15 <= agency / total <= 0.35
        # vacancies: the establishment is above the employed FTE
        funded = _fte(
            Post.objects.filter(selectors.active_on(last, start="valid_from", end="valid_to"))
        )
        assert funded > employed

    def test_history_covers_six_census_years_with_leavers_each_year(self, council):
        census = demo.census_dates()
        assert len(census) == 6 and census[-1] == demo.last_census_date()
        for date in census:
            year_start = date.replace(year=date.year - 1)
            leavers = Employment.objects.exclude(contract_type=ContractType.AGENCY).filter(
                end_date__gt=year_start, end_date__lte=date
            )
            starters = Employment.objects.exclude(contract_type=ContractType.AGENCY).filter(
                start_date__gt=year_start, start_date__lte=date
            )
            assert leavers.exists(), f"no leavers in the year to {date}"
            assert starters.exists(), f"no starters in the year to {date}"
            employed, _ = _position(date)
            turnover = (
                sum(selectors.assignment_on(employment=e, date=e.end_date).fte for e in leavers)
                / employed
            )
            assert 0.02 < turnover < 0.35, (date, turnover)

    def test_every_employed_leaver_has_a_reason_and_destination(self, council):
        employed_leavers = Employment.objects.exclude(contract_type=ContractType.AGENCY).filter(
            end_date__isnull=False
        )
        assert employed_leavers.count() > 20
        assert not employed_leavers.filter(leaving_reason__isnull=True).exists()
        assert not employed_leavers.filter(leaving_destination__isnull=True).exists()
        reasons = dict(
            employed_leavers.values_list("leaving_reason").annotate(n=Count("id")).order_by()
        )
        assert max(reasons, key=reasons.get) == 1  # resignation is the commonest reason
        assert employed_leavers.filter(leaving_destination=3).exists()  # some go to agency work

    def test_returners_conversions_and_agency_placements(self, council):
        # a returner started again some time after an earlier employment ended
        returners = [
            later
            for later in Employment.objects.all()
            if later.person.employments.filter(end_date__lt=later.start_date).exists()
        ]
        assert returners, "nobody left and came back"
        converted = [
            e
            for e in Employment.objects.exclude(contract_type=ContractType.AGENCY).select_related(
                "person"
            )
            if e.person.employments.filter(
                contract_type=ContractType.AGENCY, end_date=e.start_date
            ).exists()
        ]
        assert converted, "no agency worker was taken on permanently"
        assert all(e.person.staff_ref for e in converted)
        ended = Employment.objects.filter(contract_type=ContractType.AGENCY, end_date__isnull=False)
        assert ended.count() > 5
        assert not Employment.objects.filter(
            contract_type=ContractType.AGENCY, agency__isnull=True
        ).exists()

    def test_asye_cohort_each_september_then_asye_completed(self, council):
        for date in demo.census_dates():
            cohort = Assignment.objects.filter(
                is_asye=True,
                change_reason=ChangeReason.START,
                effective_from__year=date.year,
                effective_from__month__in=(9, 10, 11),
            )
            assert cohort.exists(), f"no ASYE cohort in September {date.year}"
        completed = Assignment.objects.filter(change_reason=ChangeReason.ASYE_COMPLETED)
        assert completed.exists()
        for a in completed.select_related("employment")[:20]:
            assert not a.is_asye
            assert a.effective_from >= a.employment.start_date + dt.timedelta(days=365)
        assert Assignment.objects.filter(change_reason=ChangeReason.TEAM_MOVE).exists()
        assert Assignment.objects.filter(change_reason=ChangeReason.FTE_CHANGE).exists()
        assert Assignment.objects.filter(change_reason=ChangeReason.ROLE_CHANGE).exists()

    def test_weekly_caseloads_average_15_to_18_with_asyes_protected(self, council):
        last = demo.last_census_date()
        friday = last - dt.timedelta(days=(last.weekday() - 4) % 7)
        rows = CaseloadSnapshot.objects.filter(date=friday, cases__gt=0)
        cases = fte = asye_cases = asye_fte = 0
        for row in rows.select_related("employment"):
            a = selectors.assignment_on(employment=row.employment, date=friday)
            assert a.team.is_case_holding and a.org_role in (
                OrgRole.SENIOR_PRACTITIONER,
                OrgRole.CASE_HOLDER,
            )
            cases, fte = cases + row.cases, fte + a.fte
            if a.is_asye:
                asye_cases, asye_fte = asye_cases + row.cases, asye_fte + a.fte
        assert 13 <= cases / fte <= 20
        assert asye_fte and asye_cases / asye_fte < cases / fte - 2
        # every case holder in post that Friday has a figure; nobody else does
        holders = (
            selectors.assignments_on(as_of=friday)
            .filter(team__is_case_holding=True, org_role__in=(4, 5))
            .values_list("employment_id", flat=True)
        )
        recorded = CaseloadSnapshot.objects.filter(date=friday).values_list(
            "employment_id", flat=True
        )
        assert set(holders) == set(recorded)
        # weekly, on Fridays, across the whole history
        dates = CaseloadSnapshot.objects.values_list("date", flat=True).distinct()
        assert {d.weekday() for d in dates} == {4}
        assert len(dates) >= 6 * 52

    def test_absence_a_few_days_a_year_with_some_long_term(self, council):
        last = demo.last_census_date()
        employed, _ = _position(last)
        in_post = selectors.employments_in_post(as_of=last, agency=False)
        days = SicknessAbsence.objects.filter(
            employment__in=in_post,
            end_date__gt=last.replace(year=last.year - 1),
            end_date__lte=last,
        ).aggregate(t=Sum("working_days_lost"))["t"]
        rate = days / (employed * 253)
        assert 0.01 < rate < 0.08
        assert SicknessAbsence.objects.filter(working_days_lost__gte=20).exists()
        assert not SicknessAbsence.objects.filter(
            employment__contract_type=ContractType.AGENCY
        ).exists()

    def test_people_are_believable_and_audited(self, council):
        people = Person.objects.all()
        female = people.filter(gender=2).count() / people.count()
        assert 0.75 <= female <= 0.93
        assert people.values("ethnicity").distinct().count() >= 6
        assert people.values("qualification_route").distinct().count() == 6
        assert people.filter(swe_number__regex=r"^SW\d+$").count() == people.count()
        assert LogEntry.objects.get_for_model(Person).count() >= people.count()
        assert LogEntry.objects.get_for_model(Employment).exists()

    def test_demo_logins_one_user_per_role_idempotent(self, council):
        User = get_user_model()
        out = StringIO()
        call_command("demo_logins", "--force", stdout=out)
        call_command("demo_logins", "--force", stdout=StringIO())
        text = out.getvalue()
        assert "DEMO-ONLY" in text
        expected = {
            "hr": Role.HR_OFFICER,
            "manager": Role.SERVICE_MANAGER,
            "director": Role.DIRECTOR,
            "scrutiny": Role.SCRUTINY_MEMBER,
            "lead": Role.LEAD_MEMBER,
            "admin": Role.ADMIN,
        }
        for username, role in expected.items():
            user = User.objects.get(username=username)
            assert role in user_roles(user)
            assert user.groups.count() == 1
            assert user.check_password(f"demoshire-{username}")
            assert f"demoshire-{username}" in text and str(role) in text
        assert User.objects.filter(username__in=expected).count() == 6
        admin = User.objects.get(username="admin")
        assert admin.is_staff and admin.is_superuser
        assert not User.objects.get(username="hr").is_superuser
        managed = User.objects.get(username="manager").managed_teams.all()
        assert managed.count() >= 2
        assert {t.service_area.name for t in managed} == {demo.DEMO_MANAGER_AREA}


# --- Determinism -----------------------------------------------------------------------


@pytest.mark.django_db
def test_same_seed_gives_the_same_council_and_another_seed_a_different_one():
    options = {"years": 1, "scale": 0.1}
    demo.seed_demo(seed=7, **options)
    first = _signature()
    _wipe_people()
    demo.seed_demo(seed=7, **options)
    assert _signature() == first
    _wipe_people()
    demo.seed_demo(seed=8, **options)
    other = _signature()
    assert other != first
    assert {r[0] for r in other[:-2]} != {r[0] for r in first[:-2]}  # other SWE numbers


# --- The command's options ---------------------------------------------------------------


@pytest.mark.django_db
def test_if_empty_loads_once_then_does_nothing_and_says_so(
    client_as, django_capture_on_commit_callbacks
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # as when the seed commits
        call_command("seed_demo", "--if-empty", "--years", "1", "--scale", "0.1", stdout=out)
    people = Person.objects.count()
    assert people > 0 and "Demo council ready" in out.getvalue()
    # The KPI snapshots are stored and current: the dashboards show figures at once,
    # without the "Figures out of date" banner.
    assert not snapshots_status().is_stale
    assert KpiSnapshot.objects.filter(scope="all", kpi_key="inpost_fte").count() >= 12  # a year
    page = client_as(Role.DIRECTOR).get(reverse("dashboards:overview"))
    html = page.content.decode()
    assert page.status_code == 200 and "Figures out of date" not in html
    assert page.context["tiles"] and all(
        tile["value"] is not None for tile in page.context["tiles"]
    )
    out = StringIO()
    call_command("seed_demo", "--if-empty", "--years", "1", "--scale", "0.1", stdout=out)
    assert Person.objects.count() == people
    assert "already holds" in out.getvalue() and "not loaded" in out.getvalue()
    with pytest.raises(CommandError, match="already holds"):
        call_command("seed_demo", "--years", "1", "--scale", "0.1", stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("args", [["--scale", "0"], ["--years", "0"]])
def test_bad_options_are_refused_with_a_message(args):
    with pytest.raises(CommandError, match="must be"):
        call_command("seed_demo", *args, stdout=StringIO())
    assert not Person.objects.exists()


# --- Demo logins ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_logins_refuses_without_debug():
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_logins", stdout=StringIO())
    assert not get_user_model().objects.filter(username="hr").exists()
