"""Optimistic locking: the one mechanism that stops a second save silently reverting the
first (a "lost update").

Each lockable record has a ``version`` integer (people, employments, vacancies,
applications, exit records, recommendations). A page carries the version the user
loaded in a hidden field (``VersionedForm``); the API returns it in the body and as an
``ETag`` and takes it back as ``version`` or ``If-Match`` (``VersionedInput``,
``requested_version``). A service that changes the record calls ``lock_version`` inside
its transaction: the row is locked, and if someone saved it since the user loaded it
the save is refused with ``StaleEdit``, whose message says who changed it, when, and
what they changed (from django-auditlog's entries since the version the user loaded):

    "Sam Patel changed this record at 10:42; here is what they changed: Last name:
    Smith → Jones. Nothing you entered was saved: ..."

Otherwise the version goes up by one with the caller's ``save()``. The page shows the form
again with the user's values and the current version, so saving again (having seen the
other change) is deliberate.

The version is required of every edit a person makes: a page whose form comes back
without it is refused with ``MISSING_VERSION`` (``VersionMissing``), and an API update
without ``version`` or ``If-Match`` is answered 428 with what to send
(``required_version``). Only writes no person is editing (imports, the demo council,
scheduled tasks) skip the check, and they say so: ``version=UNCHECKED``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from rest_framework import exceptions, serializers

#: How close (seconds) a related record's audit entry must be to a save to belong to it.
RELATED_WINDOW_SECONDS = 5
#: Fields that change on every save and say nothing to the user.
_HOUSEKEEPING = {"version", "updated_at", "created_at"}


class Unchecked(enum.Enum):
    """The "version" of a write no person is editing (an import, the demo council, a
    scheduled task): the check is skipped, on purpose and visibly."""

    UNCHECKED = "unchecked"


UNCHECKED = Unchecked.UNCHECKED

MISSING_VERSION = (
    "This save was refused because it did not say which version of the record you opened, "
    "so it could have undone someone else's change. Nothing was saved. Open the record "
    "again (reload the page) and make your change there."
)


class VersionMissing(ValidationError):
    """An edit that did not carry the version the user loaded: refused."""

    def __init__(self, message: str = MISSING_VERSION):
        super().__init__({NON_FIELD_ERRORS: [message]})


class StaleEdit(ValidationError):
    """Someone else saved the record after the user loaded it. ``current_version`` is the
    version now stored, for the form shown again."""

    def __init__(self, message: str, *, current_version: int):
        super().__init__({NON_FIELD_ERRORS: [message]})
        self.current_version = current_version


def lock_version(
    obj: models.Model,
    version: int | Unchecked | None,
    *,
    related: Callable[[], Iterable[models.Model]] | None = None,
    fallback: Callable[[], str] | None = None,
) -> None:
    """Call inside the transaction of a write to ``obj``: lock its row and refuse with
    ``StaleEdit`` unless it is still at ``version``; then ``obj.version`` is the next
    version, for the caller's ``save()``. ``version=UNCHECKED`` skips the check (and still
    moves the version on); ``None`` (no version sent) is refused with ``VersionMissing``.
    ``related`` gives the records whose audit entries also belong
    to this edit (an employment's assignments, a recommendation's response); ``fallback``
    is the message when the audit log has nothing to say."""
    if version is None:
        raise VersionMissing()
    model = type(obj)
    current = (
        model._default_manager.select_for_update()
        .filter(pk=obj.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None:
        raise ValidationError({NON_FIELD_ERRORS: ["This record has been deleted."]})
    if version is not UNCHECKED and int(version) != current:
        message = stale_message(obj, int(version), related=related() if related else ())
        if message is None:
            message = (fallback() if fallback else SOMEONE_ELSE) + NOTHING_SAVED
        raise StaleEdit(message, current_version=current)
    obj.version = current + 1


def save_versioned(
    obj: models.Model, version: int | Unchecked | None, changes: dict, **kwargs
) -> None:
    """``lock_version``, then write ``changes`` (and the new version) to ``obj``."""
    lock_version(obj, version, **kwargs)
    for field, value in changes.items():
        setattr(obj, field, value)
    obj.save(update_fields=[*changes, "version"])


SOMEONE_ELSE = "Someone else changed this record after you opened it."
NOTHING_SAVED = (
    " Nothing you entered was saved: your entries are still in the form. Check them against "
    "the change, then save again to keep yours."
)


def _when(timestamp: dt.datetime) -> str:
    local = timezone.localtime(timestamp)
    if local.date() == timezone.localdate():
        return f"{local:%H:%M}"
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _who(entry) -> str:
    actor = entry.actor
    if actor is None:
        return "Someone (an import or a scheduled task)"
    return actor.get_full_name() or actor.get_username()


def _new_version(entry) -> int | None:
    change = (entry.changes_dict or {}).get("version")
    try:
        return int(change[1])
    except (TypeError, ValueError, IndexError):
        return None


def _shown(value) -> str:
    return "(empty)" if value in (None, "", "None") else str(value)


def _changed_fields(entry) -> list[str]:
    model = entry.content_type.model_class()
    skip = {str(field.verbose_name) for field in model._meta.fields if field.name in _HOUSEKEEPING}
    # In the model's field order: the stored JSON's key order differs between databases
    # (PostgreSQL's jsonb sorts keys, SQLite keeps them as written).
    order = {str(field.verbose_name): n for n, field in enumerate(model._meta.fields)}
    lines = []
    changes = (entry.changes_display_dict or {}).items()
    for label, values in sorted(changes, key=lambda item: order.get(item[0], len(order))):
        if label in skip or label.lower() in _HOUSEKEEPING:
            continue
        old, new = (_shown(v) for v in (list(values) + ["", ""])[:2])
        lines.append(f"{label[:1].upper()}{label[1:]}: {old} → {new}")
    return lines


def stale_message(obj: models.Model, loaded_version: int, *, related=()) -> str | None:
    """ "<who> changed this record at <time>; here is what they changed: ..." from the audit
    entries of ``obj`` (and ``related``) since ``loaded_version``; None if there are none."""
    from auditlog.models import LogEntry

    entries = list(LogEntry.objects.get_for_object(obj).select_related("actor", "content_type"))
    newer = [e for e in entries if (_new_version(e) or 0) > loaded_version]
    if not newer:
        return None
    # The related records' entries written in the same saves: by the same person, within
    # seconds of a save that moved the version on (a change of terms writes its assignments
    # just before it moves the employment's version on).
    saves = [(e.actor_id, e.timestamp) for e in newer]
    window = dt.timedelta(seconds=RELATED_WINDOW_SECONDS)
    for other in related:
        newer += [
            e
            for e in LogEntry.objects.get_for_object(other).select_related("actor", "content_type")
            if any(e.actor_id == who and abs(e.timestamp - when) <= window for who, when in saves)
        ]
    newer.sort(key=lambda e: e.timestamp)
    who = list(dict.fromkeys(_who(e) for e in newer))
    lines = [line for e in newer for line in _changed_fields(e)]
    what = "; ".join(dict.fromkeys(lines)) or "no field you can see"
    return (
        f"{' and '.join(who)} changed this record at {_when(newer[-1].timestamp)}; "
        f"here is what they changed: {what}." + NOTHING_SAVED
    )


# --- Pages -------------------------------------------------------------------------------


class VersionedForm(forms.Form):
    """Carries the version the user loaded in a hidden field. Mix in first:
    ``class PersonEditForm(VersionedForm, PersonDetailsForm)``; give the view's initial
    ``{"version": obj.version}``."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def full_clean(self) -> None:
        """A form sent back without its version (or with a broken one) is refused with a
        message at the top of the page: the hidden field has no place to show it."""
        super().full_clean()
        if not self.is_bound or self._errors is None:
            return
        field_errors = self._errors.pop("version", None)
        if field_errors or self.cleaned_data.get("version") is None:
            self.cleaned_data.pop("version", None)
            self.add_error(None, MISSING_VERSION)

    def show_current_version(self, exc: ValidationError) -> None:
        """After a ``StaleEdit``: the form shown again keeps the user's values and takes
        the current version, so saving again (knowingly) replaces the other change."""
        if isinstance(exc, StaleEdit) and self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = exc.current_version


