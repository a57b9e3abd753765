"""Recruitment pages and API as users meet them: a stale edit is refused with "changed by
someone else", bulk moves on the pipeline board, invalid moves shown beside the form,
service managers limited to their teams, councillors see a suppressed funnel and never
an applicant, and the API's version check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.roles import Role
from recruitment.choices import Stage
from recruitment.models import Application
from tests.factories import TeamFactory

from .helpers import apply, move, open_vacancy, take_to

pytestmark = pytest.mark.django_db

D = dt.date


def test_stale_stage_change_in_the_page_says_changed_by_someone_else(client_as):
    application = apply(open_vacancy(), first_name="Kofi", last_name="Mensah")
    client = client_as(Role.HR_OFFICER)
    url = reverse("recruitment:application-stage", kwargs={"pk": application.pk})
    seen_version = application.version
    move(application, Stage.SHORTLISTED, D(2024, 2, 2))  # someone else, meanwhile
    response = client.post(
        url, {"version": seen_version, "action": "interviewed", "date": "2024-02-10"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "changed this record at" in body and "Stage: Applied → Shortlisted" in body
    application.refresh_from_db()
    assert application.stage == Stage.SHORTLISTED


def test_offer_before_interview_is_shown_beside_the_stage(client_as):
    application = apply(open_vacancy(), first_name="Ana", last_name="Silva")
    client = client_as(Role.HR_OFFICER)
    response = client.post(
        reverse("recruitment:application-stage", kwargs={"pk": application.pk}),
        {"version": application.version, "action": "offered", "date": "2024-02-10"},
    )
    assert "cannot be offered the job before an interview" in response.content.decode()


def test_bulk_move_on_the_pipeline_board(client_as):
    vacancy = open_vacancy()
    first, second = apply(vacancy), apply(vacancy)
    client = client_as(Role.HR_OFFICER)
    response = client.post(
        reverse("recruitment:pipeline"),
        {
            "selected": [f"{first.pk}:{first.version}", f"{second.pk}:{second.version}"],
            "action": "shortlisted",
            "date": "2024-02-05",
        },
    )
    assert response.status_code == 302
    assert set(Application.objects.values_list("stage", flat=True)) == {"shortlisted"}


def test_bulk_move_with_nothing_selected_says_so(client_as):
    client = client_as(Role.HR_OFFICER)
    response = client.post(
        reverse("recruitment:pipeline"), {"action": "shortlisted", "date": "2024-02-05"}
    )
    assert "Select at least one applicant." in response.content.decode()


def test_directors_read_but_cannot_bulk_move(client_as):
    application = apply(open_vacancy())
    client = client_as(Role.DIRECTOR)
    assert client.get(reverse("recruitment:pipeline")).status_code == 200
    response = client.post(
        reverse("recruitment:pipeline"),
        {"selected": [f"{application.pk}:1"], "action": "shortlisted", "date": "2024-02-05"},
    )
    assert response.status_code == 403


def test_service_managers_see_only_their_teams_vacancies(client_as):
    mine, other = TeamFactory(name="My team"), TeamFactory(name="Other team")
    my_vacancy = open_vacancy(team=mine)
    other_vacancy = open_vacancy(team=other)
    client = client_as(Role.SERVICE_MANAGER, teams=[mine])
    listing = client.get(reverse("recruitment:vacancy-list")).content.decode()
    assert my_vacancy.reference in listing and other_vacancy.reference not in listing
    detail = reverse("recruitment:vacancy-detail", kwargs={"pk": other_vacancy.pk})
    assert client.get(detail).status_code == 404


@pytest.fixture
def small_funnel(db):
    vacancy = open_vacancy(opened_on=D(2024, 1, 1))
    for n in range(7):
        application = apply(
            vacancy, applied_on=D(2024, 2, 1), first_name="Xanthippe", last_name=f"Quorrelby{n}"
        )
        if n < 2:
            move(application, Stage.INTERVIEWED, D(2024, 2, 10))
    return vacancy


def test_councillors_see_the_funnel_suppressed_and_no_names(client_as, small_funnel):
    client = client_as(Role.SCRUTINY_MEMBER)
    body = client.get(
        reverse("recruitment:funnel") + "?start=2024-01-01&end=2024-12-31"
    ).content.decode()
    assert "fewer than 5" in body
    assert ">7<" in body  # 7 applications identify nobody; the 2 interviewed are hidden
    assert "Xanthippe" not in body and "Quorrelby" not in body
    api = client.get(reverse("recruitment-api:funnel") + "?start=2024-01-01&end=2024-12-31")
    assert api.json()["suppressed"] is True
    assert api.json()["rows"][0]["counts"]["interviewed"] is None


def test_a_cell_hidden_only_to_protect_a_total_says_so(client_as, small_funnel):
    """Two roles: 2 social workers' applications interviewed, 25 senior practitioners'.
    The total would give the 2 away, so the 25 is hidden too - as secondary, not as
    "fewer than 5" (page and API alike)."""
    senior = open_vacancy(opened_on=D(2024, 1, 1), org_role=2)
    for _ in range(25):
        move(apply(senior, applied_on=D(2024, 2, 1)), Stage.INTERVIEWED, D(2024, 2, 10))
    client = client_as(Role.SCRUTINY_MEMBER)
    query = "?start=2024-01-01&end=2024-12-31&by=org_role"
    body = client.get(reverse("recruitment:funnel") + query).content.decode()
    assert "hidden to protect another figure" in body  # the 25 interviewed
    rows = client.get(reverse("recruitment-api:funnel") + query).json()["rows"]
    hidden = {row["role"]: row["hidden"].get("interviewed") for row in rows}
    assert sorted(hidden.values()) == ["fewer than 5", "hidden to protect another figure"]


def test_hr_officers_see_the_exact_funnel(client_as, small_funnel):
    client = client_as(Role.HR_OFFICER)
    response = client.get(reverse("recruitment-api:funnel") + "?start=2024-01-01&end=2024-12-31")
    assert response.json()["rows"][0]["counts"] == {
        "applied": 7, "shortlisted": 0, "interviewed": 2, "offered": 0, "accepted": 0,
        "started": 0,
    }  # fmt: skip


def test_funnel_api_refuses_a_bad_date_with_a_message(client_as):
    client = client_as(Role.LEAD_MEMBER)
    response = client.get(reverse("recruitment-api:funnel") + "?start=2024-13-01")
    assert response.status_code == 400
    assert "Enter start as a date like 2024-09-30" in response.json()["start"][0]


def test_api_stage_change_with_a_stale_version_is_a_409(client_as):
    application = apply(open_vacancy(), first_name="Lena", last_name="Novak")
    client = client_as(Role.HR_OFFICER)
    url = reverse("recruitment-api:application-stage-change", kwargs={"pk": application.pk})
    ok = client.post(
        url, {"action": "interviewed", "date": "2024-02-10", "version": application.version},
        content_type="application/json",
    )  # fmt: skip
    assert ok.status_code == 200 and ok.json()["stage"] == "interviewed"
    stale = client.post(
        url, {"action": "rejected", "date": "2024-02-11", "version": application.version,
              "close_reason": "unsuccessful_interview"},
        content_type="application/json",
    )  # fmt: skip
    assert stale.status_code == 409
    assert "changed this record at" in stale.json()["non_field_errors"][0]


def test_anonymise_page_deletes_the_name(client_as):
    application = apply(open_vacancy(), first_name="Remove", last_name="Please")
    client = client_as(Role.HR_OFFICER)
    url = reverse("recruitment:application-anonymise", kwargs={"pk": application.pk})
    client.post(url)
    page = client.get(reverse("recruitment:application-detail", kwargs={"pk": application.pk}))
    assert "Please" not in page.content.decode()
    assert "Deleted on request" in page.content.decode()


def test_service_managers_choose_leavers_and_agency_cover_only_from_their_teams(client_as):
    from tests.factories import PersonFactory, employ

    mine, other = TeamFactory(name="Mine"), TeamFactory(name="Theirs")
    today = dt.date.today()
    employ(
        person=PersonFactory(last_name="Leftmine"), team=mine,
        start=D(2020, 1, 6), end=today - dt.timedelta(days=30),
    )  # fmt: skip
    employ(
        person=PersonFactory(last_name="Lefttheirs"), team=other,
        start=D(2020, 1, 6), end=today - dt.timedelta(days=30),
    )  # fmt: skip
    client = client_as(Role.SERVICE_MANAGER, teams=[mine])
    body = client.get(reverse("recruitment:vacancy-create")).content.decode()
    assert "Leftmine" in body and "Lefttheirs" not in body


def test_pipeline_cohort_added_in_the_page_counts_in_the_forecast_input(client_as):
    from recruitment import selectors

    client = client_as(Role.HR_OFFICER)
    response = client.post(
        reverse("recruitment:cohort-create"),
        {"route": "step_up", "name": "Step Up 2027", "places": "4", "expected_start": "2027-09-06"},
    )
    assert response.status_code == 302
    assert selectors.pipeline_by_year(from_date=D(2027, 1, 1)) == {2027: {"step_up": 4}}
    refused = client.post(
        reverse("recruitment:cohort-create"),
        {"route": "step_up", "name": "None", "places": "0", "expected_start": "2027-09-06"},
    )
    assert "Enter the number of places: 1 or more." in refused.content.decode()


def test_check_in_recorded_from_the_induction_list(client_as):
    from recruitment import services
    from tests.factories import employ

    employment = employ(start=dt.date.today() - dt.timedelta(days=40))
    kit = services.induction_check_ins_create(employment=employment)[0]
    client = client_as(Role.HR_OFFICER)
    listing = client.get(reverse("recruitment:induction")).content.decode()
    assert "Keeping-in-touch day (3-4 weeks)" in listing  # overdue: due by day 28
    client.post(
        reverse("recruitment:check-in-complete", kwargs={"pk": kit.pk}),
        {"completed_on": dt.date.today().isoformat()},
    )
    kit.refresh_from_db()
    assert kit.completed_on == dt.date.today()
    assert (
        "Keeping-in-touch day (3-4 weeks)"
        not in client.get(reverse("recruitment:induction")).content.decode()
    )


def test_start_page_refuses_another_persons_swe_number_and_says_whose(client_as):
    """Issue 18: recording Norman Nixon's start with leaver Victoria Ali's number added an
    employment to Victoria Ali's record, with the banner "Norman Nixon has started"."""
    from tests.factories import PersonFactory, employ

    team = TeamFactory()
    victoria = PersonFactory(first_name="Victoria", last_name="Ali", swe_number="SW880001")
    employ(person=victoria, team=team, start=D(2015, 1, 5), end=D(2019, 6, 30))
    application = take_to(
        apply(open_vacancy(team=team), first_name="Norman", last_name="Nixon"), Stage.CHECKS
    )
    url = reverse("recruitment:application-start", kwargs={"pk": application.pk})
    data = {
        "version": application.version, "start_date": "2024-04-01", "swe_number": "SW880001",
        "contract_type": "permanent", "fte": "1", "start_origin": "1",
    }  # fmt: skip
    response = client_as(Role.HR_OFFICER).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "already recorded for Victoria Ali" in page
    assert "has started" not in page
    assert victoria.employments.count() == 1
    application.refresh_from_db()
    assert application.stage == Stage.CHECKS


