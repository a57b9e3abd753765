"""Audit registration (``audit_register``) and audit entries written together
(``audit_in_bulk()``, for code that saves thousands of audited records one by one through
the services: the demo council).

``audit_register`` registers a model with django-auditlog auditing the fields stored in
its table. Left to itself, auditlog's entry for a new record also lists every reverse
relation (``"assignments": ["None", "workforce.Assignment.None"]``, noise in the trail a
council shows its data protection officer) and reads each reverse one-to-one from the
database to find there is none yet (three queries for each new employment).

django-auditlog writes each entry as the record is saved: for an update it first reads
the stored row back (one SELECT), works out the difference, and INSERTs one ``LogEntry``.
Over the demo's thousands of starters, leavers and changes that was about a quarter of
the time spent. Inside ``audit_in_bulk()`` auditlog's own receivers are muted and these
take their place: every save of an audited model is still seen (``post_save``), its
changes worked out with auditlog's own ``model_instance_diff`` against the record as this
block last saw it (read from the database only the first time an existing record is
changed), and the entries are INSERTed together when the block ends. The trail is the
one auditlog would have written - the same entries, changes, object names and actor -
only written later (the timestamp is still each save's). Bulk writes send no signals, so
they are no more audited here than they were.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from auditlog.cid import get_cid
from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry, _get_manager_from_settings
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.encoding import smart_str


def audit_register(model: type[Model], *, include_fields=None, **options) -> None:
    """Audit changes to ``model`` (django-auditlog): ``include_fields`` (default: the
    model's own columns), less any ``exclude_fields``, and any ``m2m_fields``."""
    if include_fields is None:
        include_fields = [field.name for field in model._meta.concrete_fields]
    auditlog.register(model, include_fields=include_fields, **options)


class _Collector:
    """The entries of one ``audit_in_bulk`` block, and each record as last saved."""

    def __init__(self) -> None:
        self.entries: list[LogEntry] = []
        self.last_saved: dict[tuple[type, object], Model] = {}
        self.json = settings.AUDITLOG_STORE_JSON_CHANGES

    def before_save(self, sender, instance, raw=False, **kwargs) -> None:
        if raw or instance._state.adding or instance.pk is None:
            return
        key = (sender, instance.pk)
        if key not in self.last_saved:  # a record stored before the block: as auditlog does
            self.last_saved[key] = _get_manager_from_settings(sender).filter(pk=instance.pk).first()

    def saved(self, sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
        if raw:
            return
        key = (sender, instance.pk)
        if created:
            # The stored fields only, as registered (``audit_register``).
            changes = model_instance_diff(None, instance, use_json_for_changes=self.json)
            action = LogEntry.Action.CREATE
        else:
            changes = model_instance_diff(
                self.last_saved.get(key),
                instance,
                fields_to_check=update_fields,
                use_json_for_changes=self.json,
            )
            action = LogEntry.Action.UPDATE
        self.last_saved[key] = _as_saved(instance)
        if changes:
            self.add(instance, action, changes)

    def deleted(self, sender, instance, **kwargs) -> None:
        self.last_saved.pop((sender, instance.pk), None)
        changes = model_instance_diff(instance, None, use_json_for_changes=self.json)
        self.add(instance, LogEntry.Action.DELETE, changes)

    def add(self, instance: Model, action: int, changes) -> None:
        """The entry ``LogEntry.objects.log_create`` would make, unsaved."""
        pk = LogEntry.objects._get_pk_value(instance)
        entry = LogEntry(
            content_type=ContentType.objects.get_for_model(instance),
            object_pk=pk,
            object_id=pk if isinstance(pk, int) else None,
            object_repr=smart_str(instance),
            serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
            action=action,
            changes=changes,
            cid=get_cid(),
            timestamp=timezone.now(),
        )
        get_additional_data = getattr(instance, "get_additional_data", None)
        if callable(get_additional_data):
            entry.additional_data = get_additional_data()
        # what LogEntry's own save would hear: set_actor's receiver names the actor
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=None, update_fields=None)
        self.entries.append(entry)


def _as_saved(instance: Model) -> Model:
    """A copy of ``instance``'s field values to diff the next save against (cheaper than
    ``copy.copy``, which also copies the cache of related objects)."""
    model = type(instance)
    saved = model.__new__(model)
    saved.__dict__ = {**instance.__dict__, "_state": ModelState()}
    saved._state.db, saved._state.adding = instance._state.db, False
    return saved


@contextlib.contextmanager
def audit_in_bulk() -> Iterator[None]:
    """Audit every save inside the block as auditlog would, writing the entries at the
    end (see the module docstring). Use it inside the caller's transaction, so the
    records and their entries are saved, or not, together."""
    collector = _Collector()
    uid = f"core.audit.audit_in_bulk.{id(collector)}"
    receivers = (
        (pre_save, collector.before_save),
        (post_save, collector.saved),
        (post_delete, collector.deleted),
    )
    models = list(auditlog.get_models())
    for model in models:
        for signal, receiver in receivers:
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    try:
        with disable_auditlog():
            yield
    finally:
        for model in models:
            for signal, _ in receivers:
                signal.disconnect(sender=model, dispatch_uid=uid)
    LogEntry.objects.bulk_create(collector.entries, batch_size=500)
