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
    "unknown_referral_source": ("8866", "ReferralSource"),
    "bad_date": ("SCP-DATE", "DateOfInitialCPC"),
    "duplicate_referral": ("SCP-DUPLICATE-REFERRAL", "CINreferralDate"),
    "missing_ethnicity": ("4220", "Ethnicity"),
    "bad_upn": ("1510", "UPN"),
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


def _day(day: dt.date, days: int = 0) -> str:
    return (day + DAY * days).isoformat()


def plant(record: dict, kind: str, year: int) -> None:
    """Change one child's record so that it breaks exactly one rule.

    The child's episodes are replaced by one short closed episode on a Monday
    in June of the census year, which passes every DfE rule; the error is
    planted in that.
    """
    day = dt.date(year - 1, 6, 1)
    day += DAY * ((7 - day.weekday()) % 7)  # a Monday: conferences fall on weekdays
    iso = day.isoformat()
    closed = {"CINclosureDate": _day(day, 30), "ReasonForClosure": "RC7"}
    episodes = record["episodes"] = []
    if kind == "closure_before_referral":
        episodes.append(_bare_episode(iso, CINclosureDate=_day(day, -1), ReasonForClosure="RC7"))
    elif kind == "cpp_end_before_start":
        episodes.append(_bare_episode(iso, **closed, assessments=[{
            "AssessmentActualStartDate": _day(day, 1), "AssessmentInternalReviewDate": None,
            "AssessmentAuthorisationDate": _day(day, 3), "AssessmentFactors": ["2B"]}],
            section47s=[{"S47ActualStartDate": _day(day, 4), "InitialCPCtarget": _day(day, 10),
                         "DateOfInitialCPC": _day(day, 10), "ICPCnotRequired": False}],
            cpps=[{"CPPstartDate": _day(day, 10), "CPPendDate": _day(day, 5),
                   "InitialCategoryOfAbuse": "NEG", "LatestCategoryOfAbuse": "NEG",
                   "NumberOfPreviousCPP": 0, "CPPreviewDate": []}]))
    elif kind == "assessment_authorised_before_start":
        episodes.append(_bare_episode(iso, **closed, assessments=[{
            "AssessmentActualStartDate": _day(day, 2), "AssessmentInternalReviewDate": None,
            "AssessmentAuthorisationDate": _day(day, 1), "AssessmentFactors": ["2B"]}]))
    elif kind == "unknown_referral_source":
        episodes.append(_bare_episode(iso, **closed, ReferralSource="ZZ"))
    elif kind == "bad_date":
        episodes.append(_bare_episode(iso, **closed, DateOfInitialCPC=f"{year - 1}-02-30"))
    elif kind == "duplicate_referral":
        # Closed on the day it opens, twice: the same referral, and no overlap.
        same_day = {"CINclosureDate": iso, "ReasonForClosure": "RC7"}
        episodes += [_bare_episode(iso, **same_day), _bare_episode(iso, **same_day)]
    elif kind == "missing_ethnicity":
        episodes.append(_bare_episode(iso, **closed))
        record["Ethnicity"] = None
    elif kind == "bad_upn":
        good = record["UPN"] or identifiers.synthetic_upn(random.Random(iso), "860")
        wrong = next(letter for letter in identifiers.UPN_LETTERS if letter != good[0])
        record["UPN"], record["UPNunknown"] = wrong + good[1:], None
        episodes.append(_bare_episode(iso, **closed))
    else:
        raise ValueError(f"Unknown injection {kind!r}; choose from {', '.join(INJECTIONS)}")
