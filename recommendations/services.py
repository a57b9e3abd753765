"""Writes of the recommendations tracker. Each function is keyword-only, all-or-nothing
(``transaction.atomic``) and raises django's ``ValidationError`` with a message per field,
every problem at once, so forms, the API and the seed loader give the same answers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from core.locking import UNCHECKED, Unchecked, lock_version

from .choices import Decision, DeliveryStatus, Rag, ReviewKind, Theme
from .models import (
    Action,
    Committee,
    ExecutiveResponse,
    MemberComment,
    ProgressUpdate,
    Recommendation,
    Review,
)

_NUMBER = re.compile(r"^[0-9A-Za-z]+(?:[.()\s]*[0-9A-Za-z]+)*[)]?$")
_TOKENS = re.compile(r"[0-9]+|[A-Za-z]+")


def recommendation_sort_key(number: str) -> str:
    """A text key that sorts recommendation numbers naturally: each run of digits is
    zero-padded, each run of letters kept (lower case), so 5 < 5a < 5b < 5m and
    5.2 < 5.10, and "5(a)" sorts as "5a"."""
    parts = []
    for token in _TOKENS.findall(number):
        parts.append(token.zfill(6) if token.isdigit() else token.lower())
    return ".".join(parts)


def _check_number(number: str) -> str | None:
    number = (number or "").strip()
    if not number:
        return "Enter the recommendation's number as printed, for example 1, 5a or 5.10."
    if len(number) > 20 or not _NUMBER.match(number):
        return (
            f"'{number}' is not a recommendation number: use digits and letters as printed, "
            "for example 1, 5a, 5(a) or 5.10."
        )
    if len(recommendation_sort_key(number)) > 80:
        return f"'{number}' has too many parts for a recommendation number."
    return None


def _check_lengths(errors: dict, model, **values) -> None:
    """A message (not a database error) for text longer than its column."""
    for name, value in values.items():
        field = model._meta.get_field(name)
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value.strip()) > limit:
            errors.setdefault(name, []).append(
                f"{str(field.verbose_name).capitalize()} must be at most {limit} characters "
                f"(it has {len(value.strip())})."
            )


def _check_kpi(
    errors: dict, *, kpi_key: str, kpi_target, kpi_target_date, kpi_catalogue: Mapping | None
) -> None:
    if not kpi_key:
        if kpi_target is not None or kpi_target_date is not None:
            errors.setdefault("kpi_key", []).append(
                "Choose the KPI that the target and target date belong to."
            )
        return
    if kpi_catalogue is None:
        from .evidence import kpi_catalogue as lookup

        kpi_catalogue = lookup()
    if kpi_key not in kpi_catalogue:
        errors.setdefault("kpi_key", []).append(
            f"'{kpi_key}' is not one of the KPIs the dashboards compute."
        )


@transaction.atomic
def committee_get_or_create(*, council: str, name: str) -> Committee:
    """The committee of ``council`` called ``name``, created if new."""
    errors = {}
    if not council.strip():
        errors["council"] = ["Enter the council."]
    if not name.strip():
        errors["name"] = ["Enter the committee's name."]
    _check_lengths(errors, Committee, council=council, name=name)
    if errors:
        raise ValidationError(errors)
    committee, _ = Committee.objects.get_or_create(council=council.strip(), name=name.strip())
    return committee


def _is_month_list(months) -> bool:
    """A list of whole numbers of months from 1 to 60 (``[6, 12]``)."""
    return isinstance(months, list | tuple) and all(
        isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 60 for m in months
    )


@transaction.atomic
def review_create(
    *,
    committee: Committee,
    title: str,
    kind: str = ReviewKind.SCRUTINY_REVIEW,
    report_date: dt.date | None = None,
    meeting: str = "",
    paper_url: str = "",
    chair: str = "",
    summary: str = "",
    monitoring_months: list[int] | None = None,
) -> Review:
    """A committee's review or report. ``monitoring_months`` defaults to [6, 12]."""
    months = [6, 12] if monitoring_months is None else monitoring_months
    errors: dict[str, list[str]] = {}
    if not _is_month_list(months):
        errors["monitoring_months"] = [
            "Give the months after the response when updates are due as whole numbers "
            "from 1 to 60, for example 6, 12."
        ]
    review = Review(
        committee=committee,
        title=(title or "").strip(),
        kind=kind,
        report_date=report_date,
        meeting=meeting,
        paper_url=paper_url,
        chair=chair,
        summary=summary,
        monitoring_months=sorted(set(months)) if not errors else [],
    )
    try:
        review.full_clean(exclude=["monitoring_months"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    review.save()
    return review


@transaction.atomic
def recommendation_create(
    *,
    review: Review,
    number: str,
    text: str,
    parent: Recommendation | None = None,
    theme: str = "",
    lead_member: str = "",
    lead_officers: str = "",
    kpi_key: str = "",
    kpi_target: Decimal | None = None,
    kpi_target_date: dt.date | None = None,
    kpi_catalogue: Mapping[str, str] | None = None,
) -> Recommendation:
    """A recommendation numbered as printed, with its natural sort key."""
    errors: dict[str, list[str]] = {}
    number = (number or "").strip()
    if problem := _check_number(number):
        errors["number"] = [problem]
    elif review.recommendations.filter(number=number).exists():
        errors["number"] = [f"This review already has a recommendation {number}."]
    if not (text or "").strip():
        errors["text"] = ["Enter the recommendation's text."]
    if theme and theme not in Theme.values:
        errors["theme"] = [f"'{theme}' is not a theme."]
    if parent is not None and parent.review_id != review.pk:
        errors["parent"] = ["The parent recommendation must belong to the same review."]
    _check_kpi(
        errors,
        kpi_key=kpi_key,
        kpi_target=kpi_target,
        kpi_target_date=kpi_target_date,
        kpi_catalogue=kpi_catalogue,
    )
    _check_lengths(errors, Recommendation, lead_member=lead_member, lead_officers=lead_officers)
    if errors:
        raise ValidationError(errors)
    return Recommendation.objects.create(
        review=review,
        parent=parent,
        number=number,
        sort_key=recommendation_sort_key(number),
        text=text.strip(),
        theme=theme,
        lead_member=lead_member,
        lead_officers=lead_officers,
        kpi_key=kpi_key,
        kpi_target=kpi_target,
        kpi_target_date=kpi_target_date,
    )


@transaction.atomic
def recommendation_evidence_set(
    *,
    recommendation: Recommendation,
    kpi_key: str,
    kpi_target: Decimal | None,
    kpi_target_date: dt.date | None,
    kpi_catalogue: Mapping[str, str] | None = None,
    version: int | Unchecked | None,
) -> Recommendation:
    """Link the recommendation to the KPI that evidences it (or unlink with an empty key).
    ``version`` is the one the user loaded: a stale edit is refused (``core.locking``),
    and so is none; writes no person makes pass ``UNCHECKED``."""
    lock_version(recommendation, version)
    errors: dict[str, list[str]] = {}
    _check_kpi(
        errors,
        kpi_key=kpi_key,
        kpi_target=kpi_target,
        kpi_target_date=kpi_target_date,
        kpi_catalogue=kpi_catalogue,
    )
    if errors:
        raise ValidationError(errors)
    recommendation.kpi_key = kpi_key
    recommendation.kpi_target = kpi_target
    recommendation.kpi_target_date = kpi_target_date
    recommendation.save(update_fields=["kpi_key", "kpi_target", "kpi_target_date", "version"])
    return recommendation


@transaction.atomic
def executive_response_record(
    *,
    recommendation: Recommendation,
    decision: str,
    response_text: str,
    response_date: dt.date | None,
    decision_body: str = "",
    officer_responsible: str = "",
    action_by: str = "",
    action_by_date: dt.date | None = None,
    user=None,
    version: int | Unchecked | None,
) -> ExecutiveResponse:
    """Record (or correct) the executive's response to a recommendation. The action-by is
    a date, a stated period ("Quarterly review"), or both as printed ("February 2023"
    with its last day). ``version`` is the recommendation's, as the user loaded it: a
    stale edit is refused (``core.locking``),
    and so is none; writes no person makes pass ``UNCHECKED``."""
    lock_version(
        recommendation,
        version,
        related=lambda: ExecutiveResponse.objects.filter(recommendation=recommendation),
    )
    errors: dict[str, list[str]] = {}
    if decision and decision not in Decision.values:
        errors["decision"] = [f"'{decision}' is not a decision."]
    if not (response_text or "").strip():
        errors["response_text"] = ["Enter the executive's response."]
    if response_date is None:
        errors["response_date"] = ["Enter the date of the response."]
    if action_by_date and response_date and action_by_date < response_date:
        errors["action_by_date"] = [
            "The action-by date must be on or after the date of the response."
        ]
    _check_lengths(
        errors,
        ExecutiveResponse,
        decision_body=decision_body,
        officer_responsible=officer_responsible,
        action_by=action_by,
    )
    if errors:
        raise ValidationError(errors)
    response, _ = ExecutiveResponse.objects.update_or_create(
        recommendation=recommendation,
        defaults={
            "decision": decision,
            "response_text": response_text.strip(),
            "response_date": response_date,
            "decision_body": decision_body.strip(),
            "officer_responsible": officer_responsible.strip(),
            "action_by": action_by.strip(),
            "action_by_date": action_by_date,
            "recorded_by": user,
        },
    )
    recommendation.save(update_fields=["version"])
    return response


@transaction.atomic
def action_create(
    *,
    review: Review,
    description: str,
    owner: str,
    due_date: dt.date | None,
    recommendation: Recommendation | None = None,
    number: str = "",
) -> Action:
    """An action with its owner and due date, for a recommendation or from the minutes."""
    errors: dict[str, list[str]] = {}
    if not (description or "").strip():
        errors["description"] = ["Describe the action."]
    if not (owner or "").strip():
        errors["owner"] = ["Enter who owns the action."]
    if recommendation is not None and recommendation.review_id != review.pk:
        errors["recommendation"] = ["The recommendation must belong to the same review."]
    _check_lengths(errors, Action, owner=owner, number=number)
    if errors:
        raise ValidationError(errors)
    return Action.objects.create(
        review=review,
        recommendation=recommendation,
        number=number,
        description=description.strip(),
        owner=owner.strip(),
        due_date=due_date,
    )


@transaction.atomic
def action_complete(*, action: Action, completed_on: dt.date, today: dt.date) -> Action:
    """Mark an action done on ``completed_on`` (not in the future)."""
    if completed_on > today:
        raise ValidationError({"completed_on": ["An action cannot be completed in the future."]})
    action.completed_on = completed_on
    action.save(update_fields=["completed_on"])
    return action


@transaction.atomic
def progress_update_record(
    *,
    recommendation: Recommendation,
    update_date: dt.date | None,
    text: str,
    status: str,
    rag: str = "",
    user=None,
    today: dt.date,
) -> ProgressUpdate:
    """A dated progress update. It cannot be dated in the future or before the review."""
    errors: dict[str, list[str]] = {}
    if update_date is None:
        errors["update_date"] = ["Enter the date of the update."]
    elif update_date > today:
        errors["update_date"] = ["The date of the update cannot be in the future."]
    elif recommendation.review.report_date and update_date < recommendation.review.report_date:
        errors["update_date"] = [
            f"The update cannot be before the review "
            f"({recommendation.review.report_date:%-d %B %Y})."
        ]
    if not (text or "").strip():
        errors["text"] = ["Say what has happened."]
    if status not in DeliveryStatus.values:
        errors["status"] = ["Choose the delivery status."]
    if rag and rag not in Rag.values:
        errors["rag"] = ["Choose red, amber or green."]
    if errors:
        raise ValidationError(errors)
    return ProgressUpdate.objects.create(
        recommendation=recommendation,
        update_date=update_date,
        text=text.strip(),
        status=status,
        rag=rag,
        recorded_by=user,
    )


@transaction.atomic
def member_comment_add(
    *, recommendation: Recommendation, author, text: str, asks_for_update: bool = False
) -> MemberComment:
    """A member's comment on a recommendation, or a request for an update."""
    if not (text or "").strip():
        raise ValidationError(
            {"text": ["Write your comment or say what you would like an update on."]}
        )
    return MemberComment.objects.create(
        recommendation=recommendation,
        author=author,
        text=text.strip(),
        asks_for_update=asks_for_update,
    )


# --- Loading published papers from a data file --------------------------------------


@dataclass
class LoadResult:
    reviews_created: int = 0
    reviews_skipped: int = 0
    recommendations: int = 0
    responses: int = 0
    actions: int = 0
    updates: int = 0
    by_council: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        councils = "; ".join(f"{c}: {n}" for c, n in self.by_council.items())
        return [
            f"Reviews loaded: {self.reviews_created} (already there: {self.reviews_skipped})",
            f"Recommendations: {self.recommendations} ({councils}); executive responses: "
            f"{self.responses}; actions: {self.actions}; progress updates: {self.updates}",
        ]


def _date(value, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(f"{where}: '{value}' is not a date (YYYY-MM-DD).") from exc


def _prefixed(exc: ValidationError, where: str) -> ValidationError:
    return ValidationError([f"{where}: {message}" for message in exc.messages])


@transaction.atomic
def recommendations_load(
    *, path: str | Path, kpi_catalogue: Mapping[str, str] | None = None
) -> LoadResult:
    """Load committees, reviews, recommendations, responses, actions and updates from a
    YAML file (``data/recommendations/seed_papers.yaml`` is the four councils' papers).
    A review already loaded (same committee and title) is left as it is, so loading twice
    adds nothing. All or nothing: a problem anywhere names where it is and saves nothing."""
    import yaml

    class DatesAsText(yaml.SafeLoader):
        """Leaves dates as text, so a bad one is reported where it is, not by PyYAML."""

    DatesAsText.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    try:
        document = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=DatesAsText)  # noqa: S506
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ValidationError(f"{path}: could not be read as YAML ({exc}).") from exc
    problems = recommendations_file_problems(document, path=str(path))
    if problems:
        raise ValidationError(problems)
    result = LoadResult()
    for c_index, council in enumerate(document.get("councils") or [], start=1):
        where_c = f"{path}, council {c_index} ({council.get('council', '?')})"
        try:
            committee = committee_get_or_create(
                council=council.get("council", ""), name=council.get("committee", "")
            )
        except ValidationError as exc:
            problems += _prefixed(exc, where_c).messages
            continue
        for r_index, data in enumerate(council.get("reviews") or [], start=1):
            where_r = f"{where_c}, review {r_index}"
            if Review.objects.filter(committee=committee, title=data.get("title", "")).exists():
                result.reviews_skipped += 1
                continue
            problems += _load_review(committee, data, where_r, result, kpi_catalogue)
    if problems:  # every problem at once; the transaction saves nothing
        raise ValidationError(problems)
    return result


# What each level of a recommendations file may hold, and of what type.
_TEXT = (str, int, float)  # a number typed without quotes ("number: 1") is read as text
_FILE_FIELDS = {
    "council": {
        "council": _TEXT,
        "committee": _TEXT,
        "reviews": list,
    },
    "review": {
        "title": _TEXT,
        "kind": str,
        "report_date": "date",
        "meeting": _TEXT,
        "paper_url": str,
        "chair": _TEXT,
        "summary": _TEXT,
        "monitoring_months": "months",
        "response_defaults": dict,
        "recommendations": list,
        "actions": list,
    },
    "recommendation": {
        "number": _TEXT,
        "text": _TEXT,
        "theme": str,
        "lead_member": _TEXT,
        "lead_officers": _TEXT,
        "kpi": dict,
        "response": dict,
        "updates": list,
        "children": list,
    },
    "kpi": {"key": str, "target": "number", "target_date": "date"},
    "response": {
        "decision": str,
        "text": _TEXT,
        "date": "date",
        "decision_body": _TEXT,
        "officer_responsible": _TEXT,
        "action_by": _TEXT,
        "action_by_date": "date",
    },
    "update": {"date": "date", "text": _TEXT, "status": str, "rag": str},
    "action": {
        "number": _TEXT,
        "recommendation": _TEXT,
        "description": _TEXT,
        "owner": _TEXT,
        "due_date": "date",
    },
}
_TYPE_NAMES = {str: "text", list: "a list", dict: "a set of named fields", _TEXT: "text"}


def _value_problem(value, kind) -> str | None:
    """What is wrong with ``value`` for a field of ``kind``, or None."""
    if value is None:
        return None
    if kind == "date":
        if isinstance(value, dt.date):
            return None
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return f"'{value}' is not a date (YYYY-MM-DD)."
        return None
    if kind == "months":
        if _is_month_list(value):
            return None
        return (
            f"'{value}' is not a list of months: give the months after the response when "
            "updates are due as a list of whole numbers from 1 to 60, for example [6, 12]."
        )
    if kind == "number":
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            return f"'{value}' is not a number."
        if isinstance(value, bool) or not number.is_finite():
            return f"'{value}' is not a number."
        return None
    if isinstance(value, bool) or not isinstance(value, kind):
        return f"expected {_TYPE_NAMES[kind]}, not '{value}'."
    return None


def _fields_problems(item, level: str, where: str) -> list[str]:
    """Problems with one entry of the file (``level`` says which kind): not a set of named
    fields, a field it cannot have (a typing slip), a value of the wrong type."""
    if not isinstance(item, dict):
        return [f"{where}: expected a {level} with named fields (title: ..., text: ...), "
                f"not '{item}'."]  # fmt: skip
    fields = _FILE_FIELDS[level]
    problems = []
    for name, value in item.items():
        if name not in fields:
            known = ", ".join(fields)
            problems.append(f"{where}: '{name}' is not a field of a {level} (expected: {known}).")
            continue
        problem = _value_problem(value, fields[name])
        if problem:
            problems.append(f"{where}: {name}: {problem}")
    return problems


def _list_of(item: dict, name: str) -> list:
    value = item.get(name) if isinstance(item, dict) else None
    return value if isinstance(value, list) else []


def recommendations_file_problems(document, *, path: str) -> list[str]:
    """Every problem with the shape of a recommendations file (a loaded YAML document),
    each saying where it is: ``<file>, council 1 (Surrey), review 2, recommendation 3:
    ...``. Empty if the file can be loaded (the services still check the values)."""
    if not isinstance(document, dict) or not isinstance(document.get("councils"), list):
        return [f"{path}: expected a 'councils:' list at the top."]
    problems = [
        f"{path}: '{name}' is not expected at the top (only 'councils:')."
        for name in document
        if name != "councils"
    ]
    for c_index, council in enumerate(document["councils"], start=1):
        name = council.get("council", "?") if isinstance(council, dict) else "?"
        where_c = f"{path}, council {c_index} ({name})"
        problems += _fields_problems(council, "council", where_c)
        for field_name in ("council", "committee"):
            if isinstance(council, dict) and not council.get(field_name):
                problems.append(f"{where_c}: give the {field_name}'s name ({field_name}: ...).")
        for r_index, review in enumerate(_list_of(council, "reviews"), start=1):
            where_r = f"{where_c}, review {r_index}"
            problems += _fields_problems(review, "review", where_r)
            if isinstance(review, dict) and not review.get("title"):
                problems.append(f"{where_r}: give the review's title (title: ...).")
            defaults = review.get("response_defaults") if isinstance(review, dict) else None
            if isinstance(defaults, dict):
                problems += _fields_problems(defaults, "response", f"{where_r}, response_defaults")
            problems += _recommendations_problems(_list_of(review, "recommendations"), where_r)
            for a_index, action in enumerate(_list_of(review, "actions"), start=1):
                problems += _fields_problems(action, "action", f"{where_r}, action {a_index}")
    return problems


def _recommendations_problems(items: list, where: str) -> list[str]:
    problems = []
    for index, item in enumerate(items, start=1):
        number = item.get("number") if isinstance(item, dict) else None
        where_n = f"{where}, recommendation {number if number not in (None, '') else f'#{index}'}"
        problems += _fields_problems(item, "recommendation", where_n)
        if not isinstance(item, dict):
            continue
        for part in ("kpi", "response"):
            if isinstance(item.get(part), dict):
                problems += _fields_problems(item[part], part, f"{where_n}, {part}")
        for u_index, update in enumerate(_list_of(item, "updates"), start=1):
            problems += _fields_problems(update, "update", f"{where_n}, update {u_index}")
        problems += _recommendations_problems(_list_of(item, "children"), where_n)
    return problems


def _load_review(committee, data, where, result: LoadResult, kpi_catalogue) -> list[str]:
    """Load one review; the problems the services find, each with where it is (a
    recommendation with a problem is skipped with its children, the rest still checked)."""
    problems: list[str] = []
    try:
        review = review_create(
            committee=committee,
            title=data.get("title", ""),
            kind=data.get("kind", ReviewKind.SCRUTINY_REVIEW),
            report_date=_date(data.get("report_date"), where),
            meeting=data.get("meeting", ""),
            paper_url=data.get("paper_url", ""),
            chair=data.get("chair", ""),
            summary=data.get("summary", ""),
            monitoring_months=data.get("monitoring_months"),
        )
    except ValidationError as exc:
        return _prefixed(exc, where).messages
    result.reviews_created += 1
    defaults = data.get("response_defaults") or {}
    by_number: dict[str, Recommendation] = {}

    def load(items, parent):
        for item in items:
            number = str(item.get("number", ""))
            where_n = f"{where}, recommendation {number or '?'}"
            kpi = item.get("kpi") or {}
            try:
                rec = recommendation_create(
                    review=review,
                    number=number,
                    text=item.get("text", ""),
                    parent=parent,
                    theme=item.get("theme", ""),
                    lead_member=item.get("lead_member", ""),
                    lead_officers=item.get("lead_officers", ""),
                    kpi_key=kpi.get("key", ""),
                    kpi_target=Decimal(str(kpi["target"])) if "target" in kpi else None,
                    kpi_target_date=_date(kpi.get("target_date"), where_n),
                    kpi_catalogue=kpi_catalogue,
                )
                result.recommendations += 1
                council = committee.council
                result.by_council[council] = result.by_council.get(council, 0) + 1
                by_number[number] = rec
                response = item.get("response")
                if response:
                    merged = {**defaults, **response}
                    executive_response_record(
                        recommendation=rec,
                        decision=merged.get("decision", ""),
                        response_text=merged.get("text", ""),
                        response_date=_date(merged.get("date"), where_n),
                        decision_body=merged.get("decision_body", ""),
                        officer_responsible=merged.get("officer_responsible", ""),
                        action_by=str(merged.get("action_by", "")),
                        action_by_date=_date(merged.get("action_by_date"), where_n),
                        version=UNCHECKED,  # a loaded file: no person is editing
                    )
                    result.responses += 1
                for update in item.get("updates", []):
                    progress_update_record(
                        recommendation=rec,
                        update_date=_date(update.get("date"), where_n),
                        text=update.get("text", ""),
                        status=update.get("status", ""),
                        rag=update.get("rag", ""),
                        today=dt.date.max,
                    )
                    result.updates += 1
            except ValidationError as exc:
                problems.extend(_prefixed(exc, where_n).messages)
                continue
            load(item.get("children") or [], rec)

    load(data.get("recommendations") or [], None)
    for a_index, action in enumerate(data.get("actions") or [], start=1):
        where_a = f"{where}, action {a_index}"
        number = action.get("recommendation")
        if number is not None and str(number) not in by_number:
            problems.append(f"{where_a}: there is no recommendation {number} in this review.")
            continue
        try:
            action_create(
                review=review,
                recommendation=by_number.get(str(number)) if number is not None else None,
                number=str(action.get("number", "")),
                description=action.get("description", ""),
                owner=action.get("owner", ""),
                due_date=_date(action.get("due_date"), where_a),
            )
        except ValidationError as exc:
            problems.extend(_prefixed(exc, where_a).messages)
            continue
        result.actions += 1
    return problems
