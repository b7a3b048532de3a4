"""Return home interviews on a person's home page (core/home.py, issue 18): episodes with
no interview offered, due within 5 working days or overdue, for those who work the
partnership's missing episodes. Items give the police's episode reference, never a name."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeguarding.core.home import capped, horizon
from safeguarding.core.models import Partnership
from safeguarding.core.modules import HomeItem
from safeguarding.missing.models import Episode
from safeguarding.missing.rules import Level, partnerships_at


def home_items(user) -> list[HomeItem]:
    working = partnerships_at(user, Level.WORK)
    if not working:
        return []
    on = timezone.localdate()
    now = timezone.now()
    last = horizon(on)
    items = []
    for partnership in Partnership.objects.filter(pk__in=working).order_by("code"):
        due = (Episode.objects.filter(partnership=partnership, rhi_due_at__isnull=False,
                                      interview__isnull=True, rhi_due_at__date__lte=last)
               .order_by("rhi_due_at", "pk").only("pk", "force_reference", "rhi_due_at"))
        found = [HomeItem(kind="return", title=f"Return home interview: episode "
                                               f"{e.force_reference}",
                          url=reverse("missing:interview", args=[e.pk]),
                          due=timezone.localtime(at).date(), overdue=at < now,
                          detail=f"{partnership.name}: offer within 72 hours of the return")
                 for e in due if (at := e.rhi_due_at) is not None]
        items += capped(found, more="{n} more return home interviews due or overdue",
                        url=reverse("missing:due", args=[partnership.code]), kind="return")
    return items
