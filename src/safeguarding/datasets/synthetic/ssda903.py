"""Synthetic SSDA903 returns, consistent with the synthetic CIN census of the same seed.

The children who come into care are children of the synthetic CIN census:
child number ``n`` of an LA has the CIN history ``history(seed, la, n)`` and,
when it comes into care, the same LA child ID (``S000000001`` ...), date of
birth, sex, ethnicity and UPN in the 903. Whether and when it does, and its
whole period of care, come from a generator seeded by the seed, the LA and
``n`` alone, so consecutive years' returns agree.

Two kinds of children are looked after:

- children starting in the synthetic window (April 2019 on), a few weeks or
  months after one of their CIN referrals, so they are in that year's census;
- children looked after since before the window (long stays), whose earlier
  referral lies before the synthetic census began.

``children`` is the number of children in the CIN census return the 903
accompanies (its scale): the 903 draws from the same ``4 x children`` child
numbers the census does. The rates are set so that ``children=12_000`` (about
Staffordshire's children in need in a year) gives about the 1,242 children
looked after at 31 March 2021, 339 starting and 319 ceasing that DfE
publishes for Staffordshire; they scale linearly to any size.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeguarding.datasets.synthetic.history import WINDOW_DAYS, WINDOW_START, history, pick

DAY = dt.timedelta(days=1)
WINDOW_END = WINDOW_START + DAY * WINDOW_DAYS
NUMBERS_PER_CENSUS_CHILD = 4
NEW_START_CHANCE = 0.06
LONG_STAY_CHANCE = 0.031
SHORT_STAY_CHANCE = 0.25
# The tables in DfE's column order, under the file names LA systems commonly use.
COLUMNS = {
    "header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"),
    "reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "uasc": ("CHILD", "SEX", "DOB", "DUC"),
    "oc2": ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
            "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
    "oc3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "ad1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
            "LS_ADOPTR"),
    "placed_adoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED",
                        "REASON_PLACED_CEASED"),
    "prev_perm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    # From 2023/24 (SOCIAL_WORKER_SINCE): DfE's social worker episodes.
    "social_worker": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
}
SOCIAL_WORKER_SINCE = 2024
SW_REASONS = ("MANAGE", "LEFTRL", "ORGRST", "ABSENC", "CHCHAN", "OTHERS")
FILE_NAMES = {"header": "header", "episodes": "episodes", "reviews": "reviews", "uasc": "uasc",
              "oc2": "oc2", "oc3": "oc3", "ad1": "ad1", "placed_adoption": "placed_for_adoption",
              "prev_perm": "previous_permanence", "missing": "missing",
              "social_worker": "social_worker"}
POSTCODES = ("ST16 2DH", "ST17 4AW", "WS11 1DJ", "DE14 3EZ", "B79 7BS", "ST5 1BG", "ST4 2RS",
             "WS13 6HX", "ST14 8AR", "ST18 0QZ")


def _birthday(birth: dt.date, years: int) -> dt.date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February
        return birth.replace(year=birth.year + years, day=28)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _iso(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


# -- a child's period of care --------------------------------------------------


def _exit_reason(rng: random.Random, age: int) -> str:
    if age < 5:
        return pick(rng, {"E11": 30, "E12": 8, "E45": 8, "E46": 4, "E47": 8, "E48": 3,
                           "E4A": 27, "E41": 8, "E13": 4})
    if age < 16:
        return pick(rng, {"E4A": 45, "E4B": 4, "E45": 6, "E46": 3, "E47": 4, "E48": 2,
                           "E41": 10, "E13": 10, "E8": 9, "E3": 4, "E14": 3})
    return pick(rng, {"E5": 25, "E4A": 25, "E13": 18, "E8": 14, "E6": 10, "E14": 4, "E9": 4})


def _first_placement(rng: random.Random, age: int, legal: str) -> str:
    weights = {"U6": 50, "U3": 16, "U4": 6, "U1": 4}
    if age >= 10:
        weights.update(K2=14, S1=2)
    if age >= 16:
        weights.update(H5=10, P2=2)
    if age < 1:
        weights.update(R3=4, U5=3)
    if legal in ("C1", "C2"):
        weights.update(P1=5)
    return pick(rng, weights)


def care_history(seed: int, la_code: str, number: int) -> dict | None:
    """The child's period of care, or None when it is never looked after in the window."""
    rng = random.Random(f"cla:{seed}:{la_code}:{number}")
    draw = rng.random()
    if draw >= NEW_START_CHANCE + LONG_STAY_CHANCE:
        return None
    child = history(seed, la_code, number)
    birth = child["birth"]
    if draw < NEW_START_CHANCE:
        referral = rng.choice(child["episodes"])["referral"]
        start = max(referral + DAY * rng.randint(0, 120), birth + DAY * rng.randint(0, 20))
        if start > WINDOW_END:
            return None
        long_stay = False
    else:
        latest = WINDOW_START - DAY
        earliest = max(birth, latest - DAY * 10 * 365)
        if earliest >= latest:
            return None
        start = earliest + DAY * rng.randrange((latest - earliest).days)
        long_stay = True
    age = _age(birth, start)
    if age >= 18:
        # No one starts to be looked after at 18: the episode would end (at 18) before it began.
        return None
    if rng.random() < SHORT_STAY_CHANCE and not long_stay:
        end: dt.date | None = start + DAY * rng.randint(3, 200)
    else:
        mean_years = 5.5 if long_stay else 3.6
        end = max(start, WINDOW_START if long_stay else start) + \
            DAY * int(rng.expovariate(1 / (mean_years * 365)) + 60)
    adult = _birthday(birth, 18)
    assert end is not None
    if end >= adult:
        end, reason = adult, pick(rng, {"E17": 15, "E5": 35, "E6": 10, "E8": 15, "E4A": 10,
                                         "E13": 15})
    else:
        reason = _exit_reason(rng, _age(birth, end))
    if end > WINDOW_END:
        end, reason = None, ""
    uasc = not long_stay and 14 <= age < 18 and rng.random() < 0.3
    sex = child["sex"] if child["sex"] in "12" else rng.choice("12")
    if uasc:
        sex = "1" if rng.random() < 0.9 else "2"
    care: dict[str, Any] = {
        "number": number, "birth": birth, "sex": sex,
        "ethnicity": pick(rng, {"OOTH": 30, "BAFR": 25, "AOTH": 25, "WOTH": 20}) if uasc
        else child["ethnicity"], "upn": child["upn"], "start": start, "end": end,
        "reason": reason, "uasc": uasc, "episodes": [], "reviews": [], "missing": [],
        "adoption": None, "previous": pick(rng, {"Z1": 85, "P1": 5, "P2": 3, "P3": 4, "P4": 3}),
        "home": rng.choice(POSTCODES),
    }
    _episodes(rng, care, age)
    _reviews(rng, care)
    if age >= 11 or (end is None or _age(birth, end) >= 11):
        _missing(rng, care)
    return care


