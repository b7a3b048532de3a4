"""Load an SSDA903 return: every table of one LA's year, checked together, written together.

The tables arrive as CSV files or one ZIP; each is recognised by its columns.
The LA is the partnership's when it covers one, else the one chosen (``--la``
or the upload form); the year is given (``--year``) or inferred from the data
(see ``validation.ssda903``). Nothing is written unless every table is clean.

Checking spools each child's rows to disk (``validation.ssda903.ChildSpool``)
and the children then stream, one at a time, through the return pipeline
(``loader.returns``): each child's rows from every table are kept with the
return as a snapshot, then merged with the snapshots of the LA's other current
returns into the history tables (``ssda903_merge``). A newer return for the same LA
and year supersedes the older one: its children that the newer one drops are
re-merged from the other years, or removed if no other year has them.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

import orjson

from safeguarding.core.bulk import delete_where, insert_rows, select_in
from safeguarding.datasets.loader import CurrentReturnLoader, LoadContext, Outcome, failed, returns
from safeguarding.datasets.loader.ssda903_merge import (
    MergedCla,
    history_change,
    merge,
    return_change,
)
from safeguarding.datasets.models import (
    ClaAdoption,
    ClaCareLeaver,
    ClaChild,
    ClaEpisode,
    ClaMissingEpisode,
    ClaOutcome,
    ClaPlacedForAdoption,
    ClaPreviousPermanence,
    ClaReturn,
    ClaReturnChild,
    ClaReview,
    ImportKind,
    ReturnStatus,
)
from safeguarding.datasets.readers import ssda903 as reader
from safeguarding.datasets.validation.problems import TooManyErrors
from safeguarding.datasets.validation.ssda903 import UPN_UNKNOWN, CheckedReturn, check_return
from safeguarding.datasets.validation.ssda903_spec import message

BATCH = 1000
BOOL = "bool"
# Each table's model and its columns: (model field, 903 column[, "bool" for 0/1 codes]).
TABLE_MODELS: dict[str, tuple[Any, tuple[tuple[str, ...], ...]]] = {
    "episodes": (ClaEpisode, (
        ("start_date", "DECOM"), ("reason_new_episode", "RNE"), ("legal_status", "LS"),
        ("category_of_need", "CIN"), ("placement", "PLACE"),
        ("placement_provider", "PLACE_PROVIDER"), ("end_date", "DEC"), ("reason_ceased", "REC"),
        ("reason_place_change", "REASON_PLACE_CHANGE"), ("home_postcode", "HOME_POST"),
        ("placement_postcode", "PL_POST"), ("urn", "URN"))),
    "reviews": (ClaReview, (("review_date", "REVIEW"), ("participation", "REVIEW_CODE"))),
    "missing": (ClaMissingEpisode, (("missing_type", "MISSING"), ("start_date", "MIS_START"),
                                    ("end_date", "MIS_END"))),
    "oc2": (ClaOutcome, (
        ("sdq_score", "SDQ_SCORE"), ("sdq_reason", "SDQ_REASON"),
        ("convicted", "CONVICTED", BOOL), ("health_check", "HEALTH_CHECK", BOOL),
        ("immunisations", "IMMUNISATIONS", BOOL), ("teeth_check", "TEETH_CHECK", BOOL),
        ("health_assessment", "HEALTH_ASSESSMENT", BOOL),
        ("substance_misuse", "SUBSTANCE_MISUSE", BOOL),
        ("intervention_received", "INTERVENTION_RECEIVED", BOOL),
        ("intervention_offered", "INTERVENTION_OFFERED", BOOL))),
    "oc3": (ClaCareLeaver, (("in_touch", "IN_TOUCH"), ("activity", "ACTIV"),
                            ("accommodation", "ACCOM"))),
    "ad1": (ClaAdoption, (
        ("decision_date", "DATE_INT"), ("match_date", "DATE_MATCH"),
        ("foster_care", "FOSTER_CARE", BOOL), ("number_of_adopters", "NB_ADOPTR"),
        ("sex_of_adopters", "SEX_ADOPTR"), ("legal_status_of_adopters", "LS_ADOPTR"))),
    "placed_adoption": (ClaPlacedForAdoption, (
        ("placed_date", "DATE_PLACED"), ("ceased_date", "DATE_PLACED_CEASED"),
        ("reason_ceased", "REASON_PLACED_CEASED"))),
    "prev_perm": (ClaPreviousPermanence, (
        ("previous_permanence", "PREV_PERM"), ("previous_la", "LA_PERM"),
        ("permanence_date", "DATE_PERM"))),
}
COMMON = ("cla_child", "local_authority", "la_child_id", "pseudonym", "source_return",
          "collection_year")
CHILD_COLUMNS = ("partnership", "local_authority", "la_child_id", "child", "pseudonym", "sex",
                 "birth_date", "ethnicity", "upn", "mother", "mother_child_birth_date", "uasc",
                 "uasc_ceased_date", "source_return", "first_year", "last_year")


def _cell(model, name: str, value, kind: str = ""):
    """A 903 value in its model column's form: '' for a blank text, a bool for a 0/1 code."""
    if kind == BOOL:
        return None if value is None else value == "1"
    if value is None and model._meta.get_field(name).get_internal_type() == "CharField":
        return ""
    return value


