"""Synthetic Ofsted Annex A workbooks, consistent with the synthetic CIN census.

The children are the synthetic census's: the same ``records`` for the same
LA, seed, count and ID prefix, as the return for the year the Annex A period
ends in shows them, so the same LA child IDs, referrals, assessments, section
47 enquiries and plans. Lists 3 to 7 hold exactly what the census holds in
the period; list 1 adds contacts that did not become referrals, list 2 early
help assessments, lists 8 to 11 children in care, care leavers, adoption and
adopters (which the census does not carry, drawn from the same seed).

Sheets and headings vary as LAs' do: sheet names ("List 3", "L3 Referrals",
"Referrals", or a name the importer cannot know, found by its headings), a
title row above the headings, headings in other cases and wordings (the
synonyms in specs/annex_a/lists.yaml), and dates as date cells, Excel serial
numbers or text. Everything is deterministic from the seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils.datetime import to_excel

from safeguarding.datasets.synthetic.history import pick, records
from safeguarding.datasets.validation.annex_a_spec import annex_a_spec

DAY = dt.timedelta(days=1)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class WrittenAnnexA:
    path: Path
    period_start: dt.date
    period_end: dt.date
    counts: dict[int, int] = field(default_factory=dict)
    sheet_names: dict[int, str] = field(default_factory=dict)
    headers: dict[int, list[str]] = field(default_factory=dict)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _open_in(start: dt.date | None, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return start is not None and start <= last and (end is None or end >= first)


class _Lists:
    """Builds each list's rows (column key -> value) from the census children."""

    def __init__(self, rng: random.Random, first: dt.date, last: dt.date):
        self.rng, self.first, self.last = rng, first, last
        self.rows: dict[int, list[dict[str, Any]]] = {n: [] for n in range(1, 12)}

    def _child(self, record: dict) -> dict[str, Any]:
        return {"child_id": record["LAchildID"], "gender": record["GenderCurrent"],
                "ethnicity": record["Ethnicity"],
                "birth_date": _date(record["PersonBirthDate"] or
                                    record["ExpectedPersonBirthDate"]),
                "upn": record.get("UPN") or None}

    def _age(self, born: dt.date | None) -> int | None:
        if born is None or born > self.last:
            return None
        return (self.last - born).days // 365

    def add(self, record: dict) -> None:
        rng, first, last = self.rng, self.first, self.last
        child = self._child(record)
        base = {**child, "age": self._age(child["birth_date"]),
                "disability": "N" if record["Disability"] == ["NONE"] else "Y",
                "team": f"Locality team {rng.randint(1, 6)}", "worker": "Synthetic worker"}
        referrals = [_date(ep["CINreferralDate"]) for ep in record["episodes"]]
        early_help: set[dt.date] = set()  # one row per start: List 2's key is child and start
        for ep in record["episodes"]:
            referral = _date(ep["CINreferralDate"])
            closure = _date(ep["CINclosureDate"])
            assert referral is not None
            if first <= referral <= last:
                self.rows[1].append({**child, "age": base["age"], "contact_date": referral,
                                     "contact_source": ep["ReferralSource"]})
                within = sum(1 for r in referrals
                             if r is not None and referral - 365 * DAY <= r <= referral)
                self.rows[3].append({**base, "referral_date": referral,
                                     "referral_source": ep["ReferralSource"],
                                     "referral_nfa": "Y" if ep["ReferralNFA"] else "N",
                                     "referrals_12m": within})
                if ep["ReferralSource"] == "5D" or ep["ReasonForClosure"] == "RC9" or \
                        rng.random() < 0.15:
                    eh_start = referral - DAY * rng.randint(20, 120)
                    if eh_start >= first and eh_start not in early_help:
                        early_help.add(eh_start)
                        self.rows[2].append({**child, "age": base["age"], "eh_start": eh_start,
                                             "eh_end": min(last, eh_start + DAY * rng.randint(10, 40)),
                                             "organisation": "Family Hub"})
            for a in ep["assessments"]:
                start, authorised = (_date(a["AssessmentActualStartDate"]),
                                     _date(a["AssessmentAuthorisationDate"]))
                if start and first <= start <= last:
                    needs = ("U" if authorised is None else
                             "N" if ep["ReasonForClosure"] in ("RC8", "RC9") else "Y")
                    self.rows[4].append({**base, "assessment_start": start,
                                         "child_seen": "Y" if rng.random() < 0.95 else "N",
                                         "assessment_authorised": authorised,
                                         "requires_support": needs})
            for s in ep["section47s"]:
                start, icpc = _date(s["S47ActualStartDate"]), _date(s["DateOfInitialCPC"])
                if start and first <= start <= last:
                    plan = any(c["CPPstartDate"] == s["DateOfInitialCPC"] for c in ep["cpps"])
                    self.rows[5].append({
                        **base, "s47_start": start,
                        "icpc_unnecessary": "Y" if s["ICPCnotRequired"] else "N",
                        "icpc_date": icpc, "icpc_plan": ("Y" if plan else "N") if icpc else None,
                        "s47s_12m": 1, "icpcs_12m": 1 if icpc else 0})
            if _open_in(referral, closure, first, last):
                status = "CLOSED" if closure and closure <= last else (
                    "CPP" if any(c["CPPendDate"] is None for c in ep["cpps"]) else
                    "CINP" if any(p["CINPlanEndDate"] is None for p in ep["cin_plans"]) else
                    "ASMT")
                self.rows[6].append({
                    **base, "cin_start": referral, "primary_need": ep["PrimaryNeedCode"],
                    "last_seen": min(last, max(referral, last - DAY * rng.randint(1, 40))),
                    "cin_closure": closure, "closure_reason": ep["ReasonForClosure"],
                    "case_status": status})
            for c in ep["cpps"]:
                start, end = _date(c["CPPstartDate"]), _date(c["CPPendDate"])
                if start is not None and _open_in(start, end, first, last):
                    reviews = [_date(r) for r in c["CPPreviewDate"]]
                    self.rows[7].append({
                        **base, "cpp_start": start, "initial_category": c["InitialCategoryOfAbuse"],
                        "latest_category": c["LatestCategoryOfAbuse"],
                        "last_visit": min(last, max(start, last - DAY * rng.randint(1, 15))),
                        "seen_alone": "Y" if rng.random() < 0.8 else "N",
                        "latest_review": reviews[-1] if reviews else None, "cpp_end": end,
                        "epo_6m": "N", "previous_cpps": c["NumberOfPreviousCPP"]})
        if rng.random() < 0.25:  # a contact that did not lead to a referral
            day = first + DAY * rng.randrange((last - first).days + 1)
            if day not in referrals:
                self.rows[1].append({**child, "age": base["age"], "contact_date": day,
                                     "contact_source": pick(rng, {"6": 40, "2A": 25, "1A": 15,
                                                                   "3B": 10, "8": 10})})
        if rng.random() < 0.07 and child["birth_date"] and child["birth_date"] < first:
            self._in_care(base, child)

    def _in_care(self, base: dict, child: dict) -> None:
        rng, first, last = self.rng, self.first, self.last
        start = max(child["birth_date"], first - DAY * rng.randint(30, 900))
        ended = start + DAY * rng.randint(200, 900) if rng.random() < 0.2 else None
        ended = ended if ended and ended <= last else None
        legal = pick(rng, {"C2": 55, "C1": 15, "V2": 20, "E1": 8, "L2": 2})
        placement = pick(rng, {"U4": 35, "U6": 25, "U3": 10, "K2": 15, "P1": 7, "H5": 5, "A5": 3})
        self.rows[8].append({
            **base, "uasc": "N", "cla_start": start,
            "category_of_need": "N1", "second_period": "N", "legal_status_start": start,
            "legal_status": legal, "latest_review": last - DAY * rng.randint(5, 150),
            "last_visit": last - DAY * rng.randint(1, 40),
            "permanence_plan": pick(rng, {"FOSTERING": 40, "RETURN": 25, "ADOPTION": 10,
                                           "SGO": 15, "RESIDENTIAL": 10}),
            "iro_contact": last - DAY * rng.randint(5, 100),
            "health_assessment": last - DAY * rng.randint(10, 300),
            "dental_check": last - DAY * rng.randint(10, 300),
            "placements_12m": rng.choice([1, 1, 1, 2, 2, 3]), "cla_end": ended,
            "cla_end_reason": "E4A" if ended else None,
            "placement_start": start + DAY * rng.randint(0, 30),
            "placement_type": placement, "placement_provider": pick(rng, {"PR1": 50, "PR4": 40,
                                                                           "PR5": 10}),
            "placement_postcode": f"ST{rng.randint(1, 21)} {rng.randint(1, 9)}AB",
            "placement_location": "IN" if rng.random() < 0.7 else "OUT",
            "missing_12m": rng.choice([0, 0, 0, 0, 1, 2]), "absent_12m": rng.choice([0, 0, 1]),
            "ri_offered": None, "ri_accepted": None})
        if legal in ("E1", "C2") and rng.random() < 0.2:
            decision = start + DAY * rng.randint(60, 200)
            if decision <= last:
                matched = decision + DAY * rng.randint(60, 300)
                matched_known = matched if matched <= last else None
                self.rows[10].append({
                    **base, "family_id": None, "entered_care": start,
                    "adoption_decision": decision,
                    "placement_order": decision + DAY * 30 if decision + DAY * 30 <= last else None,
                    "matched": matched_known, "placed": None, "adoption_order": None,
                    "no_longer_decision": None, "no_longer_reason": None, "ffa_date": None})

    def leavers_and_adopters(self, count: int, prefix: str) -> None:
        rng, last = self.rng, self.last
        width = 10 - len(prefix) - 1
        for number in range(1, max(1, count // 20) + 1):
            born = last - DAY * rng.randint(17 * 365, 21 * 365)
            self.rows[9].append({
                "child_id": f"{prefix}L{number:0{width}d}", "gender": rng.choice("12"),
                "ethnicity": "WBRI", "birth_date": born, "age": (last - born).days // 365,
                "uasc": "N", "disability": "N", "team": "Leaving care team",
                "worker": "Synthetic worker", "personal_adviser": "Synthetic adviser",
                "eligibility": pick(rng, {"FORMER": 60, "RELEVANT": 15, "ELIGIBLE": 20,
                                           "QUALIFYING": 5}),
                "pathway_review": last - DAY * rng.randint(5, 180), "in_touch": "YES",
                "latest_contact": last - DAY * rng.randint(1, 60),
                "accommodation": pick(rng, {"D": 40, "U": 25, "B": 15, "Z": 10, "E": 10}),
                "suitability": "SUITABLE",
                "activity": pick(rng, {"F2": 30, "F5": 25, "G5": 25, "F1": 10, "G6": 10})})
        for number in range(1, max(1, count // 40) + 1):
            enquiry = self.first - DAY * rng.randint(0, 400)
            steps = {"stage1_start": 20, "stage1_end": 80, "application_submitted": 85,
                     "stage2_start": 90, "stage2_end": 200, "approved": 210}
            self.rows[11].append({
                "adopter_id": f"ADOP{number:04d}", "family_id": f"FAM{number:04d}",
                "gender": rng.choice("12"), "ethnicity": "WBRI", "adopter_disability": "N",
                "fostering_for_adoption": "N", "enquiry": enquiry,
                **{key: enquiry + DAY * days if enquiry + DAY * days <= last else None
                   for key, days in steps.items()}})


# -- writing the workbook ---------------------------------------------------------


def _sheet_name(rng: random.Random, number: int, name: str) -> str:
    style = rng.random()
    if style < 0.35:
        return f"List {number}"
    if style < 0.6:
        return f"List {number} - {name}"[:31]
    if style < 0.8:
        return f"L{number} {name}"[:31]
    if style < 0.92:
        return name[:31]
    return f"Sheet{number + 10}"  # found by its headings, not its name


def _heading(rng: random.Random, column) -> str:
    style = rng.random()
    if style < 0.6 or not column.synonyms:
        return column.header
    if style < 0.7:
        return column.header.upper()
    if style < 0.8:
        return column.header.lower().replace("?", "")
    return rng.choice(column.synonyms)


def _cell(rng: random.Random, column, value: Any, date_style: str, code_style: str) -> Any:
    if value is None:
        return None
    if column.type == "date":
        if date_style == "text":
            return value.strftime("%d/%m/%Y")
        if date_style == "serial":
            return int(to_excel(value))
        return value
    if column.type == "code":
        spec = annex_a_spec()
        label = spec.code_lists[column.code_list].codes.get(value, value)
        if code_style == "label" and column.code_list not in ("ethnicity",):
            return label
        if code_style == "lettered":
            return f"{LETTERS[rng.randrange(8)]}) {value}"
        if code_style == "both":
            return f"{value} - {label}"
    return value


def write_annex_a(out: str | Path, *, la_code: str, children: int, seed: int = 2021,
                  id_prefix: str = "C", period_end: dt.date = dt.date(2022, 3, 31),
                  months: int = 6, lists: Iterable[int] = range(1, 12),
                  population: int | None = None) -> WrittenAnnexA:
    """Write an Annex A workbook for the LA's synthetic children, ending on ``period_end``.

    ``children`` and ``id_prefix`` must be those of the census the workbook
    should agree with: its children are the first ``children`` of the census
    return for the year ``period_end`` falls in (2022 for 31 March 2022).
    """
    year = period_end.year + (1 if period_end.month > 3 else 0)
    first = period_end.replace(day=1)
    for _ in range(months - 1):
        first = (first - DAY).replace(day=1)
    rng = random.Random(f"annex-a:{seed}:{la_code}")
    built = _Lists(rng, first, period_end)
    for record in records(la_code=la_code, year=year, children=children, seed=seed,
                          id_prefix=id_prefix, population=population):
        built.add(record)
    built.leavers_and_adopters(children, id_prefix)
    # The period is read from the dates: a contact on its first and last days marks it.
    if built.rows[3]:
        opener = built.rows[3][0]
        taken = {(r["child_id"], r["contact_date"], r["contact_source"]) for r in built.rows[1]}
        for day in (first, period_end):
            if (opener["child_id"], day, "9") not in taken:
                built.rows[1].append({k: opener.get(k) for k in (
                    "child_id", "gender", "ethnicity", "birth_date", "upn", "age")}
                    | {"contact_date": day, "contact_source": "9"})
    spec = annex_a_spec()
    path = Path(out)
    written = WrittenAnnexA(path, first, period_end)
    book = Workbook(write_only=True)
    for number in lists:
        lst = spec.lists[number]
        sheet_name = _sheet_name(rng, number, lst.name)
        sheet = book.create_sheet(sheet_name)
        columns = [c for k, c in lst.columns.items()
                   if k not in ("first_name", "last_name", "full_name")]
        headings = [_heading(rng, c) for c in columns]
        if rng.random() < 0.3:
            sheet.append([f"Annex A {lst.label}"])
            sheet.append([])
        sheet.append(headings)
        date_style = {k.key: rng.choices(["cell", "text", "serial"], weights=[80, 12, 8])[0]
                      for k in columns}
        code_style = {k.key: rng.choices(["code", "label", "lettered", "both"],
                                         weights=[55, 20, 15, 10])[0] for k in columns}
        rows = sorted(built.rows[number], key=lambda r: (str(r.get(lst.start or "") or ""),
                                                         r[lst.subject]))
        for row in rows:
            sheet.append([_cell(rng, c, row.get(c.key), date_style[c.key], code_style[c.key])
                          for c in columns])
        written.counts[number] = len(rows)
        written.sheet_names[number] = sheet_name
        written.headers[number] = headings
    book.save(path)
    return written
