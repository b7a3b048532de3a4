"""Known errors planted in a child's record, each breaking exactly one rule."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from safeguarding.children import identifiers
from safeguarding.datasets.synthetic.history import DAY

# kind: (rule id expected, field named in the error)
INJECTIONS = {
    "closure_before_referral": ("8630", "CINclosureDate"),
    "cpp_end_before_start": ("8925", "CPPendDate"),
    "assessment_authorised_before_start": ("8608", "AssessmentAuthorisationDate"),
    "unknown_referral_source": ("SCP-CODE", "ReferralSource"),
    "bad_date": ("SCP-DATE", "DateOfInitialCPC"),
    "duplicate_referral": ("SCP-DUPLICATE-REFERRAL", "CINreferralDate"),
    "missing_ethnicity": ("SCP-REQUIRED", "Ethnicity"),
    "bad_upn": ("SCP-UPN", "UPN"),
}


@dataclass(frozen=True)
class Injection:
    kind: str
    child: int = 0  # which child in the file, counting from 0


@dataclass
class Planted:
    kind: str
    la_child_id: str
    rule: str
    field: str


def _bare_episode(referral: str, **extra) -> dict:
    ep: dict[str, Any] = {
        "CINreferralDate": referral, "ReferralSource": "6", "PrimaryNeedCode": "N1",
        "CINclosureDate": None, "ReasonForClosure": None, "DateOfInitialCPC": None,
        "ReferralNFA": False, "assessments": [], "cin_plans": [], "section47s": [], "cpps": []}
    ep.update(extra)
    return ep


def _free_day(record: dict, year: int) -> dt.date:
    """A day in the year that no episode or plan of this child starts on."""
    taken = {ep["CINreferralDate"] for ep in record["episodes"]}
    taken |= {c["CPPstartDate"] for ep in record["episodes"] for c in ep["cpps"]}
    day = dt.date(year - 1, 6, 1)
    while day.isoformat() in taken or (day + DAY * 10).isoformat() in taken:
        day += DAY
    return day


def plant(record: dict, kind: str, year: int) -> None:
    """Change one child's record so that it breaks exactly one rule."""
    day = _free_day(record, year)
    iso = day.isoformat()
    episodes = record["episodes"]
    if kind == "closure_before_referral":
        episodes.append(_bare_episode(iso, CINclosureDate=(day - DAY).isoformat(),
                                      ReasonForClosure="RC7"))
    elif kind == "cpp_end_before_start":
        episodes.append(_bare_episode(iso, cpps=[{
            "CPPstartDate": (day + DAY * 10).isoformat(), "CPPendDate": (day + DAY * 5).isoformat(),
            "InitialCategoryOfAbuse": "NEG", "LatestCategoryOfAbuse": "NEG",
            "NumberOfPreviousCPP": 0, "CPPreviewDate": []}]))
    elif kind == "assessment_authorised_before_start":
        episodes.append(_bare_episode(iso, assessments=[{
            "AssessmentActualStartDate": (day + DAY * 2).isoformat(),
            "AssessmentInternalReviewDate": None,
            "AssessmentAuthorisationDate": (day + DAY).isoformat(), "AssessmentFactors": ["21"]}]))
    elif kind == "unknown_referral_source":
        episodes.append(_bare_episode(iso, ReferralSource="ZZ"))
    elif kind == "bad_date":
        episodes.append(_bare_episode(iso, DateOfInitialCPC=f"{year - 1}-02-30"))
    elif kind == "duplicate_referral":
        episodes.append(_bare_episode(episodes[0]["CINreferralDate"]))
    elif kind == "missing_ethnicity":
        record["Ethnicity"] = None
    elif kind == "bad_upn":
        good = record["UPN"] or identifiers.synthetic_upn(random.Random(iso), "999")
        wrong = next(letter for letter in identifiers.UPN_LETTERS if letter != good[0])
        record["UPN"], record["UPNunknown"] = wrong + good[1:], None
    else:
        raise ValueError(f"Unknown injection {kind!r}; choose from {', '.join(INJECTIONS)}")
