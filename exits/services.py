"""Writes of the exits app. Every function is keyword-only, checks everything first and
raises ``ValidationError({field: [messages]})`` with all the problems at once, and saves
all or nothing.

Settings read here (with defaults): ``EXIT_LINK_VALID_DAYS`` (14) how long a
questionnaire link works; ``EXIT_TEXT_RETENTION_DAYS`` (730) after how many days from the
leaving date free text is erased (coded themes are kept).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.locking import Unchecked, lock_version
from core.validation import full_clean
from workforce.models import Employment

from .choices import RETENTION_STATEMENTS, Channel, Destination, OfferResponse, YesNoUnsure
from .models import ExitQuestionnaire, ExitRecord, ExitTheme, QuestionnaireLink


def link_valid_days() -> int:
    return int(getattr(settings, "EXIT_LINK_VALID_DAYS", 14))


def text_retention_days() -> int:
    return int(getattr(settings, "EXIT_TEXT_RETENTION_DAYS", 730))


def token_hash(token: str) -> str:
    """The stored form of a link token (SHA-256 hex): the token itself is never kept."""
    return hashlib.sha256(token.encode()).hexdigest()


def _fmt(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


# --- Exit records: one per leaver ------------------------------------------------------


def exit_record_ensure(*, employment: Employment) -> ExitRecord | None:
    """The exit record of an ended employment, made if it has none (idempotent). Returns
    None for an employment that has not ended."""
    if employment.end_date is None:
        return None
    record, _ = ExitRecord.objects.get_or_create(employment=employment)
    return record


def exit_records_backfill() -> int:
    """Make the missing exit records of every ended employment (for leavers recorded
    before this app, or written in bulk by a census import). Returns how many were made."""
    missing = Employment.objects.filter(end_date__isnull=False, exit_record__isnull=True)
    records = [ExitRecord(employment_id=pk) for pk in missing.values_list("pk", flat=True)]
    ExitRecord.objects.bulk_create(records, batch_size=500, ignore_conflicts=True)
    return len(records)


@transaction.atomic
def exit_record_update(
    *,
    exit_record: ExitRecord,
    offered_on: dt.date | None,
    channel: str = "",
    conductor: str = "",
    response: str = "",
    completed_on: dt.date | None = None,
    today: dt.date | None = None,
    version: int | Unchecked | None,
) -> ExitRecord:
    """Record the offer of an exit interview (date, channel, who conducts it), the
    leaver's response and the date it was completed. ``version`` is the one the user
    loaded: a stale edit is refused (``core.locking``),
    and so is none; writes no person makes pass ``UNCHECKED``."""
    today = today or timezone.localdate()
    record = ExitRecord.objects.select_for_update().get(pk=exit_record.pk)
    lock_version(record, version)
    errors = _Errors()
    if offered_on is None:
        if channel or conductor or response or completed_on:
            errors.add("offered_on", "Enter the date the exit interview was offered.")
    else:
        if offered_on > today:
            errors.add("offered_on", "The offer date cannot be in the future.")
        if not channel:
            errors.add("channel", "Choose how the exit interview was offered.")
    if completed_on is not None:
        if completed_on > today:
            errors.add("completed_on", "The completed date cannot be in the future.")
        if offered_on and completed_on < offered_on:
            errors.add(
                "completed_on",
                f"The completed date cannot be before the offer ({_fmt(offered_on)}).",
            )
        if response == OfferResponse.DECLINED:
            errors.add("response", "A declined interview cannot have a completed date.")
    errors.raise_if_any()
    record.offered_on = offered_on
    record.channel = channel
    record.conductor = conductor
    record.response = OfferResponse.ACCEPTED if completed_on and not response else response
    record.completed_on = completed_on
    full_clean(record)
    record.save()
    return record


# --- The one-time questionnaire link -------------------------------------------------------


@transaction.atomic
def questionnaire_link_create(
    *, exit_record: ExitRecord, created_by=None, now: dt.datetime | None = None
) -> tuple[QuestionnaireLink, str]:
    """A new one-time link for the leaver; returns (link, token). The token is shown
    once (it is not stored). Earlier unused links of the record stop working. If the
    interview was not yet offered, this records the offer (online survey, today)."""
    now = now or timezone.now()
    record = ExitRecord.objects.select_for_update().get(pk=exit_record.pk)
    if hasattr(record, "questionnaire"):
        raise ValidationError(
            {"__all__": ["The questionnaire has already been completed for this leaver."]}
        )
    record.links.filter(used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    link = QuestionnaireLink.objects.create(
        exit_record=record,
        token_hash=token_hash(token),
        created_by=created_by,
        expires_at=now + dt.timedelta(days=link_valid_days()),
    )
    if record.offered_on is None:
        record.offered_on = timezone.localdate(now)
        record.channel = Channel.ONLINE_SURVEY
        record.save(update_fields=["offered_on", "channel", "updated_at"])
    return link, token


def _clean_answers(errors: _Errors, answers: Mapping) -> dict:
    clean: dict = {}
    for field, statement in RETENTION_STATEMENTS:
        value = answers.get(field)
        if value in (None, ""):
            clean[field] = None
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            errors.add(field, f'Score "{statement}" from 1 to 5.')
        clean[field] = value
    for field, choices in (
        ("destination", Destination),
        ("would_return", YesNoUnsure),
        ("would_recommend", YesNoUnsure),
    ):
        value = answers.get(field) or ""
        if value and value not in choices.values:
            errors.add(field, "Choose one of the options.")
        clean[field] = value
    text = (answers.get("free_text") or "").strip()
    if len(text) > 10_000:
        errors.add("free_text", "Keep your answer to 10,000 characters or fewer.")
    clean["free_text"] = text
    return clean


@transaction.atomic
def questionnaire_submit(
    *,
    exit_record: ExitRecord,
    answers: Mapping,
    reasons: Iterable[ExitTheme] = (),
    link: QuestionnaireLink | None = None,
    entered_by=None,
    now: dt.datetime | None = None,
) -> ExitQuestionnaire:
    """Save the leaver's answers, through a one-time ``link`` (used up here) or entered
    by an officer (``entered_by``). Completes the exit record on the day."""
    now = now or timezone.now()
    record = ExitRecord.objects.select_for_update().get(pk=exit_record.pk)
    errors = _Errors()
    if link is not None:
        link = QuestionnaireLink.objects.select_for_update().get(pk=link.pk)
        if link.exit_record_id != record.pk or link.used_at or link.expires_at <= now:
            errors.add("__all__", "This link has expired or has already been used.")
    if ExitQuestionnaire.objects.filter(exit_record=record).exists():
        errors.add("__all__", "The questionnaire has already been completed for this leaver.")
    reasons = list(reasons)
    clean = _clean_answers(errors, answers)
    errors.raise_if_any()
    questionnaire = ExitQuestionnaire(
        exit_record=record,
        completed_through_link=link is not None,
        entered_by=entered_by,
        **clean,
    )
    full_clean(questionnaire)
    questionnaire.save()
    questionnaire.reasons.set(reasons)
    if link is not None:
        link.used_at = now
        link.save(update_fields=["used_at"])
    today = timezone.localdate(now)
    if record.offered_on is None:
        record.offered_on = today
        record.channel = Channel.ONLINE_SURVEY if link else Channel.FACE_TO_FACE
    record.response = OfferResponse.ACCEPTED
    record.completed_on = record.completed_on or max(today, record.offered_on)
    record.save()
    return questionnaire


# --- Theme coding -------------------------------------------------------------------


def _rule_pattern(phrase: str) -> re.Pattern:
    phrase = phrase.strip().lower()
    prefix = phrase.endswith("*")
    words = [re.escape(w) for w in phrase.rstrip("*").split()]
    body = r"\s+".join(words)
    return re.compile(r"\b" + body + (r"\w*" if prefix else r"\b"), re.IGNORECASE)


def suggest_themes(text: str, rules: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Pure: which themes the keyword ``rules`` ({theme: phrases}) suggest for ``text``,
    with the words in the text that matched each, in rule order. A phrase matches whole
    words ignoring case; a phrase ending in ``*`` also matches longer words."""
    found: dict[str, list[str]] = {}
    if not text:
        return found
    for theme, phrases in rules.items():
        for phrase in phrases:
            if not phrase.strip().rstrip("*"):
                continue
            for match in _rule_pattern(phrase).finditer(text):
                hit = match.group(0)
                if hit.lower() not in (h.lower() for h in found.get(theme, [])):
                    found.setdefault(theme, []).append(hit)
    return found


