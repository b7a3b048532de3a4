# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""The yearly report's rows of the authorization matrix (tests/core/test_authorization_matrix.py).

Targets: ``own`` is Staffordshire's 2020-21 report (the roles' partnership), ``other``
Stoke-on-Trent's. Both are written and published once per world, so that narrative
version 1 of the introduction and published version 1 exist for each. Readers are the
business unit, board members, sub-group members and analysts of the partnership; only
the business unit writes, publishes and records where the report was sent; the
commitments the report made are read by its readers (they are updated in governance). System administrators,
practitioners and key adults are refused: the report is the partnership's, not theirs.
"""

from __future__ import annotations

from safeguarding.core.models import User
from safeguarding.reports import services

YEAR = "2020-21"

MATRIX_TEXT = """
url name                  | method | target            | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
reports:home              | GET    | -                 | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 200     | 403          | 403
reports:report            | GET    | report            | >sign-in  | >two-factor   | 403      | 200/403       | 200/403      | 200/403   | 200/403 | 403          | 403
reports:report-pdf        | GET    | report            | >sign-in  | >two-factor   | 403      | 200/403       | 200/403      | 200/403   | 200/403 | 403          | 403
reports:narrative         | GET    | report            | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reports:narrative-edit    | GET    | report-block      | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reports:narrative-history | GET    | report-block      | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reports:narrative-version | GET    | report-version    | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reports:publish           | GET    | report            | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reports:published-list    | GET    | report            | >sign-in  | >two-factor   | 403      | 200/403       | 200/403      | 200/403   | 200/403 | 403          | 403
reports:published         | GET    | report-published  | >sign-in  | >two-factor   | 403      | 200/403       | 200/403      | 200/403   | 200/403 | 403          | 403
reports:published-pdf     | GET    | report-published  | >sign-in  | >two-factor   | 403      | 200/403       | 200/403      | 200/403   | 200/403 | 403          | 403
reports:commitments       | GET    | report            | >sign-in  | >two-factor   | 403      | 200/403       | 200/403      | 200/403   | 200/403 | 403          | 403
reports:sends             | GET    | report            | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
"""

FOCUS = "Next year we will:\n\n- roll out the graded care profile\n- publish a neglect strategy"
BLOCKS = {"foreword_la": "Foreword.", "foreword_police": "Foreword.",
          "foreword_health": "Foreword.", "introduction": "Introduction.",
          "arrangements": "Arrangements.", "emerging_risks": "Risks.", "focus": FOCUS}


def published_world(world, scope: str) -> str:
    """Write and publish the partnership's 2020-21 report once; return its code."""
    done = world.__dict__.setdefault("_reports", {})
    partnership = world.staffs if scope == "own" else world.stoke
    if scope not in done:
        writer = User.objects.get(username="business.staffs" if scope == "own"
                                  else "business.stoke")
        for block, text in BLOCKS.items():
            services.narrative_save(actor=writer, partnership=partnership, year=YEAR,
                                    block=block, text=text)
        services.report_publish(actor=writer, partnership=partnership, year=YEAR)
        done[scope] = True
    return partnership.code


TARGETS = {
    "report": lambda w, u, s: {"code": published_world(w, s), "year": YEAR},
    "report-block": lambda w, u, s: {"code": published_world(w, s), "year": YEAR,
                                     "block": "introduction"},
    "report-version": lambda w, u, s: {"code": published_world(w, s), "year": YEAR,
                                       "block": "introduction", "number": 1},
    "report-published": lambda w, u, s: {"code": published_world(w, s), "year": YEAR,
                                         "number": 1},
}
