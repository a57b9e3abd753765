"""Recruitment services: each stage move (valid and refused), optimistic locking, the start
that records the starter in the workforce, induction check-ins, anonymisation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from recruitment import selectors, services
from recruitment.choices import Check, CheckInKind, Outcome, Stage, VacancyStatus
from recruitment.models import Application, InductionCheckIn, StageChange
from tests.factories import PostFactory, TeamFactory, employ
from workforce.models import Employment, Person

from .helpers import apply, move, open_vacancy, record_checks, take_to

pytestmark = pytest.mark.django_db

D = dt.date


def messages(exc: ValidationError) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


# --- Vacancies -----------------------------------------------------------------------


def test_vacancy_against_a_post_takes_its_team_grade_and_dfe_role():
    post = PostFactory()
    vacancy = services.vacancy_open(post=post, fte="1", reason="new_post", opened_on=D(2024, 1, 2))
    assert (vacancy.team, vacancy.grade) == (post.team, post.grade)
    assert vacancy.org_role == post.grade.default_org_role
    assert vacancy.reference == "VAC-2024-0001"


def test_replacement_vacancy_names_a_leaver_and_refuses_someone_still_in_post():
    team = TeamFactory()
    leaver = employ(team=team, start=D(2020, 1, 6), end=D(2023, 12, 31))
    vacancy = open_vacancy(team=team, reason="replacement", leaver_employment=leaver)
    assert vacancy.leaver_employment == leaver
    in_post = employ(team=team)
    with pytest.raises(ValidationError) as exc:
        open_vacancy(team=team, reason="replacement", leaver_employment=in_post)
    assert "record the leaving first" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        open_vacancy(team=team, reason="replacement")
    assert "Choose the leaver" in messages(exc)


def test_agency_cover_must_be_an_agency_placement():
    team = TeamFactory()
    placement = employ(team=team, agency=True)
    vacancy = open_vacancy(team=team, agency_cover=placement)
    assert vacancy.agency_cover == placement
    with pytest.raises(ValidationError) as exc:
        open_vacancy(team=team, agency_cover=employ(team=team))
    assert exc.value.message_dict["agency_cover"] == ["Agency cover must be an agency placement."]


def test_vacancy_fte_and_missing_grade_are_all_reported_at_once():
    with pytest.raises(ValidationError) as exc:
        services.vacancy_open(
            team=TeamFactory(), fte="0", reason="new_post", opened_on=D(2024, 1, 1)
        )
    assert set(exc.value.message_dict) == {"grade", "fte"}


# --- Stage moves -----------------------------------------------------------------------


def test_each_forward_move_records_its_date_and_history():
    application = apply(open_vacancy())
    take_to(application, Stage.CHECKS)
    assert application.stage == Stage.CHECKS
    assert application.shortlisted_on == D(2024, 2, 5)
    assert application.interviewed_on == D(2024, 2, 12)
    assert application.offered_on == D(2024, 2, 19)
    assert application.accepted_on == D(2024, 2, 26)
    assert application.checks_completed_on == D(2024, 3, 4)
    assert application.dbs_cleared_on == D(2024, 3, 4)  # checks complete: all four recorded
    history = list(application.stage_changes.values_list("to_stage", flat=True))
    assert history == ["applied", "shortlisted", "interviewed", "offered", "accepted", "checks"]


def test_shortlisting_may_be_skipped():
    application = apply(open_vacancy())
    move(application, Stage.INTERVIEWED, D(2024, 2, 10))
    assert application.stage == Stage.INTERVIEWED and application.shortlisted_on is None


def test_offer_before_interview_is_refused_when_the_council_requires_interview():
    application = apply(open_vacancy())
    move(application, Stage.SHORTLISTED, D(2024, 2, 3))
    with pytest.raises(ValidationError) as exc:
        move(application, Stage.OFFERED, D(2024, 2, 10))
    assert "cannot be offered the job before an interview" in messages(exc)
    application.refresh_from_db()
    assert application.stage == Stage.SHORTLISTED and application.offered_on is None


@override_settings(RECRUITMENT_INTERVIEW_REQUIRED=False)
def test_offer_without_interview_is_allowed_when_the_council_does_not_require_one():
    application = apply(open_vacancy())
    move(application, Stage.OFFERED, D(2024, 2, 10))
    assert application.stage == Stage.OFFERED


def test_accept_without_offer_and_checks_without_acceptance_are_refused():
    application = apply(open_vacancy())
    move(application, Stage.INTERVIEWED, D(2024, 2, 3))
    with pytest.raises(ValidationError) as exc:
        move(application, Stage.ACCEPTED, D(2024, 2, 10))
    assert "cannot accept before an offer" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        move(application, Stage.CHECKS, D(2024, 2, 10))
    assert "has not accepted an offer" in messages(exc)


def test_a_date_before_the_previous_stage_is_refused():
    application = apply(open_vacancy())
    move(application, Stage.INTERVIEWED, D(2024, 2, 20))
    with pytest.raises(ValidationError) as exc:
        move(application, Stage.OFFERED, D(2024, 2, 19))
    assert exc.value.message_dict["date"] == [
        f"The date (19 February 2024) is before the previous stage: {application.applicant_name} "
        "was interviewed on 20 February 2024."
    ]


def test_moving_back_or_to_the_same_stage_is_refused():
    application = apply(open_vacancy())
    move(application, Stage.INTERVIEWED, D(2024, 2, 20))
    with pytest.raises(ValidationError) as exc:
        move(application, Stage.SHORTLISTED, D(2024, 2, 21))
    assert "is already interviewed: choose a later stage" in messages(exc)


def test_started_is_not_a_plain_move():
    application = take_to(apply(open_vacancy()), Stage.CHECKS)
    with pytest.raises(ValidationError) as exc:
        move(application, Stage.STARTED, D(2024, 3, 10))
    assert "Record the start" in messages(exc)


def test_withdrawn_and_rejected_close_at_the_stage_with_a_reason():
    vacancy = open_vacancy()
    withdrawn = take_to(apply(vacancy), Stage.OFFERED)
    services.application_close(
        application=withdrawn, outcome=Outcome.WITHDRAWN, close_reason="offer_declined",
        date=D(2024, 2, 25), version=withdrawn.version,
    )  # fmt: skip
    withdrawn.refresh_from_db()
    assert (withdrawn.stage, withdrawn.outcome, withdrawn.close_reason) == (
        "offered", "withdrawn", "offer_declined",
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        move(withdrawn, Stage.ACCEPTED, D(2024, 2, 26))
    assert "already closed (withdrawn on 25 February 2024)" in messages(exc)

    rejected = apply(vacancy)
    with pytest.raises(ValidationError) as exc:
        services.application_close(
            application=rejected, outcome=Outcome.REJECTED, close_reason="",
            date=D(2024, 2, 25), version=rejected.version,
        )  # fmt: skip
    assert "Choose the reason" in messages(exc)


def test_future_dates_are_refused():
    application = apply(open_vacancy())
    with pytest.raises(ValidationError) as exc:
        move(application, Stage.SHORTLISTED, dt.date.today() + dt.timedelta(days=3))
    assert "cannot be in the future" in messages(exc)


def test_application_before_the_vacancy_opened_is_refused():
    with pytest.raises(ValidationError) as exc:
        apply(open_vacancy(opened_on=D(2024, 1, 8)), applied_on=D(2024, 1, 1))
    assert "before vacancy" in messages(exc)


# --- Optimistic locking --------------------------------------------------------------------


def test_a_stale_edit_is_refused_with_changed_by_someone_else():
    application = apply(open_vacancy(), first_name="Ama", last_name="Boateng")
    seen_by_a = Application.objects.get(pk=application.pk)
    seen_by_b = Application.objects.get(pk=application.pk)
    services.application_move(
        application=seen_by_a, stage=Stage.SHORTLISTED, date=D(2024, 2, 3),
        version=seen_by_a.version,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.application_close(
            application=seen_by_b, outcome="rejected", close_reason="not_shortlisted",
            date=D(2024, 2, 3), version=seen_by_b.version,
        )  # fmt: skip
    message = messages(exc)
    assert message.startswith("Someone (an import or a scheduled task) changed this record at ")
    assert "here is what they changed: Stage: Applied → Shortlisted" in message
    assert "Nothing you entered was saved" in message
    application.refresh_from_db()
    assert (application.stage, application.outcome) == ("shortlisted", "in_progress")
    assert application.stage_changes.count() == 2


def test_bulk_move_is_all_or_nothing_and_names_who_could_not_move():
    vacancy = open_vacancy()
    ready = apply(vacancy, first_name="Ready", last_name="One")
    move(ready, Stage.INTERVIEWED, D(2024, 2, 3))
    not_ready = apply(vacancy, first_name="Not", last_name="Interviewed")
    ready.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.applications_stage_change(
            moves=[(ready, ready.version), (not_ready, not_ready.version)],
            action=Stage.OFFERED,
            date=D(2024, 2, 10),
        )
    assert "Not Interviewed: Not Interviewed cannot be offered" in messages(exc)
    ready.refresh_from_db()
    assert ready.stage == Stage.INTERVIEWED  # nothing half-saved


# --- Pre-employment checks and the start ----------------------------------------------------


def test_checks_recorded_one_by_one_complete_the_stage_when_all_four_are_done():
    application = take_to(apply(open_vacancy()), Stage.ACCEPTED)
    for i, check in enumerate(
        ["dbs_cleared_on", "references_cleared_on", "swe_registration_checked_on"]
    ):
        services.application_check_record(
            application=application, check=check, date=D(2024, 3, 1 + i),
            version=application.version, checked_by="Dana Whitlock",
        )  # fmt: skip
    assert application.stage == Stage.ACCEPTED
    services.application_check_record(
        application=application, check="right_to_work_checked_on", date=D(2024, 3, 5),
        version=application.version, checked_by="Omar Feld",
    )  # fmt: skip
    application.refresh_from_db()
    assert (application.stage, application.checks_completed_on) == ("checks", D(2024, 3, 5))
    recorded = {
        c.kind: (c.checked_on, c.checked_by) for c in application.pre_employment_checks.all()
    }
    assert recorded["dbs_cleared_on"] == (D(2024, 3, 1), "Dana Whitlock")
    assert recorded["right_to_work_checked_on"] == (D(2024, 3, 5), "Omar Feld")


def test_moving_to_checks_complete_needs_every_check_recorded_and_names_the_missing():
    """Issue 18: the move stamped all four checks as done that day, none recorded."""
    application = take_to(apply(open_vacancy()), Stage.ACCEPTED)
    record_checks(application, D(2024, 3, 1), checks=[Check.DBS, Check.SWE_REGISTRATION])
    with pytest.raises(ValidationError) as exc:
        move(application, Stage.CHECKS, D(2024, 3, 4))
    assert "missing: References and Right to work" in messages(exc)
    application.refresh_from_db()
    assert application.stage == Stage.ACCEPTED
    assert application.references_cleared_on is None
    assert application.right_to_work_checked_on is None


def test_a_check_needs_who_checked_it_and_is_recorded_once():
    application = take_to(apply(open_vacancy()), Stage.ACCEPTED)
    with pytest.raises(ValidationError) as exc:
        services.application_check_record(
            application=application, check=Check.DBS, date=D(2024, 3, 1),
            version=application.version, checked_by=" ",
        )  # fmt: skip
    assert exc.value.message_dict["checked_by"] == ["Enter who checked it."]
    record_checks(application, D(2024, 3, 1), checks=[Check.DBS], checked_by="Dana Whitlock")
    with pytest.raises(ValidationError) as exc:
        record_checks(application, D(2024, 3, 2), checks=[Check.DBS])
    assert "already recorded: passed on 1 March 2024, checked by Dana Whitlock" in messages(exc)


def _start(application, **kw):
    application.refresh_from_db()
    return services.application_start(
        application=application, version=application.version,
        start_date=kw.pop("start_date", D(2024, 4, 1)), **kw,
    )  # fmt: skip


def test_start_creates_the_person_and_employment_fills_the_vacancy_and_plans_induction():
    team = TeamFactory(name="Assessment North")
    vacancy = open_vacancy(team=team, fte="1")
    application = take_to(
        apply(vacancy, first_name="Grace", last_name="Adeyemi", swe_number="sw 123987"),
        Stage.CHECKS,
    )
    _start(application)
    application.refresh_from_db()
    person = Person.objects.get(swe_number="SW123987")
    assert (person.first_name, person.last_name) == ("Grace", "Adeyemi")
    employment = person.employments.get()
    assert employment.start_date == D(2024, 4, 1) and application.employment == employment
    assignment = employment.assignments.get()
    assert (assignment.team, assignment.grade, assignment.fte) == (team, vacancy.grade, 1)
    assert (application.stage, application.outcome) == ("started", "started")
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.closed_on) == (VacancyStatus.FILLED, D(2024, 4, 1))
    check_ins = {c.kind: c for c in InductionCheckIn.objects.filter(employment=employment)}
    assert check_ins[CheckInKind.KIT_WEEKS].due_by == D(2024, 4, 29)
    assert check_ins[CheckInKind.DAY_90].due_by == D(2024, 6, 30)
    assert check_ins[CheckInKind.KIT_MONTHS].due_from == D(2024, 7, 1)


def test_a_half_fte_start_leaves_a_one_fte_vacancy_open():
    vacancy = open_vacancy(fte="1")
    application = take_to(apply(vacancy, swe_number="SW55501"), Stage.CHECKS)
    _start(application, fte=Decimal("0.5"))
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.OPEN


def test_start_without_acceptance_is_refused_and_nothing_is_written():
    application = take_to(apply(open_vacancy(), swe_number="SW55502"), Stage.OFFERED)
    with pytest.raises(ValidationError) as exc:
        _start(application)
    assert "cannot start without accepting an offer" in messages(exc)
    assert not Person.objects.filter(swe_number="SW55502").exists()


def test_start_before_checks_are_complete_names_the_missing_checks():
    application = take_to(apply(open_vacancy(), swe_number="SW55503"), Stage.ACCEPTED)
    with pytest.raises(ValidationError) as exc:
        _start(application)
    assert "missing: dbs" in messages(exc).lower()


def test_start_needs_a_swe_number_and_a_date_after_the_checks():
    application = take_to(apply(open_vacancy()), Stage.CHECKS)
    with pytest.raises(ValidationError) as exc:
        _start(application, start_date=D(2024, 3, 1))
    assert set(exc.value.message_dict) == {"swe_number", "start_date"}


def test_workforce_rules_refuse_the_start_and_nothing_is_half_saved():
    application = take_to(apply(open_vacancy(), swe_number="SW55504"), Stage.CHECKS)
    with pytest.raises(ValidationError) as exc:
        _start(application, fte="1.5")
    assert "FTE must be more than 0 and no more than 1" in messages(exc)
    application.refresh_from_db()
    assert application.stage == Stage.CHECKS and not Employment.objects.exists()
    assert not StageChange.objects.filter(to_stage="started").exists()


def test_a_returning_person_is_found_by_swe_number_not_typed_again():
    team = TeamFactory()
    earlier = employ(team=team, start=D(2015, 1, 5), end=D(2019, 6, 30))
    vacancy = open_vacancy(team=team)
    swe = earlier.person.swe_number
    application = take_to(apply(vacancy, swe_number=swe), Stage.CHECKS)
    _start(application, returning=True)
    assert Person.objects.filter(swe_number=swe).count() == 1
    assert earlier.person.employments.count() == 2


def test_a_start_with_someone_elses_swe_number_is_refused_naming_them():
    """Issue 18: a typo'd or wrong number silently added an employment to a leaver."""
    team = TeamFactory()
    leaver = employ(team=team, start=D(2015, 1, 5), end=D(2019, 6, 30))
    swe = leaver.person.swe_number
    application = take_to(
        apply(open_vacancy(team=team), first_name="Norman", last_name="Nixon", swe_number=swe),
        Stage.CHECKS,
    )
    with pytest.raises(ValidationError) as exc:
        _start(application)
    assert f"already recorded for {leaver.person}" in exc.value.message_dict["swe_number"][0]
    assert "This person worked here before" in messages(exc)
    assert leaver.person.employments.count() == 1
    application.refresh_from_db()
    assert application.stage == Stage.CHECKS


