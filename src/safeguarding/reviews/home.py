"""The work learning reviews give a person's home page (core/home.py, issue 18).

Statutory clocks (notification, rapid review, agency returns, publication, notices) of
the partnerships where the person may act on reviews (the business unit and the
Practice Reviews sub-group), due within 5 working days or overdue; and the actions their
agency owns. Items name a review by its reference, never a child.
"""

from __future__ import annotations

from safeguarding.core.home import horizon
from safeguarding.core.modules import HomeFact, HomeItem
from safeguarding.core.roles import Role
from safeguarding.core.rules import partnerships_where
from safeguarding.reviews import clocks, steps
from safeguarding.reviews.clocks import Status, Workflow
from safeguarding.reviews.rules import Level, review_access


def _item(step, kind: str, on) -> HomeItem:
    status = step.status(on)
    title = (f"{step.label} ({step.reference})" if step.workflow == Workflow.ACTION
             else f"{step.workflow_label}: {step.reference}")
    return HomeItem(kind=kind, title=title, url=step.url, due=step.due_on,
                    overdue=status == Status.OVERDUE,
                    detail="" if step.workflow == Workflow.ACTION else step.label)


def home_items(user) -> list[HomeItem]:
    rights = review_access(user)
    acting = rights.partnerships(Level.CONTRIBUTE)
    if not acting and not rights.action_seats:
        return []
    on = clocks.today()
    last = horizon(on)
    items = []
    for step in steps.open_steps(partnership_ids=acting, action_seats=rights.action_seats):
        if step.due_on is None or step.due_on > last or step.status(on) == Status.DEFERRED:
            continue
        if step.workflow == Workflow.ACTION:
            if step.agency_id is not None and (step.partnership_id, step.agency_id) in \
                    rights.action_seats:
                items.append(_item(step, "action", on))
        else:
            items.append(_item(step, "clock", on))
    return items


def home_picture(user) -> list[HomeFact]:
    """The business unit's next statutory review deadlines (not yet passed), however far off."""
    own = partnerships_where(user, {Role.BUSINESS_UNIT})
    if not own:
        return []
    on = clocks.today()
    facts = []
    for step in steps.open_steps(partnership_ids=own):
        if (step.workflow == Workflow.ACTION or step.due_on is None or step.deferred
                or step.due_on < on):
            continue
        facts.append(HomeFact(group="deadline", label=f"{step.workflow_label}: {step.reference}",
                              value=f"{step.due_on:%-d %B %Y}", url=step.url, due=step.due_on))
    return facts
