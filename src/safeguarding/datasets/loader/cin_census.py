"""Load a CIN census return: check it all, and write it only if it has no errors.

The file is read once, streamed. Children are checked as they come; while no
error has been found, valid children are written in batches (inside the one
transaction services opened). The first error stops the writing, checking goes
on to list every error, and the transaction rolls back at the end.

Writing a batch: each child's snapshot is kept with the return, then merged
with the snapshots of the LA's other current returns into the history tables
(``loader.merge``). A newer return for the same LA and year supersedes the
older one: the older one's children that the newer one drops are re-merged
from the remaining years, or removed if no other year has them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterable
from contextlib import closing
from typing import Any

from safeguarding.core.bulk import delete_where, insert_rows, select_in
from safeguarding.datasets.loader import (
    CurrentReturnLoader,
    LoadContext,
    Outcome,
    Stop,
    failed,
    returns,
)
from safeguarding.datasets.loader.merge import (
    Merged,
    canonical,
    history_change,
    merge,
    return_change,
)
from safeguarding.datasets.models import (
    ChildProtectionPlan,
    CinAssessment,
    CinChild,
    CinEpisode,
    CinPlanPeriod,
    CinReturn,
    CinReturnChild,
    ImportKind,
    Section47Enquiry,
)
from safeguarding.datasets.readers import cin_xml
from safeguarding.datasets.validation import apart
from safeguarding.datasets.validation.cin_census import (
    CheckedHeader,
    ChildChecker,
    check_header,
    common_message,
)
from safeguarding.datasets.validation.problems import TooManyErrors
from safeguarding.datasets.validation.specs import cin_spec

BATCH = 1000
CHILD_FIELDS = {
    "upn": "UPN", "former_upn": "FormerUPN", "upn_unknown": "UPNunknown",
    "birth_date": "PersonBirthDate", "expected_birth_date": "ExpectedPersonBirthDate",
    "gender": "GenderCurrent", "death_date": "PersonDeathDate", "ethnicity": "Ethnicity",
    "disabilities": "Disability", "sex_as_returned": "SexAsReturned",
}
CIN_CHILD_COLUMNS = ("partnership", "local_authority", "la_child_id", "child", "pseudonym",
                     *CHILD_FIELDS, "source_return", "first_year", "last_year")
EPISODE_COLUMNS = ("cin_child", "local_authority", "la_child_id", "pseudonym", "referral_date",
                   "referral_source", "primary_need", "closure_date", "reason_for_closure",
                   "date_of_initial_cpc", "referral_nfa", "source_return", "collection_year")
CPP_COLUMNS = ("episode", "local_authority", "la_child_id", "pseudonym", "start_date", "end_date",
               "initial_category", "latest_category", "previous_plans", "review_dates",
               "source_return", "collection_year")


def _child_value(child: dict, name: str):
    """A census child's value in its column's form: '' for a missing code, JSON for lists."""
    if name == "SexAsReturned":  # Sex (M/F/U) from 2024/25, GenderCurrent before
        return child.get("Sex") or child.get("GenderCurrent") or ""
    value = child.get(name)
    if name == "Disability":
        return canonical(value or [])
    if value is None and not name.endswith("Date"):
        return ""
    return value


def _tally(counts: Counter, record: dict) -> None:
    counts["children"] += 1
    for ep in record["episodes"]:
        counts["episodes"] += 1
        counts["assessments"] += len(ep["assessments"])
        counts["cin_plans"] += len(ep["cin_plans"])
        counts["section47s"] += len(ep["section47s"])
        counts["cpps"] += len(ep["cpps"])
        counts["reviews"] += sum(len(plan["CPPreviewDate"]) for plan in ep["cpps"])


class CinCensusLoader(CurrentReturnLoader):
    """The CIN census as a configuration of the return pipeline (``loader.returns``)."""

    kind = ImportKind.CIN_CENSUS
    loaded_model = CinReturn

    def run(self, ctx: LoadContext) -> Outcome:
        log = ctx.log
        las = {la.old_code: la for la in ctx.partnership.local_authorities.all()}
        items = cin_xml.read(ctx.path)
        try:
            first = next(items, None)
        except cin_xml.XmlRefused as refused:
            raise self._refused(ctx, refused) from None
        header = first if isinstance(first, cin_xml.Header) else None
        checked, refuse = check_header(header, log, covered_la_codes=set(las),
                                       partnership_code=ctx.partnership.code)
        if checked is None:
            raise failed(log, refused=refuse)
        la = las[checked.la_code]
        where: dict[str, Any] = {"local_authority": la, "period": checked.spec.period}
        writer = None if ctx.check_only else _Writer(ctx, la, checked)
        year = checked.spec.year
        if writer is not None and apart.worth_apart([ctx.path]):
            # A large return is read and checked in a process of its own while this one
            # writes (validation/apart.py); the same children and problems come back.
            items.close()
            children = apart.checked_apart(_census_children, {"path": ctx.path, "year": year},
                                           log=log, batch=BATCH, handled=(cin_xml.XmlRefused,))
        else:
            children = _checked_children(items, ChildChecker(checked.spec, log))
        counts: Counter = Counter()
        try:
            with closing(children):  # a stopped load stops the checking process too
                returns.load_children(children, writer=writer, log=log, batch=BATCH,
                                      tally=lambda record: _tally(counts, record))
        except (cin_xml.XmlRefused, apart.Refused) as stopped:
            error = stopped.error if isinstance(stopped, apart.Refused) else stopped
            assert isinstance(error, cin_xml.XmlRefused)  # the only kind handled apart
            raise self._refused(ctx, error, **where) from None
        except TooManyErrors:
            log.stop(common_message("SCP-FILE-TOO-MANY-ERRORS", limit=f"{log.max_errors:,}"))
            raise failed(log, **where) from None
        if counts["children"] == 0 and not log.has_errors:
            log.add("SCP-FILE-EMPTY", common_message("SCP-FILE-EMPTY"))
        if log.has_errors:
            raise failed(log, **where)
        described = (f"{counts['children']:,} children, {counts['episodes']:,} CIN episodes and "
                     f"{counts['cpps']:,} child protection plans for LA {la.old_code}, "
                     f"{checked.spec.period}")
        return returns.loaded_outcome(writer=writer, counts=counts, described=described,
                                      batch=BATCH, **where)

    @staticmethod
    def _refused(ctx: LoadContext, refused: cin_xml.XmlRefused, **where) -> Stop:
        ctx.log.add(refused.rule, common_message(refused.rule, **refused.params),
                    row=refused.line)
        return failed(ctx.log, refused=refused.rule == "SCP-FILE-DOCTYPE", **where)


def _checked_children(items: Iterable, checker: ChildChecker
                      ) -> Generator[tuple[str, dict], None, None]:
    """The census's children, checked one at a time: (LAchildID, record) for each valid one;
    then the rules about the whole return (``ChildChecker.finish``)."""
    for node in items:
        if not isinstance(node, cin_xml.RawNode):
            continue  # a second Header: only the first counts
        record = checker.check(node)
        if record is not None:
            yield record["LAchildID"], record
    checker.finish()


def _census_children(*, log, path, year: int) -> Generator[tuple[str, dict], None, None]:
    """The return's children checked from the file, its header (checked by the loader)
    passed over: what the checking process runs (``loader.apart``)."""
    items = cin_xml.read(path)
    next(items, None)
    return _checked_children(items, ChildChecker(cin_spec(year), log))


class _Writer(returns.ReturnWriter):
    """Writes checked census children into the CIN history tables, batch by batch."""

    return_model = CinReturn
    snapshot_model = CinReturnChild
    return_field = "cin_return"
    history_parts = ("episodes", "cpps")
    merge = staticmethod(merge)
    history_change = staticmethod(history_change)
    return_change = staticmethod(return_change)
    child_model = CinChild
    link_reason = "Children in need census, LA {la}"

    @staticmethod
    def index_values(merged: Merged) -> dict:
        return merged.child

    @staticmethod
    def first_referral(merged: Merged) -> str:
        return min(merged.episodes)

    def __init__(self, ctx: LoadContext, la, checked: CheckedHeader):
        super().__init__(ctx, la, checked.spec.year, period=checked.spec.period,
                         reference_date=checked.reference_date,
                         source_datetime=checked.source_datetime[:40])

    def _delete(self, ids: list[str]) -> None:
        """Delete these children's merged rows (their snapshots stay with their returns)."""
        la = self.la
        episodes = CinEpisode.objects.filter(local_authority=la, la_child_id__in=ids)
        for model in (CinAssessment, CinPlanPeriod, Section47Enquiry):
            delete_where(model.objects.filter(episode__in=episodes.values("pk")))
        delete_where(ChildProtectionPlan.objects.filter(local_authority=la, la_child_id__in=ids))
        delete_where(episodes)
        delete_where(CinChild.objects.filter(local_authority=la, la_child_id__in=ids))

    def _store(self, merged: dict[str, Merged]) -> None:
        """Write the merged history of these children, replacing what they had."""
        if not merged:
            return
        la, ids = self.la, list(merged)
        child_ids, pseudonyms = self._replace_and_link(merged)
        insert_rows(CinChild, CIN_CHILD_COLUMNS, (
            (self.ctx.partnership.pk, la.pk, lid, child_ids.get(lid), pseudonyms[lid],
             *(_child_value(m.child, name) for name in CHILD_FIELDS.values()),
             self.return_of_year[m.last_year], m.first_year, m.last_year)
            for lid, m in merged.items()))
        cin_child_pks = dict(select_in(CinChild, ("la_child_id", "pk"),
                                       where={"local_authority": la.pk}, field="la_child_id",
                                       values=ids))
        insert_rows(CinEpisode, EPISODE_COLUMNS, (
            (cin_child_pks[lid], la.pk, lid, pseudonyms[lid], ref,
             ep.fields.get("ReferralSource") or "", ep.fields.get("PrimaryNeedCode") or "",
             ep.fields.get("CINclosureDate"), ep.fields.get("ReasonForClosure") or "",
             ep.fields.get("DateOfInitialCPC"), ep.fields.get("ReferralNFA"),
             self.return_of_year[ep.year], ep.year)
            for lid, m in merged.items() for ref, ep in m.episodes.items()))
        episode_pks = {
            (lid, str(ref)): pk for lid, ref, pk in
            select_in(CinEpisode, ("la_child_id", "referral_date", "pk"),
                      where={"local_authority": la.pk}, field="la_child_id", values=ids)}
        assessments, plans, enquiries, cpps = [], [], [], []
        for lid, m in merged.items():
            for ref, ep in m.episodes.items():
                episode = episode_pks[(lid, ref)]
                for _year, a in ep.parts["assessments"].values():
                    assessments.append((
                        episode, a.get("AssessmentActualStartDate"),
                        a.get("AssessmentInternalReviewDate"), a.get("AssessmentAuthorisationDate"),
                        canonical(a.get("AssessmentFactors") or [])))
                for _year, p in ep.parts["cin_plans"].values():
                    plans.append((episode, p["CINPlanStartDate"], p.get("CINPlanEndDate")))
                for _year, e in ep.parts["section47s"].values():
                    enquiries.append((episode, e["S47ActualStartDate"], e.get("InitialCPCtarget"),
                                      e.get("DateOfInitialCPC"), e.get("ICPCnotRequired")))
            for start, (year, plan, ref) in m.cpps.items():
                cpps.append((
                    episode_pks[(lid, ref)], la.pk, lid, pseudonyms[lid], start,
                    plan.get("CPPendDate"), plan.get("InitialCategoryOfAbuse") or "",
                    plan.get("LatestCategoryOfAbuse") or "", plan.get("NumberOfPreviousCPP"),
                    canonical(plan.get("CPPreviewDate") or []), self.return_of_year[year], year))
        insert_rows(CinAssessment, ("episode", "start_date", "internal_review_date",
                                    "authorisation_date", "factors"), assessments)
        insert_rows(CinPlanPeriod, ("episode", "start_date", "end_date"), plans)
        insert_rows(Section47Enquiry, ("episode", "start_date", "icpc_target", "icpc_date",
                                       "icpc_not_required"), enquiries)
        insert_rows(ChildProtectionPlan, CPP_COLUMNS, cpps)
