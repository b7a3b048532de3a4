"""Benchmark: import a synthetic CIN census return of 10,000 and 100,000 children.

For each size the script writes a return with ``safeguarding.datasets.synthetic``
(not timed), then runs ``safeguarding import cin-census`` in a fresh child
process against a fresh database, twice: ``--check`` (read and validate only)
and a full load (one transaction, with the child index links). It reports the
wall time, the time per child and the child process's peak resident memory
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, read after each run in its
own wrapper process, so every figure belongs to one run only).

    .venv/bin/python bench/cin_import.py                 # 10k and 100k, SQLite
    .venv/bin/python bench/cin_import.py --sizes 1000000 # 1M: not run by default
    .venv/bin/python bench/cin_import.py --sizes 10000 --repeat 3   # median of 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_cin .venv/bin/python bench/cin_import.py

With a PostgreSQL DATABASE_URL the named database is dropped and re-created
for each run (it must not be one you care about).

The peer comparison (the D2I CIN validator on the same files, in the same run)
is bench/cin_vs_d2i.py; see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SAFEGUARDING = str(Path(PYTHON).with_name("safeguarding"))


def _env(database_url: str) -> dict:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.config.settings.local")
    env["DEBUG"] = "false"
    return env


def _fresh_database(base_url: str, workdir: Path, label: str) -> str:
    if base_url.startswith("postgres"):
        name = base_url.rsplit("/", 1)[1]
        admin = base_url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", admin, "-q", "-c", sql], check=True)
        return base_url
    return f"sqlite:///{workdir / f'{label}.sqlite3'}"


def _run_measured(args: list[str], env: dict) -> dict:
    """Run a command in a wrapper process that reports its wall time and peak RSS."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'wall': wall, 'peak_kib': peak, 'code': done.returncode,\n"
        "                  'out': done.stdout[-2000:], 'err': done.stderr[-2000:]}))\n"
    )
    done = subprocess.run([PYTHON, "-c", wrapper, *args], env=env, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def measure_import(kind: str, files: list[Path], *, size: int, mode: str, workdir: Path,
                   base_url: str, repeat: int = 1, extra: tuple[str, ...] = ()) -> dict:
    """Import ``files`` into a fresh database ``repeat`` times: the median run's figures."""
    runs = []
    for _ in range(repeat):
        url = _fresh_database(base_url, workdir, f"{kind}-{mode}-{size}")
        if url.startswith("sqlite"):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        env = _env(url)
        subprocess.run([SAFEGUARDING, "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([SAFEGUARDING, "partnership", "add", "STAFFS", "--name", "Staffordshire",
                        "--la", "860/E10000028"], env=env, check=True, capture_output=True)
        args = [SAFEGUARDING, "import", kind, *map(str, files), "--partnership", "STAFFS",
                *extra]
        if mode == "check":
            args.append("--check")
        run = _run_measured(args, env)
        if run["code"] != 0:
            raise SystemExit(f"import failed ({run['code']}):\n{run['out']}\n{run['err']}")
        runs.append(run)
    runs.sort(key=lambda r: r["wall"])
    median = runs[len(runs) // 2]
    return {
        "size": size, "mode": mode, "repeat": repeat,
        "walls_s": [round(r["wall"], 2) for r in runs],
        "wall_s": round(median["wall"], 2),
        "ms_per_child": round(median["wall"] * 1000 / size, 3),
        "peak_rss_mb": round(max(r["peak_kib"] for r in runs) / 1024, 1),
        "load_average": round(os.getloadavg()[0], 1),
        "database": "postgresql" if base_url.startswith("postgres") else "sqlite",
    }


def bench(size: int, workdir: Path, base_url: str, seed: int, repeat: int = 1,
          modes: tuple[str, ...] = ("check", "load")) -> list[dict]:
    sys.path.insert(0, str(ROOT / "src"))
    from safeguarding.datasets import synthetic

    path = workdir / f"cin_860_2021_{size}.xml"
    started = time.perf_counter()
    written = synthetic.write_cin_census(path, la_code="860", year=2021, children=size, seed=seed)
    generated = time.perf_counter() - started
    results = []
    for mode in modes:
        result = measure_import("cin-census", [path], size=size, mode=mode, workdir=workdir,
                                base_url=base_url, repeat=repeat)
        results.append({**result, "episodes": written.episodes,
                        "file_mb": round(path.stat().st_size / 1e6, 1),
                        "generate_s": round(generated, 1)})
        print(json.dumps(results[-1]), flush=True)
    path.unlink()
    return results


def print_table(rows: list[dict]) -> None:
    print("\n| children | mode | episodes | file MB | wall s (median) | ms/child | peak RSS MB "
          "| load average | db |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['size']:,} | {r['mode']} | {r['episodes']:,} | {r['file_mb']} | "
              f"{r['wall_s']} | {r['ms_per_child']} | {r['peak_rss_mb']} | "
              f"{r['load_average']} | {r['database']} |")


def run(description: str, bench_one, *, sizes: str, default: list[int], help: str,
        prefix: str) -> None:
    """An import benchmark's command line: options, the machine line, each size, the table.

    ``bench_one(size, workdir, base_url, seed, repeat, modes)`` writes one file and
    measures its imports; ``sizes`` names the option that lists the sizes.
    """
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument(f"--{sizes}", dest="sizes", type=int, nargs="+", default=default,
                        help=help)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--modes", nargs="+", choices=("check", "load"), default=["check", "load"])
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each import (each in a fresh database); the median is shown")
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", "sqlite://")
    print(f"# {platform.node()} {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}", flush=True)
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        rows = []
        for size in args.sizes:
            rows += bench_one(size, Path(tmp), base_url, args.seed, args.repeat,
                              tuple(args.modes))
    print_table(rows)


def main() -> None:
    run(__doc__, bench, sizes="sizes", default=[10_000, 100_000],
        help="children in each census file", prefix="cin-bench-")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
