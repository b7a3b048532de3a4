"""The demo's partnerships, agencies, sub-groups and sign-ins, as data."""

from typing import Any

PARTNERSHIPS: list[dict[str, Any]] = [
    {"code": "STAFFS", "name": "Staffordshire Safeguarding Children Board",
     "las": [("860", "E10000028", "Staffordshire")]},
    {"code": "STOKE", "name": "Stoke-on-Trent Safeguarding Children Partnership",
     "las": [("861", "E06000021", "Stoke-on-Trent")]},
]

# The seed's two partnerships keep a joint child death panel, joint reviews
# coordination and joint training, hosted by Staffordshire.
SHARES = [("STAFFS", "STOKE", f) for f in ("child_death_review", "practice_reviews", "training")]

SUB_GROUPS = {
    "STAFFS": ["Scrutiny and Assurance", "Practice Reviews", "Child Death Overview Panel",
               "Review of Restraint", "Learning in Practice"],
    "STOKE": ["Quality Assurance", "Practice Reviews"],
}

# (key, name, kind, partnership codes)
AGENCIES = [
    ("staffs-cs", "Staffordshire County Council Children's Services", "la_childrens_services", ["STAFFS"]),
    ("stoke-cs", "Stoke-on-Trent City Council Children's Services", "la_childrens_services", ["STOKE"]),
    ("police", "Staffordshire Police", "police", ["STAFFS", "STOKE"]),
    ("icb", "Staffordshire and Stoke-on-Trent Integrated Care Board", "health", ["STAFFS", "STOKE"]),
    ("school-a", "Brook Lane Academy (demo)", "education", ["STAFFS"]),
    ("school-b", "Hill Top Primary School (demo)", "education", ["STAFFS"]),
    ("school-c", "Trentside High School (demo)", "education", ["STOKE"]),
    ("yjs", "Staffordshire Youth Justice Service", "youth_justice", ["STAFFS"]),
    ("secure", "Moorside Young Offender Institution (demo)", "secure_setting", ["STAFFS"]),
    ("probation", "Probation Service, Staffordshire and Stoke", "probation", ["STAFFS", "STOKE"]),
    ("vcs", "Family Support Trust (demo)", "voluntary", ["STAFFS", "STOKE"]),
]

# (username, role, agency key, partnership code, sub-group or None)
SIGN_INS = [
    ("admin", "system_administrator", "staffs-cs", "STAFFS", None),
    ("business.staffs", "business_unit", "staffs-cs", "STAFFS", None),
    ("business.stoke", "business_unit", "stoke-cs", "STOKE", None),
    ("board.la", "board_member", "staffs-cs", "STAFFS", None),
    ("board.police", "board_member", "police", "STAFFS", None),
    ("board.health", "board_member", "icb", "STAFFS", None),
    ("scrutiny.member", "sub_group_member", "icb", "STAFFS", "Scrutiny and Assurance"),
    ("cdop.member", "sub_group_member", "icb", "STAFFS", "Child Death Overview Panel"),
    ("reviews.member", "sub_group_member", "police", "STAFFS", "Practice Reviews"),
    ("restraint.member", "sub_group_member", "secure", "STAFFS", "Review of Restraint"),
    ("analyst.staffs", "analyst", "staffs-cs", "STAFFS", None),
    ("analyst.stoke", "analyst", "stoke-cs", "STOKE", None),
    ("social.worker", "practitioner", "staffs-cs", "STAFFS", None),
    ("social.worker.stoke", "practitioner", "stoke-cs", "STOKE", None),
    ("police.officer", "practitioner", "police", "STAFFS", None),
    ("health.visitor", "practitioner", "icb", "STAFFS", None),
    ("yjs.officer", "practitioner", "yjs", "STAFFS", None),
    ("family.worker", "practitioner", "vcs", "STAFFS", None),
    ("key.adult.brook", "school_key_adult", "school-a", "STAFFS", None),
    ("key.adult.hilltop", "school_key_adult", "school-b", "STAFFS", None),
    ("key.adult.trentside", "school_key_adult", "school-c", "STOKE", None),
]

DEMO_PASSWORD = "demo-partnership-2021"  # noqa: S105 - synthetic demo sign-ins only

# Children in the child index per partnership at each scale. "tiny" is what the tests
# and `make demo SCALE=tiny` build ("small" is its old name, kept). "county", the
# default `make demo`, is sized with builder.CENSUS_CHILDREN so that Staffordshire's
# returns hold about its 2020/21 volumes (demo/data/seed_figures.yaml; ADR "demo county
# scale"): the statutory figures come from the returns, so the index (whose agency
# extracts record linkage works through) need not hold every child of them.
SCALES = {
    "tiny": {"STAFFS": 400, "STOKE": 160},
    "small": {"STAFFS": 400, "STOKE": 160},
    "county": {"STAFFS": 1_500, "STOKE": 600},
    "national": {"STAFFS": 600_000, "STOKE": 240_000},
}
