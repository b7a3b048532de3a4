"""Load an agency template extract (early help, police DA incidents, missing, ...).

One loader for every template, driven by its spec (validation.templates):
read the CSV, check the header and every row, and only if nothing is wrong
write. The extract states its period (the import's ``period``) and comes from
one agency (the import's ``agency``, or the partnership's one agency of a kind
that sends the template). Rows merge by the template's record key: new keys
are added, known keys replaced by this extract's row (latest wins), keys it
does not carry are kept; what changed is counted and the keys recorded.

Each child's identifiers become (or update) the agency's SourceRecord for
that child, and the new or unlinked ones are linked to the child index with
``children.linkage.services.link_records`` before the transaction ends.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from safeguarding.children.identifiers import pseudonymous_key
from safeguarding.children.linkage.services import (
    SOURCE_IDENTITY_FIELDS,
    link_records,
    source_records_save_bulk,
)
from safeguarding.core.bulk import insert_rows, to_column, update_rows
from safeguarding.core.models import Agency, LocalAuthority
from safeguarding.datasets.loader import LoadContext, Outcome, failed
from safeguarding.datasets.loader.merge import digest
from safeguarding.datasets.models import RECORD_MODELS, AgencyExtract, ImportStatus
from safeguarding.datasets.readers.dfe_csv import CsvRefused, DfeCsv, csv_problem
from safeguarding.datasets.validation.problems import TooManyErrors
from safeguarding.datasets.validation.template_rows import CheckedRow, TemplateRowChecker
from safeguarding.datasets.validation.templates import TemplateSpec, template_spec
from safeguarding.measures.periods import PeriodError, parse

if TYPE_CHECKING:
    from safeguarding.children.models import SourceRecord

CHANGED_KEYS_KEPT = 1000


def resolve_agency(partnership, spec: TemplateSpec, agency: Agency | None) -> Agency | str:
    """The agency that sent the extract, or why it cannot be known."""
    kinds = ", ".join(k.replace("_", " ") for k in spec.sent_by)
    if agency is not None:
        if not agency.partnerships.filter(pk=partnership.pk).exists():
            return f"{agency.name} is not an agency of {partnership.name}"
        if agency.kind not in spec.sent_by:
            return f"The {spec.title} template is sent by: {kinds}; {agency.name} is not one"
        return agency
    for kind in spec.sent_by:
        found = list(partnership.agencies.filter(kind=kind).order_by("pk")[:2])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return (f"The partnership has more than one {kind.replace('_', ' ')} agency: name "
                    "the agency that sent the extract (--agency, or the agency field)")
    return f"The partnership has no agency that sends the {spec.title} template ({kinds})"


class TemplateLoader:
    kind = ""

    @property
    def spec(self) -> TemplateSpec:
        return template_spec(self.kind)

    def already_loaded(self, partnership, sha256: str):
        extract = (AgencyExtract.objects.filter(partnership=partnership, kind=self.kind,
                                                sha256=sha256)
                   .select_related("dataset_import").order_by("-pk").first())
        return extract.dataset_import if extract else None

    def run(self, ctx: LoadContext) -> Outcome:
        spec, log, record = self.spec, ctx.log, ctx.dataset_import
        if not record.period:
            log.add("SCP-TPL-PERIOD-MISSING", spec.message("SCP-TPL-PERIOD-MISSING"))
            raise failed(log, refused=True)
        try:
            period = parse(record.period.replace("/", "-"))
        except PeriodError as error:
            log.add("SCP-TPL-PERIOD", spec.message("SCP-TPL-PERIOD", detail=str(error)))
            raise failed(log, refused=True) from None
        agency = resolve_agency(ctx.partnership, spec, record.agency)
        if isinstance(agency, str):
            log.add("SCP-TPL-AGENCY", spec.message("SCP-TPL-AGENCY", detail=agency))
            raise failed(log, refused=True, period=period.label)
        record.agency = agency
        las = {la.old_code: la for la in ctx.partnership.local_authorities.order_by("old_code")}
        checker = TemplateRowChecker(spec, log, period_start=period.start, period_end=period.end,
                                     period_label=period.label, las=list(las))
        where: dict[str, Any] = {"period": period.label}
        rows: list[CheckedRow] = []
        try:
            with DfeCsv(ctx.path) as source:
                if checker.layout(source.columns) is None:
                    raise failed(log, **where)
                for line, cells in source.rows():
                    row = checker.check(line, cells)
                    if row is not None and not log.has_errors:
                        rows.append(row)
        except UnicodeDecodeError as error:
            log.add("SCP-TPL-ENCODING", spec.message("SCP-TPL-ENCODING", detail=error.reason))
            raise failed(log, **where) from None
        except CsvRefused as refused:
            rule, params = csv_problem("SCP-TPL", refused)
            log.add(rule, spec.message(rule, **params), row=refused.row, field=refused.column)
            raise failed(log, **where) from None
        except TooManyErrors:
            log.stop(f"Checking stopped after {log.max_errors:,} errors; fix these and check "
                     "the file again")
            raise failed(log, **where) from None
        if log.has_errors:
            raise failed(log, **where)
        people = len({r.values["person_id"] for r in rows})
        described = (f"{len(rows):,} rows of {spec.title} for {people:,} children from "
                     f"{agency.name}, {period.label}")
        if ctx.check_only:
            return Outcome(status=ImportStatus.CHECKED, counts={"rows": len(rows)},
                           summary=f"No errors in {described}. Nothing was loaded: this was a "
                                   "check only.", **where)
        extract = AgencyExtract.objects.create(
            partnership=ctx.partnership, agency=agency, kind=self.kind, period=period.label,
            period_start=period.start, period_end=period.end, la_codes=list(las),
            dataset_import=record, sha256=record.sha256, rows=len(rows))
        sources = _source_records(ctx.partnership, agency, self.kind, rows, las)
        change, changes = _merge_records(spec, self.kind, extract, agency, rows, sources, las)
        extract.changes = changes
        extract.save(update_fields=["changes"])
        index = _link(sources, actor=ctx.actor)
        counts: dict[str, Any] = {"rows": len(rows), "people": people, "records": dict(change),
                                  "index": index}
        summary = (f"Loaded {described}: {change['added']:,} records added, "
                   f"{change['changed']:,} changed and {change['unchanged']:,} unchanged.")
        if index.get("review_pairs"):
            summary += (f" {index['review_pairs']:,} possible matches to the child index wait "
                        "for review.")
        return Outcome(status=ImportStatus.LOADED, counts=counts, summary=summary, **where)


def _source_records(partnership, agency, kind: str, rows: list[CheckedRow],
                    las: dict[str, LocalAuthority]) -> dict[str, SourceRecord]:
    """The agency's SourceRecord for each person_id, created or brought up to date."""
    latest: dict[str, CheckedRow] = {}
    for row in rows:
        latest[row.values["person_id"]] = row
    people = {}
    for person, row in latest.items():
        identity = {name: row.values.get(name) or ("" if name != "date_of_birth" else None)
                    for name in SOURCE_IDENTITY_FIELDS}
        identity["local_authority_id"] = (las[row.la].pk if row.values.get("la_child_id")
                                          else None)
        people[person] = identity
    return source_records_save_bulk(partnership=partnership, agency=agency,
                                    source_system=source_system(kind, partnership),
                                    people=people)