# --- API ---------------------------------------------------------------------------------


class VersionedInput(serializers.Serializer):
    """An input serializer's ``version``: the record's version the client last read (the
    ``version`` field or ``ETag`` of its GET). Mix in first."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Required (here or as an `If-Match` header): the record's version you "
        "last read (its `version`, or the `ETag` of its GET). If someone has changed the "
        "record since, nothing is saved and the answer is 409 saying who changed what; "
        "without it the answer is 428.",
    )


def requested_version(request, data: dict | None = None) -> int | None:
    """The version a client sent: the ``version`` field, else the ``If-Match`` header
    (``"3"``, ``W/"3"`` or ``3``); None if neither."""
    if data and data.get("version") is not None:
        return int(data["version"])
    header = request.headers.get("If-Match", "").strip()
    if header.startswith("W/"):
        header = header[2:]
    header = header.strip('"')
    return int(header) if header.isdigit() else None


def etag(obj: models.Model) -> str:
    return f'"{obj.version}"'


VERSION_REQUIRED = (
    "Send the version of the record you last read: the `version` field (from the record's "
    'GET) or an `If-Match` header with its ETag (e.g. `If-Match: "3"`). Without it this '
    "update could silently undo someone else's change, so nothing was saved."
)


class PreconditionRequired(exceptions.APIException):
    """428: an update sent without the version it was based on."""

    status_code = 428
    default_code = "precondition_required"
    default_detail = VERSION_REQUIRED


def required_version(request, data: dict | None = None) -> int:
    """``requested_version``, or a 428 saying what to send if the client sent neither."""
    version = requested_version(request, data)
    if version is None:
        raise PreconditionRequired({"version": [VERSION_REQUIRED]})
    return version