def test_checks_are_recorded_one_by_one_on_the_page_with_who_checked(client_as):
    """Issue 18: "Pre-employment checks complete" stamped all four checks that day."""
    from recruitment.choices import Check

    application = take_to(apply(open_vacancy()), Stage.ACCEPTED)
    client = client_as(Role.HR_OFFICER)
    stage_url = reverse("recruitment:application-stage", kwargs={"pk": application.pk})
    response = client.post(
        stage_url, {"version": application.version, "action": "checks", "date": "2024-03-04"}
    )
    assert "missing: DBS (enhanced, children&#x27;s barred list), References" in (
        response.content.decode()
    )
    application.refresh_from_db()
    assert application.stage == Stage.ACCEPTED and application.dbs_cleared_on is None

    check_url = reverse("recruitment:application-check", kwargs={"pk": application.pk})
    for check in Check:
        application.refresh_from_db()
        response = client.post(
            check_url,
            {"version": application.version, "check": check.value, "date": "2024-03-04",
             "checked_by": "Dana Whitlock (HR advisor)"},
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    assert application.stage == Stage.CHECKS
    detail = client.get(reverse("recruitment:application-detail", kwargs={"pk": application.pk}))
    checks = detail.content.decode().split('id="checks"')[1].split("</dl>")[0]
    assert checks.count("checked by Dana Whitlock (HR advisor)") == 4


def test_start_form_asks_where_they_came_from_in_plain_english(client_as):
    """Issue 18: the start form said "Choose the where they came from."."""
    application = take_to(apply(open_vacancy(), swe_number="SW880002"), Stage.CHECKS)
    url = reverse("recruitment:application-start", kwargs={"pk": application.pk})
    data = {"version": application.version, "start_date": "2024-04-01",
            "contract_type": "permanent", "fte": "1"}  # fmt: skip
    page = client_as(Role.HR_OFFICER).post(url, data).content.decode()
    assert "Choose where they came from." in page
    assert "Choose the where" not in page


# --- The vacancy form (issue 18) --------------------------------------------------------


def test_vacancy_form_reports_every_problem_in_one_round(client_as):
    """It used to report the fields first and the rules (team, leaver) only next time."""
    response = client_as(Role.HR_OFFICER).post(
        reverse("recruitment:vacancy-create"),
        {"fte": "", "reason": "replacement", "opened_on": "2024-01-08"},
    )
    errors = response.context["form"].errors
    assert errors["fte"] == ["Enter the FTE."]
    assert errors["team"] == ["Choose the team (or a funded post)."]
    assert errors["grade"] == ["Choose the grade (or a funded post)."]
    assert errors["leaver_employment"] == ["Choose the leaver this vacancy replaces."]


def test_a_vacancy_for_a_post_is_at_most_one_fte(client_as):
    from recruitment.models import Vacancy
    from tests.factories import PostFactory

    post = PostFactory(fte="1", valid_from=D(2020, 1, 1))
    response = client_as(Role.HR_OFFICER).post(
        reverse("recruitment:vacancy-create"),
        {"post": post.pk, "fte": "2", "reason": "new_post", "opened_on": "2024-01-08"},
    )
    assert (
        "a vacancy for it can be at most 1 FTE (you entered 2)"
        in (response.context["form"].errors["fte"][0])
    )
    assert not Vacancy.objects.exists()


def test_the_post_list_is_grouped_by_team_and_a_post_of_another_team_is_refused(client_as):
    import lxml.html

    from recruitment.models import Vacancy
    from tests.factories import GradeFactory, PostFactory

    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    grade = GradeFactory()
    PostFactory(team=north, grade=grade, valid_from=D(2020, 1, 1), reference="N-1")
    south_post = PostFactory(team=south, grade=grade, valid_from=D(2020, 1, 1), reference="S-1")
    client = client_as(Role.HR_OFFICER)
    doc = lxml.html.fromstring(client.get(reverse("recruitment:vacancy-create")).content)
    groups = {
        g.get("label"): [o.text.split(":")[0] for o in g.xpath("option")]
        for g in doc.xpath('//select[@name="post"]/optgroup')
    }
    assert groups == {"North": ["N-1"], "South": ["S-1"]}
    response = client.post(
        reverse("recruitment:vacancy-create"),
        {"team": north.pk, "post": south_post.pk, "fte": "1", "reason": "new_post",
         "opened_on": "2024-01-08"},
    )  # fmt: skip
    assert response.context["form"].errors["post"] == ["Post S-1 belongs to South, not North."]
    assert not Vacancy.objects.exists()
