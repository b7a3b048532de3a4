"""Loading CIN census returns: all or nothing, idempotent, newer replaces older, years merge."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
from django.db.models import Count

from safeguarding.children.identifiers import pseudonymous_key
from safeguarding.children.models import Child, Involvement
from safeguarding.core.models import AuditEvent
from safeguarding.datasets import services, synthetic
from safeguarding.datasets.loader import cin_census as cin_loader
from safeguarding.datasets.models import (
    ChildProtectionPlan,
    CinAssessment,
    CinChild,
    CinEpisode,
    CinReturn,
    CinReturnChild,
    DatasetImport,
    ImportKind,
    ImportStatus,
    ReturnStatus,
    Section47Enquiry,
)
from safeguarding.datasets.validation import apart
from tests.support import make_child

CIN = ImportKind.CIN_CENSUS
DATA_MODELS = (CinReturn, CinReturnChild, CinChild, CinEpisode, CinAssessment, Section47Enquiry,
               ChildProtectionPlan, Child, Involvement)


def load(partnership, path, **options) -> DatasetImport:
    return services.import_file(actor=None, partnership=partnership, kind=CIN, path=path,
                                **options)


def snapshot() -> dict:
    return {model.__name__: model.objects.count() for model in DATA_MODELS}


def test_a_generated_return_loads_completely(staffs, census):
    path = census(children=60)
    written = census.written
    record = load(staffs, path)
    assert record.status == ImportStatus.LOADED, record.summary
    assert record.actor_label == "command line"
    assert record.local_authority.old_code == "860" and record.period == "2020/21"
    assert len(record.sha256) == 64 and record.size_bytes == path.stat().st_size
    assert record.duration_ms is not None and record.error_count == 0
    assert record.counts["children"] == 60 == CinChild.objects.count()
    assert record.counts["episodes"] == written.episodes == CinEpisode.objects.count()
    assert record.counts["cpps"] == written.cpps == ChildProtectionPlan.objects.count()
    assert CinReturn.objects.get().status == ReturnStatus.CURRENT
    assert CinReturnChild.objects.count() == 60
    assert AuditEvent.objects.filter(object_type="datasets.datasetimport",
                                     object_id=str(record.pk)).count() == 1


def _first_id(path) -> str:
    text = path.read_text()
    return text.split("<LAchildID>", 1)[1].split("<", 1)[0]


def test_census_children_join_the_child_index_with_pseudonyms(staffs, census):
    path = census(children=20)
    known = _first_id(path)
    existing = make_child(staffs, la_child_id=known, first_name="Known", last_name="Child")
    record = load(staffs, path)
    first = CinChild.objects.get(la_child_id=known)
    assert first.child == existing  # matched on LA + LAchildID, names untouched
    assert Child.objects.get(pk=existing.pk).first_name == "Known"
    created = CinChild.objects.exclude(la_child_id=known).first()
    assert created.child.first_name == "Not recorded"
    assert created.child.pseudonym == pseudonymous_key(f"la:860:{created.la_child_id}")
    assert created.pseudonym == created.child.pseudonym
    episode = created.episodes.first()
    assert episode.pseudonym == created.pseudonym
    assert record.counts["index"]["created"] == 19 and record.counts["index"]["matched"] == 1
    cs = staffs.agencies.get(kind="la_childrens_services")
    assert Involvement.objects.filter(agency=cs).count() == 20


def test_a_child_is_matched_by_upn_when_the_index_has_no_la_child_id(staffs, census):
    path = census(children=30)
    from lxml import etree

    upn = next(e.text for e in etree.parse(str(path)).iter("UPN"))
    existing = make_child(staffs, upn=upn, la_child_id="")
    load(staffs, path)
    existing.refresh_from_db()
    assert existing.la_child_id and CinChild.objects.get(child=existing).upn == upn


def test_an_injected_error_loads_nothing_and_lists_exactly_that_error(staffs, census):
    path = census(children=30, inject=[synthetic.Injection("cpp_end_before_start", child=4)])
    planted = census.written.planted[0]
    before = snapshot()
    record = load(staffs, path)
    assert record.status == ImportStatus.FAILED
    assert snapshot() == before
    errors = record.problems.filter(severity="error")
    problems = list(errors.values_list("file_name", "child", "field", "rule"))
    assert problems == [(path.name, planted.la_child_id, "CPPendDate", "8925")]
    problem = errors.get()
    assert problem.row and "CPPendDate" in problem.message
    assert problem.message.startswith("Child Protection Plan End Date earlier than Start Date")
    assert record.summary == "1 error found. Nothing was loaded."


@pytest.mark.parametrize("kind", sorted(synthetic.INJECTIONS))
def test_every_kind_of_injected_error_is_found_alone(staffs, census, kind):
    record = load(staffs, census(children=12, inject=[synthetic.Injection(kind, child=3)]),
                  check_only=True)
    planted = census.written.planted[0]
    # Queries about the whole small file (DfE 2887Q: fewer than 8 disability codes)
    # may come too; the errors are exactly the one planted.
    assert [(p.rule, p.field, p.child) for p in record.problems.filter(severity="error")] == [
        (planted.rule, planted.field, planted.la_child_id)]


def test_reimporting_the_same_file_changes_nothing_and_says_so(staffs, census):
    path = census(children=25)
    first = load(staffs, path)
    before = snapshot()
    again = load(staffs, path)
    assert again.status == ImportStatus.UNCHANGED
    assert f"already loaded (import {first.pk}" in again.summary
    assert snapshot() == before
    assert DatasetImport.objects.count() == 2


def test_a_newer_return_replaces_the_older_and_records_what_changed(staffs, census, tmp_path):
    older = load(staffs, census(children=30, seed=7, name="first.xml"))
    newer_path = census(children=30, seed=7, name="second.xml",
                        source_datetime="2021-06-01T10:00:00")
    # The resubmission drops one child and corrects another's referral source.
    text = newer_path.read_text()
    children = text.split("<Child>")
    dropped = children[1]
    text = text.replace("<Child>" + dropped, "", 1)
    changed_id = children[2].split("<LAchildID>")[1].split("<")[0]
    head, tail = text.split(f"<LAchildID>{changed_id}</LAchildID>", 1)
    source = tail.split("<ReferralSource>", 1)[1].split("<", 1)[0]
    tail = tail.replace(f"<ReferralSource>{source}<",
                        f"<ReferralSource>{'8' if source == '6' else '6'}<", 1)
    newer_path.write_text(head + f"<LAchildID>{changed_id}</LAchildID>" + tail)
    newer = load(staffs, newer_path)
    assert newer.status == ImportStatus.LOADED, list(newer.problems.values_list("message"))
    replaced = newer.counts["replaced"]
    assert replaced["import"] == older.pk and newer.replaced_id == older.pk
    assert replaced["children_removed"] == 1
    assert replaced["children_added"] == 0
    assert replaced["children_changed"] == 1 and replaced["children_unchanged"] == 28
    assert replaced["episodes_changed"] == 1 and replaced["episodes_removed"] >= 1
    returns = CinReturn.objects.order_by("pk")
    assert [r.status for r in returns] == [ReturnStatus.SUPERSEDED, ReturnStatus.CURRENT]
    assert returns[0].superseded_by == returns[1]
    assert CinChild.objects.count() == 29
    dropped_id = dropped.split("<LAchildID>")[1].split("<")[0]
    assert not CinChild.objects.filter(la_child_id=dropped_id).exists()
    assert CinReturnChild.objects.filter(cin_return=returns[0]).count() == 30  # kept


def test_consecutive_years_keep_one_episode_per_child_and_referral_date(staffs, census):
    first = load(staffs, census(year=2021, children=150))
    second = load(staffs, census(year=2022, children=150))
    assert first.status == second.status == ImportStatus.LOADED
    assert CinReturn.objects.filter(status=ReturnStatus.CURRENT).count() == 2
    duplicates = (CinEpisode.objects.values("local_authority", "la_child_id", "referral_date")
                  .annotate(n=Count("pk")).filter(n__gt=1))
    assert not duplicates.exists()
    plans = (ChildProtectionPlan.objects.values("la_child_id", "start_date")
             .annotate(n=Count("pk")).filter(n__gt=1))
    assert not plans.exists()
    both = set(CinReturnChild.objects.filter(cin_return__collection_year=2021)
               .values_list("la_child_id", flat=True)) & set(
        CinReturnChild.objects.filter(cin_return__collection_year=2022)
        .values_list("la_child_id", flat=True))
    assert both, "consecutive synthetic years share children"
    history = second.counts["history"]
    assert history["episodes_updated"] + history.get("episodes_unchanged", 0) > 0
    # An episode open at 31 March 2021 and closed later carries its closure from 2021/22.
    carried = CinEpisode.objects.filter(la_child_id__in=both, collection_year=2022,
                                        referral_date__lt=dt.date(2021, 4, 1))
    assert carried.exists()
    child = CinChild.objects.get(la_child_id=next(iter(both)))
    assert (child.first_year, child.last_year) == (2021, 2022)


def test_loading_the_earlier_year_after_the_later_one_keeps_the_later_version(staffs, census):
    load(staffs, census(year=2022, children=120))
    later = {(e.la_child_id, e.referral_date): (e.closure_date, e.collection_year)
             for e in CinEpisode.objects.all()}
    load(staffs, census(year=2021, children=120))
    for episode in CinEpisode.objects.filter(collection_year=2022):
        assert later[(episode.la_child_id, episode.referral_date)] == (episode.closure_date, 2022)


def test_a_return_for_an_la_the_partnership_does_not_cover_is_refused(staffs, census):
    record = load(staffs, census(la_code="861", children=5))
    assert record.status == ImportStatus.REFUSED
    assert record.problems.get().rule == "SCP-HEADER-LA"
    assert "does not cover" in record.summary
    assert not CinReturn.objects.exists()


HOSTILE = {
    "billion-laughs": """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<Message><Header><CollectionDetails><Collection>&d;</Collection></CollectionDetails></Header></Message>""",
    "external-entity": """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2021</Year>
