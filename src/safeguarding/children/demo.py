"""The child index's part of the synthetic demo partnership.

Only the demo builder and the synthetic file writers call these: they run from the
command line with no actor, so nothing here is read through core.access and nothing
here may be called from a request. Other apps' demo modules build children through
these functions rather than through ``children.models``.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from safeguarding.children import identifiers
from safeguarding.children.models import Child, Involvement
from safeguarding.core.bulk import insert_rows, select_in
from safeguarding.core.models import Partnership

REFERENCE_DATE = dt.date(2021, 3, 31)
BATCH = 2_000
# Broadly the England child population by ethnicity (DfE CIN census tables);
# the demo only needs plausible variety, not local accuracy.
ETHNICITY_WEIGHTS = {
    "WBRI": 72, "WOTH": 5, "WIRI": 1, "WIRT": 0.2, "WROM": 0.5, "MWBC": 2, "MWBA": 1,
    "MWAS": 2, "MOTH": 2, "AIND": 2.5, "APKN": 4, "ABAN": 1, "AOTH": 1.5, "BCRB": 1,
    "BAFR": 2, "BOTH": 0.5, "CHNE": 0.5, "OOTH": 1, "REFU": 0.3, "NOBT": 1,
}
POSTCODE_AREAS = {"STAFFS": ["ST", "WS", "DE", "B", "WV"], "STOKE": ["ST"]}
# The fields a demo fingerprint digests, in this order.
FINGERPRINT_FIELDS = ["partnership__code", "la_child_id", "first_name", "last_name",
                      "date_of_birth", "sex", "ethnicity", "postcode", "nhs_number", "upn",
                      "police_reference", "pseudonym"]


def taken_nhs_numbers(*, partnerships: Iterable[Partnership] | None = None) -> set[str]:
    """NHS numbers already in the index (of these partnerships, if given)."""
    children = Child.objects.exclude(nhs_number="")
    if partnerships is not None:
        children = children.filter(partnership__in=list(partnerships))
    return set(children.values_list("nhs_number", flat=True))


def taken_upns() -> set[str]:
    return set(Child.objects.exclude(upn="").values_list("upn", flat=True))


def synthetic_child(**fields: Any) -> Child:
    """An unsaved child with its pseudonymous key set; save it with ``children_add``."""
    child = Child(**fields)
    child.pseudonym = _pseudonym(child.nhs_number, child.local_authority, child.la_child_id)
    return child


def _pseudonym(nhs_number: str, la, la_child_id: str) -> str:
    """A demo child's pseudonymous key: of the NHS number, else of the LA and LA child ID."""
    identity = (f"nhs:{nhs_number}" if nhs_number
                else f"la:{la.old_code if la else ''}:{la_child_id}")
    return identifiers.pseudonymous_key(identity)


def children_add(children: list[Child]) -> None:
    """Insert synthetic children; SQLite 3.35+ and PostgreSQL set their keys."""
    Child.objects.bulk_create(children, batch_size=BATCH)


class IndexedChild(NamedTuple):
    """What the modules' demos choose their children by; ``children_chosen`` gives the
    records of those chosen."""

    pk: int
    la_child_id: str
    local_authority_id: int | None
    date_of_birth: dt.date  # required of every child in the index


def index_children(partnership: Partnership) -> list[IndexedChild]:
    """The child index's children, in a stable order (those with an LA child ID, if any).

    Rows, not records: at national scale the index holds 600,000 of the partnership's
    children, and a record each was most of the modules' demos' time."""
    children = Child.objects.filter(partnership=partnership)
    indexed = children.exclude(la_child_id="")
    rows = ((indexed if indexed.exists() else children).order_by("la_child_id", "pk")
            .values_list("pk", "la_child_id", "local_authority_id", "date_of_birth"))
    return [IndexedChild(*row) for row in rows.iterator(chunk_size=BATCH)]


def children_chosen(chosen: Iterable[IndexedChild]) -> list[Child]:
    """The index's records of children chosen from ``index_children``, in the same order."""
    pks = [child.pk for child in chosen]
    found = Child.objects.select_related("local_authority").in_bulk(pks)
    return [found[pk] for pk in pks]


def index_rows(partnership: Partnership) -> Iterator[tuple]:
    """(pk, first, last, born, sex, postcode, NHS number, UPN, LA child ID, police
    reference, LA old code) for each named child of the partnership, by pk."""
    rows = (Child.objects.filter(partnership=partnership).exclude(first_name="Not recorded")
            .order_by("pk").values_list("pk", "first_name", "last_name", "date_of_birth", "sex",
                                         "postcode", "nhs_number", "upn", "la_child_id",
                                         "police_reference", "local_authority__old_code"))
    return rows.iterator(chunk_size=5000)


def fingerprint_update(digest) -> None:
    """Feed every child and involvement to a demo fingerprint's digest."""
    # Order by every field digested: children without an LA child ID (a child-death or
    # census record) would otherwise come back in whatever order the database likes.
    for row in (Child.objects.order_by(*FINGERPRINT_FIELDS).values_list(*FINGERPRINT_FIELDS)
                .iterator(chunk_size=5000)):
        digest.update("|".join(map(str, row)).encode())
    for row in Involvement.objects.order_by(
            "child__partnership__code", "child__la_child_id", "agency__name", "reason",
            "started_on").values_list(
            "child__la_child_id", "agency__name", "reason", "started_on").iterator(chunk_size=5000):
        digest.update("|".join(map(str, row)).encode())


