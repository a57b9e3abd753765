"""``full_clean``: the model validation the services run before every save, with one
narrow exception for records generated in bulk by trusted code (the demo council).

Django's ``Model.full_clean`` checks each field in Python (blank, choices, lengths,
formats) and then asks the database, one query each, whether every foreign key's row
exists and whether every unique and check constraint holds. The database enforces
those same rules again when the row is written. Building the demo council saves
thousands of records through the services, and those per-save queries were about a
third of its time.

Inside ``checked_by_database()`` (used only by ``workforce.demo``) ``full_clean`` keeps
the Python checks and ``clean()`` and leaves foreign keys, unique and check constraints
to the database: a generated record that broke one would still be refused (an
``IntegrityError`` rolls the whole demo back), only without a form-friendly message,
which nobody is there to read. Everywhere else it is ``Model.full_clean`` unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import models

_checked_by_database: ContextVar[bool] = ContextVar("checked_by_database", default=False)


@contextlib.contextmanager
def checked_by_database() -> Iterator[None]:
    """Within the block, ``full_clean`` leaves keys and constraints to the database."""
    token = _checked_by_database.set(True)
    try:
        yield
    finally:
        _checked_by_database.reset(token)


def full_clean(instance: models.Model) -> None:
    """Validate ``instance`` before saving it (``ValidationError`` if it is invalid)."""
    if not _checked_by_database.get():
        instance.full_clean()
        return
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.clean_fields(exclude=relations)
    instance.clean()
