"""Benchmark: our CIN census import against the D2I CIN validator, same file, same run.

For each size the script writes one synthetic census return with
``safeguarding.datasets.synthetic`` (not timed) and gives that same file to:

(a) ours: ``safeguarding import cin-census FILE --partnership STAFFS`` against a
    fresh copy of a migrated SQLite database (migrated once, untimed): parse
    (lxml iterparse), validate against the year's spec and store, in one
    transaction;
(b) the peer: the D2I CIN validator (``csc-validator-be-cin`` on PyPI) in its
    own Python 3.11 venv, driven by ``bench/d2i_cin_peer.py``: ElementTree
    parse, the peer's XML-to-pandas tables, its 105 rules for the year. It
    validates only; it stores nothing.

Each side runs in its own child process under a small wrapper that reports
the wall time and the child's peak resident memory
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``), so every figure belongs to
one run only. The peer gets a time box (``--peer-timeout-min``); when it runs
over, it is killed and the row says "did not finish within N min", with the
time per child as a lower bound (time box / children). Where a smaller size
finished, an extrapolated lower bound (that size's time per child times this
size) is printed too, and labelled as such: it assumes only that the peer's
time per child does not fall as files grow, which the finished sizes show.

Each run checks that the side really saw the file: ours must report loading
every child, the peer must find every child in its ChildIdentifiers table.

    .venv/bin/python bench/cin_vs_d2i.py                          # 10k and 100k
    .venv/bin/python bench/cin_vs_d2i.py --sizes 1000000 --peer-timeout-min 40
    .venv/bin/python bench/cin_vs_d2i.py --sizes 1000000 --no-peer
    # a peer run longer than a session, started on the same file and watched by
    # bench/watch_peer.sh: its CPU so far is a measured lower bound
    .venv/bin/python bench/cin_vs_d2i.py --sizes 1000000 --workdir DIR --keep-files \
        --no-peer --peer-progress 1000000=peer-1m.watch

Peer setup, outside the repository (never a project dependency); pandas 1.5
needs numpy < 2, which its pins do not say:

    python3.11 -m venv /work/d2i-venv
    /work/d2i-venv/bin/pip install csc-validator-be-cin 'numpy<2'
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SAFEGUARDING = str(Path(PYTHON).with_name("safeguarding"))
PEER_DRIVER = ROOT / "bench" / "d2i_cin_peer.py"
DEFAULT_PEER_PYTHON = "/work/d2i-venv/bin/python"
PYCACHE = Path(tempfile.gettempdir()) / "cin-vs-d2i-pycache"

# Runs the command, kills it at the time box, and reports wall time and the
# command's peak RSS: getrusage(RUSAGE_CHILDREN) counts a killed child too,
# because subprocess.run reaps it before raising TimeoutExpired.
WRAPPER = """\
import json, resource, subprocess, sys, time
timeout = float(sys.argv[1]) or None
start = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=timeout)
    code, out, err, timed_out = done.returncode, done.stdout, done.stderr, False
except subprocess.TimeoutExpired as expired:
    code, timed_out = None, True
    out = (expired.stdout or b"").decode(errors="replace")
    err = (expired.stderr or b"").decode(errors="replace")
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_kib": usage.ru_maxrss, "code": code, "timed_out": timed_out,
                  "out": out[-4000:], "err": err[-4000:]}))