def _episodes(rng: random.Random, care: dict, age: int) -> None:
    start, end, birth = care["start"], care["end"], care["birth"]
    legal = "J1" if age >= 12 and rng.random() < 0.04 else pick(
        rng, {"V2": 45, "C1": 42, "L2": 5, "L1": 3, "E1": 0.5} if age < 16 else {"V2": 70, "C1": 25,
                                                                                    "L1": 5})
    if legal == "E1":  # DfE 553, 557: a placement order comes with a decision to place
        legal = "C1"
    episode = {"DECOM": start, "RNE": "S", "LS": legal, "CIN": pick(rng, {
        "N1": 64, "N2": 3, "N3": 3, "N4": 7, "N5": 13, "N6": 1, "N7": 0.2, "N8": 8}),
        "PLACE": _first_placement(rng, age, legal), "PLACE_PROVIDER": "PR1"}
    episode["PLACE_PROVIDER"] = _provider(rng, episode["PLACE"])
    episodes = [episode]
    last = end or WINDOW_END
    adopted = care["reason"] in ("E11", "E12")
    adoption_start = None
    if adopted and end is not None:
        adoption_start = max(start + DAY, end - DAY * rng.randint(180, 400))
    day = start
    while True:
        gap = int(rng.expovariate(1 / 420) + 20)
        # DfE 361, 362: police protection lasts at most 72 hours, an EPO at most 21 days.
        gap = 1 + gap % 3 if episodes[-1]["LS"] == "L1" else \
            7 + gap % 15 if episodes[-1]["LS"] == "L2" else gap
        day = day + DAY * gap
        if adoption_start is not None and day >= adoption_start:
            break
        if day >= last:
            break
        current = episodes[-1]
        if current["LS"] in ("C1", "V2", "L1", "L2", "J1") and (
                rng.random() < 0.45 or current["LS"] in ("L1", "L2")):
            new_legal = "C2" if current["LS"] in ("C1", "L1", "L2") else \
                rng.choice(["C1", "V2"]) if current["LS"] == "J1" else "C1"
            change_place = rng.random() < 0.3
            rne = "B" if change_place else "L"
        else:
            new_legal, change_place = current["LS"], True
            rne = "T" if rng.random() < 0.1 else "P"
        current["DEC"], current["REC"] = day, "X1"
        if change_place:
            current["REASON_PLACE_CHANGE"] = pick(rng, {
                "CARPL": 45, "CREQB": 15, "CREQO": 8, "CHILD": 8, "LAREQ": 6, "CLOSE": 4,
                "STAND": 3, "ALLEG": 2, "APPRR": 1, "PLACE": 3, "CUSTOD": 1, "OTHER": 4})
            if current["REASON_PLACE_CHANGE"] == "CUSTOD" and _age(birth, day) < 10:
                current["REASON_PLACE_CHANGE"] = "OTHER"  # DfE 234
        place = _first_placement(rng, _age(birth, day), new_legal) if change_place else \
            current["PLACE"]
        episodes.append({"DECOM": day, "RNE": rne, "LS": new_legal, "CIN": current["CIN"],
                         "PLACE": place, "PLACE_PROVIDER": _provider(rng, place)
                         if change_place else current["PLACE_PROVIDER"]})
    if adoption_start is not None and end is not None:
        current = episodes[-1]
        current["DEC"], current["REC"] = adoption_start, "X1"
        current["REASON_PLACE_CHANGE"] = "CARPL"
        place = rng.choice(["A5", "A6"])
        # DfE 217: a placement for adoption with current foster carers (A5) starts with U.
        # DfE 436: B only where the legal status changes too; already E1, the placement alone.
        rne = "U" if place == "A5" else "B" if current["LS"] != "E1" else "P"
        episodes.append({"DECOM": adoption_start, "RNE": rne,
                         "LS": "E1", "CIN": current["CIN"],
                         "PLACE": place, "PLACE_PROVIDER": "PR1"})
        decided = adoption_start - DAY * rng.randint(60, 300)
        care["adoption"] = {
            "placed": adoption_start, "decided": max(decided, start),
            # DfE 333: matched on or after the decision that adoption is best.
            "matched": max(adoption_start - DAY * rng.randint(10, 50), max(decided, start)),
            "foster_care": "1" if place == "A5" else "0",
            "adopters": pick(rng, {"MF": 75, "F1": 10, "FF": 7, "MM": 6, "M1": 2})}
    if care["reason"] in ("E45", "E46") and not episodes[-1]["PLACE"].startswith("U"):
        # DfE 516: an order to former foster carers only from a foster placement.
        care["reason"] = {"E45": "E47", "E46": "E48"}[care["reason"]]
    episodes[-1]["DEC"], episodes[-1]["REC"] = end, care["reason"] if end else ""
    for index, ep in enumerate(episodes):
        before = episodes[index - 1] if index else None
        if before is not None and ep["RNE"] == "L":  # DfE 434: the placement is unchanged
            ep["URN"], ep["PL_POST"] = before["URN"], before["PL_POST"]
            continue
        ep["URN"] = f"SC{rng.randint(100000, 999999)}" if ep["PLACE"] in ("K2", "K1") else ""
        # DfE 435/436: a new placement is somewhere else; 392d: not the home postcode.
        choices = [p for p in POSTCODES if (before is None or p != before["PL_POST"])
                   and p != care["home"]]
        # DfE 392b: every placement has its postcode (P2's is the first choice, so the
        # random draws, and every other value, are as before it had one).
        ep["PL_POST"] = rng.choice(choices) if ep["PLACE"] not in ("P2",) else choices[0]
    care["episodes"] = episodes


