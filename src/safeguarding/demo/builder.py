"""Build the deterministic synthetic demo partnership.

Everything derives from the seed: the same seed gives the same partnerships,
people, children, identifiers and involvements. Dates are fixed relative to
31 March 2021, the end of the seed report's year, not to today.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sys
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from tqdm import tqdm

from safeguarding.children import code_lists, identifiers
from safeguarding.children.models import Child, Involvement
from safeguarding.core import services
from safeguarding.core.models import Agency, Partnership, PartnershipShare, SubGroup, User
from safeguarding.demo import people

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


def totp_key(seed: int, username: str) -> str:
    """A demo user's TOTP secret, derived from the seed so codes can be printed on demand."""
    return hashlib.sha256(f"demo-totp:{seed}:{username}".encode()).hexdigest()[:40]


def _postcode(rng: random.Random, area: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{area}{rng.randint(1, 21)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _progress(total: int, desc: str, quiet: bool):
    return tqdm(total=total, desc=desc, unit=" children", disable=quiet, file=sys.stderr,
                dynamic_ncols=True)


@transaction.atomic
def build(*, scale: str = "small", seed: int = 2021, quiet: bool = False,
          children_override: dict[str, int] | None = None, with_modules: bool = True,
          log: Callable[[str], None] = print) -> dict:
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)

    partnerships: dict[str, Partnership] = {}
    for spec in people.PARTNERSHIPS:
        partnerships[spec["code"]] = services.partnership_add(
            actor=None, code=spec["code"], name=spec["name"], local_authorities=spec["las"])
    for owner, shared_with, function in people.SHARES:
        PartnershipShare.objects.create(owner=partnerships[owner],
                                        shared_with=partnerships[shared_with], function=function)
    sub_groups: dict[tuple[str, str], SubGroup] = {}
    for code, names in people.SUB_GROUPS.items():
        for name in names:
            sub_groups[(code, name)] = services.sub_group_add(
                actor=None, partnership=partnerships[code], name=name)
    agencies: dict[str, Agency] = {}
    for key, name, kind, codes in people.AGENCIES:
        agencies[key] = services.agency_add(actor=None, name=name, kind=kind,
                                            partnerships=[partnerships[c] for c in codes])

    sign_ins = []
    for username, role, agency_key, code, group in people.SIGN_INS:
        first, last = fake.first_name(), fake.last_name()
        user = services.user_add(actor=None, username=username, first_name=first, last_name=last,
                                 email=f"{username}@demo.invalid", password=people.DEMO_PASSWORD)
        services.membership_add(actor=None, user=user, agency=agencies[agency_key],
                                partnership=partnerships[code], role=role,
                                sub_group=sub_groups.get((code, group)) if group else None)
        TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True,
                                  key=totp_key(seed, username))
        sign_ins.append((username, role, agencies[agency_key].name, code))
    User.objects.filter(username="admin").update(is_staff=True)

    if with_modules:
        from safeguarding.child_deaths import demo as child_deaths_demo

        child_deaths_demo.build(seed=seed, partnerships=partnerships)

    counts = children_override or people.SCALES[scale]
    ethnicity_codes = list(ETHNICITY_WEIGHTS)
    ethnicity_weights = list(ETHNICITY_WEIGHTS.values())
    total_children = 0
    # Numbers already given (the child deaths above made children too) stay unique.
    taken_nhs: set[str] = set(Child.objects.exclude(nhs_number="").values_list("nhs_number",
                                                                              flat=True))
    # A UPN names one child in an index (a database rule), so a drawn twin is drawn again.
    taken_upn: set[str] = set(Child.objects.exclude(upn="").values_list("upn", flat=True))
    for code, how_many in counts.items():
        partnership = partnerships[code]
        la = partnership.local_authorities.first()
        member_agencies: dict[str, list[Agency]] = {a.kind: [] for a in partnership.agencies.all()}
        for agency in partnership.agencies.order_by("pk"):
            member_agencies[agency.kind].append(agency)
        with _progress(how_many, f"Children, {code}", quiet) as bar:
            made = 0
            while made < how_many:
                size = min(BATCH, how_many - made)
                batch = [_child(rng, fake, partnership, la, made + i, ethnicity_codes,
                                ethnicity_weights, taken_nhs, taken_upn) for i in range(size)]
                # SQLite 3.35+ and PostgreSQL return the new keys from a bulk insert.
                Child.objects.bulk_create(batch, batch_size=BATCH)
                involvements = []
                for child in batch:
                    involvements.extend(_involvements(rng, child.pk, child, member_agencies))
                Involvement.objects.bulk_create(involvements, batch_size=BATCH)
                made += size
                bar.update(size)
        total_children += how_many
    if with_modules:
        from safeguarding.reviews import demo as reviews_demo

        reviews_demo.build(seed, partnerships)
        _load_returns(partnerships, seed=seed, scale=scale, quiet=quiet, log=log)
    return {"sign_ins": sign_ins, "children": total_children, "seed": seed, "scale": scale}