# The columns the index's demo rows fill, in this order (``_child_row``).
CHILD_COLUMNS = ("partnership", "local_authority", "first_name", "last_name", "date_of_birth",
                 "sex", "ethnicity", "postcode", "la_child_id", "nhs_number", "upn",
                 "police_reference", "pseudonym", "created_at", "updated_at")
INVOLVEMENT_COLUMNS = ("child", "agency", "reason", "started_on")


def build(*, rng: random.Random, fake, partnerships: Mapping[str, Partnership],
          counts: Mapping[str, int], quiet: bool = False) -> int:
    """Fill each partnership's index with ``counts[code]`` children and their agencies'
    involvements; return how many children were made.

    Rows go in as values (``core.bulk``), not model objects: at national scale (840,000
    children) building and preparing a model object for each child and involvement was
    most of the index's time. The values, and the order they are drawn in, are those
    ``synthetic_child`` and ``bulk_create`` gave, so a seed builds the same index.
    """
    ethnicity_codes = list(ETHNICITY_WEIGHTS)
    ethnicity_weights = list(ETHNICITY_WEIGHTS.values())
    total = 0
    # Numbers already given (the child deaths made children too) stay unique.
    taken_nhs = taken_nhs_numbers()
    # A UPN names one child in an index (a database rule), so a drawn twin is drawn again.
    taken_upn = taken_upns()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for code, how_many in counts.items():
        partnership = partnerships[code]
        la = partnership.local_authorities.first()
        member_agencies: dict[str, list[int]] = {a.kind: [] for a in partnership.agencies.all()}
        for agency in partnership.agencies.order_by("pk"):
            member_agencies[agency.kind].append(agency.pk)
        with _progress(how_many, f"Children, {code}", quiet) as bar:
            made = 0
            while made < how_many:
                size = min(BATCH, how_many - made)
                batch = [_child_row(rng, fake, partnership, la, made + i, ethnicity_codes,
                                    ethnicity_weights, taken_nhs, taken_upn, now)
                         for i in range(size)]
                insert_rows(Child, CHILD_COLUMNS, batch)
                keys = dict(select_in(Child, ("la_child_id", "pk"),
                                      where={"partnership": partnership.pk}, field="la_child_id",
                                      values=[row[8] for row in batch]))
                involvements = []
                for row in batch:
                    involvements.extend(_involvements(rng, keys[row[8]], row, member_agencies))
                insert_rows(Involvement, INVOLVEMENT_COLUMNS, involvements)
                made += size
                bar.update(size)
        total += how_many
    return total


def _progress(total: int, desc: str, quiet: bool):
    return tqdm(total=total, desc=desc, unit=" children", disable=quiet, file=sys.stderr,
                dynamic_ncols=True)


def _postcode(rng: random.Random, area: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{area}{rng.randint(1, 21)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _child_row(rng, fake, partnership, la, index, ethnicity_codes, ethnicity_weights,
               taken_nhs: set[str], taken_upn: set[str], now) -> tuple:
    """One child's values for ``CHILD_COLUMNS``, drawn in a fixed order."""
    age_days = rng.randint(0, 18 * 365 - 1)
    dob = REFERENCE_DATE - dt.timedelta(days=age_days)
    sex = rng.choices(["1", "2", "9", "0"], weights=[51, 48.8, 0.1, 0.1])[0]
    first = fake.first_name_male() if sex == "1" else fake.first_name_female()
    last = fake.last_name()
    ethnicity = rng.choices(ethnicity_codes, weights=ethnicity_weights)[0]
    postcode = _postcode(rng, rng.choice(POSTCODE_AREAS[partnership.code]))
    # The same shape as the synthetic CIN census writes, so census children link by ID.
    la_child_id = f"S{index + 1:09d}"
    # Realistic gaps: not every record carries every identifier.
    nhs = identifiers.synthetic_nhs_number(rng, taken_nhs) if rng.random() < 0.93 else ""
    upn = (_unique_upn(rng, la.old_code, taken_upn)
           if age_days > 4 * 365 and rng.random() < 0.85 else "")
    police = (f"SP/{rng.randint(10**6, 10**7 - 1)}/{rng.choice([19, 20, 21])}"
              if rng.random() < 0.3 else "")
    return (partnership.pk, la.pk if la else None, first, last, dob, sex, ethnicity, postcode,
            la_child_id, nhs, upn, police, _pseudonym(nhs, la, la_child_id), now, now)


def _unique_upn(rng, la_code: str, taken: set[str]) -> str:
    upn = identifiers.synthetic_upn(rng, la_code)
    while upn in taken:
        upn = identifiers.synthetic_upn(rng, la_code)
    taken.add(upn)
    return upn


def _involvements(rng, child_id: int, row: tuple, member_agencies) -> list[tuple]:
    """A child's involvements (``INVOLVEMENT_COLUMNS``) from its row (``CHILD_COLUMNS``)."""
    born, nhs, upn, police = row[4], row[9], row[10], row[11]
    started = max(born, REFERENCE_DATE - dt.timedelta(days=rng.randint(30, 1000)))
    picks = [(member_agencies["la_childrens_services"][0], "Child in need referral")]
    if police:
        picks.append((member_agencies["police"][0], "Police contact"))
    if nhs and rng.random() < 0.6:
        picks.append((member_agencies["health"][0], "Health visiting or school nursing"))
    schools = member_agencies.get("education", [])
    if upn and schools:
        picks.append((rng.choice(schools), "Pupil on roll"))
    for kind, reason, chance in (("youth_justice", "Youth justice order", 0.03),
                                 ("voluntary", "Family support", 0.08)):
        if member_agencies.get(kind) and rng.random() < chance:
            picks.append((member_agencies[kind][0], reason))
    return [(child_id, agency, reason, started) for agency, reason in picks]
