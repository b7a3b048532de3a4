"""Synthetic agency extracts for the six templates: the same children across agencies.

Each person's records in a template (their early help episodes, missing
episodes, ...) come from a generator seeded by the seed, the template and the
person's key alone, over a fixed window (April 2019 to March 2022), so the
extracts of two periods agree: an episode open at the end of 2020-21 is in
that extract without its end, and in the 2021-22 extract ended, under the same
record key (a re-send that changes a record). An extract for a period holds
the records whose dates overlap it, cut off at the period's end.

Identifiers are what the sending agency would hold, with realistic gaps and
errors: the LA knows its LA child ID, a school the UPN, health the NHS number,
the police mostly names and dates of birth; some names are typed wrong, a
diminutive is used (Bill for William), a date of birth has its day and month
swapped, a family has moved. The errors are those ``children.linkage.noise``
plants, as the linkage benchmark does.

People come either from the child index (``people_from_rows``: the demo's
children) or from Faker en_GB (``synthetic_people``), with NHS numbers in the
999 range reserved for testing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeguarding.children import identifiers
from safeguarding.children.linkage import noise
from safeguarding.datasets.synthetic.agency_histories import (
    HISTORIES,
    WINDOW_END,
    WINDOW_START,
    Person,
)
from safeguarding.datasets.validation.templates import template_spec

TEMPLATE_KINDS = ("early-help", "police-da-incidents", "missing-episodes", "school-exclusions",
                  "school-attendance", "mace-referrals")


def people_from_rows(rows: Iterable[tuple], *,
                     known_la_child_ids: Iterable[str] = ()) -> list[Person]:
    """The partnership's children in the child index, in a stable order, from the index's
    rows (``children.demo.index_rows``: read by the caller, as no database is read here,
    so another process can draw the extracts from them).

    A person's key (which seeds their history and makes their agency person ID) is their
    place in that order, never the row id: row ids hang on the database's sequences, so
    the same demo would otherwise draw other histories after other work in the database.
    """
    known = set(known_la_child_ids)
    return [Person(key=f"c{n}", first_name=first, last_name=last, date_of_birth=born, sex=sex,
                   postcode=postcode, nhs_number=nhs, upn=upn, la_child_id=lid,
                   police_reference=police, la_code=la or "", known_to_social_care=lid in known)
            for n, (_pk, first, last, born, sex, postcode, nhs, upn, lid, police, la)
            in enumerate(rows, start=1)]


def synthetic_people(count: int, *, seed: int, la_code: str = "860") -> list[Person]:
    """Children made up with Faker en_GB, for tests and the example files."""
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    taken: set[str] = set()
    out = []
    for n in range(count):
        born = WINDOW_END - dt.timedelta(days=rng.randint(2 * 365, 17 * 365))
        sex = rng.choice("12")
        out.append(Person(
            key=f"s{n + 1}", first_name=fake.first_name_male() if sex == "1"
            else fake.first_name_female(), last_name=fake.last_name(), date_of_birth=born,
            sex=sex, postcode=fake.postcode(), nhs_number=identifiers.synthetic_nhs_number(
                rng, taken), upn=identifiers.synthetic_upn(rng, la_code),
            la_child_id=f"S{n + 1:09d}", la_code=la_code, known_to_social_care=n % 3 == 0))
    return out


def _rng(seed: int, *parts) -> random.Random:
    text = ":".join(str(p) for p in (seed, *parts))
    return random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))


SURNAMES = ("Walker", "Robinson", "Thompson", "Wright", "Green", "Hall", "Wood", "Clarke",
            "Jackson", "Harris", "Lewis", "Turner")


SENDER = {"early-help": "la", "police-da-incidents": "police", "missing-episodes": "la",
          "school-exclusions": "school", "school-attendance": "school", "mace-referrals": "la"}


# -- cutting a history at a period --------------------------------------------------------

def _as_day(value: Any) -> Any:
    return value.date() if isinstance(value, dt.datetime) else value


# Dates the sender cannot know at the period's end, by template; the rest (a
# notification the morning after the period ended) is in the extract, which is
# made some days after the period ends.
UNKNOWN_AFTER_PERIOD = {
    "early-help": ("assessment_date", "end_date"),
    "missing-episodes": ("returned_at", "interview_offered_at", "interview_completed_at"),
    "mace-referrals": ("discussed_on",),
    "police-da-incidents": (),
    "school-exclusions": (),
    "school-attendance": (),
}


def _cut(kind: str, record: dict, period_start: dt.date, period_end: dt.date) -> dict | None:
    """The record as known at the period's end, or None when it does not overlap the period."""
    start_col, end_col = template_spec(kind).span
    if _as_day(record[start_col]) > period_end:
        return None
    known = dict(record)
    for name in UNKNOWN_AFTER_PERIOD[kind]:
        if known[name] is not None and _as_day(known[name]) > period_end:
            known[name] = None
    if kind == "missing-episodes":
        if known["returned_at"] is None or known["interview_offered_at"] is None:
            known.update(interview_offered_at=None, interview_outcome=None,
                         interview_completed_at=None)
        elif known["interview_outcome"] == "COM" and known["interview_completed_at"] is None:
            known["interview_outcome"] = None
            known["interview_offered_at"] = None
    if kind == "early-help" and known["end_date"] is None:
        known["end_reason"] = None
    if kind == "mace-referrals" and known["discussed_on"] is None:
        known["risk_level"] = None
        # A referral not for the panel is done once screened: only the period it came in.
        if record["screening_decision"] != "MACE" and record[start_col] < period_start:
            return None
    end = _as_day(known.get(end_col)) if end_col else None
    if end is not None and end < period_start:
        return None
    return known


