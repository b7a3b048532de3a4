"""Reads for an Annex A return's summary: counts per list beside the CIN census's.

Aggregates only: no child is named, so the page needs no per-child audit;
opening it reads the import record through ``core.access`` (checked and
audited) like the import's own page. A census figure is computed only when
the LA's current CIN census returns cover the whole Annex A period; otherwise
it is missing, with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from safeguarding.core.models import AuditEvent, User
from safeguarding.datasets.models import (
    AnnexAReturn,
    ChildProtectionPlan,
    CinAssessment,
    CinEpisode,
    CinReturn,
    ReturnStatus,
    Section47Enquiry,
)
from safeguarding.datasets.selectors import import_get
from safeguarding.datasets.validation.annex_a_spec import annex_a_spec


@dataclass(frozen=True)
class SummaryRow:
    number: int
    name: str
    rows: int | None  # None: the list is not in the workbook
    census: int | None
    census_text: str
    note: str

    @property
    def difference(self) -> int | None:
        return None if self.rows is None or self.census is None else self.rows - self.census


def annex_a_return_get(*, actor: User, pk: int, purpose: str,
                       action: str = AuditEvent.Action.READ) -> AnnexAReturn:
    annex = (AnnexAReturn.objects.select_related("local_authority", "partnership",
                                                 "dataset_import", "superseded_by")
             .filter(pk=pk).first())
    if annex is None:
        raise Http404("No such Annex A return")
    import_get(actor=actor, pk=annex.dataset_import_id, purpose=purpose, action=action)
    return annex


def annex_a_replaced(*, annex: AnnexAReturn) -> AnnexAReturn | None:
    """The return this one replaced, if any."""
    return (AnnexAReturn.objects.filter(superseded_by=annex).select_related("dataset_import")
            .first())


def census_coverage(*, annex: AnnexAReturn) -> tuple[dt.date, dt.date] | None:
    """The span the LA's current CIN census returns cover without a gap, or None."""
    years = sorted(CinReturn.objects.filter(local_authority=annex.local_authority,
                                            status=ReturnStatus.CURRENT)
                   .values_list("collection_year", flat=True))
    if not years or years != list(range(years[0], years[-1] + 1)):
        return None
    return dt.date(years[0] - 1, 4, 1), dt.date(years[-1], 3, 31)


def _census_count(measure: str, la, start: dt.date, end: dt.date) -> int:
    open_between = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    if measure == "referrals_started":
        return CinEpisode.objects.filter(local_authority=la,
                                         referral_date__range=(start, end)).count()
    if measure == "assessments_started":
        return CinAssessment.objects.filter(episode__local_authority=la,
                                            start_date__range=(start, end)).count()
    if measure == "section47s_started":
        return Section47Enquiry.objects.filter(episode__local_authority=la,
                                               start_date__range=(start, end)).count()
    if measure == "episodes_open":
        return CinEpisode.objects.filter(
            Q(closure_date__isnull=True) | Q(closure_date__gte=start), local_authority=la,
            referral_date__lte=end).count()
    if measure == "plans_open":
        return ChildProtectionPlan.objects.filter(open_between, local_authority=la).count()
    raise ValueError(f"Unknown census measure {measure!r}")


def annex_a_summary(*, annex: AnnexAReturn) -> list[SummaryRow]:
    spec = annex_a_spec()
    start, end = annex.period_start, annex.period_end
    coverage = census_coverage(annex=annex)
    if start is None or end is None:
        missing = "The workbook has no dates, so it has no period to compare."
    elif coverage is None:
        missing = (f"No CIN census is loaded for LA {annex.local_authority.old_code} "
                   "(or the years loaded have a gap).")
    elif not (coverage[0] <= start and end <= coverage[1]):
        missing = (f"The CIN census loaded covers {coverage[0]:%d %B %Y} to "
                   f"{coverage[1]:%d %B %Y}, not the whole Annex A period.")
    else:
        missing = ""
    rows = []
    for number, lst in spec.lists.items():
        measure, text = spec.comparisons.get(number, ("", ""))
        census = None
        note = ""
        if not measure:
            note = "The CIN census has no equivalent."
        elif missing:
            note = missing
        else:
            assert start is not None and end is not None
            census = _census_count(measure, annex.local_authority, start, end)
        rows.append(SummaryRow(number, lst.name, annex.list_count(number), census, text, note))
    return rows
