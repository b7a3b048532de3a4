"""The figures on the business unit's home page (core/home.py, issue 18): when the cached
figures of each of its partnerships were last recomputed, and any recompute under way."""

from __future__ import annotations

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import Partnership
from safeguarding.core.modules import HomeFact, ModuleContract
from safeguarding.core.roles import Role
from safeguarding.core.rules import partnerships_where


def home_picture(user) -> list[HomeFact]:
    from safeguarding.measures import cache
    from safeguarding.measures.models import IndicatorResults

    own = partnerships_where(user, {Role.BUSINESS_UNIT})
    if not own:
        return []
    last = dict(IndicatorResults.objects.filter(partnership_id__in=own).values("partnership")
                .annotate(at=Max("computed_at")).values_list("partnership", "at"))
    facts = []
    for partnership in Partnership.objects.filter(pk__in=own).order_by("name"):
        at = last.get(partnership.pk)
        value = (f"{timezone.localtime(at):%-d %B %Y at %H:%M}" if at
                 else "Not computed yet: they are computed when first shown")
        if cache.pending_recompute(partnership) is not None:
            value += "; a recompute is under way"
        facts.append(HomeFact(group="figures", label=partnership.name, value=value,
                              url=reverse("measures:theme",
                                          args=[partnership.code, "core-pathway"])))
    return facts


CONTRACT = ModuleContract(app_label="measures", home_picture=home_picture)
