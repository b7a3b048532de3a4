"""Made-up but plausible wording and mixes for the child death demo (see demo.py).

The category mix by age group is set so that the whole roughly follows the
national pattern (perinatal/neonatal events and chromosomal, genetic and
congenital anomalies the largest groups; suicide and trauma mostly among older
children; sudden unexplained deaths mostly among infants). It is demo data, not
a statistical model.
"""

from __future__ import annotations

import random
import re

from safeguarding.child_deaths import code_lists

CATEGORY_CODES = {c.key: c.code for c in code_lists.categories()}
EXTERNAL = {"trauma", "suicide", "deliberately_inflicted"}

_MIX = {
    ("neonatal", False): {"perinatal": 72, "chromosomal": 25, "infection": 3},
    ("neonatal", True): {"sudden_unexplained": 45, "perinatal": 30, "infection": 15, "trauma": 10},
    ("infant", False): {
        "chromosomal": 38,
        "acute_medical": 12,
        "chronic_medical": 15,
        "infection": 10,
        "perinatal": 25,
    },
    ("infant", True): {
        "sudden_unexplained": 62,
        "infection": 14,
        "trauma": 10,
        "deliberately_inflicted": 8,
        "acute_medical": 6,
    },
    ("child", False): {
        "malignancy": 34,
        "chromosomal": 25,
        "chronic_medical": 20,
        "acute_medical": 14,
        "infection": 7,
    },
    ("child", True): {
        "trauma": 45,
        "acute_medical": 20,
        "infection": 15,
        "deliberately_inflicted": 8,
        "sudden_unexplained": 12,
    },
    ("young_person", False): {
        "malignancy": 36,
        "chronic_medical": 30,
        "chromosomal": 19,
        "acute_medical": 15,
    },
    ("young_person", True): {
        "suicide": 40,
        "trauma": 45,
        "acute_medical": 10,
        "deliberately_inflicted": 5,
    },
}

MODIFIABLE_WEIGHT = {
    "deliberately_inflicted": 9,
    "suicide": 7,
    "trauma": 7,
    "malignancy": 0.3,
    "acute_medical": 1.5,
    "chronic_medical": 1,
    "chromosomal": 0.5,
    "perinatal": 1.5,
    "infection": 1.5,
    "sudden_unexplained": 6,
}

NOTIFIER_ROLES = {
    "health": [
        "Consultant paediatrician",
        "Consultant neonatologist",
        "Neonatal nurse",
        "Ward sister",
        "Emergency department consultant",
        "General practitioner",
        "Specialist nurse for child death",
    ],
    "police": ["Detective sergeant", "Police constable", "Detective inspector"],
}

PLACE_DETAIL = {"hospital": "University Hospital (demo)", "hospice": "Children's Hospice (demo)"}

SUMMARIES = {
    "health": [
        "GP and health visiting records shared; child fully immunised; no concerns "
        "recorded before the death.",
        "Hospital records shared: antenatal care, delivery and neonatal unit stay.",
        "Health records shared; two missed outpatient appointments in the last year.",
    ],
    "la_childrens_services": [
        "Not known to children's social care.",
        "Family known to early help; case closed a year before the death.",
        "Child in need plan open at the time of death; records shared.",
    ],
    "police": [
        "No previous police contact with the household.",
        "Scene attended; no suspicious circumstances identified.",
        "Two previous domestic incidents recorded at the address.",
    ],
    "education": [
        "Attendance 94 %; no safeguarding concerns recorded by the school.",
        "School shared attendance and pastoral records; recent low mood noted.",
    ],
}

_THEMES = {
    "sudden_unexplained": ["unsafe_sleep", "smoking", "parental_substance_use"],
    "perinatal": ["smoking", "non_attendance"],
    "suicide": ["child_mental_health", "parental_mental_health"],
    "trauma": ["road_safety", "water_safety", "unintentional_injury"],
    "deliberately_inflicted": [
        "domestic_abuse",
        "parental_substance_use",
        "parental_mental_health",
    ],
    "infection": ["non_attendance", "delayed_care_pandemic"],
    "acute_medical": ["non_attendance", "delayed_care_pandemic"],
    "chronic_medical": ["non_attendance"],
    "chromosomal": ["smoking"],
    "malignancy": ["non_attendance"],
}

