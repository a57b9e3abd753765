"""Writing many rows quickly: ``rows_insert`` for the demo council's weekly caseloads and
absence and for DfE's benchmark file (tens of thousands of rows each).

``bulk_create`` builds the SQL of every value of every row through the field's methods,
which was most of the time the demo spent writing them; here each distinct value is
prepared once. On PostgreSQL the rows are streamed with COPY (an upsert goes through a
temporary table); elsewhere they are sent as one INSERT run over them all (Django's
PostgreSQL cursors bind on the client, so there each row would be a statement of its own
for the server to parse: 32,000 benchmark figures cost PostgreSQL about 1.5 s that way).
Like ``bulk_create``: no signals, no audit entries, no ``save()``; unlike it, the objects'
primary keys are not set afterwards. Where the ids must be known (a caseload import's
audit entries), PostgreSQL callers take them first with ``ids_reserve`` and pass
``with_ids``; ``copy_rows`` writes rows already in the table's columns (audit entries).
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
    with_ids: bool = False,
) -> int:
    """Insert ``rows`` of ``model`` and return how many: unsaved instances, or mappings of
    field attnames (``team_id``, not ``team``) to values, a missing one taking the field's
    default. With ``unique_fields`` and ``update_fields`` (field names, as for
    ``bulk_create``'s ``update_conflicts``), a row that clashes on ``unique_fields`` with a
    stored one updates that row's ``update_fields`` instead. ``with_ids``: the rows carry
    their primary keys (on PostgreSQL, taken with ``ids_reserve``)."""
    rows = list(rows)
    if not rows:
        return 0
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in meta.concrete_fields if with_ids or f is not meta.auto_field]
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
    attnames = [field.attname for field in fields]

    def prepared_rows(batch):
        for row in batch:
            yield tuple(
                prepare(index, value(row, attname)) for index, attname in enumerate(attnames)
            )

    if connection.vendor == "postgresql":
        keys = [attnames.index(meta.get_field(name).attname) for name in unique_fields]
        # wrap_database_errors: a clash raises Django's IntegrityError, as execute() would
        with (
            transaction.atomic(using=using),
            connection.cursor() as cursor,
            connection.wrap_database_errors,
        ):
            _copy(cursor, quote(meta.db_table), columns, prepared_rows(rows), keys, suffix)
        return len(rows)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}){suffix}"
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for first in range(0, len(rows), 5000):
            cursor.executemany(sql, list(prepared_rows(rows[first : first + 5000])))
    return len(rows)


def _copy(cursor, table: str, columns: str, rows, keys: list[int], suffix: str) -> None:
    """PostgreSQL: COPY ``rows`` into ``table``; with ``keys`` (the unique fields'
    positions) and the ON CONFLICT ``suffix``, COPY them into a temporary table and upsert
    from it, a later row with the same key winning as it would row by row."""
    if not keys:
        _copy_into(cursor, table, columns, rows)
        return
    latest = {tuple(row[k] for k in keys): row for row in rows}
    cursor.execute(  # the columns' types, none of the table's constraints
        f"CREATE TEMPORARY TABLE rows_insert ON COMMIT DROP AS SELECT {columns} FROM {table} "
        "WITH NO DATA"
    )
    _copy_into(cursor, "rows_insert", columns, latest.values())
    cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM rows_insert{suffix}")
    cursor.execute("DROP TABLE rows_insert")


def _copy_into(cursor, table: str, columns: str, rows: Iterable[Sequence]) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# --- PostgreSQL only: rows whose ids the caller must know (the census imports' audit) ---


def ids_reserve(model: type[Model], count: int) -> list[int]:
    """PostgreSQL: ``count`` new primary keys from the sequence of ``model``'s table, so
    rows written by ``copy_rows`` have known ids without reading them back."""
    connection = connections[router.db_for_write(model)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """PostgreSQL: write ``rows`` (tuples of values in the order of ``columns``, the
    table's column names, the primary key among them if the caller set it) into
    ``model``'s table with one COPY. Values are what psycopg sends as text (numbers,
    strings, dates, datetimes, ``None``); a JSON column takes the JSON text. As
    ``rows_insert``: no signals, no ``save()``; constraints are enforced."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        _copy_into(cursor, quote(model._meta.db_table), names, rows)
