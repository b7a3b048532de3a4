"""A large CIN census return checked in a process of its own loads exactly as in process.

``validation.apart`` checks a return of 32 MB or more in a spawned process while the
importing one writes. Here the threshold is lowered so small returns go apart, and each
import is compared with the same import checked in process: status, summary, counts,
every problem in order, and every row written.
"""

from __future__ import annotations

import multiprocessing

import pytest
from django.db import transaction

from safeguarding.datasets import services, synthetic
from safeguarding.datasets.loader import cin_census as cin_loader
from safeguarding.datasets.models import (
    ChildProtectionPlan,
    CinAssessment,
    CinChild,
    CinEpisode,
    CinReturnChild,
    ImportKind,
    ImportStatus,
    Section47Enquiry,
)
from safeguarding.datasets.validation import apart
from safeguarding.datasets.validation.problems import ProblemLog

ROWS = {  # each model's rows, without the keys that differ from one load to another
    CinChild: ("la_child_id", "pseudonym", "upn", "birth_date", "gender", "ethnicity",
               "disabilities", "first_year", "last_year"),
    CinEpisode: ("la_child_id", "referral_date", "referral_source", "primary_need",
                 "closure_date", "reason_for_closure", "collection_year"),
    CinAssessment: ("episode__la_child_id", "start_date", "authorisation_date", "factors"),
    Section47Enquiry: ("episode__la_child_id", "start_date", "icpc_date"),
    ChildProtectionPlan: ("la_child_id", "start_date", "end_date", "latest_category",
                          "review_dates"),
    CinReturnChild: ("la_child_id", "content_hash"),
}


class _RolledBack(Exception):
    pass


def _load_and_read(partnership, paths, *, checked_apart: bool, monkeypatch) -> list:
    """Load the files in order, read what they did and left, then roll it all back."""
    monkeypatch.setattr(apart, "APART_FROM_BYTES", 0 if checked_apart else 10**12)
    seen = []
    try:
        with transaction.atomic():
            for path in paths:
                record = services.import_file(actor=None, partnership=partnership,
                                              kind=ImportKind.CIN_CENSUS, path=path)
                seen.append((record.status, record.summary, record.counts, record.error_count,
                             record.query_count, list(record.problems.order_by("pk").values_list(
                                 "file_name", "row", "child", "field", "rule", "severity",
                                 "message"))))
            for model, fields in ROWS.items():
                seen.append(sorted(model.objects.values_list(*fields)))
            raise _RolledBack
    except _RolledBack:
        pass
    return seen


def test_returns_checked_apart_load_the_same_rows_problems_and_counts(staffs, census,
                                                                     monkeypatch):
    earlier = census(year=2020, children=60)
    later = census(year=2021, children=80)
    text = later.read_text()  # a query (DfE 8585Q) as well as the generated data's own
    first_reason = text.index("<ReasonForClosure>")
    later.write_text(text[:first_reason] + "<ReasonForClosure>RC2"
                     + text[text.index("</ReasonForClosure>", first_reason):])
    monkeypatch.setattr(cin_loader, "BATCH", 7)  # many batches across the process boundary
    in_process = _load_and_read(staffs, [earlier, later], checked_apart=False,
                                monkeypatch=monkeypatch)
    checked_apart = _load_and_read(staffs, [earlier, later], checked_apart=True,
                                   monkeypatch=monkeypatch)
    assert [status for status, *_ in in_process[:2]] == [ImportStatus.LOADED] * 2
    assert any(problem[4] == "8585Q" for problem in in_process[1][5])
    assert len(in_process[-1]) == 140  # both returns' snapshots
    assert checked_apart == in_process
    assert not multiprocessing.active_children()


def test_errors_found_apart_are_the_same_and_nothing_is_loaded(staffs, census, monkeypatch,
                                                               settings):
    injected = census(children=40, inject=[
        synthetic.Injection("cpp_end_before_start", child=3),
        synthetic.Injection("bad_upn", child=20), synthetic.Injection("bad_date", child=33)])
    monkeypatch.setattr(cin_loader, "BATCH", 5)
    in_process = _load_and_read(staffs, [injected], checked_apart=False,
                                monkeypatch=monkeypatch)
    assert in_process[0][0] == ImportStatus.FAILED and in_process[0][3] == 3
    assert _load_and_read(staffs, [injected], checked_apart=True,
                          monkeypatch=monkeypatch) == in_process
    # The error limit stops the check at the same problem, and says so the same way.
    settings.DATASETS_MAX_ERRORS = 2
    stopped = _load_and_read(staffs, [injected], checked_apart=False, monkeypatch=monkeypatch)
    assert stopped[0][3] == 2
    assert stopped[0][5][-1][4] == "SCP-FILE-TOO-MANY-ERRORS"
    assert _load_and_read(staffs, [injected], checked_apart=True,
                          monkeypatch=monkeypatch) == stopped
    assert all(rows == [] for rows in stopped[1:])


def test_a_file_broken_after_its_header_is_refused_apart_with_its_line(staffs, census,
                                                                      monkeypatch):
    path = census(children=30)
    text = path.read_text()
    cut = text.index("<Child>", len(text) // 2)
    path.write_text(text[:cut] + "<Child><LAchildID>broken</Child>\n" + text[cut:])
    in_process = _load_and_read(staffs, [path], checked_apart=False, monkeypatch=monkeypatch)
    (status, _summary, _counts, errors, _queries, problems), *_rows = in_process
    assert status == ImportStatus.FAILED and errors == 1
    assert [(p[1], p[4]) for p in problems if p[5] == "error"] == [
        (text[:cut].count("\n") + 1, "SCP-FILE-XML")]
    assert _load_and_read(staffs, [path], checked_apart=True,
                          monkeypatch=monkeypatch) == in_process


def test_a_fault_in_the_checking_process_reaches_the_import_with_its_traceback():
    log = ProblemLog("faulty.xml", max_errors=10)
    children = apart.checked_apart(_faulty_check, {"after": 3}, log=log, batch=2)
    assert next(children) == ("1", {"n": 1})
    with pytest.raises(RuntimeError, match=r"(?s)faulty.xml.*ZeroDivisionError"):
        list(children)
    # The problems logged before the fault were replayed, in order.
    assert [(p.rule, p.child) for p in log.kept] == [("Q1", "1"), ("Q1", "2"), ("Q1", "3")]
    assert not multiprocessing.active_children()


def _faulty_check(*, log, after: int):
    """A check for the test above: ``after`` children, each with a query, then a fault."""
    for n in range(1, after + 1):
        log.add("Q1", "a query", child=str(n), severity="query")
        yield str(n), {"n": n}
    yield "never", {"n": 1 / 0}


def test_only_large_files_on_more_than_one_core_are_checked_apart(tmp_path, monkeypatch):
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    small.write_bytes(b"x" * 10)
    large.write_bytes(b"x" * 100)
    monkeypatch.setattr(apart, "APART_FROM_BYTES", 100)
    monkeypatch.setattr(apart.os, "cpu_count", lambda: 2)
    assert not apart.worth_apart([small]) and apart.worth_apart([large])
    assert apart.worth_apart([small] * 10)  # a return's files together
    monkeypatch.setattr(apart.os, "cpu_count", lambda: 1)
    assert not apart.worth_apart([large])
