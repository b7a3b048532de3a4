"""Parity: one-rule mutations of a clean CIN census return, through our check and D2I's.

The clean return is the one child of tests/datasets/validation/cin_clean.py
(a 2022/23 return; 2024/25 for the rules that start that year). For every DfE
rule in the rule table, the failing case of test_cin_dfe_rules.py changes one
thing in it. Each mutated return goes through:

(a) ours: the check ``safeguarding import cin-census --check`` runs (the
    header check, ``ChildChecker`` on every child, then the whole-return
    rules), in this process: the same code, without a database;
(b) the peer: the D2I CIN validator (csc-validator-be-cin) under its own
    interpreter, driven by bench/d2i_cin_peer.py, with the year's ruleset.

Ours runs first, in process; the peer then runs once a year over all that
year's returns. The peer's rules are its child rows and its whole-return
(LA-level) rules; the rules it raised an exception in are listed apart.
It prints, per rule, whether each side reported the rule the mutation aims at
and the other DfE rules each reported, then a summary. ``--json`` writes the
rows for docs/benchmarks.md. ``--year 2025`` moves every mutation to that
year; ``--also-years`` runs each in those years as well as its own.

    .venv/bin/python bench/cin_parity_d2i.py --json var/cin_parity.json
    .venv/bin/python bench/cin_parity_d2i.py --year 2025 --json var/cin_parity_2025.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PEER_DRIVER = ROOT / "bench" / "d2i_cin_peer.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer-python", default="/work/d2i-venv/bin/python")
    parser.add_argument("--json", help="write the rows here")
    parser.add_argument("--rules", nargs="*", help="only these rules")
    parser.add_argument("--also-years", nargs="*", type=int, default=[],
                        help="also run each mutation in these collection years (after its own)")
    parser.add_argument("--year", type=int,
                        help="run each mutation in this collection year instead of its own")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.config.settings.test")
    import django

    django.setup()
    from tests.datasets.validation.cin_clean import CLEAN_CHILD, check_text, for_year, return_text
    from tests.datasets.validation.test_cin_dfe_rules import CASES, mutated

    from safeguarding.datasets.validation.specs import cin_years

    unknown = ({*args.also_years, args.year} - {None}) - set(cin_years())
    if unknown:
        parser.error(f"no spec of ours for {sorted(unknown)}; ours has {cin_years()}")

    def dfe(rules) -> set[str]:
        return {r for r in rules if re.fullmatch(r"\d+Q?", r)}

    # Ours first, every return written to its own file; then the peer once a
    # year over that year's files (one start-up, not one a mutation).
    clean_year = args.year or 2023
    cases = [("clean", clean_year, return_text(for_year(CLEAN_CHILD, clean_year), year=clean_year))]
    for rule in sorted(CASES):
        if args.rules and rule not in args.rules:
            continue
        case_year = CASES[rule][0]
        if args.year:
            years = [args.year] if args.year >= case_year else []
        else:
            years = [case_year] + [y for y in args.also_years if y > case_year]
        cases += [(rule, year, mutated(rule, year)) for year in years]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        tmp = Path(work)
        paths: dict[int, list[str]] = {}
        for n, (rule, year, text) in enumerate(cases):
            log, _records, _ = check_text(tmp, text)
            path = tmp / f"{n:04d}-{rule}-{year}.xml"
            path.write_text(text)
            paths.setdefault(year, []).append(str(path))
            rows.append({"rule": rule, "year": year, "path": str(path),
                         "ours_all": dfe({p.rule for p in log.kept})})
        found: dict[str, dict] = {}
        for year, year_paths in sorted(paths.items()):
            print(f"peer: {len(year_paths)} returns for {year}", flush=True)
            peer = subprocess.run([args.peer_python, "-W", "ignore", str(PEER_DRIVER), *year_paths,
                                   "--year", str(year)], capture_output=True, text=True,
                                  check=False)
            for line in peer.stdout.splitlines():
                if line.startswith("{"):
                    one = json.loads(line)
                    found[one["path"]] = one
            if peer.returncode:
                print(f"peer exited {peer.returncode}: {peer.stderr.strip()[-300:]}", flush=True)
    for row in rows:
        one = found.get(row.pop("path"), {"error": "no output"})
        ours = row.pop("ours_all")
        if "error" in one:
            theirs = {"peer failed: " + one["error"][:80]}
        else:
            theirs = dfe(set(one["rules_broken"]) | set(one["la_rules_broken"]))
        # The peer's 2887Q fires on the clean return too (see docs/benchmarks.md).
        row.update({"ours": row["rule"] in ours, "peer": row["rule"] in theirs,
                    "ours_other": sorted(ours - {row["rule"]}),
                    "peer_other": sorted(theirs - {row["rule"]}),
                    "peer_crashed": one.get("rules_crashed", [])})
        print(f"{row['rule']:6} {row['year']} ours={'Y' if row['ours'] else '-'} "
              f"peer={'Y' if row['peer'] else '-'} only_ours={sorted(ours - theirs)} "
              f"only_peer={sorted(theirs - ours)} peer_crashed={row['peer_crashed']}", flush=True)
    for year in sorted({r["year"] for r in rows}):
        some = [r for r in rows[1:] if r["year"] == year]
        print(f"{year}: {len(some)} mutations, both found the rule in "
              f"{sum(r['ours'] and r['peer'] for r in some)}")
    both = sum(r["ours"] and r["peer"] for r in rows[1:])
    print(f"\n{len(rows) - 1} mutations: both found the rule in {both}; "
          f"ours only {sum(r['ours'] and not r['peer'] for r in rows[1:])}; "
          f"peer only {sum(r['peer'] and not r['ours'] for r in rows[1:])}; "
          f"neither {sum(not r['ours'] and not r['peer'] for r in rows[1:])}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
