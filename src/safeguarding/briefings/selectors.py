"""Reads for briefings and campaigns. A briefing of a partnership the reader holds no seat
for is not found (404); an agency seat reads only its own agency's records of use."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safeguarding.briefings.models import Briefing, BriefingUse, Campaign
from safeguarding.briefings.rules import agency_seats, managed, readable
from safeguarding.core.models import LocalAuthority, User
from safeguarding.core.selectors import home_las
from safeguarding.measures.periods import financial_year_of


def briefings_for(actor: User) -> QuerySet[Briefing]:
    return (Briefing.objects.filter(partnership_id__in=readable(actor))
            .select_related("partnership").defer("file"))


def briefing_get(*, actor: User, pk: int, with_file: bool = False) -> Briefing:
    found = Briefing.objects.filter(partnership_id__in=readable(actor), pk=pk)
    found = found if with_file else found.defer("file")
    briefing = found.select_related("partnership").first()
    if briefing is None:
        raise Http404("No such briefing")
    return briefing


def uses_for(actor: User, briefing: Briefing) -> QuerySet[BriefingUse]:
    """Every agency's records for the business unit; one's own agency's otherwise."""
    found = briefing.uses.select_related("agency")
    if briefing.partnership_id in managed(actor):
        return found
    own = [a for p, a in agency_seats(actor) if p == briefing.partnership_id]
    return found.filter(agency_id__in=own)


def recording_agencies(actor: User, briefing: Briefing):
    """The expected agencies the actor may record a use for."""
    expected = briefing.expected_agencies.order_by("name")
    if briefing.partnership_id in managed(actor):
        return expected
    return expected.filter(pk__in=[a for p, a in agency_seats(actor)
                                   if p == briefing.partnership_id])


def agencies_status(briefing: Briefing) -> list[tuple]:
    """(agency, uses recorded) for each agency expected to use the briefing."""
    counts: dict[int, int] = {}
    for agency_id in briefing.uses.values_list("agency_id", flat=True):
        counts[agency_id] = counts.get(agency_id, 0) + 1
    return [(a, counts.get(a.pk, 0)) for a in briefing.expected_agencies.order_by("name")]


def pending_for(actor: User) -> list[tuple]:
    """(briefing, agency) pairs where the actor's own agency is expected to use a briefing
    and has recorded no use yet."""
    pairs = []
    for partnership_id, agency_id in sorted(agency_seats(actor)):
        found = (Briefing.objects.filter(partnership_id=partnership_id,
                                         expected_agencies=agency_id)
                 .exclude(uses__agency_id=agency_id).defer("file").order_by("issued_on", "pk"))
        pairs += [(b, b.expected_agencies.get(pk=agency_id)) for b in found]
    return pairs


def campaigns_for(actor: User) -> QuerySet[Campaign]:
    return Campaign.objects.filter(partnership_id__in=readable(actor)).select_related(
        "partnership")


def campaign_get(*, actor: User, pk: int) -> Campaign:
    found = campaigns_for(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No such campaign")
    return found


# Rows for the measure engine (contract.py): (LA, record key, day) only --------------------


def briefing_rows(las: list[str]) -> list[tuple]:
    hosts = home_las(las)
    return [(hosts[p], f"b{pk}", day) for pk, p, day in
            Briefing.objects.filter(partnership__in=list(hosts)).order_by("pk")
            .values_list("pk", "partnership_id", "issued_on")]


def expected_rows(las: list[str], *, used: bool = False) -> list[tuple]:
    """One row per (briefing, expected agency), dated the day the briefing was issued;
    ``used``: only where the agency has recorded a use."""
    hosts = home_las(las)
    rows = []
    briefings = (Briefing.objects.filter(partnership__in=list(hosts)).order_by("pk")
                 .defer("file").prefetch_related("expected_agencies", "uses"))
    for b in briefings:
        users = {u.agency_id for u in b.uses.all()}
        rows += [(hosts[b.partnership_id], f"b{b.pk}-a{a.pk}", b.issued_on)
                 for a in sorted(b.expected_agencies.all(), key=lambda a: a.pk)
                 if not used or a.pk in users]
    return rows


def campaign_rows(las: list[str], *, reach: bool = False) -> list[tuple]:
    """One row per campaign (dated its start), or with ``reach`` one per person reached."""
    hosts = home_las(las)
    rows = []
    for c in Campaign.objects.filter(partnership__in=list(hosts)).order_by("pk"):
        count = c.reach if reach else 1
        rows += [(hosts[c.partnership_id], f"k{c.pk}-{n}", c.starts_on) for n in range(count)]
    return rows


def coverage_spans(las: list[str]) -> list[tuple[str, dt.date, dt.date]]:
    """A partnership's briefings and campaigns cover every LA of it from the start of the
    financial year of its first one to the end of the current month."""
    spans = []
    today = timezone.localdate()
    end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    for pid in set(LocalAuthority.objects.filter(old_code__in=las)
                   .values_list("partnership_id", flat=True)):
        firsts = [d for d in (
            Briefing.objects.filter(partnership_id=pid).aggregate(d=Min("issued_on"))["d"],
            Campaign.objects.filter(partnership_id=pid).aggregate(d=Min("starts_on"))["d"])
            if d]
        if not firsts:
            continue
        start = financial_year_of(min(firsts)).start
        spans += [(code, start, end) for code in LocalAuthority.objects.filter(
            partnership_id=pid, old_code__in=las).values_list("old_code", flat=True)]
    return spans


def search(found: QuerySet[Briefing], text: str) -> QuerySet[Briefing]:
    if not text.strip():
        return found
    q = Q(title__icontains=text) | Q(summary__icontains=text) | Q(source_reference__icontains=text)
    return found.filter(q)
