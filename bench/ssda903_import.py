"""Benchmark: import a synthetic SSDA903 return (every table, CSV files) of about 10,000 children.

The return is written with ``safeguarding.datasets.synthetic`` (not timed);
``--census`` is the size of the CIN census it accompanies, and about one in ten
of those children is looked after (96,000 gives about 10,000). Each import runs
``safeguarding import ssda903`` in a fresh child process against a fresh
database, ``--check`` (read and validate only) and a full load, as
bench/cin_import.py does for the census, with the same figures.

    .venv/bin/python bench/ssda903_import.py --repeat 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_903 .venv/bin/python bench/ssda903_import.py

To compare code before and after a change, run it twice back to back, the
first time with ``PYTHONPATH=<old checkout>/src`` so the imports run the old code.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cin_import import ROOT, measure_import, run  # noqa: E402


def bench(census: int, workdir: Path, base_url: str, seed: int, repeat: int,
          modes: tuple[str, ...] = ("check", "load")) -> list[dict]:
    sys.path.insert(0, str(ROOT / "src"))
    from safeguarding.datasets.synthetic.ssda903 import write_ssda903

    folder = workdir / f"ssda903_{census}"
    started = time.perf_counter()
    written = write_ssda903(folder, la_code="860", year=2021, children=census,
                                      seed=seed)
    generated = time.perf_counter() - started
    results = []
    for mode in modes:
        result = measure_import("ssda903", written.paths, size=written.children, mode=mode,
                                workdir=workdir, base_url=base_url, repeat=repeat,
                                extra=("--year", "2021"))
        results.append({**result, "episodes": written.rows.get("episodes", 0),
                        "file_mb": round(sum(p.stat().st_size for p in written.paths) / 1e6, 1),
                        "generate_s": round(generated, 1)})
        print(json.dumps(results[-1]), flush=True)
    return results


def main() -> None:
    run(__doc__, bench, sizes="census", default=[96_000],
        help="the size of the CIN census each return accompanies", prefix="903-bench-")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