"""


def _bytecode_env(env: dict | None = None) -> dict:
    """Both sides keep compiled bytecode, as any installed Python does.

    A process started with PYTHONDONTWRITEBYTECODE (as this project's agents
    are) recompiles Django or pandas from source on every start, seconds that
    a deployed system never pays. The cache goes to its own folder, so no
    virtual environment is written to.
    """
    env = dict(os.environ if env is None else env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def _run_measured(args: list[str], env: dict | None = None, timeout_s: float = 0) -> dict:
    load_before = os.getloadavg()
    done = subprocess.run([PYTHON, "-c", WRAPPER, str(timeout_s), *args], env=_bytecode_env(env),
                          capture_output=True, text=True, check=True)
    run = json.loads(done.stdout)
    run["load_before"] = [round(x, 2) for x in load_before]
    run["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return run


def _our_env(database: Path) -> dict:
    env = _bytecode_env()
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["DJANGO_SETTINGS_MODULE"] = "safeguarding.config.settings.local"
    env["DEBUG"] = "false"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                      env.get("PYTHONPATH")]))
    return env


def _migrated(workdir: Path) -> Path:
    """A migrated database with the partnership, made once and copied for every run.

    Migrating is not timed; made once, it no longer takes minutes of every run
    on a loaded machine.
    """
    template = workdir / "ours-migrated.sqlite3"
    if not template.exists():
        partial = workdir / "ours-migrating.sqlite3"
        partial.unlink(missing_ok=True)
        env = _our_env(partial)
        subprocess.run([SAFEGUARDING, "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([SAFEGUARDING, "partnership", "add", "STAFFS", "--name", "Staffordshire",
                        "--la", "860/E10000028"], env=env, check=True, capture_output=True)
        partial.rename(template)
    return template


def run_ours(path: Path, size: int, workdir: Path) -> dict:
    database = workdir / f"ours-{size}.sqlite3"
    database.unlink(missing_ok=True)
    shutil.copyfile(_migrated(workdir), database)
    env = _our_env(database)
    run = _run_measured([SAFEGUARDING, "import", "cin-census", str(path),
                         "--partnership", "STAFFS"], env=env)
    if run["code"] != 0:
        raise SystemExit(f"our import failed ({run['code']}):\n{run['out']}\n{run['err']}")
    loaded = re.search(r"Loaded ([\d,]+) children", run["out"])
    if not loaded or int(loaded.group(1).replace(",", "")) != size:
        raise SystemExit(f"our import did not report loading {size:,} children:\n{run['out']}")
    database.unlink()
    own_timer = re.search(r"\(([\d,.]+) s\)\s*$", run["out"].strip())
    return {"side": "ours", "finished": True, "children_seen": size,
            "import_s": float(own_timer.group(1).replace(",", "")) if own_timer else None,
            "summary": run["out"].strip().splitlines()[-1], **_figures(run, size)}


def run_peer(path: Path, size: int, year: int, peer_python: str, timeout_min: float) -> dict:
    run = _run_measured([peer_python, "-W", "ignore", str(PEER_DRIVER), str(path),
                         "--year", str(year)], timeout_s=timeout_min * 60)
    row = {"side": "peer", **_figures(run, size)}
    if run["timed_out"]:
        return {**row, "finished": False, "timeout_min": timeout_min}
    if run["code"] != 0:
        raise SystemExit(f"peer failed ({run['code']}):\n{run['out']}\n{run['err']}")
    found = json.loads(run["out"].strip().splitlines()[-1])
    if found["children_found"] != size:
        raise SystemExit(f"peer found {found['children_found']} children, not {size}")
    return {**row, "finished": True, "children_seen": found["children_found"], "peer": found}


def peer_progress(log: Path, size: int) -> dict:
    """A peer run started apart (same file) and still going: its CPU so far, from its log.

    The log is bench/watch_peer.sh's: one line a minute with the process's CPU
    seconds and peak RSS. CPU used so far, divided by the children, is a lower
    bound on the peer's CPU time per child; the wall time so far likewise.
    """
    lines = [line.split() for line in log.read_text().splitlines() if "cpu_s=" in line]
    first, last = lines[0], lines[-1]
    fields = dict(part.split("=") for part in last[2:])
    cpu = float(fields["cpu_s"])
    # The first line is written a few seconds after the peer started; its CPU then
    # is added back so the wall time is not understated by more than a second.
    wall = float(last[0]) - float(first[0]) + float(dict(
        part.split("=") for part in first[2:])["cpu_s"])
    return {"side": "peer", "finished": False, "running": True, "children_seen": None,
            "wall_s": round(wall, 1), "ms_per_child": round(wall * 1000 / size, 3),
            "cpu_s": round(cpu, 1), "cpu_ms_per_child": round(cpu * 1000 / size, 3),
            "peak_rss_mb": round(int(fields["hwm_kib"]) / 1024, 1),
            "timeout_min": round(wall / 60), "load_before": [float(fields["load"])],
            "load_after": [float(fields["load"])], "read_at": last[1]}


def warm_up(workdir: Path, args) -> None:
    """Run each side once on a small file, untimed, so both start with compiled bytecode."""
    sys.path.insert(0, str(ROOT / "src"))
    from safeguarding.datasets import synthetic

    path = workdir / "warm-up.xml"
    synthetic.write_cin_census(path, la_code="860", year=args.year, children=200, seed=1)
    run_ours(path, 200, workdir)
    if not args.no_peer:
        run_peer(path, 200, args.year, args.peer_python, 0)
    path.unlink()


def _figures(run: dict, size: int) -> dict:
    return {"wall_s": round(run["wall"], 1), "ms_per_child": round(run["wall"] * 1000 / size, 3),
            "cpu_s": round(run["cpu"], 1), "cpu_ms_per_child": round(run["cpu"] * 1000 / size, 3),
            "peak_rss_mb": round(run["peak_kib"] / 1024, 1),
            "load_before": run["load_before"], "load_after": run["load_after"]}


def bench(size: int, args, workdir: Path, finished_peer: dict[int, float]) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from safeguarding.datasets import synthetic

    path = workdir / f"cin_860_{args.year}_{size}.xml"
    started = time.perf_counter()
    result: dict = {"size": size, "year": args.year}
    if args.keep_files and path.exists():
        # Written earlier by this script with the same writer, LA, year and seed.
        result["reused_file"] = True
    else:
        written = synthetic.write_cin_census(path, la_code="860", year=args.year,
                                            children=size, seed=args.seed)
        result.update(episodes=written.episodes, cpps=written.cpps)
    result.update(file_mb=round(path.stat().st_size / 1e6, 1),
                  generate_s=round(time.perf_counter() - started, 1))
    runs = sorted((run_ours(path, size, workdir) for _ in range(args.repeat)),
                  key=lambda run: run["cpu_s"])
    # The median run by CPU time, so one run slowed by the machine does not decide.
    result["ours"] = {**runs[len(runs) // 2], "runs_cpu_s": [run["cpu_s"] for run in runs]}
    print(json.dumps(result), flush=True)
    if size in args.peer_progress:
        result["peer"] = peer_progress(args.peer_progress[size], size)
    elif args.no_peer or (args.peer_max_size and size > args.peer_max_size):
        result["peer"] = None
    else:
        result["peer"] = peer = run_peer(path, size, args.year, args.peer_python,
                                         args.peer_timeout_min)
        if peer["finished"]:
            finished_peer[size] = peer["ms_per_child"]
    if not args.keep_files:
        path.unlink()
    print(json.dumps(result), flush=True)
    return result


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    ram = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return (f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {ram / 2**20:.1f} GiB RAM, "
            f"Python {platform.python_version()}")


def _times(ratio: float) -> str:
    return f"{ratio:.1f}×" if ratio < 10 else f"{ratio:.0f}×"


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def table(results: list[dict]) -> str:
    lines = ["| children | file MB | ours: wall | ours ms/child (CPU) | ours peak RSS | "
             "peer: wall | peer ms/child (CPU) | peer peak RSS | time/child peer ÷ ours "
             "(CPU) | load 1-min (ours / peer) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    finished: dict[int, float] = {}
    for r in results:
        ours, peer = r["ours"], r["peer"]
        mine = (f"{ours['wall_s']} s ({ours['import_s']} s in the import) | "
                f"{ours['ms_per_child']} ({ours['cpu_ms_per_child']}) | {ours['peak_rss_mb']} MB")
        if peer is None:
            theirs, ratio, load = "not run | — | —", "—", f"{ours['load_before'][0]} / —"
        else:
            load = f"{ours['load_before'][0]} / {peer['load_before'][0]}"
            if peer["finished"]:
                finished[r["size"]] = peer["ms_per_child"]
                theirs = (f"{peer['wall_s']} s | {peer['ms_per_child']} "
                          f"({peer['cpu_ms_per_child']}) | {peer['peak_rss_mb']} MB")
                ratio = (f"**{_times(peer['ms_per_child'] / ours['ms_per_child'])}** "
                         f"({_times(peer['cpu_ms_per_child'] / ours['cpu_ms_per_child'])})")
            else:
                stopped = ("still running after" if peer.get("running")
                           else "did not finish within")
                theirs = (f"{stopped} {peer['timeout_min']:g} min | "
                          f"> {peer['ms_per_child']} (> {peer['cpu_ms_per_child']} CPU; "
                          "lower bounds) | "
                          f"≥ {peer['peak_rss_mb']} MB "
                          f"{'so far' if peer.get('running') else 'when stopped'}")
                ratio = (f"> {_times(peer['ms_per_child'] / ours['ms_per_child'])} "
                         f"(> {_times(peer['cpu_ms_per_child'] / ours['cpu_ms_per_child'])} CPU)"
                         " (lower bounds)")
                smaller = [s for s in finished if s < r["size"]]
                if smaller:
                    base = max(smaller)
                    guess = finished[base] * r["size"] / 1000
                    ratio += (f"; extrapolated lower bound from {base:,}: ≥ {_duration(guess)}, "
                              f"> {_times(finished[base] / ours['ms_per_child'])}")
        lines.append(f"| {r['size']:,} | {r['file_mb']} | {mine} | {theirs} | {ratio} | {load} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--year", type=int, default=2023,
                        help="collection year (2023 = 2022/23; the peer has rules from 2023)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--peer-python", default=DEFAULT_PEER_PYTHON)
    parser.add_argument("--peer-timeout-min", type=float, default=40,
                        help="stop the peer after this many minutes (0: no limit)")
    parser.add_argument("--peer-max-size", type=int, default=0,
                        help="do not run the peer above this many children")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run ours this many times per size and report the median run")
    parser.add_argument("--workdir", type=Path, help="where files go (default: a temp dir)")
    parser.add_argument("--keep-files", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every result here")
    parser.add_argument("--peer-progress", action="append", default=[], metavar="SIZE=LOG",
                        help="the peer for SIZE runs apart on the same file; read its "
                             "bench/watch_peer.sh LOG instead of running it")
    args = parser.parse_args()
    args.peer_progress = {int(size): Path(log) for size, log in
                          (item.split("=", 1) for item in args.peer_progress)}
    print(f"# {_machine()}; load {os.getloadavg()}", flush=True)
    finished: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="cin-vs-d2i-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        warm_up(workdir, args)
        results = [bench(size, args, workdir, finished) for size in args.sizes]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print()
    print(table(results))


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
