"""Probabilistic linkage with Splink 5 on DuckDB, for records that share no identifier.

The model compares first name, last name, date of birth, sex and postcode.
Each comparison has named levels (exact, nickname, swapped, district...) whose
m and u priors live in data/linkage.yaml; the SQL for each level lives here.

Splink 5: build a ``DuckDBAPI``, ``register()`` each frame and pass the
registered frames to ``Linker([...], settings)``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from dataclasses import dataclass, field

import duckdb
import polars as pl

from safeguarding.children.linkage.config import LinkageConfig

# (level name, SQL condition on the prepared columns, label shown to reviewers).
# Order matters: the first true condition wins. Every comparison starts with a
# null level (a side missing tells us nothing) and ends with an ELSE level.
COMPARISONS: dict[str, dict] = {
    "first_name": {
        "label": "First name",
        "null": '"first_name_l" IS NULL OR "first_name_r" IS NULL',
        "levels": [
            ("exact", '"first_name_l" = "first_name_r"', "Same"),
            ("nickname", 'list_has_any("first_name_groups_l", "first_name_groups_r")',
             "Nickname of the same name"),
            ("similar", 'jaro_winkler_similarity("first_name_l", "first_name_r") >= 0.92',
             "Very similar spelling"),
            ("alike", 'jaro_winkler_similarity("first_name_l", "first_name_r") >= 0.80',
             "Similar spelling"),
            ("different", "ELSE", "Different"),
        ],
    },
    "last_name": {
        "label": "Last name",
        "null": '"last_name_l" IS NULL OR "last_name_r" IS NULL',
        "levels": [
            ("exact", '"last_name_l" = "last_name_r"', "Same"),
            ("similar", 'jaro_winkler_similarity("last_name_l", "last_name_r") >= 0.92',
             "Very similar spelling"),
            ("alike", 'jaro_winkler_similarity("last_name_l", "last_name_r") >= 0.80',
             "Similar spelling"),
            ("different", "ELSE", "Different"),
        ],
    },
    "date_of_birth": {
        "label": "Date of birth",
        "null": '"dob_l" IS NULL OR "dob_r" IS NULL',
        "levels": [
            ("exact", '"dob_l" = "dob_r"', "Same"),
            ("swapped", '"birth_year_l" = "birth_year_r" AND "dob_day_l" = "dob_month_r" '
                        'AND "dob_month_l" = "dob_day_r"', "Day and month swapped"),
            ("one_edit", 'damerau_levenshtein(strftime("dob_l", \'%Y%m%d\'), '
                         'strftime("dob_r", \'%Y%m%d\')) <= 1', "One digit different"),
            ("different", "ELSE", "Different"),
        ],
    },
    "sex": {
        "label": "Sex",
        "null": '"sex_l" IS NULL OR "sex_r" IS NULL',
        "levels": [
            ("exact", '"sex_l" = "sex_r"', "Same"),
            ("different", "ELSE", "Different"),
        ],
    },
    "postcode": {
        "label": "Postcode",
        "null": '"postcode_l" IS NULL OR "postcode_r" IS NULL',
        "levels": [
            ("exact", '"postcode_l" = "postcode_r"', "Same"),
            ("sector", '"postcode_sector_l" = "postcode_sector_r"', "Same sector"),
            ("district", '"postcode_district_l" = "postcode_district_r"', "Same district"),
            ("area", '"postcode_area_l" = "postcode_area_r"', "Same area"),
            ("different", "ELSE", "Different"),
        ],
    },
}

MISSING = "missing"


def level_for_gamma(comparison: str, gamma: int | None) -> str:
    """Splink numbers levels from the top: n-1 for the first, 0 for ELSE, -1 for null."""
    if gamma is None or gamma < 0:
        return MISSING
    levels = COMPARISONS[comparison]["levels"]
    return levels[len(levels) - 1 - gamma][0]


def level_label(comparison: str, level: str) -> str:
    if level == MISSING:
        return "Missing on one side"
    return next(label for name, _, label in COMPARISONS[comparison]["levels"] if name == level)


# Exact name agreement is weighed by how common the name is (Splink's term
# frequency adjustment): two records agreeing on a rare surname say more than
# two Smiths. Only with an index big enough for the frequencies to mean something.
TERM_FREQUENCY_COLUMNS = {"first_name": "first_name", "last_name": "last_name"}


def _comparison_dicts(config: LinkageConfig, *, term_frequencies: bool = False) -> list[dict]:
    comparisons = []
    for name, spec in COMPARISONS.items():
        levels: list[dict] = [{"sql_condition": spec["null"], "label_for_charts": "missing",
                               "is_null_level": True}]
        for level, sql, _label in spec["levels"]:
            m, u = config.prior(name, level)
            entry = {"sql_condition": sql, "label_for_charts": level,
                     "m_probability": m, "u_probability": u}
            if term_frequencies and level == "exact" and name in TERM_FREQUENCY_COLUMNS:
                entry["tf_adjustment_column"] = TERM_FREQUENCY_COLUMNS[name]
                entry["tf_adjustment_weight"] = 1.0
            levels.append(entry)
        comparisons.append({"output_column_name": name, "comparison_levels": levels})
    return comparisons


def uses_term_frequencies(config: LinkageConfig, *, children: int) -> bool:
    return children >= config.term_frequency_min_children


def model_digest(config: LinkageConfig, *, children: int) -> str:
    """A digest of what shapes a trained model: the comparisons' SQL and priors, the
    blocking and training rules, whether names are weighed by frequency, and Splink's
    version. A kept model whose digest differs is not used. The thresholds are not in
    it: they act on the scores, not on the model."""
    from importlib.metadata import version  # not splink itself: pages call this too

    shaping = {
        "levels": COMPARISONS, "priors": config.comparisons,
        "blocking_rules": config.blocking_rules, "em_blocking_rules": config.em_blocking_rules,
        "u_max_pairs": config.u_max_pairs, "em_max_pairs": config.em_max_pairs,
        "seed": config.seed,
        "term_frequencies": uses_term_frequencies(config, children=children),
        "splink": version("splink"),
    }
    return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()


def splink_settings(config: LinkageConfig, *, children: int) -> dict:
    """A Splink settings dictionary for linking records to an index of ``children``."""
    prior = min(0.5, config.residual_match_rate / max(children, 1))
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": list(config.blocking_rules),
        "comparisons": _comparison_dicts(
            config, term_frequencies=uses_term_frequencies(config, children=children)),
        "retain_matching_columns": True,  # keeps the gamma_ columns (evidence)
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
        "em_convergence": 0.0001,
    }


@dataclass
class ScoreResult:
    """Scored pairs at or above the candidate floor, and how the model was set."""

    pairs: pl.DataFrame  # child_uid, record_uid, match_probability, match_weight, gamma_*
    trained: bool
    pairs_kept: int = 0
    parameters: dict = field(default_factory=dict)
    # The trained model (Splink's saved settings) when this call trained one, to keep.
    model: dict | None = None


def _connection(config: LinkageConfig) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{config.duckdb.get('memory_limit', '12GB')}'")
    con.execute(f"SET threads = {int(config.duckdb.get('threads', 2))}")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/safeguarding-linkage-duckdb'")
    con.execute("SET preserve_insertion_order = false")
    return con


def _trained_parameters(settings: dict) -> dict:
    """The m and u of each level, from a saved Splink model, for reporting."""
    out = {}
    for comparison in settings["comparisons"]:
        levels = {}
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            levels[level.get("label_for_charts")] = {
                "m": level.get("m_probability"), "u": level.get("u_probability")}
        out[comparison["output_column_name"]] = levels
    return out


def _for_index(model: dict, config: LinkageConfig, *, children: int) -> dict:
    """A kept model, with the prior match probability of the index it now scores against."""
    settings = dict(model)
    settings["probability_two_random_records_match"] = (
        min(0.5, config.residual_match_rate / max(children, 1)))
    return settings


def train_model(children: pl.DataFrame, records: pl.DataFrame, *, config: LinkageConfig,
                log_level: int = logging.ERROR) -> dict:
    """Train the model on an index and a batch of records: u by random sampling, m by
    expectation maximisation. Returns Splink's saved settings (JSON-ready)."""
    from splink import Linker
    from splink.internals.duckdb.database_api import DuckDBAPI

    con = _connection(config)
    try:
        db_api = DuckDBAPI(connection=con)
        left = db_api.register(children.to_arrow(), dataset_display_name="children")
        right = db_api.register(records.to_arrow(), dataset_display_name="records_training")
        trainer = Linker([left, right], splink_settings(config, children=children.height),
                         log_level=log_level)
        trainer.training.estimate_u_using_random_sampling(
            max_pairs=config.u_max_pairs, seed=config.seed)
        for rule in config.em_blocking_rules:
            trainer.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=config.em_max_pairs)
        return trainer.misc.save_model_to_json()
    finally:
        con.close()


