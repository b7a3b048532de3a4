"""kill -9 in the middle of an import, a recompute and a report publish: nothing half-written.

For each operation the script counts the rows of every table, then starts the
operation in a child process with a hook on the database connection: the first
time the operation writes to a chosen table, the hook lets that statement run,
writes a marker file (saying whether the connection is inside a transaction)
and waits. The parent waits for the marker (never for a fixed time), sends
SIGKILL, and checks:

- every table holds as many rows as before (for an import, one more import
  record, the attempt itself, which is written before the load begins);
- the killed import's record is not left "running": the sweep that the next
  import and the worker run marks it "stopped by a fault" once it is older than
  ``datasets.services.STUCK_AFTER`` (run here with the clock moved on);
- the audit chain verifies (`safeguarding audit verify`); on SQLite, PRAGMA
  integrity_check says ok;
- the same operation then runs to the end.

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5433/sg_rel \\
        uv run python bench/faults.py [--build]
    DATABASE_URL=sqlite:////tmp/faults.sqlite3 uv run python bench/faults.py --build

--build migrates and builds the small demo first. Every wait is bounded.
Not a test (it needs a demo database and a minute or two); bench/ holds it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MARKER_WAIT_SECONDS = 600
# The table whose first write, mid-operation, is where the child is killed.
KILL_AT = {
    "import": "datasets_cinepisode",
    "recompute": "measures_indicatorresults",
    "publish": "reports_publishedreport",
}


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.config.settings.local")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


# The child -------------------------------------------------------------------

def _hold_after_first_write(table: str, marker: Path):
    from django.db import connection

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("INSERT") and f'"{table}"' in sql:
            marker.write_text(json.dumps({"pid": os.getpid(), "table": table,
                                          "in_transaction": connection.in_atomic_block}))
            deadline = time.monotonic() + MARKER_WAIT_SECONDS
            while time.monotonic() < deadline:  # killed long before this ends
                time.sleep(0.2)
            os._exit(3)
        return result

    return connection.execute_wrapper(wrapper)


def _operation(name: str, file: str | None) -> None:
    from django.core.management import call_command

    from safeguarding.core.models import Partnership, User
    from safeguarding.reports import services as reports

    if name == "import":
        call_command("import", "cin-census", file, "--partnership", "STAFFS")
    elif name == "recompute":
        call_command("indicators", "--recompute", "--partnership", "STAFFS")
    elif name == "publish":
        published = reports.report_publish(actor=User.objects.get(username="business.staffs"),
                                           partnership=Partnership.objects.get(code="STAFFS"),
                                           year="2021-22")
        print(f"published STAFFS 2021-22 as number {published.number}")


def child(name: str, marker: Path | None, file: str | None) -> None:
    _django()
    if marker is None:
        _operation(name, file)
        return
    with _hold_after_first_write(KILL_AT[name], marker):
        _operation(name, file)
    os._exit(4)  # the operation ended without writing to the table: say so


# The parent ------------------------------------------------------------------

def _counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def _documents() -> list[tuple]:
    """The cached indicator documents as they stand: which period, which data, when."""
    from django.db import connection

    from safeguarding.measures.models import IndicatorResults

    found = sorted(IndicatorResults.objects.values_list(
        "partnership_id", "period", "scope", "data_version", "computed_at"))
    connection.close()
    return found


def _spawn(name: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--child", name, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _checks(ok: bool, text: str, results: list[str]) -> bool:
    results.append(f"  {'ok  ' if ok else 'FAIL'} {text}")
    return ok


def _audit_verify() -> tuple[bool, str]:
    done = subprocess.run([str(BIN / "safeguarding"), "audit", "verify"], capture_output=True,
                          text=True, timeout=600)
    return done.returncode == 0, (done.stdout + done.stderr).strip()


def _integrity() -> tuple[bool, str]:
    from django.db import connection

    if connection.vendor != "sqlite":
        return True, "PRAGMA integrity_check: not SQLite, skipped"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        answer = cursor.fetchone()[0]
    connection.close()
    return answer == "ok", f"PRAGMA integrity_check: {answer}"


def _prepare_publish() -> None:
    from safeguarding.core.models import Partnership, User
    from safeguarding.reports import services as reports
    from safeguarding.reports.models import Block

    writer = User.objects.get(username="business.staffs")
    staffs = Partnership.objects.get(code="STAFFS")
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    for block in Block.values:
        reports.narrative_save(actor=writer, partnership=staffs, year="2021-22", block=block,
                               text=f"Text for {block}, written by bench/faults.py at {stamp}.")


def scenario(name: str, workdir: Path) -> tuple[bool, list[str]]:
    from django.db import connection
    from django.utils import timezone

    from safeguarding.datasets import services as imports
    from safeguarding.datasets.models import DatasetImport, ImportStatus

    results: list[str] = []
    extra: list[str] = []
    if name == "import":
        from safeguarding.datasets import synthetic

        path = workdir / "cin_860_2023.xml"
        synthetic.write_cin_census(path, la_code="860", year=2023, children=3000,
                                   seed=int(time.time()))
        extra = ["--file", str(path)]
    if name == "publish":
        _prepare_publish()
    connection.close()
    before = _counts()
    documents = _documents()
    marker = workdir / f"{name}.marker"
    marker.unlink(missing_ok=True)
    started = time.monotonic()
    process = _spawn(name, "--marker", str(marker), *extra)
    deadline = started + MARKER_WAIT_SECONDS
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # polling for the marker, bounded by the deadline
    if not marker.exists():
        process.kill()
        output = process.communicate(timeout=60)[0]
        return False, [f"  FAIL the child never reached {KILL_AT[name]} "
                       f"(exit {process.returncode}): {output[-2000:]}"]
    held = json.loads(marker.read_text())
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    results.append(f"  killed pid {held['pid']} with SIGKILL {time.monotonic() - started:.1f} s "
                   f"after start, just after its first INSERT into {held['table']} "
                   f"(inside a transaction: {held['in_transaction']}); exit {process.returncode}")
    ok = process.returncode == -signal.SIGKILL
    after = _counts()
    expected = dict(before)
    if name == "import":
        expected["datasets_datasetimport"] += 1
    changed = {t: (before.get(t), after.get(t)) for t in set(before) | set(after)
               if expected.get(t) != after.get(t)}
    ok &= _checks(not changed, f"row counts of all {len(after)} tables as before "
                               f"({sum(after.values()):,} rows"
                               f"{'; plus the attempt record' if name == 'import' else ''})"
                               + (f"; changed: {changed}" if changed else ""), results)
    if name == "recompute":
        ok &= _checks(_documents() == documents,
                      f"all {len(documents)} cached indicator documents as before (period, "
                      "scope, data version, time computed)", results)
    if name == "import":
        record = DatasetImport.objects.order_by("-pk").first()
        ok &= _checks(record.status == ImportStatus.RUNNING,
                      f"the killed import {record.pk} says '{record.status}' right after", results)
        later = timezone.now() + imports.STUCK_AFTER + timezone.timedelta(minutes=1)
        marked = imports.imports_interrupted_mark(now=later)
        record.refresh_from_db()
        ok &= _checks(record.status == ImportStatus.CRASHED and marked >= 1,
                      f"after STUCK_AFTER the sweep marks it '{record.get_status_display()}': "
                      f"{record.summary}", results)
        connection.close()
    verified, said = _audit_verify()
    ok &= _checks(verified, f"safeguarding audit verify: {said}", results)
    intact, said = _integrity()
    ok &= _checks(intact, said, results)
    again = _spawn(name, *extra)
    output = again.communicate(timeout=1800)[0]
    ok &= _checks(again.returncode == 0,
                  f"run again to the end: exit {again.returncode}; "
                  f"{output.strip().splitlines()[-1] if output.strip() else ''}", results)
    verified, said = _audit_verify()
    ok &= _checks(verified, f"then safeguarding audit verify: {said}", results)
    return ok, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="Migrate and build the small demo")
    parser.add_argument("--only", choices=sorted(KILL_AT), action="append")
    parser.add_argument("--child", choices=sorted(KILL_AT), help=argparse.SUPPRESS)
    parser.add_argument("--marker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.marker, args.file)
        return
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to the database to break (a demo database)")
    if args.build:
        for command in (["migrate", "--verbosity", "0"], ["demo", "--replace", "--verbosity", "0"]):
            subprocess.run([str(BIN / "safeguarding"), *command], check=True, timeout=1800)
    _django()
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for name in args.only or ("import", "recompute", "publish"):
            ok, lines = scenario(name, Path(folder))
            failed += not ok
            print(f"{name}: {'nothing half-written' if ok else 'FAILED'}")
            print("\n".join(lines))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
