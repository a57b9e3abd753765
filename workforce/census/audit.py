"""Audit entries for the census imports' bulk writes.

django-auditlog's signals do not fire for ``bulk_create``/``bulk_update``, so the
imports describe each change here and write the ``LogEntry`` rows in one query, naming
the user who imported (who, when, before/after), exactly as the signals would.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models


def _text(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


class AuditTrail:
    """Collects audit entries for one import and writes them together."""

    def __init__(self, actor=None) -> None:
        self.actor = actor if getattr(actor, "pk", None) else None
        self.entries: list[LogEntry] = []

    def _add(self, obj: models.Model, action: int, changes: dict) -> None:
        self.entries.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj)[:1000],
                action=action,
                changes=changes,
                changes_text="",
                actor=self.actor,
            )
        )

    def created(self, obj: models.Model, fields: list[str]) -> None:
        self._add(
            obj,
            LogEntry.Action.CREATE,
            {name: ["None", _text(getattr(obj, name))] for name in fields},
        )

    def updated(self, obj: models.Model, changes: dict[str, tuple]) -> None:
        if changes:
            self._add(
                obj,
                LogEntry.Action.UPDATE,
                {name: [_text(old), _text(new)] for name, (old, new) in changes.items()},
            )

    def deleted(self, obj: models.Model) -> None:
        self._add(obj, LogEntry.Action.DELETE, {})

    def write(self) -> int:
        LogEntry.objects.bulk_create(self.entries, batch_size=1000)
        count = len(self.entries)
        self.entries = []
        return count