def _provider(rng: random.Random, place: str) -> str:
    if place == "P1":
        return "PR0"
    if place in ("K2", "S1", "H5"):
        return pick(rng, {"PR4": 70, "PR1": 20, "PR5": 10})
    return pick(rng, {"PR1": 70, "PR4": 25, "PR5": 5})


def _reviews(rng: random.Random, care: dict) -> None:
    last = care["end"] or WINDOW_END
    review = care["start"] + DAY * rng.randint(18, 28)
    gaps = [rng.randint(80, 92)]
    while review <= last:
        age = _age(care["birth"], review)
        code = "PN0" if age < 4 else pick(rng, {"PN1": 60, "PN2": 10, "PN3": 8, "PN4": 8,
                                                  "PN5": 4, "PN6": 5, "PN7": 5})
        care["reviews"].append((review, code))
        review += DAY * (gaps.pop() if gaps else rng.randint(150, 183))


def _missing(rng: random.Random, care: dict) -> None:
    if rng.random() >= 0.25:
        return
    first = max(care["start"], _birthday(care["birth"], 11))
    last = care["end"] or WINDOW_END
    if first >= last:
        return
    starts = {first + DAY * rng.randrange((last - first).days) for _ in range(rng.randint(1, 8))}
    ended = None
    for start in sorted(starts):
        if ended is not None and start <= ended:
            continue  # DfE 574: a missing period starts after the one before it ended
        end = start + DAY * rng.choice([0, 0, 1, 1, 2, 3, 6])
        # DfE 575: a period that starts in a placement that ends is over by then.
        ended = min([end, last] + [ep["DEC"] for ep in care["episodes"]
                                   if ep["DEC"] and ep["DECOM"] <= start <= ep["DEC"]])
        care["missing"].append((start, ended, "M" if rng.random() < 0.6 else "A"))


