"""The demo's LA returns written in a process of their own (demo/writers.py): the same files
as written in process, an LA's histories let go at its end, and a writer's failure reaching
the build."""

from __future__ import annotations

import importlib
import multiprocessing
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from safeguarding.demo import writers

# The module (the package exports its function ``history`` under the same name).
history = importlib.import_module("safeguarding.datasets.synthetic.history")

LA = {"la_code": "861", "children": 120, "seed": 7}


def _write_all(folder: Path, *, apart: bool) -> list[Path]:
    """One LA's returns, asked of the writer as the demo asks: begin, each year's census
    and 903 return, Annex A, end. Every result is asked for, in order."""
    with writers.returns_writer(apart=apart) as writer:
        jobs = writers.la_returns_asked(writer, folder, years=(2020, 2021, 2022), **LA)
        writer.close_when_done()
        results = [job.result() for _kind, _label, job in jobs]
        if apart:
            # Its last job done, the writing process goes (and its memory with it) while
            # the build goes on.
            assert _no_child_process_within(seconds=60)
    assert isinstance(results[0], int) and results[0] >= LA["children"]  # the population
    return sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file())


def _no_child_process_within(*, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while multiprocessing.active_children():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _cells(path: Path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path, read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def _both_ways(tmp_path: Path, write) -> tuple[Path, Path, list[Path]]:
    """``write(folder, apart=...)`` in process and apart: the two folders and the files,
    the same names both ways."""
    here, there = tmp_path / "in-process", tmp_path / "apart"
    here.mkdir()
    there.mkdir()
    files = write(here, apart=False)
    assert write(there, apart=True) == files
    return here, there, files


def test_the_returns_written_apart_are_the_files_written_in_process(tmp_path):
    here, there, files = _both_ways(tmp_path, _write_all)
    assert {p.suffix for p in files} == {".xml", ".csv", ".xlsx"}
    assert len([p for p in files if p.suffix == ".xml"]) == 3
    for name in files:
        if name.suffix == ".xlsx":  # a workbook carries the time it was written
            assert _cells(there / name) == _cells(here / name), name
        else:
            assert (there / name).read_bytes() == (here / name).read_bytes(), name


def test_an_la_left_open_by_a_refused_import_lets_its_histories_go(tmp_path):
    with (pytest.raises(RuntimeError, match="refused"),
          writers.returns_writer(apart=False) as writer):
        writer.submit(writers.la_begin, year=2021, **LA).result()
        assert history._kept  # the LA's histories are kept while its files are written
        raise RuntimeError("an import was refused")
    assert writers._open == {}
    assert history._kept is None


def test_a_writer_that_fails_apart_fails_the_build(tmp_path):
    # A census asked for before its LA was opened: the writing process has no population.
    with pytest.raises(KeyError, match="861"), writers.returns_writer(apart=True) as writer:
        writer.submit(writers.cin_census, tmp_path / "cin.xml", year=2021, **LA).result()
    assert not (tmp_path / "cin.xml").exists()


def _extracts(folder: Path, *, apart: bool) -> list[Path]:
    """A partnership's agency extracts, asked of the writer as the demo asks, from index
    rows (``children.demo.index_rows``'s shape) made up here."""
    import datetime as dt

    from safeguarding.datasets.synthetic.agency import TEMPLATE_KINDS, synthetic_people

    people = synthetic_people(150, seed=7, la_code="861")
    rows = [(n, p.first_name, p.last_name, p.date_of_birth, p.sex, p.postcode, p.nhs_number,
             p.upn, p.la_child_id, "", p.la_code) for n, p in enumerate(people)]
    periods = [(dt.date(year, 4, 1), dt.date(year + 1, 3, 31)) for year in (2019, 2020)]
    files = {kind: [(folder / f"{kind}-{start.year}.csv", start, end) for start, end in periods]
             for kind in TEMPLATE_KINDS}
    with writers.returns_writer(apart=apart) as writer:
        begin, written, end = writers.extracts_asked(
            writer, code="STOKE", rows=rows, known_la_child_ids=[p.la_child_id for p in people
                                                                 [::3]],
            seed=7, files=files)
        assert begin.result() == 150
        counts = {kind: [w.rows for w in written[kind].result()] for kind in TEMPLATE_KINDS}
        end.result()
        writer.close_when_done()
    assert writers._people == {}  # let go (in this process; apart, in the writer's)
    assert sum(sum(rows) for rows in counts.values()) > 100
    return sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file())


def test_the_agency_extracts_written_apart_are_the_files_written_in_process(tmp_path):
    here, there, files = _both_ways(tmp_path, _extracts)
    assert len(files) == 12
    for name in files:
        assert (there / name).read_bytes() == (here / name).read_bytes(), name