def score(children: pl.DataFrame, records: pl.DataFrame, *, config: LinkageConfig,
          train: bool | str = "auto", training_records: pl.DataFrame | None = None,
          model: dict | None = None, log_level: int = logging.ERROR) -> ScoreResult:
    """Score every blocked (child, record) pair; keep those at or above ``candidate_floor``.

    ``children`` and ``records`` are frames from ``normalise.prepare``. With
    ``train="auto"`` the model is trained (u by random sampling, m by EM) when
    both sides hold at least ``train_min_records``; otherwise the priors are
    used. ``training_records`` (default ``records``) is what training sees: the
    pipeline passes every record of the batch, including those already linked by
    an identifier, so EM sees the true matches too.

    ``model`` is a model trained before (``ScoreResult.model`` of an earlier call):
    when this call does not train, it scores with that model instead of the priors.
    """
    from splink import Linker
    from splink.internals.duckdb.database_api import DuckDBAPI

    empty = pl.DataFrame(schema={"child_uid": pl.Utf8, "record_uid": pl.Utf8,
                                 "match_probability": pl.Float64, "match_weight": pl.Float64,
                                 **{f"gamma_{name}": pl.Int64 for name in COMPARISONS}})
    if children.is_empty() or records.is_empty():
        return ScoreResult(empty, trained=False)
    training_records = records if training_records is None else training_records
    if train == "auto":
        train = min(children.height, training_records.height) >= config.train_min_records
    settings = splink_settings(config, children=children.height)
    parameters: dict = {}
    trained_model = None
    if train:
        trained_model = train_model(children, training_records, config=config,
                                    log_level=log_level)
        model = trained_model
    if model is not None:
        settings = _for_index(model, config, children=children.height)
        parameters = _trained_parameters(settings)
    con = _connection(config)
    try:
        db_api = DuckDBAPI(connection=con)
        left = db_api.register(children.to_arrow(), dataset_display_name="children_predict")
        right = db_api.register(records.to_arrow(), dataset_display_name="records_predict")
        linker = Linker([left, right], settings, log_level=log_level)
        predictions = linker.inference.predict(threshold_match_probability=config.candidate_floor,
                                               warning_mode="never")
        gammas = ", ".join(f"gamma_{name}" for name in COMPARISONS)
        pairs = con.sql(f"""
            select
              case when source_dataset_l = 'children_predict' then unique_id_l
                   else unique_id_r end as child_uid,
              case when source_dataset_l = 'children_predict' then unique_id_r
                   else unique_id_l end as record_uid,
              match_probability, match_weight, {gammas}
            from {predictions.physical_name}
        """).pl()  # noqa: S608  (table and column names are ours)
        return ScoreResult(pairs, trained=bool(train), pairs_kept=pairs.height,
                           parameters=parameters, model=trained_model)
    finally:
        con.close()
