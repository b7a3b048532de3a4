"""Cached indicator results: recomputed after imports, read when current, never shown stale."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from safeguarding.core.models import Partnership, User
from safeguarding.datasets import models as ds
from safeguarding.datasets import services as imports
from safeguarding.datasets import synthetic
from safeguarding.measures import cache, recompute, services, sources
from safeguarding.measures.catalogue import by_theme, catalogue
from safeguarding.measures.models import IndicatorRecompute, IndicatorResults, RecomputeStatus
from safeguarding.measures.periods import parse
from safeguarding.measures.selectors import indicators_document

DASHBOARD = "/dashboard/STAFFS/core-pathway/?period=2020-21"
YEAR = parse("2020-21")


def _load(tmp_path, *, year=2021, seed=11, children=40, capture, execute=True):
    """Load a synthetic CIN census for LA 860 as the web upload's worker would, committing."""
    path = tmp_path / f"cin-860-{year}-{seed}.xml"
    synthetic.write_cin_census(path, la_code="860", year=year, children=children, seed=seed)
    with capture(execute=execute) as callbacks:
        record = imports.import_file(actor=None, partnership=Partnership.objects.get(code="STAFFS"),
                                     kind=ds.ImportKind.CIN_CENSUS, path=path)
    assert record.status == ds.ImportStatus.LOADED, record.summary
    return record, callbacks


def _staffs() -> Partnership:
    return Partnership.objects.get(code="STAFFS")


