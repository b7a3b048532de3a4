"""The agency loader writes each cell as the ORM would (core.bulk.to_column)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import connection, models

from safeguarding.core.bulk import to_column
from safeguarding.datasets.models import RECORD_MODELS

LONDON = zoneinfo.ZoneInfo("Europe/London")


def samples(field: models.Field) -> list:
    """Values of the field's own Python type, as the loader hands them over."""
    if isinstance(field, models.DateTimeField):
        typed = [dt.datetime(2021, 1, 4, 9, 30, tzinfo=dt.UTC),
                 dt.datetime(2021, 7, 4, 23, 15, 12, 5000, tzinfo=LONDON)]  # BST: 22:15 UTC
    elif isinstance(field, models.DateField):
        typed = [dt.date(2020, 2, 29)]
    elif isinstance(field, models.BooleanField):
        typed = [True, False]
    elif isinstance(field, models.IntegerField):
        typed = [0, 37]
    elif isinstance(field, models.JSONField):
        typed = [[], ["A", "B"]]
    else:
        typed = ["", "N1"]
    return [*typed, None]


@pytest.mark.parametrize("kind", sorted(RECORD_MODELS))
def test_every_record_column_is_given_to_the_database_as_the_field_would_give_it(kind):
    model = RECORD_MODELS[kind]
    checked = 0
    for field in model._meta.concrete_fields:
        if field.is_relation or field.primary_key:
            continue  # keys are written as ids
        make = to_column(field)
        for value in samples(field):
            ours = value if make is None else make(value)
            assert ours == field.get_db_prep_value(value, connection, prepared=False), (
                f"{kind}.{field.name}: {value!r}")
            checked += 1
    assert checked >= 10
