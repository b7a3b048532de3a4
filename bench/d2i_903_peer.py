"""Run the D2I SSDA903 validator (csc-validator-be-903) on folders of 903 CSV tables.

Runs under the PEER's interpreter, not the project's: it imports only the
peer's package, and makes the calls its own ``python -m lac_validator run``
command makes (``process_uploaded_files`` -> ``LacValidator`` with the year's
ruleset). For each folder it prints one JSON line: the seconds taken, the peak
memory of the process so far, the rows it read per table, and each rule that
flagged rows with how many (rules that crashed are listed as ``failed``); or,
when the peer refuses a folder's files outright, the error it raised.

    /work/d2i-venv/bin/python bench/d2i_903_peer.py --year 2023 FOLDER [FOLDER ...]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import logging
import resource
import sys
import time
from importlib import metadata
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--year", required=True, help="2023 = the 2022/23 return")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the peer logs every rule at INFO

    from lac_validator import lac_validator
    from lac_validator.utils import process_uploaded_files

    year = int(args.year)
    registry = importlib.import_module(
        f"lac_validator.rules.lac{year - 1}_{str(year)[2:]}").registry
    for folder in args.folders:
        paths = sorted(str(p) for p in Path(folder).glob("*.csv"))
        started, cpu = time.perf_counter(), time.process_time()
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # the peer prints as it goes
                files = process_uploaded_files({"This year": paths})
                validator = lac_validator.LacValidator(
                    metadata={"collectionYear": str(year), "localAuthority": "E10000028"},
                    files=files, registry=registry, selected_rules=None)
        except Exception as error:  # the peer refused the files: say so, go on
            print(json.dumps({"folder": folder, "error": f"{type(error).__name__}: {error}"}),
                  flush=True)
            continue
        seconds = time.perf_counter() - started
        broken = {}
        for _table, frame in validator.ds_results.items():
            if not hasattr(frame, "columns"):
                continue
            for column in frame.columns:
                if str(column).startswith("ERR_"):
                    hits = int(frame[column].fillna(False).astype(bool).sum())
                    if hits:
                        code = str(column)[4:]
                        broken[code] = broken.get(code, 0) + hits
        rows = {name: len(frame) for name, frame in validator.dfs.items()
                if hasattr(frame, "columns")}
        print(json.dumps({
            "folder": folder, "seconds": seconds, "cpu_s": time.process_time() - cpu,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "peer": f"csc-validator-be-903 {metadata.version('csc-validator-be-903')}",
            "rules": len(registry), "rows": rows, "broken": broken,
            "failed": sorted(validator.fails), "skipped": len(validator.skips),
        }), flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
