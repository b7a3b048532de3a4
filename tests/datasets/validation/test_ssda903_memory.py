"""Checking and streaming an SSDA903 return holds the same memory however many children it has."""

from __future__ import annotations

import gc
import tracemalloc

from safeguarding.datasets.readers import ssda903 as reader
from safeguarding.datasets.synthetic.ssda903 import write_ssda903
from safeguarding.datasets.validation.problems import ProblemLog
from safeguarding.datasets.validation.ssda903 import check_return


def _check_and_stream(folder, census: int) -> tuple[int, int, int]:
    """Check a return and go through its children as the loader does.

    The children streamed, and the memory the project's code still held after
    checking and after streaming (what a dict of every child would hold).
    """
    written = write_ssda903(folder, la_code="860", year=2021, children=census, seed=3)
    files, _skipped = reader.read_inputs(written.paths, [p.name for p in written.paths])
    log = ProblemLog("return", max_errors=100)
    # Only what the project's own code allocates counts: a test runner's worker thread
    # allocates while the trace runs, and that is not the checker's memory.
    ours = [tracemalloc.Filter(True, "*/safeguarding/*")]

    def snapshot():
        gc.collect()  # garbage waiting for the collector is not memory held
        return tracemalloc.take_snapshot().filter_traces(ours)

    tracemalloc.start()
    try:
        before = snapshot()
        checked = check_return(files, log, year=2021)
        assert checked is not None, [p.message for p in log.kept]
        after_check = snapshot()
        streamed = 0
        for _lid, record in checked.children():
            assert record["header"]["DOB"]
            streamed += 1
        after_stream = snapshot()
        checked.close()
    finally:
        tracemalloc.stop()

    def held(snapshot) -> int:
        return sum(stat.size_diff for stat in snapshot.compare_to(before, "filename"))

    assert streamed == written.children == checked.counts["children"]
    return streamed, held(after_check), held(after_stream)


def test_checking_a_903_return_holds_the_same_memory_however_many_children(tmp_path):
    small_children, small_checked, small_streamed = _check_and_stream(tmp_path / "s", 2_000)
    large_children, large_checked, large_streamed = _check_and_stream(tmp_path / "l", 20_000)
    more = large_children - small_children
    assert more > 1_000
    # Every child's record kept in a dict until the end (the loader before ADR 0012)
    # held about 3.5 KB a child, 8 MB here; spooled to disk, the children cost no
    # Python memory that stays.
    assert (large_checked - small_checked) / more < 10
    assert (large_streamed - small_streamed) / more < 10
