"""Run the D2I CIN validator (csc-validator-be-cin) on census XML files.

Runs under the PEER's interpreter, not the project's: it imports only the
peer's package. It makes the same calls as the peer's own ``python -m
cin_validator run`` command (which cannot start without pytest installed):
``ET.parse`` -> ``convert_data`` -> ``process_data`` -> ``CinValidator`` with
the year's ruleset. It prints one JSON line per file with the stage timings
and what the peer found (rows per table, issue rows, rules broken), so a run
that silently does nothing shows up as zero rows. Several files share one
start-up (the parity bench passes a year's mutated returns at once); a file the
peer fails on prints ``{"path": ..., "error": ...}`` and the next goes on.

    /work/d2i-venv/bin/python bench/d2i_cin_peer.py FILE.xml [FILE.xml ...] --year 2023
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
import xml.etree.ElementTree as ET
from importlib import metadata


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--year", required=True,
                        help="collection year as the peer names it, 2023 = 2022/23")
    args = parser.parse_args()

    from cin_validator import cin_validator
    from cin_validator.rules.ruleset_utils import get_year_ruleset

    for path in args.paths:
        try:
            print(json.dumps({"path": path, **_validate(path, args.year, cin_validator,
                                                        get_year_ruleset)}), flush=True)
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the rest
            print(json.dumps({"path": path, "error": f"{type(error).__name__}: {error}"[:200]}),
                  flush=True)


def _validate(path: str, year: str, cin_validator, get_year_ruleset) -> dict:
    stages: dict[str, float] = {}
    started = time.perf_counter()
    root = ET.parse(path).getroot()
    stages["parse_s"] = time.perf_counter() - started

    mark = time.perf_counter()
    raw_data = cin_validator.convert_data(root)
    stages["tables_s"] = time.perf_counter() - mark
    rows = {name: len(table) for name, table in raw_data.items()}
    children = raw_data["ChildIdentifiers"]["LAchildID"].nunique()
    del root

    mark = time.perf_counter()
    data_files = cin_validator.process_data(raw_data)
    registry = get_year_ruleset(year)
    stages["dates_s"] = time.perf_counter() - mark

    mark = time.perf_counter()
    # The peer prints "Error with rule CODE: ..." for a rule that raised, and goes on.
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        validator = cin_validator.CinValidator(data_files, registry)
    stages["validate_s"] = time.perf_counter() - mark
    crashed = sorted({line.split()[3].rstrip(":") for line in printed.getvalue().splitlines()
                      if line.startswith("Error with rule ")})

    issues = validator.full_issue_df
    return {
        "peer": f"csc-validator-be-cin {metadata.version('csc-validator-be-cin')}",
        "python": sys.version.split()[0],
        "pandas": metadata.version("pandas"),
        "ruleset_rules": len(registry),
        "children_found": int(children),
        "rows": rows,
        "issue_rows": int(len(issues)),
        "children_with_issues": int(issues["child_id"].nunique()) if len(issues) else 0,
        "rules_broken": sorted({str(code) for code in validator.rules_broken}),
        "la_level_issues": int(len(validator.multichild_issues)),
        # Whole-return (LA-level) and header rules: not in rules_broken's child rows.
        "la_rules_broken": sorted({str(code) for code in validator.multichild_issues["rule_code"]
                                   if str(code) != "nan"}),
        "rules_crashed": crashed,
        "user_report_rows": int(len(validator.user_report)),
        **{k: round(v, 2) for k, v in stages.items()},
        "total_s": round(time.perf_counter() - started, 2),
    }


if __name__ == "__main__":
    main()
