"""Operation Encompass on a person's home page (core/home.py, issue 18).

- a school's Key Adult: notifications to their school not yet acknowledged;
- the education safeguarding lead: notifications not acknowledged in time (or not sent),
  counted per partnership, linking to the escalation page.

A notification names a child, so items give the school and the police reference only.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from safeguarding.core.models import Partnership
from safeguarding.core.modules import HomeItem
from safeguarding.encompass import config
from safeguarding.encompass.models import Notification
from safeguarding.encompass.rules import Level, key_adult_agencies, partnerships_at


def home_items(user) -> list[HomeItem]:
    items = []
    today = config.today()
    schools = key_adult_agencies(user)
    if schools:
        own = Q(pk__in=[])
        for partnership_id, agencies in schools.items():
            own |= Q(school__partnership_id=partnership_id, school__agency_id__in=agencies)
        waiting = (Notification.objects.filter(own, acknowledged_at__isnull=True,
                                               sent_at__isnull=False)
                   .select_related("incident", "school").order_by("acknowledge_by", "pk"))
        items += [HomeItem(kind="acknowledge",
                           title=f"Operation Encompass notification to {n.school.name}",
                           url=reverse("encompass:notification", args=[n.pk]),
                           due=n.acknowledge_by,
                           overdue=n.acknowledge_by is not None and n.acknowledge_by < today,
                           detail=f"Police reference {n.incident.police_reference}")
                  for n in waiting]
    leads = partnerships_at(user, Level.LEAD)
    if leads:
        late = (Notification.objects.filter(incident__partnership_id__in=leads,
                                            acknowledged_at__isnull=True)
                .filter(Q(acknowledge_by__lt=today) | Q(sent_at__isnull=True)))
        counts: dict[int, int] = {}
        for pid in late.values_list("incident__partnership_id", flat=True):
            counts[pid] = counts.get(pid, 0) + 1
        for partnership in Partnership.objects.filter(pk__in=counts).order_by("code"):
            n = counts[partnership.pk]
            items.append(HomeItem(
                kind="acknowledge",
                title=f"{n} Operation Encompass notification{'s' if n != 1 else ''} "
                      f"not acknowledged in time",
                url=reverse("encompass:escalation", args=[partnership.code]), overdue=True,
                detail=f"{partnership.name}: escalate to the schools"))
    return items