def themes_suggest(*, text: str) -> list[tuple[ExitTheme, list[str]]]:
    """The council's themes suggested for ``text`` by its keyword rules, with the words
    that matched (for the officer to confirm or not)."""
    themes = list(ExitTheme.objects.all())
    hits = suggest_themes(text, {theme.name: theme.phrases for theme in themes})
    return [(theme, hits[theme.name]) for theme in themes if theme.name in hits]


@transaction.atomic
def questionnaire_code(
    *,
    questionnaire: ExitQuestionnaire,
    themes: Iterable[ExitTheme],
    quote: str = "",
    quote_approved: bool = False,
    coded_by=None,
    today: dt.date | None = None,
) -> ExitQuestionnaire:
    """Record the themes an officer confirmed for an answer, and an anonymised quote
    (approved or not for publication in committee reports)."""
    errors = _Errors()
    quote = (quote or "").strip()
    if quote_approved and not quote:
        errors.add("quote", "Write the anonymised quote before approving it for publication.")
    errors.raise_if_any()
    questionnaire.themes.set(list(themes))
    questionnaire.quote = quote
    questionnaire.quote_approved = quote_approved
    questionnaire.coded_by = coded_by
    questionnaire.coded_on = today or timezone.localdate()
    questionnaire.save()
    return questionnaire


