"""The work child death reviews give a person's home page (core/home.py, issue 18).

The panel's clocks: agency reporting forms not yet received, due within 5 working days or
overdue, for the panel and its business unit (rules.case_partnerships). Items name a
case by its reference (CD-STAFFS-00012), never the child.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeguarding.child_deaths.models import InformationRequest
from safeguarding.child_deaths.rules import case_partnerships
from safeguarding.core.home import horizon
from safeguarding.core.modules import HomeFact, HomeItem
from safeguarding.core.roles import Role
from safeguarding.core.rules import partnerships_where


def _outstanding(partnership_ids):
    return (InformationRequest.objects.filter(case__partnership_id__in=partnership_ids,
                                              received_on__isnull=True)
            .select_related("agency", "case__partnership").order_by("due_on", "pk"))


def home_items(user) -> list[HomeItem]:
    allowed = case_partnerships(user)
    if not allowed:
        return []
    on = timezone.localdate()
    return [HomeItem(kind="clock",
                     title=f"Child death reporting form: {r.case.reference}",
                     url=reverse("child_deaths:request-response", args=[r.case_id, r.pk]),
                     due=r.due_on, overdue=r.due_on < on,
                     detail=f"{r.get_form_display()} from {r.agency.name}")
            for r in _outstanding(allowed).filter(due_on__lte=horizon(on))]


def home_picture(user) -> list[HomeFact]:
    own = partnerships_where(user, {Role.BUSINESS_UNIT}) & set(case_partnerships(user))
    if not own:
        return []
    on = timezone.localdate()
    return [HomeFact(group="deadline", label=f"Child death reporting form: {r.case.reference}",
                     value=f"{r.due_on:%-d %B %Y}",
                     url=reverse("child_deaths:detail", args=[r.case_id]), due=r.due_on)
            for r in _outstanding(own).filter(due_on__gte=on)[:8]]
