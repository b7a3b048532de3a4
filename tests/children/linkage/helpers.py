"""A small partnership, children and agency records for the linkage tests."""

from __future__ import annotations

import datetime as dt
import itertools

from safeguarding.children.linkage.config import load_config
from safeguarding.children.models import Child, SourceRecord
from safeguarding.core.models import Agency, LocalAuthority, Partnership
from tests.support import make_child

_keys = itertools.count(1)


def fixed_config(partnership, **overrides):
    """A fixed model: the priors of data/linkage.yaml as they are (no training on a
    handful of records), with the prior match probability of an index of 2,000
    children (0.5 / 2000), so scores do not depend on how many children a test makes.
    """
    children = Child.objects.filter(partnership=partnership).count()
    return load_config({"residual_match_rate": 0.5 * children / 2000, **overrides})


def world():
    partnership = Partnership.objects.create(code="LINKSHIRE", name="Linkshire Partnership")
    la = LocalAuthority.objects.create(partnership=partnership, old_code="901",
                                       new_code="E10000901", name="Linkshire")
    police = Agency.objects.create(name="Linkshire Police", kind="police")
    police.partnerships.add(partnership)
    health = Agency.objects.create(name="Linkshire ICB", kind="health")
    health.partnerships.add(partnership)
    return partnership, la, police, health


def child(partnership, first, last, dob, *, sex="1", postcode="LS1 2AB", **fields):
    return make_child(partnership, first_name=first, last_name=last, date_of_birth=dob,
                      sex=sex, postcode=postcode, **fields)


def record(partnership, agency, first, last, dob, *, sex="1", postcode="LS1 2AB",
           system="niche", **fields) -> SourceRecord:
    return SourceRecord.objects.create(
        partnership=partnership, agency=agency, source_system=system,
        source_key=f"K{next(_keys):06d}", first_name=first, last_name=last, date_of_birth=dob,
        sex=sex, postcode=postcode, **fields)


def crowd(partnership, n: int = 40):
    """Other children in the index, unlike the ones the tests link."""
    first = ["Amelia", "Noah", "Isla", "George", "Ava", "Leo", "Freya", "Arthur", "Ivy", "Oscar"]
    last = ["Patel", "Nowak", "Okafor", "Hughes", "Reid", "Begum", "Kowalski", "Evans"]
    return [
        child(partnership, first[i % len(first)], last[i % len(last)],
              dt.date(2008, 1, 1) + dt.timedelta(days=97 * i), sex="1" if i % 2 else "2",
              postcode=f"LS{9 + i % 5} {i % 10}ZZ")
        for i in range(n)
    ]