_FACTOR = {
    "unsafe_sleep": ("parenting_capacity", "Infant asleep on a sofa with an adult"),
    "smoking": ("family_environment", "Smoking in pregnancy and in the home"),
    "parental_substance_use": ("parenting_capacity", "Parental alcohol use on the night"),
    "non_attendance": ("service_provision", "Missed health appointments not followed up"),
    "child_mental_health": ("child", "Low mood known to the school; no referral made"),
    "parental_mental_health": ("parenting_capacity", "Parent's depression untreated"),
    "road_safety": ("family_environment", "Crossing a fast road with no safe crossing point"),
    "water_safety": ("family_environment", "Swimming in open water without supervision"),
    "unintentional_injury": ("family_environment", "Blind cord within reach of a cot"),
    "domestic_abuse": ("family_environment", "Domestic abuse in the household"),
    "delayed_care_pandemic": (
        "service_provision",
        "Family delayed seeking care for fear of infection",
    ),
}

_NON_MODIFIABLE = {
    "chromosomal": "Life-limiting congenital condition diagnosed before birth",
    "perinatal": "Extreme prematurity",
    "malignancy": "Treatment-resistant malignancy",
    "chronic_medical": "Long-standing life-limiting condition, well managed",
    "acute_medical": "Sudden acute illness despite prompt care",
    "infection": "Overwhelming infection despite prompt treatment",
    "sudden_unexplained": "No cause found at post-mortem examination",
    "trauma": "Accident with no factor that could have been changed",
    "suicide": "No warning signs known to any agency",
    "deliberately_inflicted": "Not known to any agency before the death",
}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30]


def category_for(rng: random.Random, group: str, unexpected: bool) -> str:
    mix = _MIX[(group, unexpected)]
    return rng.choices(list(mix), list(mix.values()))[0]


def triggers_for(category: str) -> list[str]:
    if category == "deliberately_inflicted":
        return ["external_causes", "not_natural"]
    if category in EXTERNAL:
        return ["external_causes"]
    return ["sudden_no_cause"]


def place_for(rng: random.Random, group: str, category: str, unexpected: bool) -> str:
    if category in {"trauma", "suicide"}:
        return rng.choice(["public_place", "home", "hospital"])
    if unexpected:
        return rng.choice(["home", "home", "hospital"])
    if category in {"malignancy", "chronic_medical"}:
        return rng.choice(["hospital", "hospice", "home"])
    return "hospital"


def analysis_for(
    rng: random.Random, category: str, modifiable: bool, year: int
) -> tuple[list[str], list[tuple[str, str]], str, str]:
    """Themes, (domain, factor) pairs, learning points and recommendations for a review."""
    if not modifiable:
        return [], [("child", _NON_MODIFIABLE[category])], "", ""
    options = [t for t in _THEMES[category] if t != "delayed_care_pandemic" or year in (2020, 2021)]
    themes = rng.sample(options, k=min(len(options), rng.choice([1, 1, 2, 2, 3])))
    factors = [_FACTOR[t] for t in themes]
    learning = "; ".join(f"{_FACTOR[t][1].lower()} contributed" for t in themes).capitalize()
    recommendation = {
        "unsafe_sleep": "Repeat the Safer Sleep campaign with health visitors and midwives.",
        "smoking": "Offer smoking cessation support at every antenatal contact.",
        "non_attendance": "Follow up every missed child health appointment ('was not brought').",
        "road_safety": "Share the findings with the highways authority.",
    }.get(themes[0], "Share the learning in the partnership's practice briefing.")
    return themes, factors, learning + ".", recommendation
