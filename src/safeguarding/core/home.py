"""The home page's queue of work (issue 18, ADR 0033): what each app's contract says this
person has to do, grouped by kind, overdue first, each item linking to where it is done.

Core imports no app: every item comes through ``ModuleContract.home_items(user)`` and
the business unit's picture of the partnership through ``home_picture(user)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from safeguarding.core import modules
from safeguarding.core.calendar import add_working_days
from safeguarding.core.modules import HomeFact, HomeItem

# A statutory clock joins the queue this many working days before it is due.
HORIZON_WORKING_DAYS = 5

# The groups of the queue, in the order the page shows them, with their headings.
KINDS: dict[str, str] = {
    "clock": "Statutory clocks due within 5 working days or overdue",
    "action": "Actions you own",
    "linkage": "Linkage pairs waiting for a decision",
    "import": "Imports that failed or need a decision",
    "acknowledge": "Waiting for your acknowledgement",
    "return": "Returns, forms and evaluations you owe",
    "meeting": "Meetings with papers due",
    "review": "Records due review",
}
PICTURE_GROUPS: dict[str, str] = {
    "figures": "Figures last recomputed",
    "freshness": "Data freshness per return",
    "deadline": "Next statutory deadlines",
}


def horizon(on: dt.date | None = None) -> dt.date:
    """The last day a clock may be due and still be on the home page."""
    return add_working_days(on or modules.today(), HORIZON_WORKING_DAYS)


@dataclass
class Group:
    kind: str
    heading: str
    items: list[HomeItem] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


def _order(item: HomeItem) -> tuple:
    return (not item.overdue, item.due or dt.date.max, item.title)


def home_queue(user) -> list[Group]:
    """The person's work from every registered contract, by kind, overdue first."""
    groups: dict[str, Group] = {}
    for contract in modules.contracts():
        if contract.home_items is None:
            continue
        for item in contract.home_items(user):
            group = groups.get(item.kind)
            if group is None:
                group = groups[item.kind] = Group(item.kind, KINDS.get(item.kind, item.kind))
            group.items.append(item)
    for group in groups.values():
        group.items.sort(key=_order)
    order = list(KINDS)
    return sorted(groups.values(),
                  key=lambda g: order.index(g.kind) if g.kind in order else len(order))


def partnership_picture(user) -> list[tuple[str, list[HomeFact]]]:
    """The business unit's picture: figures, freshness of each return, next deadlines."""
    found: dict[str, list[HomeFact]] = {}
    for contract in modules.contracts():
        if contract.home_picture is None:
            continue
        for fact in contract.home_picture(user):
            found.setdefault(fact.group, []).append(fact)
    if found and "deadline" not in found:
        found["deadline"] = [HomeFact("deadline", "None ahead", "No statutory clock is running")]
    deadlines = found.get("deadline")
    if deadlines:
        deadlines.sort(key=lambda f: (f.due or dt.date.max, f.label))
        del deadlines[8:]
    order = list(PICTURE_GROUPS)
    return [(PICTURE_GROUPS.get(g, g), facts) for g, facts in
            sorted(found.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)]


# Items of one kind listed one by one; beyond this an app adds one item for the rest.
SHOWN = 10


def capped(items: list[HomeItem], *, more: str, url: str, kind: str) -> list[HomeItem]:
    """The first SHOWN items (overdue first), then one item linking to the full list.
    ``more`` is formatted with ``n``, the number left off."""
    items = sorted(items, key=_order)
    if len(items) <= SHOWN:
        return items
    rest = items[SHOWN:]
    return [*items[:SHOWN], HomeItem(kind=kind, title=more.format(n=len(rest)), url=url,
                                     due=min((i.due for i in rest if i.due), default=None),
                                     overdue=any(i.overdue for i in rest))]
