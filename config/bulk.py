"""Writing many rows quickly: ``rows_insert`` for the demo council's weekly caseloads and
absence and for DfE's benchmark file (tens of thousands of rows each).

``bulk_create`` builds the SQL of every value of every row through the field's methods,
which was most of the time the demo spent writing them; here each distinct value is
prepared once and the rows are sent as one prepared INSERT run over them all. Like
``bulk_create``: no signals, no audit entries, no ``save()``; unlike it, the objects'
primary keys are not set afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import connections, router, transaction
from django.db.models import Model
from django.db.models.constants import OnConflict
from django.utils import timezone


def rows_insert(
    model: type[Model],
    rows: Iterable[Model | Mapping],
    *,
    unique_fields: Sequence[str] = (),
    update_fields: Sequence[str] = (),
) -> int:
    """Insert ``rows`` of ``model`` and return how many: unsaved instances, or mappings of
    field attnames (``team_id``, not ``team``) to values, a missing one taking the field's
    default. With ``unique_fields`` and ``update_fields`` (field names, as for
    ``bulk_create``'s ``update_conflicts``), a row that clashes on ``unique_fields`` with a
    stored one updates that row's ``update_fields`` instead."""
    rows = list(rows)
    if not rows:
        return 0
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    suffix = ""
    if unique_fields:
        suffix = " " + connection.ops.on_conflict_suffix_sql(
            fields,
            OnConflict.UPDATE,
            [meta.get_field(name).column for name in update_fields],
            [meta.get_field(name).column for name in unique_fields],
        )
    now = timezone.now()
    # auto_now(_add): one timestamp for the lot, as bulk_create gives
    stamped = {
        field.attname
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    defaults = {field.attname: field.get_default() for field in fields}
    prepared: list[dict] = [{} for _ in fields]

    def prepare(index: int, value):
        cache = prepared[index]
        try:
            return cache[value]
        except KeyError:
            cache[value] = fields[index].get_db_prep_save(value, connection)
            return cache[value]
        except TypeError:  # not hashable
            return fields[index].get_db_prep_save(value, connection)

    def value(row, attname: str):
        if attname in stamped:
            return now
        if isinstance(row, Mapping):
            return row.get(attname, defaults[attname])
        return getattr(row, attname)

    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}){suffix}"
    attnames = [field.attname for field in fields]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for first in range(0, len(rows), 5000):
            cursor.executemany(
                sql,
                [
                    tuple(
                        prepare(index, value(row, attname))
                        for index, attname in enumerate(attnames)
                    )
                    for row in rows[first : first + 5000]
                ],
            )
    return len(rows)
