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

It prints, per rule, whether each side reported the rule the mutation aims at
and the other DfE rules each reported, then a summary. ``--json`` writes the
rows for docs/benchmarks.md.

    .venv/bin/python bench/cin_parity_d2i.py --json var/cin_parity.json
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
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.config.settings.test")
    import django

    django.setup()
    from tests.datasets.validation.cin_clean import CLEAN_CHILD, check_text, return_text
    from tests.datasets.validation.test_cin_dfe_rules import CASES, mutated

    def dfe(rules) -> set[str]:
        return {r for r in rules if re.fullmatch(r"\d+Q?", r)}

    rows = []
    with tempfile.TemporaryDirectory() as work:
        tmp = Path(work)
        cases = [("clean", 2023, return_text(CLEAN_CHILD, year=2023))]
        cases += [(rule, CASES[rule][0], mutated(rule)) for rule in sorted(CASES)
                  if not args.rules or rule in args.rules]
        for rule, year, text in cases:
            log, _records, _ = check_text(tmp, text)
            ours = dfe({p.rule for p in log.kept})
            path = tmp / "return.xml"
            path.write_text(text)
            peer = subprocess.run([args.peer_python, str(PEER_DRIVER), str(path), "--year",
                                   str(year)], capture_output=True, text=True, check=False)
            try:
                found = json.loads(peer.stdout.strip().splitlines()[-1])
                theirs = dfe(set(found["rules_broken"]))
            except (IndexError, json.JSONDecodeError, KeyError):
                theirs = {"peer failed: " + (peer.stderr.strip().splitlines() or ["?"])[-1][:80]}
            row = {"rule": rule, "year": year, "ours": rule in ours, "peer": rule in theirs,
                   "ours_other": sorted(ours - {rule}), "peer_other": sorted(theirs - {rule})}
            rows.append(row)
            print(f"{rule:6} {year} ours={'Y' if row['ours'] else '-'} "
                  f"peer={'Y' if row['peer'] else '-'} only_ours={sorted(ours - theirs)} "
                  f"only_peer={sorted(theirs - ours)}", flush=True)
    both = sum(r["ours"] and r["peer"] for r in rows[1:])
    print(f"\n{len(rows) - 1} mutations: both found the rule in {both}; "
          f"ours only {sum(r['ours'] and not r['peer'] for r in rows[1:])}; "
          f"peer only {sum(r['peer'] and not r['ours'] for r in rows[1:])}; "
          f"neither {sum(not r['ours'] and not r['peer'] for r in rows[1:])}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