# CIN census children per return, per partnership, at each scale: roughly the
# children in need seen in a year (DfE table B1 gives Staffordshire about 12,000).
CENSUS_CHILDREN = {"small": {"STAFFS": 300, "STOKE": 120},
                   "county": {"STAFFS": 12_000, "STOKE": 5_000},
                   "national": {"STAFFS": 400_000, "STOKE": 160_000}}
CENSUS_YEARS = (2021, 2022)  # collection years ending 31 March; the importer reads 2020/21 on
DFE_TABLES = Path(__file__).resolve().parents[3] / "data" / "dfe"


def _load_returns(partnerships, *, seed: int, scale: str, quiet: bool, log) -> None:
    """Write synthetic CIN census and SSDA903 returns and an Annex A workbook, and load
    them, with DfE's tables, through the importers."""
    import tempfile

    from safeguarding.datasets import services as imports
    from safeguarding.datasets.synthetic.annex_a import write_annex_a
    from safeguarding.datasets.synthetic.ssda903 import write_ssda903
    from safeguarding.datasets.synthetic.writer import write_cin_census
    from safeguarding.measures.recompute import one_recompute_per_partnership

    with tempfile.TemporaryDirectory() as folder, one_recompute_per_partnership():
        for code, partnership in partnerships.items():
            la = partnership.local_authorities.first()
            for year in CENSUS_YEARS:
                path = Path(folder) / f"cin-{la.old_code}-{year}.xml"
                write_cin_census(path, la_code=la.old_code, year=year, seed=seed,
                                 children=CENSUS_CHILDREN[scale][code], id_prefix="S")
                record = imports.import_file(actor=None, partnership=partnership,
                                             kind="cin-census", path=path)
                if not quiet:
                    log(f"  CIN census {la.old_code} {year - 1}/{str(year)[2:]}: {record.summary}")
                # The 903 children are the census's children who come into care (same IDs).
                written = write_ssda903(Path(folder) / f"903-{la.old_code}-{year}",
                                        la_code=la.old_code, year=year, seed=seed,
                                        children=CENSUS_CHILDREN[scale][code], id_prefix="S")
                record = imports.import_files(actor=None, partnership=partnership,
                                              kind="ssda903", paths=written.paths)
                if not quiet:
                    log(f"  SSDA903 {la.old_code} {year - 1}/{str(year)[2:]}: {record.summary}")
            # Annex A for the last six months of the latest census year, from the same
            # children, so the summary's census comparison has figures to agree with.
            annex = Path(folder) / f"annex-a-{la.old_code}.xlsx"
            write_annex_a(annex, la_code=la.old_code, children=CENSUS_CHILDREN[scale][code],
                          seed=seed, id_prefix="S",
                          period_end=dt.date(CENSUS_YEARS[-1], 3, 31))
            record = imports.import_file(actor=None, partnership=partnership, kind="annex-a",
                                         path=annex, local_authority=la)
            if not quiet:
                log(f"  Annex A {la.old_code}: {record.summary}")
            for table in sorted(DFE_TABLES.glob("*.csv")):
                imports.import_file(actor=None, partnership=partnership, kind="dfe-benchmarks",
                                    path=table)
            _load_agency_extracts(partnership, Path(folder), seed=seed, quiet=quiet, log=log)


def _load_agency_extracts(partnership, folder: Path, *, seed: int, quiet: bool, log) -> None:
    """Write each agency template's extract for each census year and load it through the importer.

    The extracts describe the demo's own children (the same child in the LA's,
    the police's and the schools' data, with the identifier gaps and typos real
    extracts have), so record linkage has real work to do.
    """
    from safeguarding.datasets import services as imports
    from safeguarding.datasets.models import CinChild
    from safeguarding.datasets.synthetic.agency import (
        TEMPLATE_KINDS,
        people_from_index,
        write_extract,
    )
    from safeguarding.measures.periods import financial_year

    known = CinChild.objects.filter(partnership=partnership).values_list("la_child_id", flat=True)
    children = people_from_index(partnership, known_la_child_ids=known)
    for year in CENSUS_YEARS:
        period = financial_year(year - 1)
        for kind in TEMPLATE_KINDS:
            path = folder / f"{kind}-{partnership.code}-{period.label}.csv"
            write_extract(path, kind, children, seed=seed, period_start=period.start,
                          period_end=period.end)
            record = imports.import_file(actor=None, partnership=partnership, kind=kind,
                                         path=path, period=period.label)
            if not quiet:
                log(f"  {kind} {partnership.code} {period.label}: {record.summary}")