def test_a_returning_start_with_an_unknown_swe_number_is_refused():
    application = take_to(apply(open_vacancy(), swe_number="SW55509"), Stage.CHECKS)
    with pytest.raises(ValidationError) as exc:
        _start(application, returning=True)
    assert "No one with Social Work England number SW55509" in messages(exc)


# --- Induction and anonymisation ----------------------------------------------------------


def test_check_ins_due_and_overdue():
    application = take_to(apply(open_vacancy(), swe_number="SW55505"), Stage.CHECKS)
    _start(application)
    on = D(2024, 4, 26)  # 25 days in: KIT at 3-4 weeks due, nothing overdue
    assert [c.kind for c in selectors.check_ins_due(as_of=on)] == [CheckInKind.KIT_WEEKS]
    assert not selectors.check_ins_overdue(as_of=on).exists()
    later = D(2024, 5, 10)
    overdue = selectors.check_ins_overdue(as_of=later)
    assert [c.kind for c in overdue] == [CheckInKind.KIT_WEEKS]
    services.induction_check_in_complete(check_in=overdue[0], completed_on=D(2024, 5, 9))
    assert not selectors.check_ins_overdue(as_of=later).exists()


def test_anonymising_deletes_personal_data_and_keeps_the_funnel():
    vacancy = open_vacancy()
    application = take_to(
        apply(vacancy, first_name="Delete", last_name="Me", email="d@example.org"),
        Stage.INTERVIEWED,
    )
    before = selectors.funnel(start=D(2024, 1, 1), end=D(2024, 12, 31), by="all")[0].counts
    services.application_anonymise(application=application, on=D(2024, 6, 1))
    application.refresh_from_db()
    assert (application.first_name, application.last_name, application.email) == ("", "", "")
    assert "Delete" not in application.applicant_name
    after = selectors.funnel(start=D(2024, 1, 1), end=D(2024, 12, 31), by="all")[0].counts
    assert after == before and after["interviewed"] == 1


def test_a_start_already_recorded_in_the_workforce_is_linked_not_recorded_again():
    team = TeamFactory()
    employment = employ(team=team, start=D(2024, 4, 1))
    vacancy = open_vacancy(team=team)
    application = take_to(apply(vacancy), Stage.CHECKS)
    services.application_start_link(
        application=application, employment=employment, version=application.version
    )
    application.refresh_from_db()
    assert (application.stage, application.employment) == ("started", employment)
    assert Employment.objects.count() == 1
    assert InductionCheckIn.objects.filter(employment=employment).count() == 3
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED


def test_vacancy_fte_with_more_than_two_decimals_is_refused():
    with pytest.raises(ValidationError) as exc:
        open_vacancy(fte="0.333")
    assert "no more than 2 decimal places" in messages(exc)
    assert open_vacancy(fte="0.800000").fte == Decimal("0.8")
