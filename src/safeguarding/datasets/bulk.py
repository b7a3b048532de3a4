"""Fast inserts and deletes for the loaders, inside the caller's transaction.

``QuerySet.bulk_create`` builds a model instance and prepares every field of
every row; for a census of a hundred thousand children that is most of the
load's time. These helpers take rows already in the column's own form (str,
int, bool, date, Decimal, None, and JSON as text) and hand them to the
database driver with ``executemany``. Keys of new rows are read back by their
natural keys, which the tables' unique constraints guarantee.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

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


def delete_where(queryset: models.QuerySet) -> int:
    """DELETE the rows of a queryset in one statement, without collecting related rows.

    For tables whose dependent rows the caller has already deleted.
    """
    return queryset._raw_delete(queryset.db)