def _without_engine(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the data was loaded and the engine run: the cache was not used")

    monkeypatch.setattr(sources, "measure_data", refuse)


def _without_computed(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "computed"}


def test_a_loaded_import_queues_one_recompute_of_the_standard_periods(
        demo_world, tmp_path, django_capture_on_commit_callbacks):
    record, callbacks = _load(tmp_path, capture=django_capture_on_commit_callbacks)
    recompute = IndicatorRecompute.objects.get()
    assert recompute.partnership.code == "STAFFS"
    assert recompute.dataset_import_id == record.pk
    assert record.file_name in recompute.reason
    # The test settings run tasks at once: the recompute has run and stored the
    # year, its quarters and months, and the years the trend charts look back on.
    assert recompute.status == RecomputeStatus.DONE and len(callbacks) == 1
    stored = set(IndicatorResults.objects.filter(partnership__code="STAFFS")
                 .values_list("period", flat=True))
    assert {"2020-21", "2020-Q1", "2020-Q4", "2020-04", "2021-03", "2019-20", "2018-Q2"} <= stored
    assert recompute.periods == len(stored)
    assert not IndicatorResults.objects.filter(partnership__code="STOKE").exists()


def test_an_unchanged_or_checked_file_queues_nothing(demo_world, tmp_path,
                                                     django_capture_on_commit_callbacks):
    record, _ = _load(tmp_path, capture=django_capture_on_commit_callbacks)
    IndicatorRecompute.objects.all().delete()
    path = tmp_path / "cin-860-2021-11.xml"
    again = imports.import_file(actor=None, partnership=_staffs(), kind=ds.ImportKind.CIN_CENSUS,
                                path=path)
    checked = imports.import_file(actor=None, partnership=_staffs(),
                                  kind=ds.ImportKind.CIN_CENSUS, path=path, check_only=True)
    assert again.status == ds.ImportStatus.UNCHANGED and checked.status == ds.ImportStatus.CHECKED
    assert not IndicatorRecompute.objects.exists()


def test_imports_while_a_recompute_waits_join_it(demo_world, tmp_path,
                                                 django_capture_on_commit_callbacks):
    _load(tmp_path, capture=django_capture_on_commit_callbacks, execute=False)
    second, callbacks = _load(tmp_path, year=2022, capture=django_capture_on_commit_callbacks,
                              execute=False)
    waiting = IndicatorRecompute.objects.get()
    assert waiting.status == RecomputeStatus.QUEUED
    assert waiting.dataset_import_id == second.pk
    assert callbacks == []  # the task was queued once, with the first import


def test_the_next_dashboard_read_uses_the_cache(demo_world, client_for, tmp_path, monkeypatch,
                                                django_capture_on_commit_callbacks,
                                                django_assert_max_num_queries):
    _load(tmp_path, capture=django_capture_on_commit_callbacks)
    fresh = indicators_document(partnership=_staffs(), period=YEAR, fresh=True)
    referrals = next(i for i in fresh["indicators"] if i["id"] == "referrals")
    assert referrals["value"] > 0
    client = client_for("board.police")
    _without_engine(monkeypatch)
    # A fixed number, whatever the data: the session, the seats, the navigation the apps
    # add (one more since training, governance, missing children and Encompass), the cache,
    # and one query per app answering the theme's triangulation (governance, reviews, audits,
    # voice). The period list comes from the spans the recompute recorded, not the apps.
    with django_assert_max_num_queries(25):
        page = client.get(DASHBOARD)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{referrals['value']}" in text
    assert "Figures computed" in text and "cin-860-2021-11.xml" in text
    assert "Being recomputed" not in text


def test_a_newer_import_makes_the_old_cache_stale(demo_world, client_for, tmp_path,
                                                  django_capture_on_commit_callbacks):
    _load(tmp_path, capture=django_capture_on_commit_callbacks)
    old_version = cache.data_version(_staffs())
    before = indicators_document(partnership=_staffs(), period=YEAR)
    # A corrected 2020/21 return replaces the first; the worker has not run yet.
    _load(tmp_path, seed=12, children=60, capture=django_capture_on_commit_callbacks,
          execute=False)
    assert cache.data_version(_staffs()) != old_version
    stale = IndicatorResults.objects.get(partnership__code="STAFFS", period="2020-21", scope="")
    assert stale.data_version == old_version
    after = indicators_document(partnership=_staffs(), period=YEAR)
    fresh = indicators_document(partnership=_staffs(), period=YEAR, fresh=True)
    assert after["computed"]["data_version"] != old_version
    assert _without_computed(after) == _without_computed(fresh)
    assert _without_computed(after) != _without_computed(before)
    page = client_for("board.police").get(DASHBOARD).content.decode()
    assert "Being recomputed" in page and "cin-860-2021-12.xml" in page


def test_cli_api_and_dashboard_give_the_same_document_from_the_cache_as_computed_fresh(
        demo_world, client_for, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    _load(tmp_path, capture=django_capture_on_commit_callbacks)
    fresh = indicators_document(partnership=_staffs(), period=YEAR, with_benchmarks=True,
                                fresh=True)
    client = client_for("business.staffs")  # sees the true numbers, as the CLI prints them
    _without_engine(monkeypatch)
    out = io.StringIO()
    call_command("indicators", "--partnership", "STAFFS", "--period", "2020-21", "--benchmarks",
                 "--format", "json", stdout=out)
    from_cli = json.loads(out.getvalue())
    from_api = client.get("/api/indicators", {"partnership": "STAFFS", "period": "2020-21",
                                              "benchmarks": True}).json()
    assert from_cli == from_api
    assert _without_computed(from_cli) == _without_computed(fresh)
    assert from_cli["computed"]["data_version"] == fresh["computed"]["data_version"]
    assert {i["id"] for i in from_cli["indicators"]} == set(catalogue())
    download = client.get("/dashboard/STAFFS/core-pathway.csv?period=2020-21").content.decode()
    by_id = {i["id"]: i for i in fresh["indicators"]}
    rows = list(csv.DictReader(io.StringIO(download)))
    assert [r["measure"] for r in rows] == [i.id for i in by_theme("core_pathway")]
    for row in rows:
        expected = by_id[row["measure"]]
        for column in ("value", "numerator", "denominator", "reason"):
            assert row[column] == ("" if expected[column] is None else str(expected[column]))


def test_a_target_applies_at_once_without_a_recompute(demo_world, tmp_path, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    _load(tmp_path, capture=django_capture_on_commit_callbacks)
    before = indicators_document(partnership=_staffs(), period=YEAR)
    _without_engine(monkeypatch)
    services.target_set(actor=User.objects.get(username="business.staffs"), partnership=_staffs(),
                        indicator_id="assessments_within_45_working_days_rate",
                        target=Decimal("1"), amber_tolerance=Decimal("0"))
    after = indicators_document(partnership=_staffs(), period=YEAR)
    # (Re-referrals would be incomplete here: only the 2020/21 return is loaded.)
    row = next(i for i in after["indicators"]
               if i["id"] == "assessments_within_45_working_days_rate")
    assert row["target"] == 1.0 and row["rag"] in {"green", "red"}
    assert after["computed"] == before["computed"]
    assert IndicatorRecompute.objects.count() == 1


def test_partnership_records_and_neighbours_are_part_of_the_data_version(demo_world):
    version = cache.data_version(_staffs())
    services.neighbour_add(actor=None, partnership=_staffs(), old_la_code="855",
                           name="Leicestershire")
    assert cache.data_version(_staffs()) != version
    version = cache.data_version(_staffs())
    from safeguarding.reviews.models import Theme

    Theme.objects.create(name="A new theme", slug="a-new-theme", source="test")
    assert cache.data_version(_staffs()) != version


def test_a_record_changed_in_place_makes_its_partnerships_figures_stale(demo_world):
    """A save that changes no count, highest id or time stamp of its table (a theme
    renamed, an audit completed) still makes the figures it feeds stale: for its own
    partnership only, or for every partnership when the record has none of its own."""
    from safeguarding.reviews.models import Theme

    stoke = Partnership.objects.get(code="STOKE")
    own = Theme.objects.create(name="Own theme", slug="own-theme", source="test",
                               partnership=_staffs())
    shared = Theme.objects.create(name="Shared theme", slug="shared-theme", source="test")
    staffs_version, stoke_version = cache.data_version(_staffs()), cache.data_version(stoke)
    own.name = "Own theme, renamed"
    own.save()
    assert cache.data_version(_staffs()) != staffs_version
    assert cache.data_version(stoke) == stoke_version
    staffs_version = cache.data_version(_staffs())
    shared.name = "Shared theme, renamed"
    shared.save()
    assert cache.data_version(_staffs()) != staffs_version
    assert cache.data_version(stoke) != stoke_version


def test_changes_counted_in_memory_still_make_the_figures_stale_when_read(demo_world):
    """Inside ``changes_counted_in_memory`` (the demo's build) a save adds no row to the
    count at once, but a data version read afterwards sees it, and so does one read after
    the block; a failed block still counts what it saved."""
    from safeguarding.measures.models import RecordsChanged
    from safeguarding.reviews.models import Theme

    theme = Theme.objects.create(name="Own theme", slug="own-theme", source="test",
                                 partnership=_staffs())
    key = str(_staffs().pk)

    def counted() -> int:
        return RecordsChanged.objects.filter(key=key).values_list("changes", flat=True).first() or 0

    before, version = counted(), cache.data_version(_staffs())
    with cache.changes_counted_in_memory():
        for n in range(3):
            theme.name = f"Renamed {n}"
            theme.save()
        assert counted() == before  # held, not written one save at a time
        assert cache.data_version(_staffs()) != version  # a read writes what is held
        assert counted() == before + 3
        version = cache.data_version(_staffs())
        theme.save()
    assert counted() == before + 4
    assert cache.data_version(_staffs()) != version
    with pytest.raises(RuntimeError), cache.changes_counted_in_memory():
        theme.save()
        raise RuntimeError
    assert counted() == before + 5


def test_the_cli_recompute_rebuilds_every_scope_and_covers_waiting_recomputes(
        demo_world, tmp_path, django_capture_on_commit_callbacks):
    _load(tmp_path, capture=django_capture_on_commit_callbacks, execute=False)
    assert IndicatorRecompute.objects.get().status == RecomputeStatus.QUEUED
    out = io.StringIO()
    call_command("indicators", "--partnership", "STAFFS", "--recompute", stdout=out)
    assert "STAFFS:" in out.getvalue() and "period results recomputed" in out.getvalue()
    waiting = IndicatorRecompute.objects.get()
    assert waiting.status == RecomputeStatus.COVERED
    version = cache.data_version(_staffs())
    assert set(IndicatorResults.objects.values_list("data_version", flat=True)) == {version}
    # The queued task, run later by the worker, finds nothing left to do.
    assert cache.recompute_run(recompute_id=waiting.pk).status == RecomputeStatus.COVERED


def test_standard_periods_are_recent_years_with_quarters_months_and_trend_years():
    import datetime as dt

    coverage = {"cin": [("860", dt.date(2020, 4, 1), dt.date(2021, 3, 31)),
                        ("860", dt.date(2021, 4, 1), dt.date(2022, 3, 31))]}
    labels = [p.label for p in cache.standard_periods(coverage)]
    assert len(labels) == len(set(labels))
    assert {"2020-21", "2021-22", "2020-Q1", "2021-Q4", "2020-04", "2022-03"} <= set(labels)
    assert {"2019-20", "2018-19", "2018-Q1", "2019-Q4"} <= set(labels)
    # Trend years have their months too: disclosure control works on whole years.
    assert {"2019-04", "2018-04", "2019-03"} <= set(labels)
    assert cache.standard_periods({}, today=dt.date(2026, 11, 26))[-1].label == "2027-03"


@pytest.mark.parametrize("username", ["board.police"])
def test_the_health_page_answers_signed_in_people(client_for, username):
    response = client_for(username).get("/health/")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_a_recompute_left_running_by_a_dead_worker_is_not_announced_for_ever(demo_world):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    running = IndicatorRecompute.objects.create(
        partnership=_staffs(), status=RecomputeStatus.RUNNING, reason="Import 1 loaded",
        requested_at=now, started_at=now)
    assert cache.pending_recompute(_staffs()) == running
    running.started_at = now - dt.timedelta(hours=2)
    running.save()
    assert cache.pending_recompute(_staffs()) is None


def test_a_run_of_imports_in_one_block_asks_for_one_recompute(demo_world, tmp_path,
                                                              django_capture_on_commit_callbacks):
    with recompute.one_recompute_per_partnership():
        _load(tmp_path, capture=django_capture_on_commit_callbacks, execute=False)
        second, _ = _load(tmp_path, year=2022, capture=django_capture_on_commit_callbacks,
                          execute=False)
        assert not IndicatorRecompute.objects.exists()
    assert IndicatorRecompute.objects.get().dataset_import_id == second.pk


def test_the_recompute_after_imports_can_be_left_to_readers(demo_world, tmp_path, settings,
                                                            django_capture_on_commit_callbacks):
    settings.MEASURES_RECOMPUTE_AFTER_IMPORT = False
    _load(tmp_path, capture=django_capture_on_commit_callbacks)
    assert not IndicatorRecompute.objects.exists()
    document = indicators_document(partnership=_staffs(), period=YEAR)
    assert document["computed"]["data_version"] == cache.data_version(_staffs())


def test_a_partnership_of_two_las_keeps_a_document_per_la_beside_the_whole(
        demo_world, tmp_path, django_capture_on_commit_callbacks):
    from safeguarding.core import services as core

    core.la_add(actor=None, partnership=_staffs(), old_code="855", new_code="E10000018",
                name="Leicestershire (test)")
    _load(tmp_path, capture=django_capture_on_commit_callbacks)
    scopes = set(IndicatorResults.objects.filter(partnership__code="STAFFS", period="2020-21")
                 .values_list("scope", flat=True))
    assert scopes == {"", "860", "855"}
    whole = indicators_document(partnership=_staffs(), period=YEAR)
    one = indicators_document(partnership=_staffs(), period=YEAR, la="860")
    assert whole["local_authorities"] == ["855", "860"] and one["local_authorities"] == ["860"]
    assert _without_computed(one) == _without_computed(
        indicators_document(partnership=_staffs(), period=YEAR, la="860", fresh=True))
    # LA 855 has no return, so the whole partnership is not covered either.
    referrals = next(i for i in whole["indicators"] if i["id"] == "referrals")
    assert referrals["value"] is None and "855" in referrals["reason"]


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world


def test_a_report_build_loads_each_las_data_once(demo_world, tmp_path, monkeypatch,
                                                 django_capture_on_commit_callbacks):
    """The yearly report asks the cache for several sets of periods; the frames behind them
    are loaded once for the build (``sources.one_read``), and a read after it loads again."""
    from safeguarding.reports import builder

    _load(tmp_path, capture=django_capture_on_commit_callbacks, execute=False)
    loads: list[tuple[str, ...]] = []
    original = sources._load_measure_data

    def counted(las):
        loads.append(tuple(las))
        return original(las)

    monkeypatch.setattr(sources, "_load_measure_data", counted)
    report = builder.build(_staffs(), "2020-21")
    assert report.sections and loads
    assert len(loads) == len(set(loads)), loads
    loads.clear()
    indicators_document(partnership=_staffs(), period=YEAR, fresh=True)
    indicators_document(partnership=_staffs(), period=YEAR, fresh=True)
    assert len(loads) == 2  # outside a read block nothing is kept: each read sees the data


def test_the_cells_hidden_from_the_board_follow_the_data(demo_world, tmp_path,
                                                         django_capture_on_commit_callbacks):
    """The hidden cells worked out for a year are kept for the next reader of the same
    results, and a new import (new results) gets its own: what a reader sees is always what
    working them out afresh gives."""
    from safeguarding.measures import selectors

    board = User.objects.get(username="board.police")
    counts = [i.id for i in catalogue().values() if i.unit == "count"]
    months = YEAR.months()

    def seen():
        view = selectors.disclosed(board, _staffs(), None)
        found = cache.results_for(partnership=_staffs(), periods=months)
        return {(i, m.label): view.result(found, m, i).value for i in counts for m in months}

    def afresh():
        selectors._SUPPRESSED._items.clear()
        return seen()

    _load(tmp_path, capture=django_capture_on_commit_callbacks)
    first = seen()
    assert seen() == first == afresh()
    _load(tmp_path, seed=12, children=60, capture=django_capture_on_commit_callbacks)
    second = seen()
    assert second == afresh()
    assert second != first
    assert None in second.values()  # some small monthly count is hidden from the board
