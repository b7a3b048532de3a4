"""Fast inserts, lookups and deletes for bulk writers, inside the caller's transaction.

The dataset loaders write their tables with these, and ``children.services``
writes the child index with them when a return links thousands of children.

``QuerySet.bulk_create`` builds a model instance and prepares every field of
every row; for a census of a hundred thousand children that is most of the
load's time. These helpers take rows already in the column's own form (str,
int, bool, date, Decimal, None, and JSON as text) and hand them to the
database driver with ``executemany``. Keys of new rows are read back by their
natural keys, which the tables' unique constraints guarantee.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.db import connection, models

CHUNK = 2000


def _column(field) -> str:
    return str(field.column)


def insert_rows(model: type[models.Model], fields: Sequence[str],
                rows: Iterable[Sequence]) -> int:
    """INSERT rows of values for ``fields`` (names of the model's concrete fields)."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(meta.get_field(name))) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Names come from the model and are quoted; every value is a parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, CHUNK)):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def to_column(field: models.Field) -> Callable[[Any], Any] | None:
    """What turns a value of ``field``'s own Python type (str, int, bool, date, an aware
    datetime, JSON-ready lists and dicts, or None) into the form ``insert_rows`` takes, as
    ``field.get_db_prep_value`` would; None where the value goes as it is.

    A loader calls it once per column, not the field's method once per cell: for the
    national demo's 2.6 million agency rows the method calls were a third of the merge.
    """
    if isinstance(field, models.DateTimeField):  # before DateField, its parent
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.CharField | models.TextField | models.IntegerField
                  | models.BooleanField):
        return None
    return lambda value: field.get_db_prep_value(value, connection, prepared=False)


def update_rows(model: type[models.Model], fields: Sequence[str],
                rows: Iterable[Sequence]) -> int:
    """UPDATE ``fields`` of rows by primary key: each row is (pk, *values of ``fields``).

    ``QuerySet.bulk_update`` writes one statement of a CASE per field for each batch, and
    building it took most of an agency import's time (20 s of 40 s for 15,000 records
    linked). This hands one plain ``UPDATE ... WHERE pk = %s`` to ``executemany``. Values
    are prepared by each field for the connection (dates and times as the database keeps
    them), as the ORM would. Signals are not sent, as with ``bulk_update``.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    targets: list[Any] = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(_column(field))} = %s" for field in targets)
    # Names come from the model and are quoted; every value is a parameter.
    sql = (f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608
           f"WHERE {quote(_column(meta.pk))} = %s")
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, CHUNK)):
            cursor.executemany(sql, [
                [*(field.get_db_prep_save(value, connection)
                   for field, value in zip(targets, row[1:], strict=True)), row[0]]
                for row in chunk])
            count += len(chunk)
    return count


_statements: dict[tuple[str, str], str] = {}


def statement(name: str, queryset: Callable[[], models.QuerySet], params: tuple) -> str:
    """The SQL Django compiles for ``queryset()``, once per process and database vendor
    (``name`` keys it), for a read made on almost every request: building and compiling
    the queryset each time was most of its cost. The caller runs it with its own values
    for ``params``; the compiled query must take exactly those parameters, in that order,
    or this refuses it."""
    key = (name, connection.vendor)
    if key not in _statements:
        sql, taken = queryset().query.sql_with_params()
        if tuple(taken) != tuple(params):
            raise ValueError(f"{name}: the query takes {taken!r}, not {params!r}")
        _statements[key] = sql
    return _statements[key]


@contextmanager
def page_cache(megabytes: int) -> Iterator[None]:
    """On SQLite, let this connection keep up to ``megabytes`` of the database's pages in
    memory for the block (``PRAGMA cache_size``), then put back what it had; elsewhere
    nothing. SQLite's default is 2 MB: a transaction writing gigabytes then reads the
    pages of its large indexes back from the operating system again and again (ADR 0048)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(megabytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def delete_where(queryset: models.QuerySet) -> int:
    """DELETE the rows of a queryset in one statement, without collecting related rows.

    For tables whose dependent rows the caller has already deleted.
    """
    return queryset._raw_delete(queryset.db)


def select_in(model: type[models.Model], columns: Sequence[str], *, where: dict[str, Any],
              field: str, values: Sequence, not_blank: bool = False) -> list[tuple]:
    """Rows of ``columns`` where each ``where`` field equals its value and ``field`` is in ``values``.

    A loader looks up a batch of a thousand keys at a time; building that IN
    list through the ORM prepares every value through its lookup, which cost
    more than the query. Values are in the column's own form (keys, strings);
    dates come back as the driver gives them (text on SQLite, ``date`` on
    PostgreSQL, the same under ``str``). ``not_blank`` adds ``NOT (field = '')``,
    the condition of the partial unique indexes on identifiers, so that SQLite
    uses them.
    """
    if not values:
        return []
    meta = model._meta
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(_column(meta.pk if name == "pk" else meta.get_field(name)))

    conditions = [f"{column(name)} = %s" for name in where]
    if not_blank:
        conditions.append(f"NOT ({column(field)} = '')")
    conditions.append(f"{column(field)} IN ({', '.join(['%s'] * len(values))})")
    # Names come from the model and are quoted; every value is a parameter.
    sql = (f"SELECT {', '.join(column(name) for name in columns)} "  # noqa: S608
           f"FROM {quote(meta.db_table)} WHERE {' AND '.join(conditions)}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*where.values(), *values])
        return cursor.fetchall()