def requested_year(period: str) -> int | None:
    """The year asked for on the import record ('2020/21' -> 2021), if any."""
    return int(period[:4]) + 1 if period[:4].isdigit() else None


def previous_return(la, year: int) -> Iterator[tuple[str, dict]] | None:
    """The children of the LA's current return for the year before ``year``, if loaded.

    Each is (CHILD, record) as that return gave it (its snapshot), read in
    batches from the database, for DfE's rules that compare with last year.
    """
    found = ClaReturn.objects.filter(local_authority=la, collection_year=year - 1,
                                     status=ReturnStatus.CURRENT).first()
    if found is None:
        return None
    snapshots = ClaReturnChild.objects.filter(cla_return=found).order_by("pk")
    return ((lid, orjson.loads(payload)) for lid, payload in
            snapshots.values_list("la_child_id", "payload").iterator(chunk_size=2000))


def earlier_returns(la, year: int, back: int) -> dict[int, Iterator[tuple[str, dict]]]:
    """The children of the LA's current returns of the ``back`` years before ``year``.

    By collection year; a year with no return loaded is absent (the rules that
    need it are then reported as not checked, naming it). Read as ``previous_return``.
    """
    found = {}
    for year_before in range(year - back, year):
        children = previous_return(la, year_before + 1)
        if children is not None:
            found[year_before] = children
    return found


class Ssda903Loader(CurrentReturnLoader):
    """The SSDA903 return as a configuration of the return pipeline (``loader.returns``)."""

    kind = ImportKind.SSDA903
    loaded_model = ClaReturn

    @staticmethod
    def digest(record, paths, names) -> str | None:
        """The return's identity: its LA and its tables' contents, however packed (CSVs or a ZIP).

        The files do not name their LA, so the same tables loaded for another LA
        of the partnership are another return.
        """
        las = list(record.partnership.local_authorities.all())
        la = record.local_authority or (las[0] if len(las) == 1 else None)
        try:
            files, _skipped = reader.read_inputs(list(paths), list(names))
        except reader.Refused:
            return None
        tables = sorted(f.sha256 for f in files)
        identity = [f"la:{la.old_code if la else ''}", *tables]
        return hashlib.sha256("\n".join(identity).encode()).hexdigest()

    def run(self, ctx: LoadContext) -> Outcome:
        log = ctx.log
        la = self._la(ctx)
        where: dict[str, Any] = {"local_authority": la}
        try:
            files, skipped = reader.read_inputs(ctx.paths, ctx.file_names)
        except reader.Refused as refused:
            log.add(refused.rule, message(refused.rule, **refused.params),
                    file=refused.file or ctx.file_name)
            raise failed(log, refused=True, **where) from None
        for item in skipped:
            log.add(item.rule, message(item.rule, **item.params), file=item.name,
                    severity="query")
        try:
            checked = check_return(files, log,
                                   year=requested_year(ctx.dataset_import.period),
                                   previous=functools.partial(previous_return, la),
                                   earlier=functools.partial(earlier_returns, la))
        except TooManyErrors:
            log.stop(message("SCP903-FILE-TOO-MANY-ERRORS", limit=f"{log.max_errors:,}"))
            raise failed(log, **where) from None
        if checked is None:
            raise failed(log, **where)
        try:
            return self._load(ctx, la, checked, where)
        finally:
            checked.close()

    def _load(self, ctx: LoadContext, la, checked: CheckedReturn, where: dict) -> Outcome:
        log = ctx.log
        if not checked.counts["children"]:
            log.add("SCP903-NO-CHILDREN", message("SCP903-NO-CHILDREN"), file=ctx.file_name)
        if log.has_errors:
            raise failed(log, **where)
        where["period"] = checked.spec.period
        counts = Counter(checked.counts)
        described = (f"{counts['children']:,} children and {counts['episodes']:,} episodes of "
                     f"care for LA {la.old_code}, {checked.spec.period} "
                     f"({', '.join(checked.tables)})")
        writer = None if ctx.check_only else _Writer(ctx, la, checked)
        # The checker counted every table already; each child is written as it comes.
        returns.load_children(checked.children(), writer=writer, log=log, batch=BATCH,
                              tally=lambda record: None)
        return returns.loaded_outcome(writer=writer, counts=counts, described=described,
                                      batch=BATCH, **where)

    @staticmethod
    def _la(ctx: LoadContext):
        las = list(ctx.partnership.local_authorities.order_by("old_code"))
        chosen = ctx.dataset_import.local_authority
        if chosen is not None and chosen in las:
            return chosen
        if chosen is None and len(las) == 1:
            return las[0]
        codes = ", ".join(la.old_code for la in las) or "none"
        if chosen is not None:
            detail = (f"Partnership {ctx.partnership.code} does not cover LA {chosen.old_code} "
                      f"(it covers {codes})")
        else:
            detail = (f"Partnership {ctx.partnership.code} covers LAs {codes}: say which LA the "
                      "return is for (--la CODE on the command line)")
        ctx.log.add("SCP903-LA", message("SCP903-LA", detail=detail), file=ctx.file_name)
        raise failed(ctx.log, refused=True)