def _child(rng, fake, partnership, la, index, ethnicity_codes, ethnicity_weights,
           taken_nhs: set[str], taken_upn: set[str]) -> Child:
    age_days = rng.randint(0, 18 * 365 - 1)
    dob = REFERENCE_DATE - dt.timedelta(days=age_days)
    sex = rng.choices(["1", "2", "9", "0"], weights=[51, 48.8, 0.1, 0.1])[0]
    first = fake.first_name_male() if sex == "1" else fake.first_name_female()
    child = Child(
        partnership=partnership, local_authority=la,
        first_name=first, last_name=fake.last_name(), date_of_birth=dob, sex=sex,
        ethnicity=rng.choices(ethnicity_codes, weights=ethnicity_weights)[0],
        postcode=_postcode(rng, rng.choice(POSTCODE_AREAS[partnership.code])),
        # The same shape as the synthetic CIN census writes, so census children link by ID.
        la_child_id=f"S{index + 1:09d}",
        # Realistic gaps: not every record carries every identifier.
        nhs_number=identifiers.synthetic_nhs_number(rng, taken_nhs) if rng.random() < 0.93 else "",
        upn=_unique_upn(rng, la.old_code, taken_upn) if age_days > 4 * 365 and rng.random() < 0.85 else "",
        police_reference=f"SP/{rng.randint(10**6, 10**7 - 1)}/{rng.choice([19, 20, 21])}" if rng.random() < 0.3 else "",
    )
    identity = f"nhs:{child.nhs_number}" if child.nhs_number else f"la:{la.old_code}:{child.la_child_id}"
    child.pseudonym = identifiers.pseudonymous_key(identity)
    return child


def _unique_upn(rng, la_code: str, taken: set[str]) -> str:
    upn = identifiers.synthetic_upn(rng, la_code)
    while upn in taken:
        upn = identifiers.synthetic_upn(rng, la_code)
    taken.add(upn)
    return upn


def _involvements(rng, child_id, child, member_agencies) -> list[Involvement]:
    started = max(child.date_of_birth, REFERENCE_DATE - dt.timedelta(days=rng.randint(30, 1000)))
    picks = [(member_agencies["la_childrens_services"][0], "Child in need referral")]
    if child.police_reference:
        picks.append((member_agencies["police"][0], "Police contact"))
    if child.nhs_number and rng.random() < 0.6:
        picks.append((member_agencies["health"][0], "Health visiting or school nursing"))
    schools = member_agencies.get("education", [])
    if child.upn and schools:
        picks.append((rng.choice(schools), "Pupil on roll"))
    for kind, reason, chance in (("youth_justice", "Youth justice order", 0.03),
                                 ("voluntary", "Family support", 0.08)):
        if member_agencies.get(kind) and rng.random() < chance:
            picks.append((member_agencies[kind][0], reason))
    return [Involvement(child_id=child_id, agency=agency, reason=reason, started_on=started)
            for agency, reason in picks]


def fingerprint() -> str:
    """A digest of the demo's business data, for checking that a seed reproduces it."""
    digest = hashlib.sha256()
    for p in Partnership.objects.order_by("code").prefetch_related("local_authorities"):
        digest.update(f"{p.code}|{p.name}|{[la.old_code for la in p.local_authorities.all()]}".encode())
    for a in Agency.objects.order_by("name"):
        digest.update(f"{a.name}|{a.kind}|{sorted(a.partnerships.values_list('code', flat=True))}".encode())
    for u in User.objects.order_by("username").prefetch_related("memberships"):
        digest.update(f"{u.username}|{u.first_name}|{u.last_name}|{sorted(str(m) for m in u.memberships.all())}".encode())
    fields = ["partnership__code", "la_child_id", "first_name", "last_name", "date_of_birth", "sex",
              "ethnicity", "postcode", "nhs_number", "upn", "police_reference", "pseudonym"]
    # Order by every field digested: children without an LA child ID (a child-death or
    # census record) would otherwise come back in whatever order the database likes.
    for row in Child.objects.order_by(*fields).values_list(*fields).iterator(chunk_size=5000):
        digest.update("|".join(map(str, row)).encode())
    for row in Involvement.objects.order_by("child__partnership__code", "child__la_child_id", "agency__name", "reason", "started_on").values_list(
            "child__la_child_id", "agency__name", "reason", "started_on").iterator(chunk_size=5000):
        digest.update("|".join(map(str, row)).encode())
    return digest.hexdigest()


__all__ = ["build", "fingerprint", "totp_key", "code_lists"]
