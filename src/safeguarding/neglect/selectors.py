"""Reads for GCP2. The business unit reads its partnership's records; an agency seat its
own agency's licences and summaries (and the partnership's champions). A record outside
what the reader may see is not found (404)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safeguarding.core.calendar import month_end
from safeguarding.core.models import Agency, LocalAuthority, Partnership, User
from safeguarding.core.selectors import home_las
from safeguarding.measures.periods import financial_year_of, parse
from safeguarding.neglect import config
from safeguarding.neglect.models import AssessmentSummary, Champion, Licence
from safeguarding.neglect.rules import agency_seats, managed, readable


def _scoped(actor: User) -> Q:
    """Records of partnerships the actor manages, or of their agency seats."""
    q = Q(partnership_id__in=managed(actor))
    for partnership, agency in agency_seats(actor):
        q |= Q(partnership_id=partnership, agency_id=agency)
    return q


def champions_for(actor: User) -> QuerySet[Champion]:
    return (Champion.objects.filter(partnership_id__in=readable(actor))
            .select_related("agency", "partnership"))


def champion_get(*, actor: User, pk: int) -> Champion:
    found = Champion.objects.filter(partnership_id__in=managed(actor), pk=pk).first()
    if found is None:
        raise Http404("No such champion")
    return found


def licences_for(actor: User) -> QuerySet[Licence]:
    return (Licence.objects.filter(_scoped(actor)).select_related("agency", "partnership")
            .order_by("expires_on", "practitioner"))


def licence_get(*, actor: User, pk: int) -> Licence:
    found = licences_for(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No such licence")
    return found


def current_licences(found: QuerySet[Licence], on: dt.date) -> QuerySet[Licence]:
    return found.filter(issued_on__lte=on, expires_on__gte=on).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))


def expiring(found: QuerySet[Licence], on: dt.date, days: int | None = None) -> QuerySet[Licence]:
    """Current licences that expire within ``days`` (the configured window) and are not
    renewed yet."""
    days = config.expiring_soon_days() if days is None else days
    return (current_licences(found, on).filter(expires_on__lte=on + dt.timedelta(days=days))
            .filter(renewed_by__isnull=True))


def summaries_for(actor: User) -> QuerySet[AssessmentSummary]:
    return (AssessmentSummary.objects.filter(_scoped(actor))
            .select_related("agency", "partnership"))


def summary_get(*, actor: User, pk: int) -> AssessmentSummary:
    found = summaries_for(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No such summary")
    return found


def agencies_for(actor: User) -> list[tuple[Partnership, Agency]]:
    """The (partnership, agency) pairs the actor may record a summary for."""
    pairs = []
    for partnership in Partnership.objects.filter(pk__in=managed(actor)).order_by("code"):
        pairs += [(partnership, a) for a in partnership.agencies.order_by("name")]
    own = agency_seats(actor)
    for partnership_id, agency_id in sorted(own):
        if partnership_id not in managed(actor):
            pairs.append((Partnership.objects.get(pk=partnership_id),
                          Agency.objects.get(pk=agency_id)))
    return pairs


# Summaries owed ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Owed:
    partnership: Partnership
    agency: Agency
    period: str
    due: dt.date


def _quarter_of(day: dt.date):
    start_month = (day.month - 1) // 3 * 3 + 1
    fy = financial_year_of(day).start_year
    q = {4: 1, 7: 2, 10: 3, 1: 4}[start_month]
    return parse(f"{fy}-Q{q}")


def _quarters_ended(since: dt.date, on: dt.date) -> list:
    found, period = [], _quarter_of(since)
    while period.end < on:
        found.append(period)
        period = _quarter_of(period.end + dt.timedelta(days=1))
    return found


def owed(pairs: list[tuple[Partnership, Agency]], on: dt.date) -> list[Owed]:
    """Summaries an agency owes: each quarter ended before ``on`` at whose end it held a
    current licence, with no summary recorded yet (an agency with no licensed practitioner
    completes no GCP2 assessment, so owes none)."""
    found: list[Owed] = []
    for partnership, agency in pairs:
        licences = list(Licence.objects.filter(partnership=partnership, agency=agency))
        if not licences:
            continue
        done = set(AssessmentSummary.objects.filter(partnership=partnership, agency=agency)
                   .values_list("period", flat=True))
        first = min(lic.issued_on for lic in licences)
        for period in _quarters_ended(first, on):
            if period.label in done or not any(lic.current_on(period.end) for lic in licences):
                continue
            found.append(Owed(partnership, agency, period.label, config.summary_due(period.end)))
    return found


# Rows for the measure engine (contract.py): (LA, record key, day) only --------------------


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], month_end(first)
    while day <= last:
        days.append(day)
        day = month_end(day + dt.timedelta(days=1))
    return days


def assessment_rows(las: list[str], *, which: str = "completed") -> list[tuple]:
    """One row per assessment an agency's summary counts, dated the summary's quarter end:
    ``completed``, ``graded`` (given an overall grade), ``concern`` (graded at or above the
    configured grade), ``reviewed`` or ``improved``."""
    hosts = home_las(las)
    rows = []
    for s in AssessmentSummary.objects.filter(partnership__in=list(hosts)).order_by("pk"):
        count = {"completed": s.completed, "graded": s.graded,
                 "concern": sum(s.grades[config.concern_from() - 1:]),
                 "reviewed": s.reviewed, "improved": s.improved}[which]
        rows += [(hosts[s.partnership_id], f"g{s.pk}-{n}", s.period_end) for n in range(count)]
    return rows


def champion_rows(las: list[str], *, dated: str = "active") -> list[tuple]:
    """``trained``: one row per champion dated the day trained; ``active``: one row per
    champion per month end at which they were active (the measure counts champions once)."""
    hosts = home_las(las)
    rows = []
    last = month_end(timezone.localdate())
    for c in Champion.objects.filter(partnership__in=list(hosts)).order_by("pk"):
        la = hosts[c.partnership_id]
        if dated == "trained":
            rows.append((la, f"c{c.pk}", c.trained_on))
            continue
        end = min(last, c.stepped_down_on or last)
        rows += [(la, f"c{c.pk}", day) for day in _month_ends(c.trained_on, end)
                 if c.active_on(day)]
    return rows


def licence_rows(las: list[str], *, dated: str = "current") -> list[tuple]:
    """``issued``: one row per licence dated the day issued; ``current``: one row per
    practitioner per month end at which they held a current licence (renewals keep the
    same practitioner key, so the measure counts practitioners once)."""
    hosts = home_las(las)
    rows = []
    last = month_end(timezone.localdate())
    for lic in Licence.objects.filter(partnership__in=list(hosts)).order_by("pk"):
        la = hosts[lic.partnership_id]
        if dated == "issued":
            rows.append((la, f"l{lic.pk}", lic.issued_on))
            continue
        key = f"p{_first_of_chain(lic)}"
        rows += [(la, key, day) for day in _month_ends(lic.issued_on, min(lic.expires_on, last))
                 if lic.current_on(day)]
    return rows


def _first_of_chain(licence: Licence) -> int:
    while licence.renews_id is not None:
        licence = licence.renews  # type: ignore[assignment]
    return licence.pk


def coverage_spans(las: list[str]) -> list[tuple[str, dt.date, dt.date]]:
    """A partnership's GCP2 records cover every LA of it from the start of the financial
    year of its first champion, licence or summary, to the end of the current month (a
    quarter with no summary is a true zero once the partnership uses GCP2)."""
    spans = []
    for pid in set(LocalAuthority.objects.filter(old_code__in=las)
                   .values_list("partnership_id", flat=True)):
        firsts = [d for d in (
            Champion.objects.filter(partnership_id=pid).aggregate(d=Min("trained_on"))["d"],
            Licence.objects.filter(partnership_id=pid).aggregate(d=Min("issued_on"))["d"],
            AssessmentSummary.objects.filter(partnership_id=pid)
            .aggregate(d=Min("period_start"))["d"]) if d]
        if not firsts:
            continue
        start = financial_year_of(min(firsts)).start
        end = month_end(timezone.localdate())
        spans += [(code, start, end) for code in LocalAuthority.objects.filter(
            partnership_id=pid, old_code__in=las).values_list("old_code", flat=True)]
    return spans


def by_agency(summaries) -> list[dict]:
    """Totals per agency over the given summaries (the summaries page's table)."""
    totals: dict[str, dict] = defaultdict(lambda: {"completed": 0, "children": 0,
                                                    "concern": 0, "reviewed": 0,
                                                    "improved": 0, "quarters": 0})
    for s in summaries:
        row = totals[s.agency.name]
        row["completed"] += s.completed
        row["children"] += s.children
        row["concern"] += sum(s.grades[config.concern_from() - 1:])
        row["reviewed"] += s.reviewed
        row["improved"] += s.improved
        row["quarters"] += 1
    return [{"agency": name, **row} for name, row in sorted(totals.items())]
