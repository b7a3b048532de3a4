"""Load an Ofsted Annex A workbook: check every sheet, and write it only if it has no errors.

The workbook is streamed (openpyxl read-only), a sheet and a row at a time;
checked rows are kept until the end, since nothing is written unless the
whole workbook is clean. The LA is the one the import names (``--la``) or,
when the partnership covers one LA, that one.

A workbook replaces the LA's current Annex A return: the older one is kept,
marked superseded, and the rows each list gained, lost or changed are
recorded on the new return. Children are linked to the child index as the
CIN census links them (LA child ID, then UPN) and carry the same pseudonym,
so an Annex A row and the census record of the same child join.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.utils import timezone

from safeguarding.children.identifiers import pseudonymous_key
from safeguarding.children.selectors import children_by_la_child_id
from safeguarding.children.services import child_names_update_bulk, children_index_bulk_link
from safeguarding.core.bulk import insert_rows
from safeguarding.datasets import linking
from safeguarding.datasets.loader import CurrentReturnLoader, LoadContext, Outcome, failed
from safeguarding.datasets.loader.merge import canonical, compare, digest
from safeguarding.datasets.models import (
    AnnexAReturn,
    AnnexARow,
    ImportKind,
    ImportStatus,
    ReturnStatus,
)
from safeguarding.datasets.readers.annex_a_xlsx import AnnexAWorkbook, XlsxRefused
from safeguarding.datasets.validation.annex_a import CheckedRow, ListChecker, peek, recognise
from safeguarding.datasets.validation.annex_a_spec import AnnexASpec, ListSpec, annex_a_spec
from safeguarding.datasets.validation.problems import TooManyErrors

ROW_COLUMNS = ("annex_return", "local_authority", "list_number", "row_number", "subject_id",
               "pseudonym", "child", "gender", "ethnicity", "birth_date", "start_date",
               "end_date", "code", "fields")
TYPED = ("gender", "ethnicity", "birth_date")
ACTIVITY_LISTS = (1, 3)
LINK_BATCH = 1000  # the period starts with the first contact or referral


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def row_values(spec: ListSpec, row: AnnexARow) -> dict:
    """A stored row as the column values it was checked as (dates as ISO text)."""
    values = dict(row.fields or {})
    values[spec.subject] = row.subject_id
    for key in TYPED:
        if key in spec.columns and getattr(row, key) not in (None, ""):
            values[key] = _plain(getattr(row, key))
    for role, attribute in (("start", "start_date"), ("end", "end_date"), ("code", "code")):
        key = getattr(spec, role)
        if key and getattr(row, attribute) not in (None, ""):
            values[key] = _plain(getattr(row, attribute))
    return values


def _split_name(full: str) -> tuple[str, str]:
    parts = full.split()
    return (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else ("", full)


class AnnexALoader(CurrentReturnLoader):
    kind = ImportKind.ANNEX_A
    loaded_model = AnnexAReturn

    def run(self, ctx: LoadContext) -> Outcome:
        spec = annex_a_spec()
        log = ctx.log
        la = self._local_authority(ctx, spec)
        where: dict[str, Any] = {"local_authority": la}
        try:
            book = AnnexAWorkbook(ctx.path)
        except XlsxRefused as refused:
            log.add(refused.rule, spec.message(refused.rule, detail=refused.detail))
            raise failed(log, refused=True, **where) from None
        checked: dict[int, list[CheckedRow]] = {}
        sheet_of: dict[int, str] = {}
        latest = timezone.localdate() + dt.timedelta(days=366)
        whole_file = log.file_name
        try:
            with book:
                for sheet in book.sheets():
                    log.file_name = f"{whole_file}, sheet {sheet.name}"
                    first, rows = peek(sheet.rows)
                    found = recognise(spec, sheet.name, first)
                    if found is None:
                        named = spec.list_for_sheet_name(sheet.name)
                        if not first:
                            log.add("AA-SHEET-EMPTY", spec.message(
                                "AA-SHEET-EMPTY", sheet=sheet.name), severity="query")
                        elif named is not None:
                            log.add("AA-SHEET-NO-HEADER", spec.message(
                                "AA-SHEET-NO-HEADER", sheet=sheet.name, number=named.number,
                                name=named.name, rows=len(first)))
                        else:
                            log.add("AA-SHEET-UNKNOWN", spec.message(
                                "AA-SHEET-UNKNOWN", sheet=sheet.name), severity="query")
                        continue
                    number = found.spec.number
                    if number in sheet_of:
                        log.add("AA-LIST-TWICE", spec.message(
                            "AA-LIST-TWICE", number=number, name=found.spec.name,
                            first=sheet_of[number], second=sheet.name))
                        continue
                    sheet_of[number] = sheet.name
                    checker = ListChecker(spec, found, log, latest=latest)
                    header_cells = next(cells for n, cells in first if n == found.header_row)
                    if not checker.check_columns(header_cells):
                        continue
                    kept = checked[number] = []
                    for row_number, cells in rows:
                        if row_number <= found.header_row:
                            continue
                        row = checker.check(row_number, cells)
                        if row is not None and not log.has_errors:
                            kept.append(row)
        except TooManyErrors:
            log.file_name = whole_file
            log.stop(spec.message("AA-FILE-TOO-MANY-ERRORS", limit=f"{log.max_errors:,}"))
            raise failed(log, **where) from None
        except XlsxRefused as refused:  # a sheet damaged part way through
            log.add(refused.rule, spec.message(refused.rule, detail=refused.detail),
                    row=refused.row)
            log.file_name = whole_file
            raise failed(log, refused=True, **where) from None
        log.file_name = whole_file
        if not sheet_of and not log.has_errors:
            log.add("AA-FILE-EMPTY", spec.message("AA-FILE-EMPTY"))
        for number, lst in spec.lists.items():
            if number not in sheet_of:
                log.add("AA-LIST-MISSING", spec.message("AA-LIST-MISSING", number=number,
                                                        name=lst.name), severity="query")
        if log.has_errors:
            raise failed(log, **where)
        counts = {str(n): len(rows) for n, rows in sorted(checked.items())}
        start, end = _period(spec, checked)
        period = f"{start:%b %Y} to {end:%b %Y}" if start and end else ""
        where["period"] = period
        described = (f"{sum(counts.values()):,} rows in {len(counts)} of the 11 Annex A lists "
                     f"for LA {la.old_code}"
                     + (f", {start:%d %B %Y} to {end:%d %B %Y}" if start and end else ""))
        if ctx.check_only:
            return Outcome(status=ImportStatus.CHECKED, counts={"lists": counts},
                           summary=f"No errors in {described}. Nothing was loaded: this was a "
                                   "check only.", **where)
        writer = _Writer(ctx, spec, la)
        index = writer.write(checked, start, end, counts)
        all_counts: dict[str, Any] = {"lists": counts, "index": dict(index),
                                      "annex_a_return": writer.new.pk}
        summary = f"Loaded {described}."
        if writer.old is not None:
            all_counts["replaced"] = writer.totals
            totals = writer.totals
            summary += (f" It replaces the Annex A return loaded by import "
                        f"{writer.old.dataset_import_id}: {totals['rows_added']:,} rows added, "
                        f"{totals['rows_changed']:,} changed and {totals['rows_removed']:,} "
                        "removed.")
        return Outcome(status=ImportStatus.LOADED, counts=all_counts, summary=summary,
                       replaced=writer.old.dataset_import if writer.old else None, **where)

    @staticmethod
    def _local_authority(ctx: LoadContext, spec: AnnexASpec):
        las = list(ctx.partnership.local_authorities.order_by("old_code"))
        named = ctx.dataset_import.local_authority
        if named is not None:
            if named.pk not in {la.pk for la in las}:
                ctx.log.add("AA-LA-OTHER", spec.message("AA-LA-OTHER", value=named.old_code,
                                                        partnership=ctx.partnership.code))
                raise failed(ctx.log, refused=True)
            return named
        if len(las) == 1:
            return las[0]
        ctx.log.add("AA-LA-NEEDED", spec.message(
            "AA-LA-NEEDED", partnership=ctx.partnership.code,
            codes=", ".join(la.old_code for la in las) or "none"))
        raise failed(ctx.log, refused=True)


def _period(spec: AnnexASpec, checked: dict[int, list[CheckedRow]]
            ) -> tuple[dt.date | None, dt.date | None]:
    def dates(numbers, starts_only: bool):
        for number in numbers:
            lst = spec.lists[number]
            for row in checked.get(number, ()):
                for key, value in row.values.items():
                    if isinstance(value, dt.date) and key != "birth_date" and (
                            not starts_only or key == lst.start):
                        yield value

    starts = list(dates(ACTIVITY_LISTS, True)) or list(dates(checked, True))
    every = list(dates(checked, False))
    return (min(starts) if starts else None), (max(every) if every else None)


class _Writer:
    def __init__(self, ctx: LoadContext, spec: AnnexASpec, la):
        self.ctx, self.spec, self.la = ctx, spec, la
        self.old = (AnnexAReturn.objects.select_for_update()
                    .filter(local_authority=la, status=ReturnStatus.CURRENT).first())
        if self.old is not None:
            self.old.status = ReturnStatus.SUPERSEDED
            self.old.save(update_fields=["status"])
        self.new: AnnexAReturn
        self.totals: Counter = Counter()

    def write(self, checked: dict[int, list[CheckedRow]], start, end, counts) -> Counter:
        ctx, la = self.ctx, self.la
        self.new = AnnexAReturn.objects.create(
            partnership=ctx.partnership, local_authority=la, dataset_import=ctx.dataset_import,
            sha256=ctx.dataset_import.sha256, period_start=start, period_end=end, counts=counts)
        if self.old is not None:
            self.old.superseded_by = self.new
            self.old.save(update_fields=["superseded_by"])
        children, index = self._link(checked, fallback=start or end or timezone.localdate())
        rows = []
        for number, items in checked.items():
            lst = self.spec.lists[number]
            for row in items:
                subject = row.subject(lst)
                if lst.is_about_children:
                    pseudonym = linking.census_pseudonym(la, subject)
                else:
                    pseudonym = pseudonymous_key(f"adopter:{la.old_code}:{subject}")
                main = {lst.subject, *TYPED, lst.start, lst.end, lst.code}
                rest = {k: _plain(v) for k, v in row.values.items() if k not in main}
                values = row.values
                rows.append((
                    self.new.pk, la.pk, number, row.row, subject, pseudonym,
                    children.get(subject) if lst.is_about_children else None,
                    values.get("gender") or "", values.get("ethnicity") or "",
                    _plain(values.get("birth_date")),
                    _plain(values.get(lst.start)) if lst.start else None,
                    _plain(values.get(lst.end)) if lst.end else None,
                    str(values.get(lst.code) or "")[:12] if lst.code else "",
                    canonical(rest)))
        insert_rows(AnnexARow, ROW_COLUMNS, rows)
        if self.old is not None:
            self.new.changes = self._changes(checked)
            self.new.save(update_fields=["changes"])
        return index

    def _link(self, checked: dict[int, list[CheckedRow]], *, fallback: dt.date
              ) -> tuple[dict[str, int], Counter]:
        """Link each child to the index by LA child ID, then UPN.

        A child new to the index needs a date of birth (the index requires
        one, and none is made up): without one the rows stay unlinked.
        """
        facts: dict[str, dict] = {}
        first_seen: dict[str, str] = {}
        for number, items in checked.items():
            lst = self.spec.lists[number]
            if not lst.is_about_children:
                continue
            for row in items:
                subject = row.subject(lst)
                known = facts.setdefault(subject, {})
                values = row.values
                names = row.identifying
                if names.get("upn") and not known.get("UPN"):
                    known["UPN"] = names["upn"]
                for target, key in (("PersonBirthDate", "birth_date"),
                                    ("GenderCurrent", "gender"), ("Ethnicity", "ethnicity")):
                    if values.get(key) and not known.get(target):
                        known[target] = _plain(values[key])
                if names.get("full_name") and not names.get("last_name"):
                    names["first_name"], names["last_name"] = _split_name(names["full_name"])
                if names.get("last_name") and not known.get("LastName"):
                    known["FirstName"] = names.get("first_name", "")[:100]
                    known["LastName"] = names["last_name"][:100]
                dates = [v for k, v in values.items()
                         if isinstance(v, dt.date) and k != "birth_date"]
                if dates:
                    day = min(dates).isoformat()
                    first_seen[subject] = min(first_seen.get(subject, day), day)
        index: Counter = Counter()
        linkable = {lid: f for lid, f in facts.items() if len(lid) <= 10}
        index["not_linked_long_id"] = len(facts) - len(linkable)
        found: dict[str, int] = {}
        agency = linking.la_agency(self.ctx.partnership, self.la)
        ids = list(linkable)
        reason = f"Ofsted Annex A, LA {self.la.old_code}"
        for at in range(0, len(ids), LINK_BATCH):
            batch = ids[at:at + LINK_BATCH]
            existing = children_by_la_child_id(self.la, batch)
            creatable = {lid: linkable[lid] for lid in batch
                         if lid in existing or linkable[lid].get("PersonBirthDate")}
            linked, counts = children_index_bulk_link(
                actor=self.ctx.actor, partnership=self.ctx.partnership, la=self.la,
                agency=agency, children=creatable,
                first_referrals={lid: first_seen.get(lid) or fallback.isoformat()
                                 for lid in creatable},
                reason=reason,
                pseudonyms={lid: linking.census_pseudonym(self.la, lid) for lid in creatable})
            found.update(linked)
            index.update(counts)
        index["not_linked_no_birth_date"] = len(linkable) - len(found)
        named = [(found[lid], f) for lid, f in facts.items()
                 if lid in found and f.get("LastName")]
        for at in range(0, len(named), LINK_BATCH):
            index["names_added"] += child_names_update_bulk(
                actor=self.ctx.actor,
                names={pk: (f["FirstName"], f["LastName"]) for pk, f in named[at:at + LINK_BATCH]})
        return found, Counter({k: v for k, v in index.items() if v})

    def _changes(self, checked: dict[int, list[CheckedRow]]) -> dict:
        """Per list, rows added, changed, removed and unchanged against the replaced return."""
        before: dict[int, dict[str, str]] = {}
        for stored in AnnexARow.objects.filter(annex_return=self.old).iterator(chunk_size=5000):
            lst = self.spec.lists[stored.list_number]
            values = row_values(lst, stored)
            before.setdefault(stored.list_number, {})[
                canonical([values.get(k) for k in lst.key])] = digest(values)
        changes: dict[str, dict[str, int]] = {}
        for number in sorted(set(before) | set(checked)):
            lst = self.spec.lists[number]
            after = {}
            for row in checked.get(number, ()):
                values = {k: _plain(v) for k, v in row.values.items()}
                after[canonical([values.get(k) for k in lst.key])] = digest(values)
            old = before.get(number, {})
            change = compare(old, after)
            counted = Counter(added=change["added"], changed=change["updated"],
                              removed=change["removed"], unchanged=change["unchanged"])
            changes[str(number)] = dict(counted)
            for what, n in counted.items():
                self.totals[f"rows_{what}"] += n
        return changes
