"""Each person's synthetic history in each agency template, over a fixed window.

A history comes from a generator seeded by the seed, the template and the
person alone (``agency._rng``), so two periods' extracts agree. The rates are
loosely shaped on the national picture (children known to social care are
more often missing, excluded, absent and referred to MACE); they are not local
figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_START = dt.date(2019, 4, 1)
WINDOW_END = dt.date(2022, 3, 31)


@dataclass(frozen=True, slots=True)
class Person:
    key: str
    first_name: str
    last_name: str
    date_of_birth: dt.date
    sex: str
    postcode: str
    nhs_number: str = ""
    upn: str = ""
    la_child_id: str = ""
    police_reference: str = ""
    la_code: str = ""
    known_to_social_care: bool = False

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _moment(rng: random.Random, day: dt.date, *, evening: bool = False) -> dt.datetime:
    hour = rng.choice([17, 18, 19, 20, 21, 22, 23, 0, 1]) if evening else rng.randint(7, 22)
    return dt.datetime.combine(day, dt.time(hour, rng.choice([0, 10, 15, 25, 30, 40, 45, 55])))


def _day(rng: random.Random, start: dt.date = WINDOW_START, end: dt.date = WINDOW_END) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _weekday(rng: random.Random, start: dt.date = WINDOW_START,
             end: dt.date = WINDOW_END) -> dt.date:
    day = _day(rng, start, end)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _urn(la_code: str, n: int) -> str:
    return f"1{int(la_code) % 100:02d}{n:03d}"

# -- each person's history in each template, over the whole window -----------------------

def _early_help(rng: random.Random, person: Person) -> list[dict]:
    if rng.random() >= (0.12 if person.known_to_social_care else 0.05):
        return []
    out = []
    start = _weekday(rng, max(WINDOW_START, person.date_of_birth))
    for n in range(rng.choice([1, 1, 1, 2])):
        end = start + dt.timedelta(days=rng.randint(40, 320))
        out.append({"episode_id": f"EH{person.key[1:]}-{n + 1}", "start_date": start,
                    "assessment_date": start + dt.timedelta(days=rng.randint(5, 30)),
                    "request_source": rng.choice(["2A", "2A", "3B", "5D", "1A", "6", "3A"]),
                    "lead_practitioner_agency": rng.choice(["LA", "LA", "SCH", "HEA", "VOL"]),
                    "end_date": end, "end_reason": rng.choice(
                        ["ACH", "ACH", "ACH", "STU", "DIS", "TRF", "MOV"])})
        start = end + dt.timedelta(days=rng.randint(60, 400))
    return out


def _police(rng: random.Random, person: Person) -> list[dict]:
    if rng.random() >= (0.10 if person.known_to_social_care else 0.03):
        return []
    out = []
    reference = int(hashlib.sha256(person.key.encode()).hexdigest()[:6], 16) % 10**6
    for n in range(rng.choice([1, 1, 2, 3])):
        incident = _moment(rng, _day(rng, max(WINDOW_START, person.date_of_birth)), evening=True)
        row = {"incident_reference": f"DA/{reference:06d}/{n + 1}", "incident_at": incident,
               "child_present": "Y" if rng.random() < 0.7 else "N",
               "risk_level": rng.choice("SSSMMH"), "school_urn": None, "notified_at": None,
               "not_notified_reason": None}
        age = person.age_on(incident.date())
        if 5 <= age <= 17:
            row["school_urn"] = _urn(person.la_code or "860", rng.randint(1, 40))
            next_day = incident.date() + dt.timedelta(days=1)
            while next_day.weekday() >= 5:
                next_day += dt.timedelta(days=1)
            if rng.random() < 0.85:
                row["notified_at"] = dt.datetime.combine(
                    next_day, dt.time(rng.choice([7, 8, 8]), rng.choice([0, 15, 30, 45])))
            elif rng.random() < 0.7:
                row["notified_at"] = dt.datetime.combine(
                    next_day, dt.time(rng.choice([9, 10, 13, 15]), rng.choice([0, 30])))
            else:
                row["not_notified_reason"] = rng.choice(["NSC", "EHE", "OTH"])
        out.append(row)
    return out


def _missing(rng: random.Random, person: Person) -> list[dict]:
    if person.age_on(WINDOW_END) < 10:
        return []
    if rng.random() >= (0.15 if person.known_to_social_care else 0.03):
        return []
    out = []
    looked_after = person.known_to_social_care and rng.random() < 0.4
    for n in range(rng.choice([1, 1, 1, 2, 3, 5])):
        start = _moment(rng, _day(rng), evening=True)
        returned = start + dt.timedelta(hours=rng.choice([2, 5, 9, 14, 20, 30, 50, 75]))
        row = {"episode_id": f"MIS{person.key[1:]}-{n + 1}", "missing_from": start,
               "returned_at": returned, "category": "M" if rng.random() < 0.8 else "A",
               "looked_after": "Y" if looked_after else "N",
               "reported_to_police": "Y" if rng.random() < 0.85 else "N",
               "interview_offered_at": None, "interview_outcome": None,
               "interview_completed_at": None}
        if rng.random() < 0.88:
            offered = returned + dt.timedelta(hours=rng.choice([2, 5, 10, 20, 30, 47, 60, 80, 110]))
            row["interview_offered_at"] = offered
            outcome = rng.choices(["COM", "DEC", "NOC", "NRQ"], weights=[66, 20, 10, 4])[0]
            row["interview_outcome"] = outcome
            if outcome == "COM":
                row["interview_completed_at"] = offered + dt.timedelta(
                    hours=rng.choice([0, 0, 2, 6, 20, 24, 48]))
        out.append(row)
    return out


_REASONS = ["PD", "PD", "PD", "VA", "VP", "PP", "PA", "DM", "BU", "DA", "MT", "OT", "TH"]


def _exclusions(rng: random.Random, person: Person) -> list[dict]:
    if not 5 <= person.age_on(WINDOW_END) <= 17:
        return []
    if rng.random() >= (0.12 if person.known_to_social_care else 0.03):
        return []
    out = []
    for n in range(rng.choice([1, 1, 2, 3, 4])):
        start = _weekday(rng)
        if person.age_on(start) < 5:
            continue
        permanent = rng.random() < 0.04
        out.append({"exclusion_id": f"EX{person.key[1:]}-{n + 1}",
                    "school_urn": _urn(person.la_code or "860", rng.randint(1, 40)),
                    "category": "PERM" if permanent else "FIXD",
                    "reason": rng.choice(_REASONS), "start_date": start,
                    "sessions": None if permanent else rng.choice([1, 2, 2, 4, 6, 10])})
    return out


def _terms() -> list[tuple[dt.date, dt.date, int]]:
    """(first day, last day, possible sessions) of each term in the window."""
    out = []
    for year in range(WINDOW_START.year - 1, WINDOW_END.year + 1):
        out += [(dt.date(year, 9, 3), dt.date(year, 12, 18), 140),
                (dt.date(year + 1, 1, 5), dt.date(year + 1, 3, 31), 116),
                (dt.date(year + 1, 4, 19), dt.date(year + 1, 7, 21), 124)]
    return [t for t in out if t[0] >= WINDOW_START and t[1] <= WINDOW_END]


def _attendance(rng: random.Random, person: Person) -> list[dict]:
    if not (person.known_to_social_care or rng.random() < 0.08):
        return []
    urn = _urn(person.la_code or "860", rng.randint(1, 40))
    usual = rng.betavariate(1.2, 9 if person.known_to_social_care else 16)
    out = []
    for start, end, possible in _terms():
        if not 5 <= person.age_on(start) <= 15:
            continue
        rate = min(1.0, max(0.0, usual + rng.uniform(-0.04, 0.04)))
        absent = round(possible * rate)
        out.append({"school_urn": urn, "from_date": start, "to_date": end,
                    "possible_sessions": possible, "absent_sessions": absent,
                    "unauthorised_sessions": round(absent * rng.uniform(0.2, 0.7))})
    return out


_TYPES = ["24A", "24A", "11A", "11A", "10A", "13A", "12A", "HSB", "ONL", "SYV"]


def _mace(rng: random.Random, person: Person) -> list[dict]:
    if not 9 <= person.age_on(WINDOW_END) <= 18:
        return []
    if rng.random() >= (0.12 if person.known_to_social_care else 0.02):
        return []
    out = []
    for n in range(rng.choice([1, 1, 2])):
        received = _weekday(rng)
        decision = rng.choices(["MACE", "S47", "EH", "NFA"], weights=[60, 15, 15, 10])[0]
        out.append({"referral_id": f"MACE{person.key[1:]}-{n + 1}", "received_on": received,
                    "referrer_agency": rng.choice(["POL", "POL", "LA", "SCH", "HEA", "YJS"]),
                    "exploitation_types": sorted(set(rng.sample(_TYPES, rng.choice([1, 1, 2])))),
                    "screening_decision": decision,
                    "discussed_on": received + dt.timedelta(days=rng.randint(5, 28))
                    if decision == "MACE" else None,
                    "risk_level": rng.choice("LLMMH") if decision == "MACE" else None})
    return out


HISTORIES: dict[str, Callable[[random.Random, Person], list[dict]]] = {
    "early-help": _early_help, "police-da-incidents": _police, "missing-episodes": _missing,
    "school-exclusions": _exclusions, "school-attendance": _attendance, "mace-referrals": _mace,
}
# Which agency's view of the child each template gives: the identifiers it holds.
