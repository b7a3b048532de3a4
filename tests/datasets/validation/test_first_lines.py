"""Remembering every LAchildID in a file, exactly, without memory growing a dict's worth a child."""

from __future__ import annotations

import random
import string
import tracemalloc

import pytest

from safeguarding.datasets import synthetic
from safeguarding.datasets.readers import cin_xml
from safeguarding.datasets.validation import first_lines
from safeguarding.datasets.validation.cin_census import ChildChecker, check_header
from safeguarding.datasets.validation.first_lines import FirstLines
from safeguarding.datasets.validation.problems import ProblemLog


@pytest.mark.parametrize("memory_bits", [16, 6], ids=["in memory", "moved to disk"])
def test_every_key_answers_its_first_line_exactly_through_many_resizes(memory_bits):
    rng = random.Random(5)
    letters = string.ascii_letters + string.digits
    keys = {"".join(rng.choices(letters, k=rng.randint(1, 10))) for _ in range(20_000)}
    # Keys the compact table cannot hold take the exact fallback.
    keys |= {"TOO-LONG-ID-123", "ABCDEFGHIJK", "A 1", "é1", ""}
    seen = FirstLines(capacity_bits=2, memory_bits=memory_bits)
    first = {}
    for line, key in enumerate(sorted(keys), start=1):
        assert seen.first_or_add(key, line) is None
        first[key] = line
    assert len(seen) == len(keys)
    for line, key in enumerate(sorted(keys), start=10**6):
        assert seen.first_or_add(key, line) == first[key]
    assert len(seen) == len(keys)


def test_keys_differing_only_in_case_length_or_leading_zeros_are_different():
    seen = FirstLines()
    for line, key in enumerate(["0", "00", "000", "A1", "a1", "1A", "zzzzzzzzzz", "0000000000"]):
        assert seen.first_or_add(key, line) is None
    assert seen.first_or_add("a1", 99) == 4
    assert seen.first_or_add("0000000000", 99) == 7


def _check_return(path, *, keep: int | None = None) -> tuple[ProblemLog, int]:
    """Check a return as the import does; the memory the checker holds at the end.

    ``keep`` bounds the problems the log keeps to show; the log counts them all.
    """
    log = ProblemLog(path.name, max_errors=100, keep=keep)
    items = cin_xml.read(path)
    header, _ = check_header(next(items), log, covered_la_codes={"860"},
                             partnership_code="STAFFS")
    assert header is not None
    # Only what the project's own code allocates counts: a test runner's worker thread
    # allocates while the trace runs, and that is not the checker's memory.
    ours = [tracemalloc.Filter(True, "*/safeguarding/*")]
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot().filter_traces(ours)
        checker = ChildChecker(header.spec, log)
        for node in items:
            checker.check(node)
        after = tracemalloc.take_snapshot().filter_traces(ours)
        held = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    finally:
        tracemalloc.stop()
    assert checker.dfe.first_lines  # the duplicate rule (DfE 8510) did run
    return log, held


def test_checking_a_return_holds_the_same_memory_however_many_children(tmp_path, monkeypatch):
    # A table of 64 slots moves to disk after 48 children, as the default table does
    # after 49,152: past that, checking more children holds no more memory.
    monkeypatch.setattr(first_lines, "MEMORY_BITS", 6)
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    synthetic.write_cin_census(small, la_code="860", year=2021, children=300, seed=3)
    synthetic.write_cin_census(large, la_code="860", year=2021, children=3_300, seed=3)
    # The log keeps nothing here: it keeps at most 101 problems (the larger return raises
    # more queries and would fill it), which is a bound of its own and not the checker's.
    small_log, small_held = _check_return(small, keep=0)
    large_log, large_held = _check_return(large, keep=0)
    assert small_log.errors == large_log.errors == 0
    # A dict of LAchildID -> line held about 120 bytes a child (360 KB here); the
    # in-memory table, growing to 8,192 slots, about 37. SQLite's own page cache is
    # capped at 1 MB by its pragma.
    assert (large_held - small_held) / 3_000 < 10


@pytest.mark.parametrize("memory_bits", [16, 4], ids=["in memory", "moved to disk"])
def test_a_repeated_child_is_still_found_with_its_first_line(tmp_path, monkeypatch, memory_bits):
    monkeypatch.setattr(first_lines, "MEMORY_BITS", memory_bits)
    path = tmp_path / "return.xml"
    synthetic.write_cin_census(path, la_code="860", year=2021, children=50, seed=3)
    text = path.read_text()
    chunks = text.split("<Child>")
    repeated = chunks[3].split("<LAchildID>")[1].split("<")[0]
    first_line = len("<Child>".join(chunks[:3]).splitlines()) + 1
    path.write_text(text.replace("</Children>", f"<Child>{chunks[3]}</Children>"))
    log, _ = _check_return(path)
    duplicates = [p for p in log.kept if p.rule == "8510"]
    assert [(p.child, p.field) for p in duplicates] == [(repeated, "LAchildID")]
    assert f"first at line {first_line})" in duplicates[0].message
