"""The demo's LA returns written ahead of the importers, in a process of their own.

At national scale the synthetic writers (each LA's children's histories, three CIN census
returns, three SSDA903 returns and an Annex A workbook) are about a quarter of the build's
CPU time, and they read nothing from the database. ``returns_writer(apart=True)`` runs them
in one spawned process that works through every LA's files in order while the build imports
the files already written: the two cores both work. The LA's histories are kept in that
process while its files are written (``histories_kept``), so the importing process never
holds them.

``apart=False`` runs each job when its result is asked for, in this process: the same
calls in the same order, so the files are the same byte for byte
(tests/demo/test_writers.py). Small builds (the tests, the county demo) write in process;
a process of its own costs a second or two to start.

The jobs are plain functions of picklable arguments. Their order is part of the contract:
``la_begin`` opens an LA (its population of children and its kept histories), the
writes follow, ``la_end`` lets the histories go. With one worker they run in the order
submitted.

The agency extracts are drawn from the child index as the LA's census returns leave it, so
they can only be asked for once those are loaded. A second writer (``extracts_asked``)
takes the index's rows, read by the build, and writes each template's extracts while the
build imports those already written; the first writer has gone by then, its memory with
it.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from safeguarding.datasets.synthetic.agency import (
    TEMPLATE_KINDS,
    WrittenExtract,
    people_from_rows,
    write_extracts,
)
from safeguarding.datasets.synthetic.annex_a import write_annex_a
from safeguarding.datasets.synthetic.history import histories_kept, population_for
from safeguarding.datasets.synthetic.ssda903 import write_ssda903
from safeguarding.datasets.synthetic.writer import write_cin_census

# Census children per return from which a build writes its returns in a process apart:
# the national scale (400,000 and 160,000), not the county (8,500) or the tests' (300).
APART_FROM_CHILDREN = 20_000

# The writing process's open LAs: la_code -> (population, the histories' kept block).
_open: dict[str, tuple[int, ExitStack]] = {}
# The writing process's people for a partnership's agency extracts: code -> people.
_people: dict[str, list] = {}


def la_begin(*, la_code: str, year: int, children: int, seed: int) -> int:
    """Open an LA: draw its population of children (one for every year, so a child open at
    one year's end is in the next return too) and keep its histories until ``la_end``."""
    stack = ExitStack()
    stack.enter_context(histories_kept())
    population = population_for(la_code=la_code, year=year, seed=seed, children=children)
    _open[la_code] = (population, stack)
    return population


def la_end(*, la_code: str) -> None:
    _population, stack = _open.pop(la_code)
    stack.close()


def cin_census(path: Path, *, la_code: str, year: int, children: int, seed: int) -> Path:
    write_cin_census(path, la_code=la_code, year=year, seed=seed, children=children,
                     id_prefix="S", population=_open[la_code][0])
    return path


def ssda903(folder: Path, *, la_code: str, year: int, children: int, seed: int) -> list[Path]:
    # The 903 children are the census's children who come into care (same IDs).
    return list(write_ssda903(folder, la_code=la_code, year=year, seed=seed, children=children,
                              id_prefix="S").paths)


def annex_a(path: Path, *, la_code: str, children: int, seed: int, period_end) -> Path:
    write_annex_a(path, la_code=la_code, children=children, seed=seed, id_prefix="S",
                  population=_open[la_code][0], period_end=period_end)
    return path


def la_returns_asked(writer, folder: Path, *, la_code: str, children: int, seed: int,
                     years: tuple[int, ...]) -> list[tuple[str, str, Future]]:
    """Ask ``writer`` for one LA's census return and 903 return of each collection year and
    its Annex A (the last six months of the last year), in the order they are loaded:
    (import kind, what the log calls it, the written file's future). The first and last
    jobs open and close the LA (kind ""); the first's result is its population."""
    size = {"la_code": la_code, "children": children, "seed": seed}
    # One population of children for every year (the middle one's): each return holds
    # those of them with an episode open in its year, so an episode open at one year's end
    # is in the next return too (and closed there), never left open by a gap.
    jobs = [("", "", writer.submit(la_begin, year=years[len(years) // 2], **size))]
    for year in years:
        label = f"{la_code} {year - 1}/{str(year)[2:]}"
        jobs.append(("cin-census", f"CIN census {label}", writer.submit(
            cin_census, folder / f"cin-{la_code}-{year}.xml", year=year, **size)))
        jobs.append(("ssda903", f"SSDA903 {label}", writer.submit(
            ssda903, folder / f"903-{la_code}-{year}", year=year, **size)))
    # Annex A from the same children, so the summary's census comparison has figures to
    # agree with.
    jobs.append(("annex-a", f"Annex A {la_code}", writer.submit(
        annex_a, folder / f"annex-a-{la_code}.xlsx", period_end=dt.date(years[-1], 3, 31),
        **size)))
    jobs.append(("", "", writer.submit(la_end, la_code=la_code)))
    return jobs


def extracts_begin(*, code: str, rows: list[tuple], known_la_child_ids: list[str]) -> int:
    """Keep a partnership's people for its agency extracts, from its child index's rows
    (read by the build: the index is in its open transaction) until ``extracts_end``."""
    _people[code] = people_from_rows(rows, known_la_child_ids=known_la_child_ids)
    return len(_people[code])


def agency_extracts(kind: str, *, code: str, seed: int,
                    periods: list[tuple[Path, dt.date, dt.date]]) -> list[WrittenExtract]:
    return write_extracts(kind, _people[code], seed=seed, periods=periods)


def extracts_end(*, code: str) -> None:
    _people.pop(code, None)


def extracts_asked(writer, *, code: str, rows: list[tuple], known_la_child_ids: list[str],
                   seed: int, files: dict[str, list[tuple[Path, dt.date, dt.date]]]
                   ) -> tuple[Future, dict[str, Future], Future]:
    """Ask ``writer`` for a partnership's agency extracts: its people kept, then each
    template's files (``files[kind]``: path, start and end of each period) in one pass over
    the people, then the people let go. Ask for every result in order: the first, each
    template's in ``TEMPLATE_KINDS`` order, the last."""
    begin = writer.submit(extracts_begin, code=code, rows=rows,
                          known_la_child_ids=known_la_child_ids)
    kinds = {kind: writer.submit(agency_extracts, kind, code=code, seed=seed,
                                 periods=files[kind]) for kind in TEMPLATE_KINDS}
    return begin, kinds, writer.submit(extracts_end, code=code)


class _Later(Future):
    """A job run in this process when its result is first asked for."""

    def __init__(self, job: Callable[..., Any], args: tuple, kwargs: dict):
        super().__init__()
        self._job = (job, args, kwargs)

    def result(self, timeout=None):
        if self._job is not None:
            job, args, kwargs = self._job
            self._job = None
            try:
                self.set_result(job(*args, **kwargs))
            except BaseException as error:
                self.set_exception(error)
        return super().result(timeout)


class _InProcess:
    def submit(self, job: Callable[..., Any], /, *args, **kwargs) -> Future:
        return _Later(job, args, kwargs)

    def close_when_done(self) -> None:
        pass

    def stop(self, *, cancel: bool) -> None:
        for la_code in list(_open):  # an LA left open by a refused import
            la_end(la_code=la_code)
        _people.clear()


class _Apart:
    """One spawned worker that runs the jobs in the order submitted.

    Spawned, not forked: the building process has DuckDB's and Polars' threads running.
    Once told no more jobs will come (``close_when_done``), the worker is shut down as soon
    as the last is done, so the memory of the histories it kept goes back to the system
    while the build goes on importing (the writer finishes well before the importer)."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1,
                                         mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_setup_django)
        self._futures: list[Future] = []
        self._closer: threading.Thread | None = None

    def submit(self, job: Callable[..., Any], /, *args, **kwargs) -> Future:
        future = self._pool.submit(job, *args, **kwargs)
        self._futures.append(future)
        return future

    def close_when_done(self) -> None:
        def close() -> None:
            wait(self._futures)
            self._pool.shutdown(wait=True)

        # Only this thread shuts the pool down from now on.
        self._closer = threading.Thread(target=close, name="demo-writer-closer", daemon=True)
        self._closer.start()

    def stop(self, *, cancel: bool) -> None:
        if cancel:  # the jobs not yet started; a running one finishes
            for future in self._futures:
                future.cancel()
        if self._closer is None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
        else:
            self._closer.join()


def _setup_django() -> None:
    """The writing process imports the app modules the writers live in (it runs no query)."""
    import django

    django.setup()


@contextmanager
def returns_writer(*, apart: bool) -> Iterator[_InProcess | _Apart]:
    """Something with ``submit(job, *args, **kwargs) -> Future`` for the jobs above, and
    ``close_when_done()`` to say no more will come.

    Apart, one spawned worker runs the jobs in the order submitted; leaving the block early
    (an import refused) cancels the jobs not yet started. In process, each job runs when its
    result is asked for: every job's result must be asked for, in order."""
    writer: _InProcess | _Apart = _Apart() if apart else _InProcess()
    try:
        yield writer
    except BaseException:
        writer.stop(cancel=True)
        raise
    writer.stop(cancel=False)
