"""Audit entries for the census imports' bulk writes.

django-auditlog's signals do not fire for ``bulk_create``/``bulk_update``, so the
imports describe each change here and write auditlog's ``LogEntry`` rows together, naming
the user who imported (who, when, before/after), as the signals would. On PostgreSQL the
rows go in with one ``COPY`` (a 5,000-worker return makes about 25,000 entries; building
that many model instances and one huge INSERT took seconds); elsewhere ``bulk_create``.
"""

from __future__ import annotations

import json

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from config.bulk import copy_rows

_COLUMNS = (
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes",
    "changes_text",
    "actor_id",
    "actor_email",
    "timestamp",
)


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
        self.entries: list[tuple] = []
        self._types: dict[type, int] = {}
        self._now = timezone.now()

    def _add(self, obj: models.Model, action: int, changes: dict) -> None:
        model = type(obj)
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model).pk
        self.entries.append(
            (
                self._types[model],
                str(obj.pk),
                obj.pk,
                str(obj)[:1000],
                action,
                changes,
                "",
                self.actor.pk if self.actor else None,
                (getattr(self.actor, "email", None) or None) if self.actor else None,
                self._now,
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
        """Write the collected entries; returns how many."""
        count = len(self.entries)
        if not count:
            return 0
        if connection.vendor == "postgresql":
            copy_rows(
                LogEntry,
                _COLUMNS,
                (row[:5] + (json.dumps(row[5]),) + row[6:] for row in self.entries),
            )
        else:
            LogEntry.objects.bulk_create(
                [LogEntry(**dict(zip(_COLUMNS, row, strict=True))) for row in self.entries],
                batch_size=1000,
            )
        self.entries = []
        return count
