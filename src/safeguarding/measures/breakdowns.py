"""Breakdowns of a measure by age band, sex, ethnicity group or LA."""

from __future__ import annotations

import polars as pl

from safeguarding.children import code_lists
from safeguarding.core import disclosure
from safeguarding.measures.catalogue import Indicator
from safeguarding.measures.engine import SCHEMAS, Engine, MeasureData
from safeguarding.measures.periods import Period

# DfE's age bands for children in need, age at the end of the period.
AGE_BANDS = [(0, 0, "Under 1"), (1, 4, "1 to 4"), (5, 9, "5 to 9"), (10, 15, "10 to 15"),
             (16, 200, "16 and over")]
SEX = {"1": "Male", "2": "Female", "0": "Not recorded", "9": "Indeterminate"}
LABELS = {"age_band": "Age band", "sex": "Sex", "ethnicity_group": "Ethnicity group",
          "la": "Local authority"}


def _age_band(age: int | None) -> str:
    if age is None:
        return "Not recorded"
    if age < 0:  # born after the period end: referred before birth, or a later return's baby
        return "Unborn"
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


def _child_groups(data: MeasureData, period: Period, breakdown: str) -> pl.DataFrame:
    people = pl.concat([
        data.cin_episodes.select("la", "child", "dob", "sex", "ethnicity"),
        data.cla_episodes.select("la", "child", "dob", "sex", "ethnicity"),
    ]).unique(subset=["la", "child"], keep="first")
    if breakdown == "la":
        return people.with_columns(group=pl.col("la"))
    if breakdown == "sex":
        return people.with_columns(group=pl.col("sex").replace_strict(SEX, default="Not recorded"))
    if breakdown == "ethnicity_group":
        groups = {code: code_lists.ethnicity_group(code) for code, _ in code_lists.choices("ethnicity")}
        return people.with_columns(group=pl.col("ethnicity").replace_strict(groups, default="Not known"))
    end = period.end
    ages = [None if dob is None else end.year - dob.year - ((end.month, end.day) < (dob.month, dob.day))
            for dob in people["dob"].to_list()]
    return people.with_columns(group=pl.Series([_age_band(a) for a in ages]))


def breakdown(data: MeasureData, indicator: Indicator, period: Period, las: list[str],
              by: str, total=None) -> list[dict]:
    """One row per group: value, numerator and denominator.

    ``total`` is the figure as the viewer sees it (engine.Result) when small numbers are
    to be hidden: the rows are then suppressed as cells adding up to it (core/disclosure.py),
    so that no row can be worked out from the total and the rows shown.
    """
    groups = _child_groups(data, period, by)
    rows = []
    for group in sorted(groups["group"].unique().to_list()):
        keys = groups.filter(pl.col("group") == group).select("la", "child")
        subset = MeasureData(
            **{kind: getattr(data, kind).join(keys, on=["la", "child"], how="semi")
               for kind in SCHEMAS},
            coverage=data.coverage, holidays=data.holidays)
        (res,) = Engine(subset).compute(period, las, [indicator])
        rows.append(res.as_dict() | {"group": group, "suppressed": False})
    if total is None:
        return rows
    (true_total,) = Engine(data).compute(period, las, [indicator])
    shown_total: dict[int | str, str] = (
        {} if total.value is not None else {"total": disclosure.SECONDARY_REASON})
    cells: list[disclosure.Group[int | str]] = [
        disclosure.group("total", range(len(rows)))]
    hidden: dict[int | str, str]
    if indicator.unit == "count":
        values: dict[int | str, disclosure.Count] = {
            i: r["value"] for i, r in enumerate(rows)} | {"total": true_total.value}
        hidden = disclosure.suppress(values, cells, hidden=shown_total)
    else:
        nums: dict[int | str, disclosure.Count] = {
            i: r["numerator"] for i, r in enumerate(rows)} | {"total": true_total.numerator}
        dens: dict[int | str, disclosure.Count] = {
            i: r["denominator"] for i, r in enumerate(rows)} | {"total": true_total.denominator}
        hidden = disclosure.suppress_rates(nums, dens, cells, hidden=shown_total)
    for i, row in enumerate(rows):
        if i in hidden:
            row.update(value=None, numerator=None, denominator=None, suppressed=True,
                       reason=hidden[i])
    return rows