<ReferenceDate>2021-03-31</ReferenceDate></CollectionDetails><Source><LEA>860</LEA></Source></Header>
<Children><Child><ChildIdentifiers><LAchildID>&secret;</LAchildID></ChildIdentifiers></Child></Children></Message>""",
    "external-dtd": """<?xml version="1.0"?>
<!DOCTYPE Message SYSTEM "http://example.invalid/cin.dtd">
<Message><Header/></Message>""",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_with_a_dtd_or_entities_is_refused(staffs, tmp_path, name):
    path = tmp_path / f"{name}.xml"
    path.write_text(HOSTILE[name])
    record = load(staffs, path)
    assert record.status == ImportStatus.REFUSED
    assert [p.rule for p in record.problems.all()] == ["SCP-FILE-DOCTYPE"]
    assert not CinReturn.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(staffs, census, settings):
    path = census(children=5)
    settings.DATASETS_MAX_FILE_BYTES = 1000
    record = load(staffs, path)
    assert record.status == ImportStatus.REFUSED
    assert record.problems.get().rule == "SCP-FILE-SIZE"
    assert record.sha256 == ""


def test_a_file_that_is_not_xml_fails_with_its_line(staffs, tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<Message>\n<Header>\n</Message>\n")
    record = load(staffs, path)
    assert record.status == ImportStatus.FAILED
    problem = record.problems.get()
    assert problem.rule == "SCP-FILE-XML" and problem.row == 3


def test_check_only_validates_without_loading(staffs, census):
    record = load(staffs, census(children=20), check_only=True)
    assert record.status == ImportStatus.CHECKED
    assert record.counts["children"] == 20
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_a_query_is_listed_but_does_not_stop_the_load(staffs, census):
    path = census(children=10)
    text = path.read_text()
    first_reason = text.index("<ReasonForClosure>")
    text = text[:first_reason] + "<ReasonForClosure>RC2" + text[text.index("</ReasonForClosure>",
                                                                           first_reason):]
    path.write_text(text)
    record = load(staffs, path)
    assert record.status == ImportStatus.LOADED
    assert record.error_count == 0
    assert record.problems.filter(rule="8585Q").count() == 1
    assert record.query_count == record.problems.count()


@pytest.mark.parametrize("checked_apart", [False, True])
def test_an_exception_mid_load_leaves_the_database_unchanged(transactional_db, staffs, census,
                                                             monkeypatch, checked_apart):
    load(staffs, census(children=30, name="first.xml"))
    before = snapshot()
    # A large return is checked in a process of its own (validation/apart.py): a load that
    # stops stops that process too.
    monkeypatch.setattr(apart, "APART_FROM_BYTES", 0 if checked_apart else 10**12)
    monkeypatch.setattr(cin_loader, "BATCH", 10)
    calls = {"n": 0}
    original = cin_loader._Writer._store

    def store_then_fail(self, merged):
        original(self, merged)
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk fell off")

    monkeypatch.setattr(cin_loader._Writer, "_store", store_then_fail)
    record = load(staffs, census(year=2022, children=40, name="second.xml"))
    assert calls["n"] == 2  # two batches were written before the fault
    assert record.status == ImportStatus.CRASHED
    assert "nothing was loaded" in record.summary
    assert snapshot() == before
    assert CinReturn.objects.get().collection_year == 2021
    assert not multiprocessing.active_children()


def test_a_2019_20_return_loads_and_its_children_carry_into_2020_21(staffs, census):
    earlier = load(staffs, census(year=2020, children=80))
    assert earlier.status == ImportStatus.LOADED, earlier.summary
    assert earlier.period == "2019/20" and earlier.error_count == 0
    later = load(staffs, census(year=2021, children=80))
    assert later.status == ImportStatus.LOADED, later.summary
    years = dict(CinReturn.objects.values_list("collection_year", "status"))
    assert years == {2020: ReturnStatus.CURRENT, 2021: ReturnStatus.CURRENT}
    # The same child referred in 2019/20 is in both returns, one episode per referral.
    both = CinEpisode.objects.values("la_child_id", "referral_date").annotate(n=Count("id"))
    assert all(row["n"] == 1 for row in both)