def exit_themes_ensure_defaults() -> int:
    """If the council has no themes at all (a new database, or one emptied by a flush),
    add the starting list with its keyword rules. Returns how many were added."""
    from .choices import DEFAULT_THEMES

    if ExitTheme.objects.exists():
        return 0
    ExitTheme.objects.bulk_create(
        ExitTheme(name=name, keywords=keywords, sort_order=index * 10)
        for index, (name, keywords) in enumerate(DEFAULT_THEMES, start=1)
    )
    return len(DEFAULT_THEMES)


@transaction.atomic
def theme_save(
    *, theme: ExitTheme | None = None, name: str, keywords: str, is_active: bool = True
) -> ExitTheme:
    """Add a theme or change one (its name and keyword rules)."""
    errors = _Errors()
    name = (name or "").strip()
    if not name:
        errors.add("name", "Enter the theme's name.")
    elif (
        ExitTheme.objects.filter(name__iexact=name).exclude(pk=getattr(theme, "pk", None)).exists()
    ):
        errors.add("name", f"There is already a theme called {name!r}.")
    phrases = [line.strip() for line in (keywords or "").splitlines() if line.strip()]
    for phrase in phrases:
        if not phrase.rstrip("*").strip():
            errors.add("keywords", f"The rule {phrase!r} has no words.")
    errors.raise_if_any()
    theme = theme or ExitTheme(sort_order=(ExitTheme.objects.count() + 1) * 10)
    theme.name = name
    theme.keywords = "\n".join(phrases)
    theme.is_active = is_active
    full_clean(theme)
    theme.save()
    return theme


# --- Retention -------------------------------------------------------------------


@transaction.atomic
def exit_text_erase_expired(
    *, today: dt.date | None = None, retention_days: int | None = None
) -> int:
    """Erase free text (and quotes) of questionnaires whose leaving date is more than
    ``retention_days`` (``EXIT_TEXT_RETENTION_DAYS``) before ``today``. Coded themes,
    scores and reasons are kept. Anything that kept a copy of an erased quote is told
    (``signals.exit_text_erased``). Returns how many questionnaires were erased."""
    today = today or timezone.localdate()
    days = text_retention_days() if retention_days is None else retention_days
    cutoff = today - dt.timedelta(days=days)
    due = ExitQuestionnaire.objects.filter(
        exit_record__employment__end_date__lt=cutoff, free_text_erased_on__isnull=True
    )
    erased = sorted(set(due.values_list("exit_record_id", flat=True)))
    count = due.update(free_text="", quote="", quote_approved=False, free_text_erased_on=today)
    if erased:
        from .signals import exit_text_erased

        # Report packs that quoted these leavers are rebuilt without them (dashboards).
        exit_text_erased.send(sender=ExitQuestionnaire, exit_record_ids=erased)
    return count
