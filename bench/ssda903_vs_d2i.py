"""Benchmark: this service's SSDA903 check against the D2I 903 validator, on the same files.

Two parts, each run through both checkers in child processes (the peer under
its own interpreter, bench/d2i_903_peer.py):

1. Speed: the clean synthetic 2022/23 return (``safeguarding.datasets.synthetic``,
   every table) at each ``--census`` size (about one child in ten of a census is
   looked after). Seconds per looked-after child and the peak memory (RSS) of
   each process. Ours is ``check_return`` (every row check and every DfE rule
   implemented), the peer's is ``LacValidator`` with its whole 2022/23 ruleset.
2. Agreement: the small clean return of tests/datasets/validation/test_ssda903_rules.py
   and its one-rule mutations (one for each DfE rule implemented here). For each,
   which DfE rules each side reports beyond what it reports on the clean return.

    .venv/bin/python bench/ssda903_vs_d2i.py --census 10000 100000
    .venv/bin/python bench/ssda903_vs_d2i.py --census 10000 --peer-results peer.jsonl
    .venv/bin/python bench/ssda903_vs_d2i.py --census 3000 --seed 5 --years 2023 2025 2026 --no-mutations

``--peer-results`` reuses a saved run of the peer over the mutation folders
(its JSON lines), since the peer takes 5 to 15 seconds a folder however small.
``--years`` writes the census part's return for each collection year (2025 =
2024/25) and runs the peer with that year's ruleset. A mutation the peer
refuses outright (a Header with the optional UASC column, which its 2022/23
reader does not know) is listed as ``peer_refused``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_PYTHON = "/work/d2i-venv/bin/python"
YEAR = 2023


def _django() -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.config.settings.test")
    import django

    django.setup()


def ours(folders: list[str], year: int = YEAR) -> None:
    """Check each folder as ``safeguarding import ssda903 --check`` does; a JSON line each."""
    _django()
    from safeguarding.datasets.readers import ssda903 as reader
    from safeguarding.datasets.validation.problems import ProblemLog
    from safeguarding.datasets.validation.ssda903 import check_return

    for folder in folders:
        paths = sorted(Path(folder).glob("*.csv"))
        started, cpu = time.perf_counter(), time.process_time()
        files, _skipped = reader.read_inputs(paths, [p.name for p in paths])
        log = ProblemLog("return", max_errors=10**9, keep=10**6)
        checked = check_return(files, log, year=year)
        children = checked.counts["children"] if checked else None
        if checked is not None:
            checked.close()
        seconds = time.perf_counter() - started
        broken: dict[str, int] = {}
        for problem in log.kept:
            broken[problem.rule] = broken.get(problem.rule, 0) + 1
        print(json.dumps({"folder": folder, "seconds": seconds, "children": children,
                          "cpu_s": time.process_time() - cpu,
                          "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                          "broken": broken}), flush=True)


def _run(command: list[str]) -> list[dict]:
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith('{"folder"')]


def run_ours(folders: list[Path], year: int = YEAR) -> list[dict]:
    return _run([sys.executable, __file__, "--ours", str(year), *map(str, folders)])


def run_peer(folders: list[Path], year: int = YEAR) -> list[dict]:
    return _run([PEER_PYTHON, str(ROOT / "bench" / "d2i_903_peer.py"), "--year", str(year),
                 *map(str, folders)])


def speed(census: int, workdir: Path, year: int = YEAR, seed: int = 7) -> dict:
    _django()
    from safeguarding.datasets.synthetic.ssda903 import write_ssda903

    folder = workdir / f"synthetic_{year}_{census}"
    written = write_ssda903(folder, la_code="860", year=year, children=census, seed=seed)
    mine, = run_ours([folder], year)
    peer, = run_peer([folder], year)
    looked_after = written.children
    dfe = {code: n for code, n in mine["broken"].items() if not code.startswith("SCP")}
    return {"year": year, "census": census, "children": looked_after, "ours_s": mine["seconds"],
            "peer_s": peer["seconds"], "ours_cpu_s": mine["cpu_s"], "peer_cpu_s": peer["cpu_s"], "ours_mb": mine["peak_mb"], "peer_mb": peer["peak_mb"],
            "ours_loaded": mine["children"] is not None, "ours_broken": dfe,
            "peer_broken": peer["broken"], "peer_failed": peer["failed"]}


def mutation_folders(workdir: Path) -> dict[str, Path]:
    _django()
    from tests.datasets.validation import test_ssda903_rules as cases

    folders = {}
    for code in ["clean", *sorted(cases.MUTATIONS)]:
        if code != "clean" and cases._year(code) != YEAR:
            continue  # a rule newer than the peer's 2022/23 ruleset
        folder = workdir / "mutations" / code
        folder.mkdir(parents=True, exist_ok=True)
        cases._write(folder, cases.CLEAN if code == "clean" else cases._mutated(code))
        folders[code] = folder
    return folders


def agreement(folders: dict[str, Path], peer_results: Path | None) -> list[dict]:
    mine = {Path(r["folder"]).name: r for r in run_ours(list(folders.values()))}
    if peer_results:
        peer = {Path(r["folder"]).name: r for r in map(json.loads, peer_results.open())}
    else:
        peer = {Path(r["folder"]).name: r for r in run_peer(list(folders.values()))}
    base_mine = {c for c in mine["clean"]["broken"] if not c.startswith("SCP")}
    base_peer = set(peer["clean"]["broken"])
    rows = []
    for code in folders:
        if code == "clean" or code not in peer:
            continue
        if "error" in peer[code]:  # the peer refused the files (e.g. a column it does not know)
            rows.append({"rule": code, "peer_refused": peer[code]["error"]})
            continue
        ours_new = {c for c in mine[code]["broken"] if not c.startswith("SCP")} - base_mine
        peer_new = set(peer[code]["broken"]) - base_peer
        rows.append({"rule": code, "ours": code in ours_new, "peer": code in peer_new,
                     "only_ours": sorted(ours_new - peer_new),
                     "only_peer": sorted(peer_new - ours_new),
                     "scp": sorted(c for c in mine[code]["broken"] if c.startswith("SCP"))})
    return [{"clean_ours": sorted(base_mine), "clean_peer": sorted(base_peer)}, *rows]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--ours":
        ours(sys.argv[3:], int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--census", type=int, nargs="*", default=[10_000])
    parser.add_argument("--years", type=int, nargs="*", default=[YEAR],
                        help="returns to write for the census part (2025 = 2024/25)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--peer-results", type=Path)
    parser.add_argument("--no-mutations", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ssda903_vs_d2i_") as tmp:
        workdir = Path(tmp)
        for year in args.years:
            for census in args.census:
                print(json.dumps(speed(census, workdir, year, args.seed)), flush=True)
        if not args.no_mutations:
            for row in agreement(mutation_folders(workdir), args.peer_results):
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
