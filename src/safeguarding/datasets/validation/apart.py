"""A large return's reader and checker in a process of their own, beside its writer.

Checking a CIN census return (reading the XML, typing every field, every DfE rule) is
pure Python that reads nothing from the database, and it is about a fifth to a half of
a load's time. For a large file on a machine with more than one core, ``checked_apart``
runs it in a spawned process while this one writes the children already checked: the
two cores both work (ADR 0045).

The checking process sends its checked children in batches, each with the problems its
log recorded since the last, through a bounded queue (so neither side holds more than a
few batches). This process replays the problems into the import's own log, in the order
they were found, before it takes the batch's children: the log counts, keeps and stops
(``TooManyErrors``) exactly as it would have with the check in process, and the loader
writes nothing once an error is logged. The outcome, the problems and the rows written
are the same either way (tests/datasets/test_cin_check_apart.py).

A small file is checked in process: starting the checking process (Django's set-up)
costs about a second and a half.

This module and the package it is in import no model, so the spawned process can load
it before Django is set up.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import queue as queues
import traceback
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

from safeguarding.datasets.validation.problems import Problem, ProblemLog, TooManyErrors

# Files from this size are checked apart: a CIN census return of about 30,000 children.
APART_FROM_BYTES = 32 * 1024 * 1024
# Batches waiting in the queue at most: the checker is that far ahead of the writer.
QUEUE_BATCHES = 4
# How long to wait for a batch before looking whether the checking process still lives.
_POLL_SECONDS = 5.0

# Checks: a top-level function of a log and picklable keyword arguments that yields
# checked children, (LA child ID, record), and logs problems in ``log``.
Check = Callable[..., Iterator[tuple[str, dict]]]


class Refused(Exception):  # noqa: N818 - what the checker raised to refuse the file
    """The checking process stopped on an exception the loader handles; ``error`` is it."""

    def __init__(self, error: BaseException):
        super().__init__(str(error))
        self.error = error


def worth_apart(paths: list[Path]) -> bool:
    """Whether these files are large enough, and the machine has the cores, to check apart."""
    if (os.cpu_count() or 1) < 2:
        return False
    return sum(path.stat().st_size for path in paths) >= APART_FROM_BYTES


def checked_apart(check: Check, kwargs: dict[str, Any], *, log: ProblemLog, batch: int,
                  handled: tuple[type[BaseException], ...] = ()
                  ) -> Generator[tuple[str, dict], None, None]:
    """Yield ``check(log=..., **kwargs)``'s children, checked in a spawned process.

    Its problems are replayed into ``log`` as they come. An exception of a type in
    ``handled`` raised by the check is raised here as ``Refused(error)`` (it must pickle,
    as an exception with its attributes does); any other stops the import with the
    checking process's traceback.
    """
    context = multiprocessing.get_context("spawn")  # never fork a process with threads
    channel = context.Queue(maxsize=QUEUE_BATCHES)
    # By name: the checking process imports them once Django is set up.
    process = context.Process(
        target=_run, name="return-checker", daemon=True,
        args=(_name(check), kwargs, log.file_name, log.max_errors, batch,
              [_name(kind) for kind in handled], channel))
    process.start()
    try:
        while True:
            kind, payload, problems = _next(channel, process)
            for p in problems:
                log.add(p.rule, p.message, row=p.row, child=p.child, field=p.field,
                        severity=p.severity, file=p.file)
            if kind == "batch":
                yield from payload
            elif kind == "end":
                return
            elif kind == "too-many":
                # The replayed log reached its limit with the checker's; say so if not.
                raise TooManyErrors
            elif kind == "refused":
                raise Refused(payload)
            else:
                raise RuntimeError(f"Checking {log.file_name} stopped with an error in the "
                                   f"checking process:\n{payload}")
    finally:
        if process.is_alive():  # the import stopped first: the check is not wanted
            process.terminate()
        process.join()
        channel.close()
        channel.join_thread()


def _next(channel, process) -> tuple[str, Any, list[Problem]]:
    while True:
        try:
            return channel.get(timeout=_POLL_SECONDS)
        except queues.Empty:
            if not process.is_alive():
                try:  # it may have put its last message as it went
                    return channel.get(timeout=1)
                except queues.Empty:
                    raise RuntimeError(
                        "The checking process stopped without a result "
                        f"(exit code {process.exitcode}).") from None


def _name(thing: Any) -> str:
    return f"{thing.__module__}:{thing.__qualname__}"


def _named(name: str) -> Any:
    module, _, qualname = name.partition(":")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def _run(check_name: str, kwargs: dict, file_name: str, max_errors: int, batch: int,
         handled_names: list[str], channel) -> None:
    """The checking process: check, and send each batch with the problems found before it."""
    import django

    django.setup()
    check: Check = _named(check_name)
    handled = tuple(_named(name) for name in handled_names)
    problems: list[Problem] = []
    # Kept nowhere here: every problem goes to the importing process's log.
    log = ProblemLog(file_name, max_errors=max_errors, keep=0, sink=problems.append)
    pending: list[tuple[str, dict]] = []

    def send(kind: str, payload: Any) -> None:
        channel.put((kind, payload, problems[:]))
        problems.clear()

    try:
        for child in check(log=log, **kwargs):
            pending.append(child)
            if len(pending) >= batch:
                send("batch", pending)
                pending = []
        send("batch", pending)
        send("end", None)
    except TooManyErrors:
        send("too-many", None)
    except handled as error:
        send("refused", error)
    except BaseException:  # noqa: BLE001 - reported to the importing process, which raises
        send("error", traceback.format_exc())
    channel.close()
    channel.join_thread()