class _Writer(returns.ReturnWriter):
    """Writes checked looked-after children into the 903 history tables, batch by batch."""

    return_model = ClaReturn
    snapshot_model = ClaReturnChild
    return_field = "cla_return"
    history_parts = ("episodes",)
    merge = staticmethod(merge)
    history_change = staticmethod(history_change)
    return_change = staticmethod(return_change)
    child_model = ClaChild
    link_reason = "Looked after (SSDA903), LA {la}"

    @staticmethod
    def index_values(merged: MergedCla) -> dict:
        """The 903 Header in the census's names, for linking to the child index."""
        header = merged.header
        upn = header.get("UPN") or ""
        return {"UPN": "" if UPN_UNKNOWN.match(upn) else upn, "PersonBirthDate": header["DOB"],
                "GenderCurrent": header["SEX"], "Ethnicity": header["ETHNIC"]}

    @staticmethod
    def first_referral(merged: MergedCla) -> str:
        return min(merged.rows["episodes"], default=merged.header["DOB"])

    def __init__(self, ctx: LoadContext, la, checked: CheckedReturn):
        super().__init__(ctx, la, checked.spec.year, period=checked.spec.period,
                         tables=checked.tables, counts=dict(checked.counts))

    def _delete(self, ids: list[str]) -> None:
        """Delete these children's merged rows (their snapshots stay with their returns)."""
        for model, _columns in TABLE_MODELS.values():
            delete_where(model.objects.filter(local_authority=self.la, la_child_id__in=ids))
        delete_where(ClaChild.objects.filter(local_authority=self.la, la_child_id__in=ids))

    def _store(self, merged: dict[str, MergedCla]) -> None:
        """Write the merged history of these children, replacing what they had."""
        if not merged:
            return
        la, ids = self.la, list(merged)
        child_ids, pseudonyms = self._replace_and_link(merged)
        insert_rows(ClaChild, CHILD_COLUMNS, (
            (self.ctx.partnership.pk, la.pk, lid, child_ids.get(lid), pseudonyms[lid],
             m.header["SEX"], m.header["DOB"], m.header["ETHNIC"], m.header["UPN"],
             _cell(ClaChild, "mother", m.header.get("MOTHER"), BOOL), m.header.get("MC_DOB"),
             m.uasc is not None, (m.uasc or {}).get("DUC"), self.return_of_year[m.last_year],
             m.first_year, m.last_year)
            for lid, m in merged.items()))
        cla_child_pks = dict(select_in(ClaChild, ("la_child_id", "pk"),
                                       where={"local_authority": la.pk}, field="la_child_id",
                                       values=ids))
        for table, (model, columns) in TABLE_MODELS.items():
            insert_rows(model, (*COMMON, *(c[0] for c in columns)), (
                (cla_child_pks[lid], la.pk, lid, pseudonyms[lid], self.return_of_year[year],
                 year, *(_cell(model, c[0], row.get(c[1]), *c[2:]) for c in columns))
                for lid, m in merged.items() for year, row in m.rows[table].values()))

