"""Children's whole histories, and what one year's return shows of them."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from safeguarding.children import identifiers

WINDOW_START = dt.date(2019, 4, 1)
WINDOW_DAYS = (dt.date(2026, 3, 31) - WINDOW_START).days
DAY = dt.timedelta(days=1)

REFERRAL_SOURCES = {"6": 29, "2A": 18, "3A": 3, "3B": 3, "3D": 3, "3E": 4, "3F": 2, "1A": 4,
                    "1C": 1, "1D": 2, "5A": 3, "5B": 3, "5C": 2, "4": 2, "7": 3, "8": 6,
                    "9": 1, "10": 2, "2B": 2, "1B": 1, "3C": 1}
PRIMARY_NEED = {"N1": 55, "N2": 4, "N3": 5, "N4": 10, "N5": 14, "N6": 2, "N7": 0.5, "N8": 3,
                "N0": 1.5}
FACTORS = {"3B": 30, "4B": 28, "3A": 25, "16A": 18, "17A": 16, "4A": 14, "1B": 10, "2B": 11,
           "14A": 5, "6B": 5, "5B": 4, "3C": 6, "10A": 4, "11A": 3, "15A": 4, "2A": 3,
           "19C": 2, "18C": 3, "7A": 2, "9A": 1, "13A": 1, "12A": 0.5, "20": 8, "21": 6}
CATEGORIES = {"NEG": 48, "EMO": 38, "PHY": 7, "SAB": 4, "MUL": 3}
ETHNICITY = {"WBRI": 72, "WOTH": 5, "WIRI": 1, "WROM": 0.5, "MWBC": 2, "MWBA": 1, "MWAS": 2,
             "MOTH": 2, "AIND": 2.5, "APKN": 4, "ABAN": 1, "AOTH": 1.5, "BCRB": 1, "BAFR": 2,
             "BOTH": 0.5, "CHNE": 0.5, "OOTH": 1, "REFU": 0.3, "NOBT": 1}
# Before the 2020/21 census the abuse factors were not split into child on child and
# adult on child (specs/cin_census/2020.yaml): an earlier year's return gives them so.
FACTORS_BEFORE_SPLIT = {"18B": "18A", "18C": "18A", "19B": "19A", "19C": "19A"}
FIRST_SPLIT_YEAR = 2021
DISABILITIES = ["LD", "AUT", "COMM", "BEH", "MOB", "HEAR", "VIS", "DDA"]


_CUMULATIVE: dict[int, tuple[Mapping[str, float], list[str], list[float]]] = {}


def pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    """One key, drawn by weight: what ``rng.choices(keys, weights=values)[0]`` draws, from
    the same one call to ``rng.random()``, with the running totals worked out once per
    table rather than on each of the millions of draws of a national build."""
    kept = _CUMULATIVE.get(id(weights))
    if kept is None or kept[0] is not weights:
        running, totals = 0.0, []
        for value in weights.values():
            running += value
            totals.append(running)
        kept = _CUMULATIVE[id(weights)] = (weights, list(weights), totals)
    _, keys, totals = kept
    return keys[bisect(totals, rng.random() * (totals[-1] + 0.0), 0, len(keys) - 1)]


SEX_FROM = 2025  # the 2024/25 census codes Sex as M, F or U
SEX_CODES = {"1": "M", "2": "F", "0": "U", "9": "U"}


def _weekday(day: dt.date) -> dt.date:
    """The day, or the Monday after when it falls at a weekend."""
    return day + DAY * (7 - day.weekday()) if day.weekday() >= 5 else day


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# -- a child's whole history ---------------------------------------------------


def _episode(rng: random.Random, referral: dt.date, previous_plans: int) -> dict:
    ep: dict = {"referral": referral, "source": pick(rng, REFERRAL_SOURCES),
                "need": pick(rng, PRIMARY_NEED), "nfa": False, "assessments": [],
                "plans": [], "s47s": [], "cpps": [], "icpc": None}
    if referral >= dt.date(2021, 4, 1) and rng.random() < 0.04:
        ep["source"] = "5D"
    if rng.random() < 0.07:
        ep.update(nfa=True, closure=referral + DAY * rng.randint(0, 2), reason="RC7", need="N0")
        return ep
    start = referral + DAY * rng.randint(0, 3)
    authorised = start + DAY * rng.choice([rng.randint(3, 40), rng.randint(41, 63)])
    factors = sorted({pick(rng, FACTORS) for _ in range(rng.randint(1, 4))})
    if authorised >= dt.date(2021, 4, 1) and rng.random() < 0.03:
        factors.append("24A")
    if "21" in factors:
        factors = ["21"]
    ep["assessments"].append({
        "start": start, "review": start + DAY * rng.randint(5, 20) if rng.random() < 0.15 else None,
        "authorised": authorised, "factors": factors})
    if rng.random() < 0.22:
        s47_start = start + DAY * rng.randint(0, min(10, (authorised - start).days))
        target = _weekday(s47_start + DAY * 21)  # DfE query 8870Q
        if rng.random() < 0.45:
            icpc = _weekday(s47_start + DAY * rng.randint(5, 28))  # DfE error 8875
            ep["s47s"].append({"start": s47_start, "target": target, "icpc": icpc,
                               "not_required": False})
            ep["icpc"] = icpc
            if rng.random() < 0.8:
                band = rng.choices([(30, 91), (92, 182), (183, 364), (365, 729), (730, 900)],
                                   weights=[20, 25, 30, 22, 3])[0]
                end = icpc + DAY * rng.randint(*band)
                initial = pick(rng, CATEGORIES)
                latest = initial if rng.random() < 0.9 else pick(rng, CATEGORIES)
                reviews, review = [], icpc + DAY * rng.randint(60, 90)
                while review < end:
                    reviews.append(review)
                    review += DAY * rng.randint(150, 182)
                ep["cpps"].append({"start": icpc, "end": end, "initial": initial,
                                   "latest": latest, "previous": previous_plans,
                                   "reviews": reviews})
                after = end + DAY * rng.randint(0, 180)
                if after > end:
                    ep["plans"].append({"start": end + DAY, "end": after})
                # Not closed before the assessment is authorised (DfE error 8565): a
                # short plan can end before a late authorisation.
                closed = max(after, authorised) + DAY * rng.randint(0, 14)
                ep.update(closure=closed, reason="RC7")
                return ep
        else:
            ep["s47s"].append({"start": s47_start, "target": target, "icpc": None,
                               "not_required": True})
    settled = max(authorised, ep["icpc"] or authorised)
    if rng.random() < 0.3:
        closed = settled + DAY * rng.randint(0, 5)
        reason = "RC9" if closed >= dt.date(2022, 4, 1) and rng.random() < 0.5 else "RC8"
        if ep["s47s"]:
            reason = "RC7"  # DfE error 2990: no enquiry on a case closed after assessment
        ep.update(closure=closed, reason=reason, need="N9" if rng.random() < 0.5 else ep["need"])
        return ep
    plan_start = settled + DAY * rng.randint(0, 10)
    plan_end = plan_start + DAY * rng.randint(60, 420)
    ep["plans"].append({"start": plan_start, "end": plan_end})
    reason = rng.choices(["RC7", "RC5", "RC6", "RC3", "RC4"], weights=[92, 4, 2, 1, 1])[0]
    ep.update(closure=plan_end + DAY * rng.randint(0, 10), reason=reason)
    return ep


# Histories kept while a demo builds (``histories_kept``): the census of each year, the
# 903 and Annex A all read the same children's histories again, a fifth of a county build.
_kept: dict[tuple[int, str, int], dict] | None = None


@contextmanager
def histories_kept() -> Iterator[None]:
    """Keep each history drawn inside the block, so it is drawn once (none are changed)."""
    global _kept
    outer, _kept = _kept, {} if _kept is None else _kept
    try:
        yield
    finally:
        _kept = outer


def history(seed: int, la_code: str, number: int) -> dict:
    """One child's whole history, from the seed, the LA and the child's number only."""
    if _kept is None:
        return _history(seed, la_code, number)
    key = (seed, la_code, number)
    found = _kept.get(key)
    if found is None:
        found = _kept[key] = _history(seed, la_code, number)
    return found


def _history(seed: int, la_code: str, number: int) -> dict:
    rng = random.Random(f"cin:{seed}:{la_code}:{number}")
    referral = WINDOW_START + DAY * rng.randrange(WINDOW_DAYS)
    unborn = rng.random() < 0.03
    if unborn:
        birth = referral + DAY * rng.randint(30, 150)
    else:
        age_days = int(rng.triangular(0, 18 * 365 - 1, 3 * 365))
        birth = referral - DAY * age_days
    child: dict[str, Any] = {
        "number": number, "birth": birth, "unborn_at_referral": unborn,
        "sex": rng.choice("12") if rng.random() < 0.995 else "9",
        "ethnicity": pick(rng, ETHNICITY),
        "disabilities": ["NONE"] if rng.random() < 0.9 else sorted(
            set(rng.sample(DISABILITIES, rng.randint(1, 2)))),
        "upn": identifiers.synthetic_upn(rng, la_code) if rng.random() < 0.85 else "",
        "episodes": [],
    }
    previous_plans = 0
    last_day = WINDOW_START + DAY * WINDOW_DAYS
    while referral <= last_day and len(child["episodes"]) < 6:
        ep = _episode(rng, referral, previous_plans)
        child["episodes"].append(ep)
        previous_plans += len(ep["cpps"])
        closed = ep["closure"]
        chance = rng.random()
        if chance < 0.28 and (closed - referral).days < 330:
            referral = closed + DAY * rng.randint(1, 364 - (closed - referral).days)
        elif chance < 0.38:
            referral = closed + DAY * rng.randint(400, 1400)
        else:
            break
    return child


# -- one year's return ----------------------------------------------------------


def _in_year(ep: dict, start: dt.date, end: dt.date) -> bool:
    return ep["referral"] <= end and ep["closure"] >= start


def _known(day: dt.date | None, end: dt.date) -> dt.date | None:
    return day if day is not None and day <= end else None


def return_record(child: dict, year: int, la_child_id: str) -> dict | None:
    """The child as the return for ``year`` gives it, or None when not in that year's return."""
    start, end = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
    episodes = [ep for ep in child["episodes"] if _in_year(ep, start, end)]
    if not episodes:
        return None
    born = child["birth"] <= end
    upn = child["upn"] if born and (end - child["birth"]).days > 4 * 365 else ""
    record: dict[str, Any] = {
        "LAchildID": la_child_id, "UPN": upn or None, "FormerUPN": None,
        # UN1 (not of school age) for the under-fives; UN3 (another reason) for an
        # older child with no UPN, as DfE query 8770Q asks.
        "UPNunknown": None if upn else ("UN1" if born and (end - child["birth"]).days < 5 * 365
                                        else "UN3" if born else None),
        "PersonBirthDate": _iso(child["birth"]) if born else None,
        "ExpectedPersonBirthDate": None if born else _iso(child["birth"]),
        "GenderCurrent": child["sex"] if born else "0",
        "PersonDeathDate": None, "Ethnicity": child["ethnicity"] if born else "NOBT",
        "Disability": list(child["disabilities"]), "episodes": [],
    }
    for ep in episodes:
        closure = _known(ep["closure"], end)
        out: dict[str, Any] = {
            "CINreferralDate": _iso(ep["referral"]), "ReferralSource": ep["source"],
            "PrimaryNeedCode": ep["need"], "CINclosureDate": _iso(closure),
            "ReasonForClosure": ep["reason"] if closure else None,
            # The conference is recorded on its Section47 module, so not here too
            # (DfE error 2884).
            "DateOfInitialCPC": None, "ReferralNFA": ep["nfa"],
            "assessments": [], "cin_plans": [], "section47s": [], "cpps": [],
        }
        for a in ep["assessments"]:
            authorised = _known(a["authorised"], end)
            if a["start"] > end or (authorised and authorised < start):
                continue
            factors = list(a["factors"]) if year >= FIRST_SPLIT_YEAR else sorted(
                {FACTORS_BEFORE_SPLIT.get(f, f) for f in a["factors"]})
            out["assessments"].append({
                "AssessmentActualStartDate": _iso(a["start"]),
                "AssessmentInternalReviewDate": _iso(_known(a["review"], end)),
                "AssessmentAuthorisationDate": _iso(authorised),
                "AssessmentFactors": factors if authorised else []})
        for p in ep["plans"]:
            if p["start"] <= end and p["end"] >= start:
                out["cin_plans"].append({"CINPlanStartDate": _iso(p["start"]),
                                         "CINPlanEndDate": _iso(_known(p["end"], end))})
        for s in ep["s47s"]:
            last = s["icpc"] or s["start"]
            if s["start"] <= end and last >= start:
                icpc = _known(s["icpc"], end)
                out["section47s"].append({
                    "S47ActualStartDate": _iso(s["start"]), "InitialCPCtarget": _iso(s["target"]),
                    "DateOfInitialCPC": _iso(icpc),
                    "ICPCnotRequired": s["not_required"] if (icpc or s["not_required"]) else None})
        for c in ep["cpps"]:
            if c["start"] <= end and c["end"] >= start:
                ended = _known(c["end"], end)
                out["cpps"].append({
                    "CPPstartDate": _iso(c["start"]), "CPPendDate": _iso(ended),
                    "InitialCategoryOfAbuse": c["initial"],
                    "LatestCategoryOfAbuse": c["latest"], "NumberOfPreviousCPP": c["previous"],
                    "CPPreviewDate": [_iso(r) for r in c["reviews"] if r <= end]})
        record["episodes"].append(out)
    if year >= SEX_FROM:
        # DfE's Sex from 2024/25, M/F/U; GenderCurrent stays as the checker maps it.
        sex = SEX_CODES[record["GenderCurrent"]]
        record["Sex"] = sex
        record["GenderCurrent"] = {"M": "1", "F": "2", "U": "0"}[sex]
    return record


