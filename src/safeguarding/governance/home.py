"""The governance work on a person's home page (core/home.py, issue 18).

- actions their agency owns in a body they see, due within 5 working days or overdue;
- for the business unit, which keeps the action log, every other overdue action, to chase;
- for those who edit governance records, meetings whose papers are due.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeguarding.core.home import horizon
from safeguarding.core.modules import HomeItem
from safeguarding.core.roles import Role
from safeguarding.core.rules import seats
from safeguarding.governance import selectors
from safeguarding.governance.models import Action, Meeting
from safeguarding.governance.rules import Level, partnerships_at

# Overdue actions of other agencies listed one by one for the business unit.
CHASED = 10


def _action(action: Action, on, chase: bool = False) -> HomeItem:
    detail = f"{action.body.name}, owned by {action.owner} ({action.agency.name})"
    return HomeItem(kind="action", title=f"{action.reference}: {action.title}",
                    url=reverse("governance:action-detail", args=[action.pk]), due=action.due_on,
                    overdue=action.due_on < on,
                    detail=f"To chase. {detail}" if chase else detail)


def home_items(user) -> list[HomeItem]:
    if not partnerships_at(user, Level.VIEW):
        return []
    on = timezone.localdate()
    last = horizon(on)
    own = {(s.partnership_id, s.agency_id) for s in seats(user)}
    open_ = selectors.actions_for(user, status=Action.Status.OPEN)
    items, chase = [], []
    business_unit = {s.partnership_id for s in seats(user) if s.role == Role.BUSINESS_UNIT}
    for action in open_.filter(due_on__lte=last):
        if (action.partnership_id, action.agency_id) in own:
            items.append(_action(action, on))
        elif action.partnership_id in business_unit and action.due_on < on:
            chase.append(action)
    items += [_action(a, on, chase=True) for a in chase[:CHASED]]
    if len(chase) > CHASED:
        items.append(HomeItem(kind="action", title=f"{len(chase) - CHASED} more overdue actions",
                              url=reverse("governance:overdue"), overdue=True))
    editing = partnerships_at(user, Level.EDIT)
    if editing:
        meetings = (Meeting.objects.filter(body__in=selectors.bodies_for(user), held=False,
                                           held_on__gte=on, papers_due__lte=last)
                    .select_related("body", "body__partnership").order_by("papers_due"))
        items += [HomeItem(kind="meeting", title=f"{m.body.name}, {m.held_on:%-d %B %Y}",
                           url=reverse("governance:meeting-detail", args=[m.pk]),
                           due=m.papers_due, overdue=m.papers_due < on,
                           detail="Papers due")
                  for m in meetings
                  if m.body.partnership_id in editing
                  or set(m.body.joint_with.values_list("pk", flat=True)) & editing]
    return items
