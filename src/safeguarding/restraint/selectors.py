"""Reads for the restraint module. Incident records are for reviewer roles only
(rules.py); the child's identity is read through the child index's audited door."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safeguarding.children.code_lists import ethnicity_group
from safeguarding.children.selectors import child_if_seen
from safeguarding.core import access, disclosure
from safeguarding.core.calendar import add_months, month_end
from safeguarding.core.models import Partnership, User
from safeguarding.restraint import config
from safeguarding.restraint.models import (
    Establishment,
    Incident,
    IncidentEdit,
    IncidentStaff,
    Sample,
)
from safeguarding.restraint.rules import Level, partnerships_at

AGE_BANDS = (("10 to 14", 10, 14), ("15", 15, 15), ("16", 16, 16), ("17", 17, 17))
TIME_BANDS = (("00:00 to 05:59", 0, 5), ("06:00 to 08:59", 6, 8), ("09:00 to 11:59", 9, 11),
              ("12:00 to 13:59", 12, 13), ("14:00 to 16:59", 14, 16), ("17:00 to 19:59", 17, 19),
              ("20:00 to 23:59", 20, 23))


def establishments_for(actor: User) -> QuerySet[Establishment]:
    return (Establishment.objects.filter(partnership_id__in=partnerships_at(actor, Level.REVIEW))
            .select_related("partnership").order_by("partnership__code", "name"))


def establishment_get(*, actor: User, pk: int) -> Establishment:
    found = establishments_for(actor).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied
    return found


def incidents(*, actor: User, establishment: Establishment, month: dt.date | None = None,
              purpose: str = "restraint incident list") -> list[Incident]:
    """The establishment's incidents (a month of them, if given), read through the door."""
    found = Incident.objects.filter(establishment=establishment).select_related("review")
    if month is not None:
        found = found.filter(occurred_at__year=month.year, occurred_at__month=month.month)
    return access.read_many(actor=actor, objects=found.order_by("-occurred_at", "reference"),
                            permission="restraint.view_incident", purpose=purpose)


def latest_day(establishment: Establishment) -> dt.date | None:
    """The day (local time) of the establishment's latest restraint recorded, if any."""
    latest = (establishment.incidents.order_by("-occurred_at")
              .values_list("occurred_at", flat=True).first())
    return timezone.localtime(latest).date() if latest is not None else None


def incident_get(*, actor: User, pk: int, purpose: str = "view restraint incident") -> Incident:
    incident = (Incident.objects.select_related("establishment__partnership", "review")
                .filter(pk=pk).first())
    if incident is None:
        raise PermissionDenied
    return access.read_one(actor=actor, obj=incident, permission="restraint.view_incident",
                           purpose=purpose)


def incident_child(*, actor: User, incident: Incident):
    """The index child behind an incident, when the actor may see that child (audited);
    None when it is not linked or the child index refuses."""
    return child_if_seen(actor=actor, child_id=incident.child_id,
                         purpose=f"restraint incident {incident.reference}")


def incident_history(incident: Incident) -> list[IncidentEdit]:
    return list(incident.edits.select_related("edited_by"))


def reviews_due(*, actor: User, establishment: Establishment, today: dt.date | None = None
                ) -> dict[str, list[Incident]]:
    """Unreviewed incidents: overdue (past the next working day) and due (today or later)."""
    today = today or timezone.localdate()
    open_ = Incident.objects.filter(establishment=establishment, review__isnull=True)
    overdue = access.read_many(actor=actor, objects=open_.filter(review_due__lt=today)
                               .order_by("review_due", "reference"),
                               permission="restraint.view_incident",
                               purpose="restraint reviews overdue")
    due = access.read_many(actor=actor, objects=open_.filter(review_due__gte=today)
                           .order_by("review_due", "reference"),
                           permission="restraint.view_incident", purpose="restraint reviews due")
    return {"overdue": overdue, "due": due}


def overdue_counts(today: dt.date | None = None) -> dict[int, int]:
    """Overdue reviews by establishment id: counts only, for the reminders."""
    today = today or timezone.localdate()
    return dict(Incident.objects.filter(review__isnull=True, review_due__lt=today)
                .values("establishment").annotate(n=Count("pk"))
                .values_list("establishment", "n"))


def samples_for(establishment: Establishment) -> list[Sample]:
    return list(establishment.samples.order_by("-quarter"))


def sample_get(*, actor: User, pk: int) -> Sample:
    sample = Sample.objects.select_related("establishment__partnership").filter(pk=pk).first()
    if sample is None or not actor.has_perm("restraint.view_sample", sample.establishment):
        raise PermissionDenied
    return sample


# Reviewer views: where and when, and who is involved again and again ------

def _time_band(hour: int) -> str:
    return next(label for label, first, last in TIME_BANDS if first <= hour <= last)


