"""Run the D2I CIN validator (csc-validator-be-cin) on one census XML file.

Runs under the PEER's interpreter, not the project's: it imports only the
peer's package. It makes the same calls as the peer's own ``python -m
cin_validator run`` command (which cannot start without pytest installed):
``ET.parse`` -> ``convert_data`` -> ``process_data`` -> ``CinValidator`` with
the year's ruleset. It prints one JSON line with the stage timings and what the
peer found (rows per table, issue rows, rules broken), so a run that silently
does nothing shows up as zero rows.

    /work/d2i-venv/bin/python bench/d2i_cin_peer.py FILE.xml --year 2023
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import xml.etree.ElementTree as ET
from importlib import metadata


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--year", required=True,
                        help="collection year as the peer names it, 2023 = 2022/23")
    args = parser.parse_args()

    from cin_validator import cin_validator
    from cin_validator.rules.ruleset_utils import get_year_ruleset

    stages: dict[str, float] = {}
    started = time.perf_counter()
    root = ET.parse(args.path).getroot()
    stages["parse_s"] = time.perf_counter() - started

    mark = time.perf_counter()
    raw_data = cin_validator.convert_data(root)
    stages["tables_s"] = time.perf_counter() - mark
    rows = {name: len(table) for name, table in raw_data.items()}
    children = raw_data["ChildIdentifiers"]["LAchildID"].nunique()
    del root

    mark = time.perf_counter()
    data_files = cin_validator.process_data(raw_data)
    registry = get_year_ruleset(args.year)
    stages["dates_s"] = time.perf_counter() - mark

    mark = time.perf_counter()
    validator = cin_validator.CinValidator(data_files, registry)
    stages["validate_s"] = time.perf_counter() - mark

    issues = validator.full_issue_df
    print(json.dumps({
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
        "user_report_rows": int(len(validator.user_report)),
        **{k: round(v, 2) for k, v in stages.items()},
        "total_s": round(time.perf_counter() - started, 2),
    }))


if __name__ == "__main__":
    main()