def population_for(*, la_code: str, year: int, children: int, seed: int = 2021) -> int:
    """How many of the LA's child histories hold the first ``children`` of the year's return.

    Returns for several years written with this ``population`` describe the same children:
    a child open at the end of one year is in the next year's return too."""
    found, number = 0, 0
    while found < children:
        if number > 100 * children + 1000:
            raise ValueError(f"Too few children have an episode open in {year}")
        if return_record(history(seed, la_code, number), year, "") is not None:
            found += 1
        number += 1
    return number


def records(*, la_code: str, year: int, children: int, seed: int = 2021,
            id_prefix: str = "C", population: int | None = None) -> Iterable[dict]:
    """Yield the first ``children`` children of the LA's population in the year's return, or,
    with ``population``, every child among the first ``population`` histories that the
    year's return holds (so consecutive years' returns hold the same children)."""
    width = 10 - len(id_prefix)
    upns: set[str] = set()
    if population is not None:
        for number in range(population):
            record = return_record(history(seed, la_code, number), year,
                                   f"{id_prefix}{number + 1:0{width}d}")
            if record is not None:
                yield _unique_upn(record, upns)
        return
    found, number = 0, 0
    while found < children:
        if number > 100 * children + 1000:
            raise ValueError(f"Too few children have an episode open in {year}")
        record = return_record(history(seed, la_code, number), year,
                               f"{id_prefix}{number + 1:0{width}d}")
        number += 1
        if record is not None:
            found += 1
            yield _unique_upn(record, upns)


