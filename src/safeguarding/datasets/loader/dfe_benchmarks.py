"""Load one of DfE's published tables as tidy values, for one partnership.

A table is known by its file name without the span of years it covers, so the
next release of a table replaces the last one, which is kept as a record
(its values go: the new release carries every year again). The change is
counted value by value: added, changed, unchanged, removed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from safeguarding.core.bulk import delete_where, insert_rows
from safeguarding.datasets.loader import CurrentReturnLoader, LoadContext, Outcome, failed
from safeguarding.datasets.models import (
    BenchmarkTable,
    BenchmarkValue,
    ImportKind,
    ImportStatus,
    ReturnStatus,
)
from safeguarding.datasets.readers.dfe_csv import CsvRefused, DfeCsv, csv_problem
from safeguarding.datasets.validation.dfe_benchmarks import (
    RowChecker,
    layout_for,
    message,
    table_id_for,
)
from safeguarding.datasets.validation.problems import TooManyErrors

BATCH = 2000
VALUE_COLUMNS = ("release", "partnership", "table_id", "indicator", "time_period",
                 "time_identifier", "period", "year_ending", "geographic_level", "geography_code",
                 "country_code", "region_code", "region_name", "old_la_code", "new_la_code",
                 "la_name", "breakdown", "value", "marker")


def _key(value) -> tuple:
    return (value.indicator, value.time_period, value.time_identifier, value.geographic_level,
            value.geography_code, value.breakdown)


class BenchmarkLoader(CurrentReturnLoader):
    kind = ImportKind.DFE_BENCHMARKS
    loaded_model = BenchmarkTable

    def run(self, ctx: LoadContext) -> Outcome:
        log = ctx.log
        table_id = table_id_for(ctx.file_name)
        where: dict[str, Any] = {"table_id": table_id}
        try:
            with DfeCsv(ctx.path) as source:
                layout = layout_for(source.columns, log)
                if layout is None:
                    raise failed(log, **where)
                return self._rows(ctx, source, layout, table_id)
        except UnicodeDecodeError as error:
            log.add("SCP-BENCH-ENCODING", message("SCP-BENCH-ENCODING", detail=error.reason))
            raise failed(log, **where) from None
        except CsvRefused as refused:
            rule, params = csv_problem("SCP-BENCH", refused)
            log.add(rule, message(rule, **params), row=refused.row, field=refused.column)
            raise failed(log, **where) from None
        except TooManyErrors:
            log.stop(f"Checking stopped after {log.max_errors:,} errors; fix these and check "
                     "the file again")
            raise failed(log, **where) from None

    def _rows(self, ctx: LoadContext, source: DfeCsv, layout, table_id: str) -> Outcome:
        log = ctx.log
        checker = RowChecker(layout, log)
        table = old = None
        before: dict[tuple, tuple] = {}
        if not ctx.check_only:
            old = (BenchmarkTable.objects.select_for_update()
                   .filter(partnership=ctx.partnership, table_id=table_id,
                           status=ReturnStatus.CURRENT).first())
            if old is not None:
                old.status = ReturnStatus.SUPERSEDED
                old.save(update_fields=["status"])
                for value in old.values.all().iterator(chunk_size=5000):
                    before[_key(value)] = (value.value, value.marker)
            table = BenchmarkTable.objects.create(
                partnership=ctx.partnership, table_id=table_id, dataset_import=ctx.dataset_import,
                sha256=ctx.dataset_import.sha256, indicators=layout.indicators,
                filters=layout.filters)
        counts: Counter = Counter()
        change: Counter = Counter()
        periods: set[str] = set()
        seen: set[tuple] = set()
        batch: list[tuple] = []
        for line, cells in source.rows():
            row = checker.check(line, cells)
            if row is None:
                continue
            counts["rows"] += 1
            periods.add(row.period)
            for indicator, number, marker in row.values:
                counts["values"] += 1
                counts["suppressed"] += number is None
                if table is None or log.has_errors:
                    continue
                values = (table.pk, ctx.partnership.pk, table_id, indicator, row.time_period,
                         row.time_identifier, row.period, row.year_ending, row.geographic_level,
                         row.geography_code, row.places.get("country_code", ""),
                         row.places.get("region_code", ""),
                         row.places.get("region_name", "")[:100],
                         row.places.get("old_la_code", ""), row.places.get("new_la_code", ""),
                         row.places.get("la_name", "")[:200], row.breakdown[:300], number, marker)
                if old is not None:
                    key = (indicator, row.time_period, row.time_identifier, row.geographic_level,
                           row.geography_code, row.breakdown[:300])
                    seen.add(key)
                    previous = before.get(key)
                    if previous is None:
                        change["added"] += 1
                    elif previous[1] != marker or previous[0] != number:
                        change["changed"] += 1
                    else:
                        change["unchanged"] += 1
                batch.append(values)
                if len(batch) >= BATCH:
                    insert_rows(BenchmarkValue, VALUE_COLUMNS, batch)
                    batch = []
        if counts["rows"] == 0 and not log.has_errors:
            log.add("SCP-BENCH-EMPTY", message("SCP-BENCH-EMPTY"), row=2)
        where: dict[str, Any] = {"table_id": table_id, "period": _span(periods)}
        if log.has_errors:
            raise failed(log, **where)
        described = (f"{counts['values']:,} values ({counts['suppressed']:,} suppressed) in "
                     f"{counts['rows']:,} rows of table {table_id}, {where['period']}")
        if table is None:
            return Outcome(status=ImportStatus.CHECKED, counts=dict(counts),
                           summary=f"No errors in {described}. Nothing was loaded: this was a "
                                   "check only.", **where)
        insert_rows(BenchmarkValue, VALUE_COLUMNS, batch)
        table.periods = sorted(periods)
        table.row_count, table.value_count = counts["rows"], counts["values"]
        table.save(update_fields=["periods", "row_count", "value_count"])
        summary = f"Loaded {described}."
        all_counts: dict[str, Any] = {**counts, "indicators": len(layout.indicators)}
        if old is not None:
            change["removed"] = sum(1 for key in before if key not in seen)
            old.superseded_by = table
            old.save(update_fields=["superseded_by"])
            delete_where(BenchmarkValue.objects.filter(release=old))
            all_counts["replaced"] = {"import": old.dataset_import_id, **{
                k: change[k] for k in ("added", "changed", "unchanged", "removed")}}
            summary += (f" It replaces the table loaded by import {old.dataset_import_id}: "
                        f"{change['added']:,} values added, {change['changed']:,} changed and "
                        f"{change['removed']:,} removed.")
        return Outcome(status=ImportStatus.LOADED, counts=all_counts, summary=summary,
                       replaced=old.dataset_import if old else None, **where)


def _span(periods: set[str]) -> str:
    if not periods:
        return ""
    ordered = sorted(periods)
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]} to {ordered[-1]}"