def heat_map(establishment: Establishment, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Counts by location and time of day for the days given (aggregate; reviewers only)."""
    cells: Counter = Counter()
    for occurred, location in (Incident.objects.filter(
            establishment=establishment, occurred_at__date__gte=start,
            occurred_at__date__lte=end).values_list("occurred_at", "location")):
        cells[(location, _time_band(timezone.localtime(occurred).hour))] += 1
    locations = config.codes("locations")
    rows = [(code, label, [cells[(code, band)] for band, _, _ in TIME_BANDS])
            for code, label in locations.items()]
    return {"bands": [label for label, _, _ in TIME_BANDS], "rows": rows,
            "max": max(cells.values(), default=0), "total": sum(cells.values())}


def repeat_involvement(establishment: Establishment, start: dt.date, end: dt.date,
                       at_least: int = 3) -> dict[str, list[tuple[str, int]]]:
    """Children (by pseudonymous key) and staff (by staff number) in ``at_least`` or more
    restraints in the span, most first."""
    found = Incident.objects.filter(establishment=establishment, occurred_at__date__gte=start,
                                    occurred_at__date__lte=end)
    children = (found.values("child_key").annotate(n=Count("pk")).filter(n__gte=at_least)
                .order_by("-n", "child_key").values_list("child_key", "n"))
    staff = (IncidentStaff.objects.filter(incident__in=found).values("staff_ref")
             .annotate(n=Count("incident", distinct=True)).filter(n__gte=at_least)
             .order_by("-n", "staff_ref").values_list("staff_ref", "n"))
    return {"children": [(key[:8], n) for key, n in children], "staff": list(staff)}


def disproportionality(establishment: Establishment, start: dt.date, end: dt.date
                       ) -> dict[str, Any]:
    """Restraints by the child's ethnic group and by age, small numbers hidden
    (core/disclosure.py) with their total, so a hidden cell cannot be worked out."""
    found = Incident.objects.filter(establishment=establishment, occurred_at__date__gte=start,
                                    occurred_at__date__lte=end)
    by_group: Counter = Counter()
    by_age: Counter = Counter()
    for ethnicity, age in found.values_list("child_ethnicity", "child_age"):
        by_group[ethnicity_group(ethnicity)] += 1
        by_age[next((label for label, lo, hi in AGE_BANDS if lo <= age <= hi), "Other")] += 1
    total = sum(by_group.values())
    tables = {}
    for name, counts, keys in (("ethnicity", by_group, ["White", "Mixed", "Asian", "Black",
                                                        "Other", "Not known"]),
                               ("age", by_age, [label for label, _, _ in AGE_BANDS])):
        values = {k: counts.get(k, 0) for k in keys}
        values["Total"] = total
        hidden = disclosure.suppress(values, [disclosure.group("Total", keys)])
        tables[name] = [(k, None if k in hidden else values[k]) for k in [*keys, "Total"]]
    return {"tables": tables, "hidden_text": disclosure.HIDDEN_TEXT}


# Figures for the measure engine (pseudonymous rows) ------------------------

def frame_rows(las: list[str], where: Q | None = None) -> list[tuple]:
    """(host LA, child key, day) of the restraints in establishments hosted by these LAs,
    narrowed by ``where``: pseudonymous rows for the measure engine."""
    found = Incident.objects.filter(establishment__host_la__old_code__in=las)
    if where is not None:
        found = found.filter(where)
    return [(la, key, timezone.localtime(at).date())
            for la, key, at in found.values_list("establishment__host_la__old_code",
                                                 "child_key", "occurred_at").order_by("pk")]


def overdue_refresher_rows(las: list[str]) -> list[tuple]:
    """(host LA, child key, day) per staff member in a restraint whose last MMPR
    refresher was more than the configured months before it (or is not known)."""
    months = config.refresher_months()
    rows = []
    for la, key, at, refresher in (Incident.objects.filter(
            establishment__host_la__old_code__in=las, staff__isnull=False)
            .values_list("establishment__host_la__old_code", "child_key", "occurred_at",
                         "staff__last_refresher").order_by("pk")):
        day = timezone.localtime(at).date()
        limit = add_months(day, -months)
        if refresher is None or refresher < limit:
            rows.append((la, key, day))
    return rows


def coverage_spans(las: list[str]) -> list[tuple[str, dt.date, dt.date]]:
    """Each establishment's recording covers every LA of its partnership from the day
    recording began to the day of its latest incident."""
    spans = []
    for est in Establishment.objects.filter(partnership__local_authorities__old_code__in=las
                                            ).distinct().prefetch_related(
                                                "partnership__local_authorities"):
        latest = latest_day(est)
        if latest is None:
            continue
        end = month_end(latest)
        spans += [(la.old_code, est.recording_from, end)
                  for la in est.partnership.local_authorities.all() if la.old_code in las]
    return spans


def partnership_has_restraint(partnership: Partnership) -> bool:
    return Establishment.objects.filter(partnership=partnership).exists()


def child_voices(establishment: Establishment, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The children's own accounts from their debriefs, rolled up for the task group."""
    found = Incident.objects.filter(establishment=establishment, occurred_at__date__gte=start,
                                    occurred_at__date__lte=end)
    return {"restraints": found.count(), "debriefed": found.filter(child_debriefed=True).count(),
            "accounts": list(found.exclude(child_views="").order_by("occurred_at")
                             .values_list("occurred_at", "reference", "child_views"))}