def _unique_upn(record: dict, seen: set[str]) -> dict:
    """A UPN drawn twice in one return (likely among thousands of children: DfE error 1520)
    stays with the first child; the later one is returned as having no UPN (UN3)."""
    upn = record["UPN"]
    if upn and upn in seen:
        record["UPN"], record["UPNunknown"] = None, "UN3"
    elif upn:
        seen.add(upn)
    return record


def volumes(*, la_code: str, year: int, children: int, seed: int = 2021,
            numbers_per_child: int = 4) -> dict[str, int]:
    """What the demo's returns for ``year`` (2021 = 2020/21) will hold, from the histories
    alone, without writing or loading anything: referrals in the year, plans started and
    open at its end, and (from the 903 care histories) children looked after at its end.

    ``children`` is the scale's census size (``population_for``'s); the demo's scale test
    checks these against the published figures the demo is built to look like."""
    from safeguarding.datasets.synthetic.ssda903 import care_history

    start, end = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
    found = {"referrals": 0, "cpp_starts": 0, "cpp_at_period_end": 0, "cla_at_period_end": 0}
    for number in range(population_for(la_code=la_code, year=CENSUS_YEAR, children=children,
                                       seed=seed)):
        for ep in history(seed, la_code, number)["episodes"]:
            found["referrals"] += start <= ep["referral"] <= end
            for plan in ep["cpps"]:
                found["cpp_starts"] += start <= plan["start"] <= end
                found["cpp_at_period_end"] += plan["start"] <= end < plan["end"]
    for number in range(numbers_per_child * children):
        care = care_history(seed, la_code, number)
        if care is not None and care["start"] <= end and (care["end"] is None
                                                          or care["end"] > end):
            found["cla_at_period_end"] += 1
    return found


# The year the demo's census population is drawn for (builder.CENSUS_YEARS[1]).
CENSUS_YEAR = 2021
