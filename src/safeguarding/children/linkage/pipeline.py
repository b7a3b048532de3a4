"""The combined linkage pipeline on plain frames: identifiers first, then Splink.

No Django here: ``services.link_records`` loads the frames from the database
and writes the outcome back; the benchmark calls ``run`` directly on synthetic
frames, so both measure the same code.

Frames (all identifiers as strings, blanks allowed):

* children: child_uid, first_name, last_name, date_of_birth, sex, postcode,
  nhs_number, upn, la, la_child_id
* records: record_uid and the same columns
* bridges (optional): child_uid and the identifier columns of agency records
  already linked to a child
* exclude (optional): record_uid, child_uid pairs never to propose again
  (rejected or already in the queue)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import polars as pl

from safeguarding.children.linkage import deterministic, normalise, probabilistic
from safeguarding.children.linkage.config import LinkageConfig, load_config

PERSON_COLUMNS = ["first_name", "last_name", "date_of_birth", "sex", "postcode"]


@dataclass
class PipelineResult:
    # record_uid, child_uid, method, match_probability, evidence (dict)
    links: list[dict]
    # record_uid, child_uid, match_probability (None for an identifier match), evidence
    reviews: list[dict]
    trained: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    # The model trained by this run (Splink's saved settings), for the caller to keep.
    model: dict | None = None

    def counts(self) -> dict[str, int]:
        methods: dict[str, int] = {}
        for link in self.links:
            methods[link["method"]] = methods.get(link["method"], 0) + 1
        return {**methods, "review_pairs": len(self.reviews),
                "review_records": len({r["record_uid"] for r in self.reviews})}


def _evidence(row: dict, conflicts: list[str] | None = None) -> dict:
    fields = {}
    for name in probabilistic.COMPARISONS:
        gamma = row.get(f"gamma_{name}")
        fields[name] = probabilistic.level_for_gamma(name, gamma)
    evidence: dict = {"fields": fields}
    if row.get("match_weight") is not None:
        evidence["match_weight"] = round(float(row["match_weight"]), 2)
        evidence["pair_probability"] = float(row["match_probability"])
    if row.get("competitors"):
        evidence["competing_candidates"] = int(row["competitors"])
        evidence["share"] = float(row["share"])
    if conflicts:
        evidence["identifier_conflicts"] = list(conflicts)
    return evidence


def for_model(frame: pl.DataFrame, uid: str) -> pl.DataFrame:
    return normalise.prepare(frame.select(pl.col(uid).alias("unique_id"), *PERSON_COLUMNS))


def run(children: pl.DataFrame, records: pl.DataFrame, *, config: LinkageConfig | None = None,
        bridges: pl.DataFrame | None = None, exclude: pl.DataFrame | None = None,
        train: bool | str = "auto", model: dict | None = None,
        prepared_children: pl.DataFrame | None = None) -> PipelineResult:
    """Link ``records`` to ``children``. ``prepared_children`` is ``for_model(children,
    "child_uid")`` when the caller already has it (an index kept for a run of imports)."""
    config = config or load_config()
    timings: dict[str, float] = {}
    started = time.perf_counter()

    matched = deterministic.match(records, children, bridges)
    clean = matched.filter(pl.col("conflicts").list.len() == 0)
    conflicting = matched.filter(pl.col("conflicts").list.len() > 0)
    links = [
        {"record_uid": r["record_uid"], "child_uid": r["child_uid"], "method": r["method"],
         "match_probability": None, "evidence": {"identifier": r["method"]}}
        for r in clean.iter_rows(named=True)
    ]
    timings["deterministic"] = time.perf_counter() - started

    started = time.perf_counter()
    residual = records.join(clean.select("record_uid"), on="record_uid", how="anti")
    if prepared_children is None:
        prepared_children = for_model(children, "child_uid")
    result = probabilistic.score(
        prepared_children, for_model(residual, "record_uid"), config=config, train=train,
        # Training sees every record of the batch; with no training they are not needed.
        training_records=for_model(records, "record_uid") if train else None, model=model,
    )
    timings["probabilistic"] = time.perf_counter() - started

    started = time.perf_counter()
    pairs = result.pairs
    if exclude is not None and not exclude.is_empty():
        pairs = pairs.join(exclude.select("record_uid", "child_uid"),
                           on=["record_uid", "child_uid"], how="anti")
    pairs = deterministic.with_conflicts(pairs, records, children)
    # Conflicting identifier matches are reviewed with whatever score the pair has.
    conflict_pairs = conflicting.select("record_uid", "child_uid", "conflicts")
    if exclude is not None and not exclude.is_empty():
        conflict_pairs = conflict_pairs.join(exclude.select("record_uid", "child_uid"),
                                             on=["record_uid", "child_uid"], how="anti")
    scored_conflicts = conflict_pairs.join(
        pairs.drop("conflicts"), on=["record_uid", "child_uid"], how="left")
    pairs = pairs.join(conflict_pairs.select("record_uid", "child_uid"),
                       on=["record_uid", "child_uid"], how="anti")

    reviews: list[dict] = []
    for row in scored_conflicts.iter_rows(named=True):
        probability = row.get("match_probability")
        reviews.append({"record_uid": row["record_uid"], "child_uid": row["child_uid"],
                        "match_probability": probability,
                        "evidence": _evidence(row, row["conflicts"])})

    # Each child is in the index once, so a record's candidates compete: the
    # probability that candidate i is the record's child is its odds over one
    # plus the odds of every candidate of that record (Splink's pair
    # probability when it has no competitor). Twins, who agree on everything
    # but the first name, share the probability and the better one still wins.
    ranked = pairs.sort(["record_uid", "match_weight", "child_uid"],
                        descending=[False, True, False]).with_columns(
        rank=pl.int_range(pl.len()).over("record_uid"),
        top=pl.col("match_weight").clip(upper_bound=1000).max().over("record_uid"),
        competitors=pl.len().over("record_uid") - 1,
    ).with_columns(
        relative=(2.0 ** (pl.col("match_weight").clip(upper_bound=1000) - pl.col("top"))),
    ).with_columns(
        share=pl.col("relative")
        / ((2.0 ** -pl.col("top")) + pl.col("relative").sum().over("record_uid")),
    )
    automatic = ranked.filter(
        (pl.col("rank") == 0)
        & (pl.col("share") >= config.accept)
        & (pl.col("conflicts").list.len() == 0)
        & ~pl.col("record_uid").is_in(conflict_pairs["record_uid"].implode())
    )
    for row in automatic.iter_rows(named=True):
        links.append({"record_uid": row["record_uid"], "child_uid": row["child_uid"],
                      "method": "probabilistic", "match_probability": float(row["share"]),
                      "evidence": _evidence(row)})
    # Records not linked: their best few candidates whose own probability
    # reaches the review threshold go to people.
    to_review = ranked.join(automatic.select("record_uid"), on="record_uid", how="anti").filter(
        (pl.col("rank") < config.max_candidates) & (pl.col("match_probability") >= config.review))
    for row in to_review.iter_rows(named=True):
        reviews.append({"record_uid": row["record_uid"], "child_uid": row["child_uid"],
                        "match_probability": float(row["match_probability"]),
                        "evidence": _evidence(row, row["conflicts"])})
    timings["decide"] = time.perf_counter() - started
    return PipelineResult(links=links, reviews=reviews, trained=result.trained,
                          timings=timings, parameters=result.parameters, model=result.model)
