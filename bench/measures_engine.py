"""Catalogue recompute at national scale against a hand-written Polars scan.

Generates about 650,000 referrals a year for three years (plus assessments,
section 47 enquiries, child protection plans and looked-after episodes) as CSV
files, then times, in the same run:

- the platform: read the CSVs into MeasureData and compute every catalogue
  measure with ``safeguarding.measures.engine.Engine``;
- the peer: one hand-written lazy Polars scan per measure computing the same
  numbers from the same files, with no platform code.

It checks the two agree, then prints the median of three runs and the ratio
(target: the platform takes at most 2x the peer's time).

    DJANGO_SETTINGS_MODULE=safeguarding.config.settings.test \
        uv run python bench/measures_engine.py [--referrals-per-year 650000]

With ``--orm`` it times instead what a recompute after an import pays, on the
database DATABASE_URL points at (a demo built with ``safeguarding demo --scale
county`` or ``national``), for each partnership: loading the frames from the
database through the ORM (``measures.sources.measure_data``) beside the engine
computing every standard period (``measures.cache.standard_periods``), and the
whole ``results_rebuild`` (load, compute, benchmarks, store):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/safeguarding_bench \
        uv run python bench/measures_engine.py --orm
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.config.settings.test")

LAS = [f"{n:03d}" for n in range(800, 950)]
YEARS = [2019, 2020, 2021]  # financial years starting in April


def _dates(rng, n, start, end):
    span = (end - start).days
    return pl.Series([start + dt.timedelta(days=int(d)) for d in rng.integers(0, span, n)],
                     dtype=pl.Date)


def generate(folder: Path, per_year: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    n = per_year * len(YEARS)
    children = max(1, int(n * 0.8))  # about a fifth are re-referrals of the same child
    child = rng.integers(0, children, n)
    la = np.array(LAS)[child % len(LAS)]
    referral = _dates(rng, n, dt.date(YEARS[0], 4, 1), dt.date(YEARS[-1] + 1, 3, 31))
    closure_gap = rng.integers(1, 400, n)
    closed = rng.random(n) < 0.8
    episodes = pl.DataFrame({"la": la, "child": child.astype(str), "referral_date": referral})
    episodes = episodes.with_columns(
        closure_date=pl.when(pl.Series(closed)).then(
            pl.col("referral_date") + pl.duration(days=pl.Series(closure_gap))).otherwise(None),
        dob=pl.lit(dt.date(2010, 1, 1)), sex=pl.lit("1"), ethnicity=pl.lit("WBRI"))
    episodes.write_csv(folder / "cin_episodes.csv")
    assessed = episodes.sample(fraction=0.85, seed=seed).select("la", "child", "referral_date")
    assessed.with_columns(authorised_date=pl.col("referral_date") + pl.duration(
        days=pl.Series(rng.integers(0, 90, assessed.height)))).write_csv(folder / "assessments.csv")
    s47 = episodes.sample(fraction=0.3, seed=seed + 1).select("la", "child", referral_date="referral_date")
    s47 = s47.rename({"referral_date": "s47_start"})
    s47.with_columns(icpc_date=pl.when(pl.Series(rng.random(s47.height) < 0.3)).then(
        pl.col("s47_start") + pl.duration(days=pl.Series(rng.integers(1, 40, s47.height))))
        .otherwise(None)).write_csv(folder / "s47.csv")
    plans = episodes.sample(fraction=0.1, seed=seed + 2).select("la", "child", start="referral_date")
    plans.with_columns(
        end=pl.when(pl.Series(rng.random(plans.height) < 0.7)).then(
            pl.col("start") + pl.duration(days=pl.Series(rng.integers(30, 900, plans.height))))
        .otherwise(None),
        initial_category=pl.Series(rng.choice(["NEG", "EMO", "PHY", "SAB", "MUL"], plans.height)),
        # Not given, as in a return without NumberOfPreviousCPP: earlier plans decide.
        previous_plans=pl.lit(None, dtype=pl.Int64),
    ).write_csv(folder / "cp_plans.csv")
    cla = episodes.sample(fraction=0.05, seed=seed + 3).select("la", "child", decom="referral_date")
    cla.with_columns(
        rne=pl.Series(rng.choice(["S", "P", "L"], cla.height)),
        dec=pl.when(pl.Series(rng.random(cla.height) < 0.5)).then(
            pl.col("decom") + pl.duration(days=pl.Series(rng.integers(1, 700, cla.height))))
        .otherwise(None),
        rec=pl.Series(rng.choice(["E11", "X1", "E4A"], cla.height)),
        dob=pl.lit(dt.date(2010, 1, 1)), sex=pl.lit("2"), ethnicity=pl.lit("WBRI"),
    ).write_csv(folder / "cla_episodes.csv")
    pl.DataFrame({"la": la[: per_year // 2], "child": child[: per_year // 2].astype(str),
                  "start": referral[: per_year // 2]}).write_csv(folder / "early_help.csv")


def platform(folder: Path, period, holidays):
    from safeguarding.measures.engine import SCHEMAS, Engine, MeasureData

    frames = {kind: pl.read_csv(folder / f"{kind}.csv", schema_overrides=schema)
              for kind, schema in SCHEMAS.items()}
    span = [(la, dt.date(YEARS[0], 4, 1), dt.date(YEARS[-1] + 1, 3, 31)) for la in LAS]
    data = MeasureData(**frames, coverage={"cin": span, "cla": span, "early_help": span},
                       holidays=holidays)
    return {r.id: (r.numerator, r.denominator) for r in Engine(data).compute(period, LAS)}


def peer(folder: Path, period, holidays):
    """Hand-written: one lazy scan per measure, no platform code."""
    s, e = period.start, period.end
    hol = list(holidays)
    scan = lambda name, **kw: pl.scan_csv(folder / f"{name}.csv", try_parse_dates=True, **kw)  # noqa: E731
    ep = scan("cin_episodes", schema_overrides={"la": pl.String, "child": pl.String})
    inp = pl.col("referral_date").is_between(s, e)
    out = {}
    out["referrals"] = (ep.filter(inp).select(pl.len()).collect().item(), None)
    cur = ep.filter(inp).select("la", "child", "referral_date").with_row_index("i")
    earlier = ep.select("la", "child", pl.col("referral_date").alias("d0"))
    hits = (cur.join(earlier, on=["la", "child"])
            .filter((pl.col("d0") < pl.col("referral_date"))
                    & (pl.col("d0") >= pl.col("referral_date").dt.offset_by("-1y")))
            .select(pl.col("i").n_unique()).collect().item())
    out["rereferrals_within_12_months_rate"] = (hits, out["referrals"][0])
    out["cin_at_period_end"] = (ep.filter((pl.col("referral_date") <= e) & (
        pl.col("closure_date").is_null() | (pl.col("closure_date") > e))).select(pl.len()).collect().item(), None)
    wd = lambda a, b: pl.business_day_count(pl.col(a).dt.offset_by("1d"), pl.col(b).dt.offset_by("1d"), holidays=hol)  # noqa: E731
    a = scan("assessments", schema_overrides={"la": pl.String, "child": pl.String}).filter(pl.col("authorised_date").is_between(s, e))
    out["assessments_within_45_working_days_rate"] = tuple(a.select(
        (wd("referral_date", "authorised_date") <= 45).sum(), pl.len()).collect().row(0))
    s47 = scan("s47", schema_overrides={"la": pl.String, "child": pl.String}).filter(pl.col("icpc_date").is_between(s, e))
    out["icpc_within_15_working_days_rate"] = tuple(s47.select(
        (wd("s47_start", "icpc_date") <= 15).sum(), pl.len()).collect().row(0))
    cp = scan("cp_plans", schema_overrides={"la": pl.String, "child": pl.String})
    out["cpp_starts"] = (cp.filter(pl.col("start").is_between(s, e)).select(pl.len()).collect().item(), None)
    first = cp.group_by("la", "child").agg(pl.col("start").min().alias("first"))
    starting = cp.filter(pl.col("start").is_between(s, e)).join(first, on=["la", "child"])
    out["cpp_second_or_subsequent_rate"] = tuple(starting.select(
        (pl.col("first") < pl.col("start")).sum(), pl.len()).collect().row(0))
    open_cp = cp.filter((pl.col("start") <= e) & (pl.col("end").is_null() | (pl.col("end") > e)))
    n_open = open_cp.select(pl.len()).collect().item()
    out["cpp_at_period_end"] = (n_open, None)
    for code, name in [("NEG", "neglect"), ("PHY", "physical"), ("EMO", "emotional"),
                       ("SAB", "sexual"), ("MUL", "multiple")]:
        out[f"cpp_initial_category_{name}_rate"] = (
            open_cp.filter(pl.col("initial_category") == code).select(pl.len()).collect().item(), n_open)
    ended = cp.filter(pl.col("end").is_between(s, e))
    out["cpp_ended_lasting_2_years_or_more_rate"] = tuple(ended.select(
        (pl.col("end") >= pl.col("start").dt.offset_by("2y")).sum(), pl.len()).collect().row(0))
    cla = scan("cla_episodes", schema_overrides={"la": pl.String, "child": pl.String})
    distinct = lambda q: q.select("la", "child").unique().select(pl.len()).collect().item()  # noqa: E731
    out["cla_at_period_end"] = (distinct(cla.filter((pl.col("decom") <= e) & (
        pl.col("dec").is_null() | (pl.col("dec") > e)))), None)
    out["cla_starts"] = (distinct(cla.filter((pl.col("rne") == "S") & pl.col("decom").is_between(s, e))), None)
    out["cla_ceased"] = (distinct(cla.filter(pl.col("dec").is_between(s, e) & (pl.col("rec") != "X1"))), None)
    eh = scan("early_help", schema_overrides={"la": pl.String, "child": pl.String})
    out["early_help_referrals"] = (eh.filter(pl.col("start").is_between(s, e)).select(pl.len()).collect().item(), None)
    return out


def orm_recompute(repeat: int) -> None:
    """Time the ORM load, the engine and the whole rebuild of each partnership's standard periods."""
    import resource

    from django.db import connection

    from safeguarding.core.models import Partnership
    from safeguarding.measures import cache, sources
    from safeguarding.measures.engine import Engine
    from safeguarding.measures.selectors import partnership_las

    print(f"database: {connection.vendor}, {connection.settings_dict['NAME']}")
    for partnership in Partnership.objects.order_by("code"):
        las = partnership_las(partnership)
        loads, engines, rebuilds = [], [], []
        for _ in range(repeat):
            t = time.perf_counter()
            data = sources.measure_data(las)
            loads.append(time.perf_counter() - t)
            periods = cache.standard_periods(data.coverage)
            engine = Engine(data)
            t = time.perf_counter()
            for period in periods:
                engine.compute(period, las)
            engines.append(time.perf_counter() - t)
            t = time.perf_counter()
            cache.results_rebuild(actor=None, partnership=partnership)
            rebuilds.append(time.perf_counter() - t)
        rows = {name: frame.height for name, frame in vars(data).items()
                if hasattr(frame, "height")}
        print(f"{partnership.code}: {sum(rows.values()):,} rows ({rows}), {len(periods)} periods")
        print(f"  ORM load (sources.measure_data): median {statistics.median(loads):.2f} s")
        print(f"  engine, every standard period:   median {statistics.median(engines):.2f} s")
        print(f"  results_rebuild (all of it):     median {statistics.median(rebuilds):.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals-per-year", type=int, default=650_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--orm", action="store_true",
                        help="Time a recompute from the database at DATABASE_URL instead")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    if args.orm:
        os.environ["DJANGO_SETTINGS_MODULE"] = "safeguarding.config.settings.local"
    import django

    django.setup()
    if args.orm:
        orm_recompute(args.repeat)
        return
    import holidays as hol_pkg

    from safeguarding.measures.periods import parse

    holidays = tuple(sorted(hol_pkg.country_holidays("GB", subdiv="ENG", years=range(2015, 2026))))
    period = parse("2020-21")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        generate(folder, args.referrals_per_year)
        print(f"generated {args.referrals_per_year * len(YEARS):,} referrals in {time.perf_counter() - started:.1f} s")
        ours, theirs = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            a = platform(folder, period, holidays)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            b = peer(folder, period, holidays)
            theirs.append(time.perf_counter() - t)
        mismatched = {k: (a[k], b[k]) for k in b if tuple(a[k]) != tuple(b[k])}
        if mismatched:
            raise SystemExit(f"platform and peer disagree: {mismatched}")
        p, q = statistics.median(ours), statistics.median(theirs)
        print(f"measures: {len(a)}; referrals in 2020-21: {a['referrals'][0]:,}")
        print(f"platform (read + Engine.compute): median {p:.2f} s")
        print(f"peer (hand-written lazy Polars scans): median {q:.2f} s")
        print(f"ratio platform/peer: {p / q:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
