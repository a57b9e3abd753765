"""Exit records for every leaver, the one-time link, theme suggestions, coding, erasure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from core.locking import UNCHECKED
from exits import services
from exits.models import ExitQuestionnaire, ExitRecord, ExitTheme, QuestionnaireLink
from exits.selectors import exit_records_list, questionnaire_link_for_token
from tests.factories import employ
from workforce import services as workforce_services

pytestmark = pytest.mark.django_db


# --- The automatic exit record -------------------------------------------------------


def test_an_employed_leaver_gets_an_exit_record():
    employment = employ(start=dt.date(2020, 1, 6), end=dt.date(2024, 3, 31))
    record = ExitRecord.objects.get(employment=employment)
    assert record.status == "Not offered"


def test_an_agency_leaver_gets_an_exit_record_too():
    employment = employ(agency=True, start=dt.date(2022, 1, 6), end=dt.date(2023, 7, 31))
    assert ExitRecord.objects.filter(employment=employment).exists()


def test_someone_still_in_post_has_no_exit_record():
    employment = employ(start=dt.date(2020, 1, 6))
    employment.save()
    assert not ExitRecord.objects.filter(employment=employment).exists()


def test_saving_a_leaver_again_does_not_make_a_second_record():
    employment = employ(start=dt.date(2020, 1, 6), end=dt.date(2024, 3, 31))
    employment.leaving_destination = 3
    employment.save()
    employment.save()
    assert ExitRecord.objects.filter(employment=employment).count() == 1


def test_the_record_is_made_when_the_leaving_is_recorded_later():
    employment = employ(start=dt.date(2020, 1, 6))
    assert not ExitRecord.objects.exists()
    workforce_services.leaver_record(
        employment=employment,
        end_date=dt.date(2024, 5, 31),
        leaving_reason=1,
        leaving_destination=3,
        version=UNCHECKED,
    )
    assert ExitRecord.objects.filter(employment=employment).count() == 1


def test_backfill_makes_the_missing_records_once(capsys):
    leaver = employ(start=dt.date(2020, 1, 6), end=dt.date(2024, 3, 31))
    employ(start=dt.date(2021, 1, 6))
    ExitRecord.objects.all().delete()  # as if written in bulk by a census import
    call_command("exit_records_backfill")
    assert "1 exit record" in capsys.readouterr().out
    call_command("exit_records_backfill")
    assert "0 exit records" in capsys.readouterr().out
    assert list(ExitRecord.objects.values_list("employment", flat=True)) == [leaver.pk]


# --- Lists ----------------------------------------------------------------------------


def test_lists_not_offered_offered_and_overdue():
    today = dt.date(2025, 6, 30)
    long_gone = employ(start=dt.date(2020, 1, 6), end=dt.date(2025, 3, 31)).exit_record
    recent = employ(start=dt.date(2020, 1, 6), end=dt.date(2025, 6, 20)).exit_record
    offered = employ(start=dt.date(2020, 1, 6), end=dt.date(2025, 6, 1)).exit_record
    services.exit_record_update(
        exit_record=offered,
        offered_on=dt.date(2025, 5, 20),
        channel="video",
        today=today,
        version=UNCHECKED,
    )
    declined = employ(start=dt.date(2020, 1, 6), end=dt.date(2025, 1, 31)).exit_record
    services.exit_record_update(
        exit_record=declined,
        offered_on=dt.date(2025, 1, 20),
        channel="phone",
        response="declined",
        today=today,
        version=UNCHECKED,
    )
    everything = ExitRecord.objects.all()

    def ids(status):
        return set(exit_records_list(queryset=everything, status=status, today=today))

    assert ids("not_offered") == {long_gone, recent}
    assert ids("offered_not_completed") == {offered}
    assert ids("overdue") == {long_gone, offered}  # 28 days after leaving; declined is done


def test_offer_rules_are_all_reported_at_once():
    record = employ(start=dt.date(2020, 1, 6), end=dt.date(2025, 3, 31)).exit_record
    with pytest.raises(ValidationError) as caught:
        services.exit_record_update(
            exit_record=record,
            offered_on=dt.date(2025, 4, 10),
            channel="",
            response="declined",
            completed_on=dt.date(2025, 4, 1),
            today=dt.date(2025, 6, 1),
            version=UNCHECKED,
        )
    errors = caught.value.message_dict
    assert set(errors) == {"channel", "completed_on", "response"}
    record.refresh_from_db()
    assert record.offered_on is None  # nothing half-saved


# --- The one-time link ------------------------------------------------------------------


def _leaver_record():
    return employ(start=dt.date(2020, 1, 6), end=dt.date(2025, 3, 31)).exit_record


def test_a_link_opens_the_record_once_and_only_its_hash_is_stored():
    record = _leaver_record()
    link, token = services.questionnaire_link_create(exit_record=record)
    assert len(token) >= 40
    assert token not in link.token_hash and link.token_hash == services.token_hash(token)
    assert questionnaire_link_for_token(token=token) == link
    record.refresh_from_db()
    assert record.offered_on == timezone.localdate() and record.channel == "online_survey"
    services.questionnaire_submit(exit_record=record, answers={"free_text": "pay"}, link=link)
    assert questionnaire_link_for_token(token=token) is None  # used
    record.refresh_from_db()
    assert record.completed_on == timezone.localdate()


def test_an_expired_link_does_not_open():
    record = _leaver_record()
    made = timezone.now() - dt.timedelta(days=15)
    _, token = services.questionnaire_link_create(exit_record=record, now=made)
    assert questionnaire_link_for_token(token=token) is None


def test_a_guessed_token_does_not_open():
    services.questionnaire_link_create(exit_record=_leaver_record())
    assert questionnaire_link_for_token(token="guess") is None
    assert questionnaire_link_for_token(token="") is None


def test_a_used_link_cannot_submit_twice():
    record = _leaver_record()
    link, _ = services.questionnaire_link_create(exit_record=record)
    services.questionnaire_submit(exit_record=record, answers={}, link=link)
    with pytest.raises(ValidationError, match="already"):
        services.questionnaire_submit(exit_record=record, answers={}, link=link)
    assert ExitQuestionnaire.objects.count() == 1


def test_a_new_link_stops_the_earlier_one():
    record = _leaver_record()
    _, first = services.questionnaire_link_create(exit_record=record)
    _, second = services.questionnaire_link_create(exit_record=record)
    assert questionnaire_link_for_token(token=first) is None
    assert questionnaire_link_for_token(token=second) is not None
    assert QuestionnaireLink.objects.count() == 2


def test_scores_out_of_range_are_refused():
    record = _leaver_record()
    with pytest.raises(ValidationError) as caught:
        services.questionnaire_submit(
            exit_record=record, answers={"score_safe": 7, "destination": "moon"}
        )
    assert set(caught.value.message_dict) == {"score_safe", "destination"}
    assert not ExitQuestionnaire.objects.exists()


# --- Theme suggestions ---------------------------------------------------------------------


def test_keyword_rules_match_whole_words_and_starred_prefixes():
    rules = {"Travel": ["car", "parking"], "Relocation": ["relocat*"], "Culture": ["blame"]}
    found = services.suggest_themes(
        "My career stalled, I am relocating north and parking cost a fortune", rules
    )
    assert found == {"Travel": ["parking"], "Relocation": ["relocating"]}  # not "car" in career


def test_phrases_match_across_spaces_ignoring_case():
    found = services.suggest_themes(
        "There is a Blame  Culture here", {"Culture": ["blame culture"]}
    )
    assert found == {"Culture": ["Blame  Culture"]}


def test_the_councils_rules_suggest_themes_and_an_edit_changes_them():
    suggested = services.themes_suggest(text="I was bullied by my manager and my caseload was 30")
    names = {theme.name for theme, _ in suggested}
    assert {
        "Discrimination, bullying or racism",
        "Management and supervision",
        "Workload and caseload",
    } <= names
    pay = ExitTheme.objects.get(name="Pay")
    assert "Pay" not in {t.name for t, _ in services.themes_suggest(text="the remuneration")}
    services.theme_save(theme=pay, name="Pay", keywords=pay.keywords + "\nremuneration")
    assert "Pay" in {t.name for t, _ in services.themes_suggest(text="the remuneration")}


def test_a_theme_name_must_be_unique_and_rules_need_words():
    with pytest.raises(ValidationError) as caught:
        services.theme_save(name="pay", keywords="*\nfine")
    assert set(caught.value.message_dict) == {"name", "keywords"}


def test_an_approved_quote_needs_text():
    record = _leaver_record()
    questionnaire = services.questionnaire_submit(exit_record=record, answers={})
    with pytest.raises(ValidationError, match="quote"):
        services.questionnaire_code(questionnaire=questionnaire, themes=[], quote_approved=True)


# --- Retention ----------------------------------------------------------------------------


def test_free_text_is_erased_after_the_retention_period_keeping_themes(settings, capsys):
    settings.EXIT_TEXT_RETENTION_DAYS = 365
    old = employ(start=dt.date(2018, 1, 6), end=dt.date(2023, 3, 31)).exit_record
    new = employ(start=dt.date(2020, 1, 6), end=dt.date(2025, 3, 31)).exit_record
    bullying = ExitTheme.objects.get(name="Discrimination, bullying or racism")
    for record in (old, new):
        q = services.questionnaire_submit(
            exit_record=record, answers={"free_text": "I was bullied in Team X by J. Smith"}
        )
        services.questionnaire_code(
            questionnaire=q, themes=[bullying], quote="I was bullied", quote_approved=True
        )
    call_command("erase_exit_text", "--today", "2025-06-30")
    assert "1 questionnaire" in capsys.readouterr().out
    old_q = ExitQuestionnaire.objects.get(exit_record=old)
    assert old_q.free_text == "" and old_q.quote == "" and not old_q.quote_approved
    assert old_q.free_text_erased_on == dt.date(2025, 6, 30)
    assert list(old_q.themes.all()) == [bullying]
    new_q = ExitQuestionnaire.objects.get(exit_record=new)
    assert new_q.free_text.startswith("I was bullied")


def test_the_audit_trail_never_keeps_the_free_text():
    from auditlog.models import LogEntry

    record = _leaver_record()
    services.exit_record_update(
        exit_record=record,
        offered_on=dt.date(2025, 4, 1),
        channel="phone",
        today=dt.date(2025, 6, 1),
        version=UNCHECKED,
    )
    services.questionnaire_submit(exit_record=record, answers={"free_text": "Secret words here"})
    assert LogEntry.objects.filter(object_pk=str(record.pk)).exists()  # the offer is audited
    assert not any("Secret words" in str(entry.changes) for entry in LogEntry.objects.all())
