"""Build the deterministic synthetic demo partnership.

Everything derives from the seed: the same seed gives the same partnerships,
people, children, identifiers and involvements. Dates are fixed relative to
31 March 2021, the end of the seed report's year, not to today.
"""

from __future__ import annotations

import hashlib
import random
import tempfile
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import ExitStack
from pathlib import Path

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from safeguarding.audits import demo as audits_demo
from safeguarding.briefings import demo as briefings_demo
from safeguarding.child_deaths import demo as child_deaths_demo
from safeguarding.children import code_lists
from safeguarding.children import demo as children_demo
from safeguarding.children.linkage import services as linkage_services
from safeguarding.core import bulk, services
from safeguarding.core.models import Agency, Partnership, PartnershipShare, SubGroup, User
from safeguarding.covid_followup import demo as covid_followup_demo
from safeguarding.datasets import selectors as dataset_selectors
from safeguarding.datasets import services as imports
from safeguarding.datasets.synthetic.agency import TEMPLATE_KINDS
from safeguarding.demo import people, writers
from safeguarding.encompass import demo as encompass_demo
from safeguarding.exploitation import demo as exploitation_demo
from safeguarding.governance import demo as governance_demo
from safeguarding.measures.cache import changes_counted_in_memory
from safeguarding.measures.periods import financial_year
from safeguarding.measures.recompute import one_recompute_per_partnership
from safeguarding.missing import demo as missing_demo
from safeguarding.neglect import demo as neglect_demo
from safeguarding.policies import demo as policies_demo
from safeguarding.reports import demo as reports_demo
from safeguarding.restraint import demo as restraint_demo
from safeguarding.reviews import demo as reviews_demo
from safeguarding.training import demo as training_demo
from safeguarding.voice import demo as voice_demo


def totp_key(seed: int, username: str) -> str:
    """A demo user's TOTP secret, derived from the seed so codes can be printed on demand."""
    return hashlib.sha256(f"demo-totp:{seed}:{username}".encode()).hexdigest()[:40]


@transaction.atomic
def build(*, scale: str = "tiny", seed: int = 2021, quiet: bool = False,
          children_override: dict[str, int] | None = None, with_modules: bool = True,
          log: Callable[[str], None] = print, writers_apart: bool | None = None) -> dict:
    """Build the demo; ``writers_apart`` runs the returns' synthetic writers in a process of
    their own (None: at national scale only, see ``demo/writers.py``)."""
    with ExitStack() as stack:
        return _build(stack, scale=scale, seed=seed, quiet=quiet,
                      children_override=children_override, with_modules=with_modules,
                      log=log, writers_apart=writers_apart)


def _build(stack: ExitStack, *, scale: str, seed: int, quiet: bool,
           children_override: dict[str, int] | None, with_modules: bool,
           log: Callable[[str], None], writers_apart: bool | None) -> dict:
    if scale in PAGE_CACHE_MB:
        stack.enter_context(bulk.page_cache(PAGE_CACHE_MB[scale]))
    # The modules' demos save records one at a time through the services: their changes are
    # counted for the figures' data version once per partnership, not once per save.
    stack.enter_context(changes_counted_in_memory())
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

    returns = None
    if writers_apart is None:
        writers_apart = (max(CENSUS_CHILDREN[scale][code] for code in partnerships)
                         >= writers.APART_FROM_CHILDREN)
    if with_modules:
        # Every LA's returns are asked of the writer now: apart, it writes them while the
        # child index and the modules' demos are built, ahead of the imports.
        returns = _returns_asked(stack, partnerships, seed=seed, scale=scale,
                                 apart=writers_apart)
        child_deaths_demo.build(seed=seed, partnerships=partnerships)

    counts = children_override or people.SCALES[scale]
    total_children = children_demo.build(rng=rng, fake=fake, partnerships=partnerships,
                                         counts=counts, quiet=quiet)
    if with_modules:
        reviews_demo.build(seed, partnerships)
        restraint_demo.build(seed, partnerships)
        training_demo.build(seed, partnerships)
        governance_demo.build(seed, partnerships)
        missing_demo.build(seed, partnerships)
        encompass_demo.build(seed, partnerships)
        policies_demo.build(seed, partnerships)
        neglect_demo.build(seed, partnerships)
        briefings_demo.build(seed, partnerships)
        exploitation_demo.build(seed, partnerships)
        voice_demo.build(seed, partnerships)
        covid_followup_demo.build(seed, partnerships)
        if not quiet:
            log("  The modules' demos: built.")
        assert returns is not None
        _load_returns(partnerships, returns, seed=seed, quiet=quiet, log=log,
                      apart=writers_apart)
        audits_demo.build(seed, partnerships)  # after the census: samples from its plans
        if not quiet:
            log("  The audits' demo: built from the census's plans.")
        # Last: the business unit publishes the 2020-21 report from every module's records
        # and records sending it to the national Panel and the What Works Centre.
        reports_demo.build(seed, partnerships)
        if not quiet:
            log("  The 2020-21 yearly report: published and sent.")
    return {"sign_ins": sign_ins, "children": total_children, "seed": seed, "scale": scale}


# SQLite's page cache for the build's connection at a scale whose database is gigabytes
# (core.bulk.page_cache, ADR 0048); at other scales SQLite's default.
PAGE_CACHE_MB = {"national": 2048}
# CIN census children per return, per partnership, at each scale. County: 8,500 gives
# Staffordshire's 2020/21 return about 6,300 referrals (DfE: 6,431), 470 plans started
# (789), 350 open on 31 March (628) and 850 children looked after (1,242), each within a
# factor of two (tests/demo/test_scale.py); Stoke-on-Trent is 40 % of it.
CENSUS_CHILDREN = {"tiny": {"STAFFS": 300, "STOKE": 120},
                   "small": {"STAFFS": 300, "STOKE": 120},
                   "county": {"STAFFS": 8_500, "STOKE": 3_400},
                   "national": {"STAFFS": 400_000, "STOKE": 160_000}}
