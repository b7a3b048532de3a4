"""The demo's policy library: a dozen joint multi-agency policies and procedures of
Staffordshire and Stoke-on-Trent, like those the seed partnership hosts, revised and reviewed
on dates. Most were reviewed in 2020-21 (two late); one is overdue for review on the build
day and one falls due within its reminder window, so the daily job reminds their owners.
Texts are short synthetic summaries, not the partnerships' documents. Everything is
written through the services (``actor=None``); the same seed gives the same records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from safeguarding.core.models import Partnership, User
from safeguarding.policies import services

BOTH = ("STAFFS", "STOKE")
# (title, applies to, owner, first published, reviewed on (due date, done on) or None,
#  review date on the build day: days from the build day or a fixed date)
POLICIES = [
    ("Escalation and resolving professional disagreements", BOTH, "business.staffs",
     dt.date(2018, 6, 1), (dt.date(2020, 6, 1), dt.date(2020, 5, 20)), -10),
    ("Neglect strategy", BOTH, "board.la", dt.date(2019, 4, 1),
     (dt.date(2020, 10, 1), dt.date(2020, 9, 28)), 20),
    ("Child exploitation (criminal and sexual) procedure", BOTH, "board.police",
     dt.date(2019, 9, 1), (dt.date(2020, 9, 1), dt.date(2020, 11, 16)), 400),
    ("Children missing from home and care", BOTH, "board.police", dt.date(2019, 1, 15),
     (dt.date(2021, 1, 15), dt.date(2021, 1, 11)), 300),
    ("Safer sleep for babies", BOTH, "board.health", dt.date(2019, 11, 1),
     (dt.date(2020, 11, 1), dt.date(2020, 10, 26)), 500),
    ("Threshold document: levels of need", BOTH, "business.staffs", dt.date(2018, 10, 1),
     (dt.date(2020, 10, 1), dt.date(2020, 12, 3)), 200),
    ("Information sharing protocol", BOTH, "business.staffs", dt.date(2019, 5, 1), None, 250),
    ("Bruising in non-mobile babies", BOTH, "board.health", dt.date(2019, 7, 1),
     (dt.date(2021, 3, 1), dt.date(2021, 2, 22)), 450),
    ("Domestic abuse: children living with domestic abuse", BOTH, "board.police",
     dt.date(2020, 2, 1), None, 350),
    ("Managing allegations against staff (LADO)", ("STAFFS",), "business.staffs",
     dt.date(2019, 3, 1), (dt.date(2021, 3, 1), dt.date(2021, 3, 1)), 600),
    ("Female genital mutilation", BOTH, "board.health", dt.date(2020, 1, 6), None, 380),
    ("Children who self-harm", ("STOKE",), "business.stoke", dt.date(2019, 12, 1),
     (dt.date(2020, 12, 1), dt.date(2020, 11, 30)), 420),
]

TEXT = ("This joint procedure of the Staffordshire and Stoke-on-Trent safeguarding children "
        "partnerships sets out what practitioners in every agency do about {topic}: the signs "
        "to look for, who to talk to, how to share information lawfully, when to refer to "
        "children's services or the police, and how to escalate when they disagree with a "
        "decision. It applies to every member agency and is read with Working Together to "
        "Safeguard Children.")


def build(seed: int, partnerships: Mapping[str, Partnership]) -> int:
    today = timezone.localdate()
    made = 0
    for title, codes, owner_name, first, review, due_in in POLICIES:
        owner = User.objects.get(username=owner_name)
        topic = title.split(":")[0].lower()
        due = review[0] if review else today + dt.timedelta(days=due_in)
        policy = services.policy_add(
            actor=None, title=title, owner=owner,
            partnerships=[partnerships[c] for c in codes], review_due=due,
            body=TEXT.format(topic=topic), published_on=first,
            summary=f"What every agency does about {topic}.")
        if review:
            due_on, done_on = review
            services.version_publish(
                actor=None, policy=policy, published_on=done_on,
                change_summary="Reviewed: contacts and legislation updated; the escalation "
                               "steps made clearer",
                body=TEXT.format(topic=topic) + " Updated after the partnership's review "
                                                "in 2020-21.")
            services.policy_review(actor=None, policy=policy, reviewed_on=done_on,
                                   next_due=today + dt.timedelta(days=due_in),
                                   note="Reviewed by the policy and procedures group")
        made += 1
    return made
