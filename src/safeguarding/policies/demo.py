"""The demo's policy library: a dozen joint multi-agency policies and procedures of
Staffordshire and Stoke-on-Trent, like those the seed partnership hosts, revised and reviewed
on dates, from 2019-20 to 2021-22: most were reviewed in 2020-21 (two late), most again in
2021-22 (a few late) and some in 2019-20; one is overdue for review on the build day and one
falls due within its reminder window, so the daily job reminds their owners.
Texts are short synthetic summaries, not the partnerships' documents. Everything is
written through the services (``actor=None``); the same seed gives the same records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from safeguarding.core.models import Partnership, User
from safeguarding.policies import services

BOTH = ("STAFFS", "STOKE")
D = dt.date
# (title, applies to, owner, first published, reviews held ((due date, done on), ...),
#  review date on the build day: days from the build day). Each review sets the next one's
#  due date; the last sets the date on the build day.
POLICIES = [
    ("Escalation and resolving professional disagreements", BOTH, "business.staffs",
     D(2018, 6, 1), ((D(2019, 6, 1), D(2019, 5, 28)), (D(2020, 6, 1), D(2020, 5, 20)),
                     (D(2021, 6, 1), D(2021, 6, 14))), -10),
    ("Neglect strategy", BOTH, "board.la", D(2019, 4, 1),
     ((D(2020, 10, 1), D(2020, 9, 28)), (D(2021, 10, 1), D(2021, 9, 22))), 20),
    ("Child exploitation (criminal and sexual) procedure", BOTH, "board.police",
     D(2019, 9, 1), ((D(2020, 9, 1), D(2020, 11, 16)), (D(2021, 11, 16), D(2021, 11, 10))),
     400),
    ("Children missing from home and care", BOTH, "board.police", D(2019, 1, 15),
     ((D(2020, 1, 15), D(2020, 1, 13)), (D(2021, 1, 15), D(2021, 1, 11)),
      (D(2022, 1, 15), D(2022, 1, 20))), 300),
    ("Safer sleep for babies", BOTH, "board.health", D(2019, 11, 1),
     ((D(2020, 11, 1), D(2020, 10, 26)), (D(2021, 11, 1), D(2021, 10, 18))), 500),
    ("Threshold document: levels of need", BOTH, "business.staffs", D(2018, 10, 1),
     ((D(2019, 10, 1), D(2019, 9, 30)), (D(2020, 10, 1), D(2020, 12, 3)),
      (D(2021, 12, 3), D(2021, 11, 29))), 200),
    ("Information sharing protocol", BOTH, "business.staffs", D(2019, 5, 1), (), 250),
    ("Bruising in non-mobile babies", BOTH, "board.health", D(2019, 7, 1),
     ((D(2021, 3, 1), D(2021, 2, 22)), (D(2022, 3, 1), D(2022, 3, 14))), 450),
    ("Domestic abuse: children living with domestic abuse", BOTH, "board.police",
     D(2020, 2, 1), (), 350),
    ("Managing allegations against staff (LADO)", ("STAFFS",), "business.staffs",
     D(2019, 3, 1), ((D(2020, 3, 1), D(2020, 2, 24)), (D(2021, 3, 1), D(2021, 3, 1)),
                     (D(2022, 3, 1), D(2022, 2, 28))), 600),
    ("Female genital mutilation", BOTH, "board.health", D(2020, 1, 6),
     ((D(2022, 1, 6), D(2022, 1, 10)),), 380),
    ("Children who self-harm", ("STOKE",), "business.stoke", D(2019, 12, 1),
     ((D(2020, 12, 1), D(2020, 11, 30)), (D(2021, 12, 1), D(2021, 12, 6))), 420),
]

TEXT = ("This joint procedure of the Staffordshire and Stoke-on-Trent safeguarding children "
        "partnerships sets out what practitioners in every agency do about {topic}: the signs "
        "to look for, who to talk to, how to share information lawfully, when to refer to "
        "children's services or the police, and how to escalate when they disagree with a "
        "decision. It applies to every member agency and is read with Working Together to "
        "Safeguard Children.")


def _year(day: dt.date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def build(seed: int, partnerships: Mapping[str, Partnership]) -> int:
    today = timezone.localdate()
    made = 0
    for title, codes, owner_name, first, reviews, due_in in POLICIES:
        owner = User.objects.get(username=owner_name)
        topic = title.split(":")[0].lower()
        due = reviews[0][0] if reviews else today + dt.timedelta(days=due_in)
        policy = services.policy_add(
            actor=None, title=title, owner=owner,
            partnerships=[partnerships[c] for c in codes], review_due=due,
            body=TEXT.format(topic=topic), published_on=first,
            summary=f"What every agency does about {topic}.")
        for n, (_due_on, done_on) in enumerate(reviews):
            following = (reviews[n + 1][0] if n + 1 < len(reviews)
                         else today + dt.timedelta(days=due_in))
            services.version_publish(
                actor=None, policy=policy, published_on=done_on,
                change_summary="Reviewed: contacts and legislation updated; the escalation "
                               "steps made clearer",
                body=TEXT.format(topic=topic) + " Updated after the partnership's review "
                                                f"in {_year(done_on)}.")
            services.policy_review(actor=None, policy=policy, reviewed_on=done_on,
                                   next_due=following,
                                   note="Reviewed by the policy and procedures group")
        made += 1
    return made
