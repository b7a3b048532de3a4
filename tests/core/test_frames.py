"""``core.frames.values_frame`` reads a query into Polars without Django's converters; the
frame must hold exactly what ``values_list`` gives, in the measures' types, on SQLite and
PostgreSQL: dates (and missing dates), naive UTC datetimes, booleans, whole numbers and
JSON lists. Checked on the whole demo's imported returns and agency extracts."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from safeguarding.core.frames import KINDS, values_frame
from safeguarding.datasets import models as ds

pytestmark = pytest.mark.django_db

CASES = {
    "cin episodes: dates, a missing closure date, a joined birth date": (
        ds.CinEpisode, {"la": ("local_authority__old_code", "str"),
                        "child": ("la_child_id", "str"),
                        "referral": ("referral_date", "date"),
                        "closure": ("closure_date", "date"),
                        "dob": ("cin_child__birth_date", "date"),
                        "sex": ("cin_child__gender", "str")}),
    "episodes of care: dates, codes, a joined birth date": (
        ds.ClaEpisode, {"child": ("la_child_id", "str"),
                        "start": ("start_date", "date"),
                        "end": ("end_date", "date"),
                        "rec": ("reason_ceased", "str"),
                        "dob": ("cla_child__birth_date", "date")}),
    "CIN episodes: a collection year": (
        ds.CinEpisode, {"year": ("collection_year", "int32")}),
    "plans: a whole number": (
        ds.ChildProtectionPlan, {"start": ("start_date", "date"),
                                 "previous": ("previous_plans", "int")}),
    "domestic abuse: times and a yes or no": (
        ds.DomesticAbuseIncident, {"at": ("incident_at", "datetime"),
                                   "present": ("child_present", "bool"),
                                   "notified": ("notified_at", "datetime")}),
    "missing episodes: times, some missing": (
        ds.MissingEpisode, {"from": ("missing_from", "datetime"),
                            "back": ("returned_at", "datetime"),
                            "completed": ("interview_completed_at", "datetime")}),
    "MACE referrals: a list of codes": (
        ds.MaceReferral, {"received": ("received_on", "date"),
                          "types": ("exploitation_types", "list[str]")}),
}


def _through_django(queryset, columns) -> pl.DataFrame:
    def value(v):
        if isinstance(v, dt.datetime):
            return v.astimezone(dt.UTC).replace(tzinfo=None)
        return v
    rows = [tuple(value(v) for v in row)
            for row in queryset.values_list(*(path for path, _ in columns.values()))]
    return pl.DataFrame(rows, schema={name: KINDS[kind] for name, (_, kind) in columns.items()},
                        orient="row")


@pytest.mark.parametrize("case", list(CASES))
def test_a_frame_holds_what_values_list_gives(module_whole_demo, case):
    model, columns = CASES[case]
    queryset = model.objects.order_by("pk")
    expected = _through_django(queryset, columns)
    assert expected.height > 0
    # Read in chunks smaller than the table, so the chunks are put together in order.
    found = values_frame(queryset, columns, chunk=max(1, expected.height // 3))
    assert found.schema == expected.schema
    assert found.equals(expected)


def test_the_frames_have_missing_values_to_hold(module_whole_demo):
    """The cases above meet missing dates and times, so reading them is tested too."""
    closure = values_frame(ds.CinEpisode.objects.all(), {"closure": ("closure_date", "date")})
    back = values_frame(ds.MissingEpisode.objects.all(),
                        {"completed": ("interview_completed_at", "datetime")})
    assert closure["closure"].null_count() > 0
    assert back["completed"].null_count() > 0


def test_an_empty_query_gives_an_empty_frame_of_the_types(module_whole_demo):
    columns = {"day": ("referral_date", "date"), "child": ("la_child_id", "str")}
    expected = pl.Schema({"day": pl.Date, "child": pl.String})
    for nothing in (ds.CinEpisode.objects.filter(la_child_id="no such child"),
                    ds.CinEpisode.objects.filter(local_authority__old_code__in=[])):
        found = values_frame(nothing, columns)
        assert found.height == 0
        assert found.schema == expected
