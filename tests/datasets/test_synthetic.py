"""The synthetic census writer: deterministic, any size, realistic shapes, consecutive years agree."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import random

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from safeguarding.datasets import synthetic


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_same_seed_writes_the_same_file(tmp_path):
    one, two = tmp_path / "one.xml", tmp_path / "two.xml"
    for path in (one, two):
        synthetic.write_cin_census(path, la_code="860", year=2021, children=50, seed=3)
    assert digest(one) == digest(two)
    other = tmp_path / "other.xml"
    synthetic.write_cin_census(other, la_code="860", year=2021, children=50, seed=4)
    assert digest(other) != digest(one)


def test_the_file_holds_exactly_the_children_asked_for(tmp_path):
    path = tmp_path / "ten.xml"
    written = synthetic.write_cin_census(path, la_code="861", year=2023, children=10, seed=1)
    tree = etree.parse(str(path))
    assert written.children == 10 == len(tree.findall(".//Child"))
    assert tree.findtext(".//LEA") == "861" and tree.findtext(".//Year") == "2023"
    assert written.episodes == len(tree.findall(".//CINdetails"))


def test_about_a_fifth_of_referrals_are_re_referrals_within_12_months():
    start, end = dt.date(2021, 4, 1), dt.date(2022, 3, 31)
    referrals = rereferrals = 0
    for number in range(6000):
        days = [ep["referral"] for ep in synthetic.history(11, "860", number)["episodes"]]
        for k, day in enumerate(days):
            if start <= day <= end:
                referrals += 1
                rereferrals += bool(k and (day - days[k - 1]).days <= 365)
    assert 0.16 < rereferrals / referrals < 0.25  # DfE table C1: Staffordshire 17.4 %, England 22.6 %


def test_shapes_are_realistic():
    records = list(synthetic.records(la_code="860", year=2022, children=2000, seed=11))
    episodes = [ep for r in records for ep in r["episodes"]]
    assert 0.04 < sum(ep["ReferralNFA"] for ep in episodes) / len(episodes) < 0.12
    assert any(ep["section47s"] for ep in episodes)
    categories = [c["InitialCategoryOfAbuse"] for ep in episodes for c in ep["cpps"]]
    assert max(set(categories), key=categories.count) in {"NEG", "EMO"}
    assert {"RC7", "RC8"} <= {ep["ReasonForClosure"] for ep in episodes}


def test_consecutive_years_share_children_with_the_same_history():
    a = {r["LAchildID"]: r for r in synthetic.records(la_code="860", year=2021, children=300)}
    b = {r["LAchildID"]: r for r in synthetic.records(la_code="860", year=2022, children=300)}
    shared = set(a) & set(b)
    assert len(shared) > 20
    for lid in shared:
        refs_a = {ep["CINreferralDate"] for ep in a[lid]["episodes"]}
        refs_b = {ep["CINreferralDate"] for ep in b[lid]["episodes"]}
        assert refs_a & refs_b or max(refs_a) < min(refs_b)


def test_an_unknown_injection_is_refused(tmp_path):
    import pytest

    with pytest.raises(ValueError, match="Unknown injection"):
        synthetic.write_cin_census(tmp_path / "x.xml", la_code="860", year=2021, children=1,
                                   inject=[synthetic.Injection("made_up")])


def test_a_2019_20_return_gives_the_abuse_factors_of_its_year():
    """The same children, with 18A and 19A before the 2020/21 split (specs 2020.yaml)."""
    def factors(year):
        return {f for r in synthetic.records(la_code="860", year=year, children=600)
                for ep in r["episodes"] for a in ep["assessments"]
                for f in a["AssessmentFactors"]}

    before, after = factors(2020), factors(2021)
    assert {"18A", "19A"} & before and not {"18B", "18C", "19B", "19C"} & before
    assert {"18C", "19C"} & after and not {"18A", "19A"} & after


def test_returns_of_one_population_carry_every_open_episode_into_the_next_year():
    population = synthetic.population_for(la_code="860", year=2021, children=150)
    a = list(synthetic.records(la_code="860", year=2021, children=150, population=population))
    assert [r["LAchildID"] for r in a] == [
        r["LAchildID"] for r in synthetic.records(la_code="860", year=2021, children=150)]
    before = {r["LAchildID"]: r for r in synthetic.records(
        la_code="860", year=2020, children=150, population=population)}
    after = {r["LAchildID"]: r for r in a}
    open_at_end = {(lid, ep["CINreferralDate"]) for lid, r in before.items()
                   for ep in r["episodes"] if ep["CINclosureDate"] is None}
    carried = {(lid, ep["CINreferralDate"]) for lid, r in after.items() for ep in r["episodes"]}
    assert open_at_end and open_at_end <= carried


def test_the_demo_agency_people_do_not_hang_on_row_ids(demo_world):
    # A person's key seeds their agency history. Row ids hang on the database's sequences
    # (on PostgreSQL, on whatever ran before), so the same children under other row ids
    # must be the same people, or the demo's extracts, links and figures would move.
    from django.db.models import F

    from safeguarding.children.demo import index_rows
    from safeguarding.children.models import Child
    from safeguarding.core.models import Partnership
    from safeguarding.datasets.synthetic.agency import people_from_rows

    def people_from_index(partnership):  # as the demo reads them for its extracts
        return people_from_rows(index_rows(partnership))

    staffs = Partnership.objects.get(code="STAFFS")
    before = people_from_index(staffs)
    assert len(before) == 30
    # Give every child another row id, and every row pointing at a child the new id.
    ids = list(Child.objects.filter(partnership=staffs).values_list("pk", flat=True))
    shift = max(Child.objects.values_list("pk", flat=True)) + 1000
    for relation in Child._meta.related_objects:
        if relation.many_to_many:
            continue
        column = relation.field.attname
        relation.related_model._base_manager.filter(**{f"{column}__in": ids}).update(
            **{column: F(column) + shift})
    Child.objects.filter(pk__in=ids).update(id=F("id") + shift)
    assert people_from_index(staffs) == before


@given(weights=st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1,
                        max_size=12).filter(lambda w: sum(w) > 0),
       seed=st.integers(min_value=0, max_value=2**32))
def test_a_weighted_pick_draws_what_random_choices_draws(weights, seed):
    """The writers' fast draw keeps every synthetic return as it was: same key, same
    state of the generator after it."""
    history = importlib.import_module("safeguarding.datasets.synthetic.history")
    table = {f"k{i}": w for i, w in enumerate(weights)}
    ours, theirs = random.Random(seed), random.Random(seed)
    for _ in range(20):
        assert history.pick(ours, table) == theirs.choices(list(table), weights=weights)[0]
    assert ours.random() == theirs.random()