# -- what the sender knows of the child ---------------------------------------------------

def _identity(rng: random.Random, person: Person, sender: str) -> dict:
    keep = {"la": {"nhs_number": 0.5, "upn": 0.3, "la_child_id": 0.92, "police_reference": 0.0},
            "police": {"nhs_number": 0.08, "upn": 0.0, "la_child_id": 0.05,
                       "police_reference": 0.9},
            "school": {"nhs_number": 0.05, "upn": 0.9, "la_child_id": 0.1,
                       "police_reference": 0.0}}[sender]
    first, last = person.first_name, person.last_name
    roll = rng.random()
    if roll < 0.08:
        first = noise.nickname(rng, first, person.sex) or first
    elif roll < 0.13:
        first = noise.typo(rng, first)
    if rng.random() < 0.05:
        last = noise.typo(rng, last)
    moved_family = rng.random() < (0.04 if sender == "police" else 0.015)
    if moved_family:
        # A stepfather's surname and a new address: the uncertain pairs people review.
        last = rng.choice(SURNAMES)
    born = person.date_of_birth
    # Only for children two or more when the window opens, so a swapped date of
    # birth never falls after the child's first record.
    if rng.random() < 0.03 and person.age_on(WINDOW_START) >= 2:
        born = noise.swap_day_month(born)
    postcode = person.postcode if rng.random() < 0.9 and not moved_family else ""
    # The force's person number: the child's own number scrambled one to one (modulo 10^10,
    # by a multiplier prime to 10), so no two children share it. Seven hex digits of a
    # hash did: 671 pairs among Staffordshire's 600,000 at national scale, and two of
    # them in one year's extract made one key (incident reference and person ID) twice.
    police_number = int(person.key[1:]) * 9_876_543_211 % 10**10
    return {
        "person_id": {"la": f"LA{person.key[1:]}", "police": f"PN{police_number:010d}",
                      "school": f"P{person.key[1:]}"}[sender],
        "nhs_number": person.nhs_number if rng.random() < keep["nhs_number"] else "",
        "upn": person.upn if rng.random() < keep["upn"] else "",
        "la_child_id": person.la_child_id if rng.random() < keep["la_child_id"] else "",
        "police_reference": person.police_reference if rng.random() < keep["police_reference"]
        else "",
        "first_name": first, "last_name": last, "date_of_birth": born,
        "sex": person.sex if person.sex in ("1", "2") and rng.random() < 0.97 else "",
        "postcode": postcode, "la_code": person.la_code,
    }


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    text = str(value)
    # A spreadsheet runs a cell starting with one of these as a formula.
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


@dataclass
class WrittenExtract:
    kind: str
    path: Path
    rows: int
    people: int


def extract_rows(kind: str, people: Iterable[Person], *, seed: int, period_start: dt.date,
                 period_end: dt.date) -> Iterator[dict]:
    """Each row of the extract for the period, identifiers and record together."""
    for _n, row in _rows_by_period(kind, people, seed=seed,
                                   periods=[(period_start, period_end)]):
        yield row


def _rows_by_period(kind: str, people: Iterable[Person], *, seed: int,
                    periods: Sequence[tuple[dt.date, dt.date]]) -> Iterator[tuple[int, dict]]:
    """(n, row) for each row of the extract of ``periods[n]``, a person at a time: a
    person's history and what the sender knows of them are drawn once for every period."""
    history = HISTORIES[kind]
    sender = SENDER[kind]
    for person in people:
        records = history(_rng(seed, kind, person.key), person)
        if not records:
            continue
        who = None
        for n, (start, end) in enumerate(periods):
            for record in records:
                row = _cut(kind, record, start, end)
                if row is None:
                    continue
                if who is None:
                    who = _identity(_rng(seed, kind, "identity", person.key), person, sender)
                yield n, {**who, **row}


def write_extract(path: str | Path, kind: str, people: Iterable[Person], *, seed: int,
                  period_start: dt.date, period_end: dt.date) -> WrittenExtract:
    """Write one template's extract for one period as CSV (UTF-8, a header row)."""
    return write_extracts(kind, people, seed=seed,
                          periods=[(Path(path), period_start, period_end)])[0]


def write_extracts(kind: str, people: Iterable[Person], *, seed: int,
                   periods: Sequence[tuple[Path, dt.date, dt.date]]) -> list[WrittenExtract]:
    """Write one template's extract for each of several periods, in one pass over the people.

    Each file is what ``write_extract`` writes for its period (the same rows in the same
    order): a person's history and what the sender knows of them are drawn once for all
    the periods, not once for each.
    """
    spec = template_spec(kind)
    counts = [0] * len(periods)
    persons: list[set[str]] = [set() for _ in periods]
    with ExitStack() as stack:
        writers = []
        for path, _start, _end in periods:
            writer = csv.writer(stack.enter_context(
                open(path, "w", newline="", encoding="utf-8")))
            writer.writerow(spec.column_names)
            writers.append(writer)
        for n, row in _rows_by_period(kind, people, seed=seed,
                                      periods=[(start, end) for _path, start, end in periods]):
            writers[n].writerow([csv_cell(row.get(name)) for name in spec.column_names])
            counts[n] += 1
            persons[n].add(row["person_id"])
    return [WrittenExtract(kind=kind, path=Path(path), rows=counts[n], people=len(persons[n]))
            for n, (path, _start, _end) in enumerate(periods)]
