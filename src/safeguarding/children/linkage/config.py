"""Linkage settings: data/linkage.yaml, overridden key by key by Django's LINKAGE setting."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeguarding.core.yaml_data import load_yaml

SETTINGS_FILE = Path(__file__).parent / "data" / "linkage.yaml"


@dataclass(frozen=True)
class LinkageConfig:
    accept: float
    review: float
    candidate_floor: float
    residual_match_rate: float
    train_min_records: int
    term_frequency_min_children: int
    u_max_pairs: float
    em_max_pairs: float
    seed: int
    blocking_rules: list[str]
    em_blocking_rules: list[str]
    max_candidates: int
    duckdb: dict[str, Any]
    comparisons: dict[str, dict[str, dict[str, float]]]
    retrain_when_index_changes_by: float = 0.2
    extra: dict[str, Any] = field(default_factory=dict)

    def prior(self, comparison: str, level: str) -> tuple[float, float]:
        values = self.comparisons[comparison][level]
        return float(values["m"]), float(values["u"])


def load_config(overrides: dict[str, Any] | None = None) -> LinkageConfig:
    """Read the YAML, then Django's ``LINKAGE`` setting (if Django is set up), then ``overrides``."""
    data: dict[str, Any] = load_yaml(SETTINGS_FILE.read_text())
    try:
        from django.conf import settings

        data.update(getattr(settings, "LINKAGE", None) or {})
    except Exception:  # noqa: S110  Django not configured (plain scripts)
        pass
    data.update(overrides or {})
    known = set(LinkageConfig.__dataclass_fields__) - {"extra"}
    config = LinkageConfig(
        accept=float(data["accept"]),
        review=float(data["review"]),
        candidate_floor=float(data["candidate_floor"]),
        residual_match_rate=float(data["residual_match_rate"]),
        train_min_records=int(data["train_min_records"]),
        term_frequency_min_children=int(data["term_frequency_min_children"]),
        u_max_pairs=float(data["u_max_pairs"]),
        em_max_pairs=float(data["em_max_pairs"]),
        seed=int(data["seed"]),
        blocking_rules=list(data["blocking_rules"]),
        em_blocking_rules=list(data["em_blocking_rules"]),
        max_candidates=int(data["max_candidates"]),
        duckdb=dict(data.get("duckdb") or {}),
        comparisons=data["comparisons"],
        retrain_when_index_changes_by=float(data.get("retrain_when_index_changes_by", 0.2)),
        extra={k: v for k, v in data.items() if k not in known},
    )
    if not 0 < config.candidate_floor <= config.review < config.accept <= 1:
        raise ValueError(
            f"Linkage thresholds must satisfy 0 < candidate_floor <= review < accept <= 1, got "
            f"candidate_floor={config.candidate_floor} review={config.review} "
            f"accept={config.accept}"
        )
    for name, levels in config.comparisons.items():
        for level, values in levels.items():
            if not (0 < float(values["m"]) < 1 and 0 < float(values["u"]) < 1):
                raise ValueError(f"Linkage prior {name}.{level} needs 0 < m, u < 1")
    return config