def source_system(kind: str, partnership) -> str:
    """An agency serving two partnerships (a police force) sends each its own extract."""
    return f"{kind} template, {partnership.code}"[:100]


def _field_value(field: models.Field, value):
    if isinstance(field, models.BooleanField):
        return None if value is None else value == "Y"
    if isinstance(field, models.DateTimeField):
        return None if value is None else timezone.make_aware(value)
    if isinstance(field, models.JSONField):
        return list(value or [])
    if isinstance(field, models.CharField):
        return value or ""
    return value


def _comparable(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _merge_records(spec: TemplateSpec, kind: str, extract: AgencyExtract, agency, rows,
                   sources: dict[str, SourceRecord], las) -> tuple[Counter, dict]:
    # The concrete model of the template (the abstract base has no manager).
    model: Any = RECORD_MODELS[kind]
    fields: list[Any] = [model._meta.get_field(c.name) for c in spec.record_columns]
    names = [f.name for f in fields]
    to_columns = [(f.name, to_column(f)) for f in fields]
    existing: dict[str, dict] = {}
    keys = [r.key_text for r in rows]
    for start in range(0, len(keys), 5000):
        for old in model.objects.filter(partnership_id=extract.partnership_id, agency=agency,
                                        record_key__in=keys[start:start + 5000]
                                        ).values("pk", "record_key", "content_hash",
                                                 "local_authority__old_code", *names):
            existing[old["record_key"]] = old
    change: Counter = Counter()
    added: list[str] = []
    altered: list[dict] = []
    to_create: list[tuple] = []
    to_update: list[tuple] = []
    carried: list[int] = []
    pseudonyms: dict[str, str] = {}
    links = ("partnership", "agency", "local_authority", "record_key", "pseudonym",
             "source_record", "extract", "content_hash")
    for row in rows:
        values = {f.name: _field_value(f, row.values.get(f.name)) for f in fields}
        comparable = {n: _comparable(v) for n, v in values.items()}
        person = row.values["person_id"]
        content = digest([comparable, row.la, person])
        source = sources[person]
        pseudonym = pseudonyms.get(person)
        if pseudonym is None:  # a person has many rows (a school's, one a term)
            pseudonym = pseudonyms[person] = pseudonymous_key(f"{kind}:{agency.pk}:{person}")
        old = existing.get(row.key_text)
        if old is None:
            change["added"] += 1
            added.append(row.key_text)
            to_create.append((
                extract.partnership_id, agency.pk, las[row.la].pk, row.key_text,
                pseudonym, source.pk, extract.pk, content,
                *(values[name] if make is None else make(values[name])
                  for name, make in to_columns)))
        elif old["content_hash"] == content:
            change["unchanged"] += 1
            carried.append(old["pk"])
        else:
            change["changed"] += 1
            differing = [n for n in names if _comparable(old[n]) != comparable[n]]
            if old["local_authority__old_code"] != row.la:
                differing.append("la_code")
            altered.append({"key": row.key_text, "fields": differing or ["person_id"]})
            to_update.append((old["pk"], *(values[n] for n in names), las[row.la].pk,
                              pseudonym, source.pk, extract.pk, content))
    # New records are most of a first extract: inserted without building model instances.
    insert_rows(model, [*links, *names], to_create)
    update_rows(model, [*names, "local_authority", "pseudonym", "source_record", "extract",
                        "content_hash"], to_update)
    for start in range(0, len(carried), 5000):
        model.objects.filter(pk__in=carried[start:start + 5000]).update(extract=extract)
    changes = {"added": added[:CHANGED_KEYS_KEPT], "changed": altered[:CHANGED_KEYS_KEPT],
               "added_total": len(added), "changed_total": len(altered)}
    return change, changes


def _link(sources: dict[str, SourceRecord], *, actor) -> dict[str, int]:
    unlinked = [s for s in sources.values() if s.child_id is None]
    if not unlinked:
        return {"already_linked": len(sources)}
    summary = link_records(unlinked, actor=actor)
    index: dict[str, int] = {f"linked_{method}": n for method, n in summary.links.items()}
    index["review_pairs"] = summary.review_pairs
    index["unlinked"] = len(unlinked) - summary.linked
    index["already_linked"] = len(sources) - len(unlinked)
    return index


class EarlyHelpLoader(TemplateLoader):
    kind = "early-help"


class PoliceIncidentLoader(TemplateLoader):
    kind = "police-da-incidents"


class MissingEpisodeLoader(TemplateLoader):
    kind = "missing-episodes"


class SchoolExclusionLoader(TemplateLoader):
    kind = "school-exclusions"


class SchoolAttendanceLoader(TemplateLoader):
    kind = "school-attendance"


class MaceReferralLoader(TemplateLoader):
    kind = "mace-referrals"
