"""Who may do what in the training programme.

- Anyone with a seat in a partnership, or in one its training is shared with (core
  ``PartnershipShare`` "training": Stoke's people book on Staffordshire's programme), is a
  learner there: they see the programme and book, cancel and evaluate their own places.
- The owning partnership's business unit runs the programme: courses, sessions,
  organisations and their bands, registers, charges and waivers, invoices.
- Board members and analysts see the measures (dashboard, yearly report) like everyone.

A learner sees only their own bookings; no one outside the business unit sees another
person's booking, charge or evaluation.
"""

from __future__ import annotations

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import partnership_of, partnerships_where, seats, shares


def _shared_owners(user, partnership_ids: set[int]) -> set[int]:
    from safeguarding.core.models import SharedFunction

    return {owner for owner, with_id in shares(user, SharedFunction.TRAINING)
            if with_id in partnership_ids}


def learner_partnerships(user) -> set[int]:
    """The programmes (owning partnerships) the user may book on."""
    held = seats(user)
    cached = getattr(user, "_training_learner", None)
    if cached is not None and cached[0] == held:
        return cached[1]
    own = {s.partnership_id for s in held}
    found = own | _shared_owners(user, own)
    user._training_learner = (held, found)
    return found


def managed_partnerships(user) -> set[int]:
    return partnerships_where(user, {Role.BUSINESS_UNIT})


def _partnership_of(obj) -> int | None:
    return partnership_of(obj, ("partnership_id", "course.partnership_id",
                                "session.course.partnership_id"))


@rules.predicate
def books_training(user, obj=None) -> bool:
    if obj is None:
        return bool(learner_partnerships(user))
    return _partnership_of(obj) in learner_partnerships(user)


@rules.predicate
def manages_training(user, obj=None) -> bool:
    if obj is None:
        return bool(managed_partnerships(user))
    return _partnership_of(obj) in managed_partnerships(user)


rules.add_perm("training.open", books_training)
rules.add_perm("training.book", books_training)
rules.add_perm("training.manage", manages_training)
