"""PostgreSQL's ``COPY`` for the census imports' largest writes: the audit entries and a
caseload file's new snapshots (100,000 rows is two years of weekly figures for a thousand
workers). ``COPY`` streams the rows as text in one statement, where an ``INSERT`` run
over them all cost a round of parameter handling per row, on both sides.

As ``bulk_create``: no signals, no ``save()``, no audit entries of its own; constraints
(unique, foreign keys, checks) are enforced as for any insert. PostgreSQL only: callers
keep their ``bulk_create``/``rows_insert`` path for other databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys from the sequence of ``model``'s table, so rows written
    by ``copy_rows`` have known ids without reading them back."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write ``rows`` (tuples of values in the order of ``columns``, the table's column
    names) into ``model``'s table with one ``COPY``. Values are Python values psycopg can
    send as text (numbers, strings, dates, datetimes, ``None``); a JSON column takes the
    JSON text."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