# Collection years ending 31 March: 2019/20, so the 2020-21 report compares with the year
# before from data and its re-referrals look back into loaded referrals, then 2020/21 and
# 2021/22. The same children run through every year (synthetic/history.py).
CENSUS_YEARS = (2020, 2021, 2022)
DFE_TABLES = Path(__file__).resolve().parents[3] / "data" / "dfe"


def _returns_asked(stack: ExitStack, partnerships, *, seed: int, scale: str,
                   apart: bool) -> tuple[Path, dict[str, list]]:
    """A folder for the synthetic CIN census and SSDA903 returns and Annex A workbooks, and
    every LA's returns asked of the writer (``writers.la_returns_asked``), in the order
    they load.

    At national scale the writer is a process of its own (``demo/writers.py``); the build
    imports each file when it is written."""
    sizes = CENSUS_CHILDREN[scale]
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    writer = stack.enter_context(writers.returns_writer(apart=apart))
    asked = {code: writers.la_returns_asked(
        writer, folder, la_code=partnership.local_authorities.first().old_code,
        children=sizes[code], seed=seed, years=CENSUS_YEARS)
        for code, partnership in partnerships.items()}
    writer.close_when_done()
    return folder, asked


def _load_returns(partnerships, returns: tuple[Path, dict[str, list]], *, seed: int,
                  quiet: bool, log, apart: bool) -> None:
    """Load every LA's returns as they are written, DfE's tables and the agency extracts,
    through the importers."""
    folder, written = returns
    with one_recompute_per_partnership(), writers.returns_writer(apart=apart) as extracts:
        for code, partnership in partnerships.items():
            # The writer keeps an LA's histories while its returns are written and lets
            # them go at the LA's end: the agency extracts draw histories of their own,
            # and at national scale the kept ones are gigabytes.
            _load_la_returns(partnership, written[code], quiet=quiet, log=log)
            _load_agency_extracts(partnership, folder, extracts, seed=seed, quiet=quiet,
                                  log=log)
        extracts.close_when_done()


def _load_la_returns(partnership, jobs: list[tuple[str, str, Future]], *, quiet: bool,
                     log) -> None:
    """Load one LA's returns as the writer finishes each, then DfE's tables (its agency
    extracts follow, in ``_load_agency_extracts``)."""
    la = partnership.local_authorities.first()
    for kind, label, job in jobs:
        written = job.result()
        if kind == "ssda903":
            record = imports.import_files(actor=None, partnership=partnership, kind=kind,
                                          paths=written)
        elif kind == "annex-a":
            record = imports.import_file(actor=None, partnership=partnership, kind=kind,
                                         path=written, local_authority=la)
        elif kind:
            record = imports.import_file(actor=None, partnership=partnership, kind=kind,
                                         path=written)
        else:  # the LA opened or closed in the writer
            continue
        if not quiet:
            log(f"  {label}: {record.summary}")
    for table in sorted(DFE_TABLES.glob("*.csv")):
        imports.import_file(actor=None, partnership=partnership, kind="dfe-benchmarks",
                            path=table)


def _load_agency_extracts(partnership, folder: Path, writer, *, seed: int, quiet: bool,
                          log) -> None:
    """Write each agency template's extract for each census year and load it through the importer.

    The extracts describe the demo's own children (the same child in the LA's,
    the police's and the schools' data, with the identifier gaps and typos real
    extracts have), so record linkage has real work to do. ``writer`` writes them
    (``writers.extracts_asked``): apart, a template's files while the build loads the
    template's before it.
    """
    periods = [financial_year(year - 1) for year in CENSUS_YEARS]

    def path(kind: str, period) -> Path:
        return folder / f"{kind}-{partnership.code}-{period.label}.csv"

    # Every period of a template is written in one pass over the children; the extracts
    # are loaded a year at a time, as an agency would send them.
    begin, written, end = writers.extracts_asked(
        writer, code=partnership.code, rows=list(children_demo.index_rows(partnership)),
        known_la_child_ids=list(dataset_selectors.cin_child_ids(partnership=partnership)),
        seed=seed, files={kind: [(path(kind, p), p.start, p.end) for p in periods]
                          for kind in TEMPLATE_KINDS})
    begin.result()
    # The extracts add no child to the index, so it is read once for all 18.
    with linkage_services.index_kept():
        for period in periods:
            for kind in TEMPLATE_KINDS:
                written[kind].result()
                record = imports.import_file(actor=None, partnership=partnership, kind=kind,
                                             path=path(kind, period), period=period.label)
                if not quiet:
                    log(f"  {kind} {partnership.code} {period.label}: {record.summary}")
    end.result()


def fingerprint() -> str:
    """A digest of the demo's business data, for checking that a seed reproduces it."""
    digest = hashlib.sha256()
    for p in Partnership.objects.order_by("code").prefetch_related("local_authorities"):
        digest.update(f"{p.code}|{p.name}|{[la.old_code for la in p.local_authorities.all()]}".encode())
    for a in Agency.objects.order_by("name"):
        digest.update(f"{a.name}|{a.kind}|{sorted(a.partnerships.values_list('code', flat=True))}".encode())
    for u in User.objects.order_by("username").prefetch_related("memberships"):
        digest.update(f"{u.username}|{u.first_name}|{u.last_name}|{sorted(str(m) for m in u.memberships.all())}".encode())
    children_demo.fingerprint_update(digest)
    return digest.hexdigest()


__all__ = ["build", "fingerprint", "totp_key", "code_lists"]