# -- what one year's return shows -------------------------------------------------


def _open_in(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return start <= last and (end is None or end >= first)


def _known(day: dt.date | None, last: dt.date) -> dt.date | None:
    return day if day is not None and day <= last else None


# DfE's SEX is M/F/U from 2024/25 (2025.yaml); the child's sex is drawn as 1/2.
SEX_LETTERS_SINCE = 2025
# From 2024/25 (K3 a code) semi-independent (H5) and independent (P2) living are
# given as registered supported accommodation, as an LA records them after
# 28 October 2023 (DfE 217t); 2025/26 has no H5 or P2 (2026.yaml).
SUPPORTED_ACCOMMODATION_SINCE = 2025


def _placement_code(place: str, year: int) -> str:
    if year >= SUPPORTED_ACCOMMODATION_SINCE and place in ("H5", "P2"):
        return "K3"
    return place


def return_tables(care: dict, year: int, child_id: str) -> dict[str, list[dict]] | None:
    """The child's rows in each table of the return for ``year``; None when not in it."""
    first, last = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
    birth, dob = care["birth"], _iso(care["birth"])
    episodes = [ep for ep in care["episodes"] if _open_in(ep["DECOM"], ep.get("DEC"), first, last)]
    adult = _birthday(birth, 18)
    # OC3: care leavers who left at 18, in the years of their 18th to 21st birthdays,
    # looked after for 13 weeks since 14 (DfE 1001: relevant children).
    care_leaver = (care["end"] is not None and care["end"] == adult and care["end"] <= last
                   and (care["end"] - max(care["start"], _birthday(birth, 14))).days >= 91
                   and any(first <= _birthday(birth, age) <= last for age in (18, 19, 20, 21)))
    if not episodes and not care_leaver:
        return None
    age = _age(birth, last)
    upn = care["upn"] if care["upn"] and age > 4 else ("UN1" if age <= 4 else "UN2")
    tables: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    sex = care["sex"] if year < SEX_LETTERS_SINCE else {"1": "M", "2": "F"}[care["sex"]]
    tables["header"].append({"CHILD": child_id, "SEX": sex, "DOB": dob,
                             "ETHNIC": care["ethnicity"], "UPN": upn,
                             # DfE 393: every girl looked after has MOTHER coded.
                             # and DfE 628: not a care leaver no longer looked after.
                             "MOTHER": "0" if care["sex"] == "2" and episodes else "",
                             "MC_DOB": ""})
    rng = random.Random(f"cla-year:{child_id}:{year}")
    for ep in episodes:
        dec = _known(ep.get("DEC"), last)
        tables["episodes"].append({
            "CHILD": child_id, "DECOM": _iso(ep["DECOM"]), "RNE": ep["RNE"], "LS": ep["LS"],
            "CIN": ep["CIN"], "PLACE": _placement_code(ep["PLACE"], year),
            "PLACE_PROVIDER": ep["PLACE_PROVIDER"],
            "DEC": _iso(dec), "REC": ep.get("REC", "") if dec else "",
            "REASON_PLACE_CHANGE": ep.get("REASON_PLACE_CHANGE", "") if dec else "",
            "HOME_POST": care["home"], "PL_POST": ep["PL_POST"], "URN": ep["URN"]})
    for day, code in care["reviews"]:
        if first <= day <= last:
            tables["reviews"].append({"CHILD": child_id, "DOB": dob, "REVIEW": _iso(day),
                                      "REVIEW_CODE": code})
    for start, end, kind in care["missing"]:
        # DfE 576: a period open at the end of last year's return is given again.
        if first <= start <= last or start < first <= end:
            tables["missing"].append({"CHILD": child_id, "DOB": dob, "MISSING": kind,
                                      "MIS_START": _iso(start), "MIS_END": _iso(_known(end, last))})
    if care["uasc"] and episodes:
        tables["uasc"].append({"CHILD": child_id, "SEX": sex, "DOB": dob,
                               "DUC": _iso(adult)})
    # OC2: looked after since 1 April at the latest and still on 31 March (DfE 191, 185).
    if episodes and care["start"] <= first and (care["end"] is None
                                                           or care["end"] > last):
        sdq = 4 <= age <= 16 and rng.random() < 0.8
        # DfE 191, 547: substance misuse is coded at every age.
        misuse = "1" if age >= 10 and rng.random() < 0.04 else "0"
        received = ("1" if rng.random() < 0.6 else "0") if misuse == "1" else ""
        tables["oc2"].append({
            "CHILD": child_id, "DOB": dob, "SDQ_SCORE": str(rng.randint(2, 32)) if sdq else "",
            # DfE 197a: no reason when there is a score.
            # DfE 197B: a reason for a 17-year-old whose birthday fell in the year too.
            "SDQ_REASON": "" if sdq else ("SDQ4" if 4 <= age <= 16 or (
                age == 17 and _birthday(birth, 17) > first) else ""),
            "CONVICTED": ("1" if rng.random() < 0.03 else "0") if age >= 10 else "",
            # DfE 546: health promotion (HEALTH_CHECK) only for children under 5.
            "HEALTH_CHECK": ("1" if rng.random() < 0.9 else "0") if age < 5 else "",
            "IMMUNISATIONS": "1" if rng.random() < 0.85 else "0",
            "TEETH_CHECK": "1" if rng.random() < 0.7 else "0",
            "HEALTH_ASSESSMENT": "1" if rng.random() < 0.9 else "0",
            "SUBSTANCE_MISUSE": misuse,
            # DfE 192, 193, 158, 159: the interventions only for a misuse problem; offered
            # only when one was not received.
            "INTERVENTION_RECEIVED": received, "INTERVENTION_OFFERED":
                ("1" if rng.random() < 0.5 else "0") if received == "0" else ""})
    if care_leaver:
        in_touch = pick(rng, {"YES": 88, "NO": 6, "REFU": 3, "NREQ": 3})
        tables["oc3"].append({
            "CHILD": child_id, "DOB": dob, "IN_TOUCH": in_touch,
            "ACTIV": pick(rng, {"F1": 20, "P1": 8, "F2": 15, "P2": 5, "G4": 20, "G5": 10,
                                 "G6": 22}) if in_touch == "YES" else "0",
            "ACCOM": pick(rng, {"B1": 10, "C1": 8, "D1": 20, "E1": 25, "G1": 10, "H1": 8,
                                 "K1": 5, "R1": 4, "T1": 4, "U1": 6}) if in_touch == "YES"
            else "0"})
    adoption = care["adoption"]
    if adoption is not None and episodes:
        if care["end"] is not None and first <= care["end"] <= last:
            tables["ad1"].append({
                "CHILD": child_id, "DOB": dob, "DATE_INT": _iso(adoption["decided"]),
                "DATE_MATCH": _iso(adoption["matched"]), "FOSTER_CARE": adoption["foster_care"],
                "NB_ADOPTR": "1" if adoption["adopters"] in ("M1", "F1") else "2",
                "SEX_ADOPTR": adoption["adopters"],
                # DfE 514, 517-520, 524: the adopters' legal status fits their number and sex.
                "LS_ADOPTR": {"M1": "L0", "F1": "L0", "MF": "L11"}.get(adoption["adopters"],
                                                                       "L12")})
        if adoption["decided"] <= last:  # DfE 559: the decision in the return of its year
            tables["placed_adoption"].append({
                # DfE 523: the decision to place is the decision that adoption is best.
                "CHILD": child_id, "DOB": dob, "DATE_PLACED": _iso(adoption["decided"]),
                "DATE_PLACED_CEASED": "", "REASON_PLACED_CEASED": ""})
    if first <= care["start"] <= last:
        # DfE 630: an earlier permanence order names its LA and (partial) date.
        known = care["previous"] != "Z1"
        tables["prev_perm"].append({"CHILD": child_id, "DOB": dob, "PREV_PERM": care["previous"],
                                    "LA_PERM": "860" if known else "",
                                    "DATE_PERM": f"ZZ/ZZ/{care['start'].year - 2}" if known
                                    else ""})
    if year >= SOCIAL_WORKER_SINCE:
        tables["social_worker"] = _social_workers(care, episodes, child_id, dob, first, last, rng)
    return tables


def _social_workers(care: dict, episodes: list[dict], child_id: str, dob: str,
                    first: dt.date, last: dt.date, rng: random.Random) -> list[dict]:
    """A child looked after on 31 March: its social workers (DfE SW01 to SW19).

    The first since the child's first contact (FCONTA), when care began; for
    about a third, a change of worker during the year, the new one starting the
    day the first ended.
    """
    if not episodes or (care["end"] is not None and care["end"] <= last) \
            or episodes[-1]["LS"] in ("V3", "V4"):
        return []
    number = f"SW{rng.randint(10000, 99999)}"
    began = care["start"]
    rows = [{"CHILD": child_id, "DOB": dob, "SW_ID": number, "SW_DECOM": _iso(began),
             "SW_DEC": "", "SW_REASON": "FCONTA"}]
    change = max(first, began + 30 * DAY) + DAY * rng.randint(0, 200)
    if rng.random() < 0.35 and change < last:
        rows[0]["SW_DEC"] = _iso(change)
        rows.append({"CHILD": child_id, "DOB": dob, "SW_ID": f"SW{rng.randint(10000, 99999)}",
                     "SW_DECOM": _iso(change), "SW_DEC": "",
                     "SW_REASON": rng.choice(SW_REASONS)})
    return rows


@dataclass
class Written903:
    """What was written: the files, and the figures a test can check the measures against."""

    paths: list[Path] = field(default_factory=list)
    children: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    child_ids: list[str] = field(default_factory=list)


def _children(la_code: str, year: int, children: int, seed: int,
              id_prefix: str) -> Iterator[tuple[str, dict[str, list[dict]]]]:
    width = 10 - len(id_prefix)
    for number in range(NUMBERS_PER_CENSUS_CHILD * children):
        care = care_history(seed, la_code, number)
        if care is None:
            continue
        child_id = f"{id_prefix}{number + 1:0{width}d}"
        tables = return_tables(care, year, child_id)
        if tables is not None:
            yield child_id, tables


def write_ssda903(folder: str | Path, *, la_code: str, year: int, children: int,
                  seed: int = 2021, id_prefix: str = "S", as_zip: bool = False,
                  tables: tuple[str, ...] | None = None) -> Written903:
    """Write the 903 tables of an LA's return for a collection year (2021 = 2020/21).

    ``children`` is the size of the CIN census return it accompanies (see the
    module's notes). The tables go into ``folder`` as CSV files, or, with
    ``as_zip``, into one ZIP there; ``tables`` chooses which.
    """
    if tables is None:  # every table of the year's return
        tables = tuple(name for name in COLUMNS
                       if name != "social_worker" or year >= SOCIAL_WORKER_SINCE)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = Written903(rows={name: 0 for name in tables})
    stem = f"ssda903_{la_code}_{year}"
    paths = {name: folder / f"{stem}_{FILE_NAMES[name]}.csv" for name in tables}
    handles = {name: open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115
               for name, path in paths.items()}
    try:
        writers = {name: csv.DictWriter(handle, fieldnames=COLUMNS[name])
                   for name, handle in handles.items()}
        for writer in writers.values():
            writer.writeheader()
        for child_id, rows in _children(la_code, year, children, seed, id_prefix):
            written.children += 1
            written.child_ids.append(child_id)
            for name, writer in writers.items():
                writer.writerows(rows[name])
                written.rows[name] += len(rows[name])
    finally:
        for handle in handles.values():
            handle.close()
    if not as_zip:
        written.paths = list(paths.values())
        return written
    archive = folder / f"{stem}.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in paths.values():
            # A fixed timestamp, so the same seed gives the same bytes.
            member = zipfile.ZipInfo(path.name, date_time=(year, 5, 1, 9, 0, 0))
            out.writestr(member, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
            path.unlink()
    written.paths = [archive]
    return written
