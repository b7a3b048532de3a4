"""The module's configuration as data (data/config.yaml): grading scales, themes, where a
sample is drawn from, question sets and the return deadline, each with its source."""

from __future__ import annotations

from pathlib import Path

from safeguarding.core.yaml_data import DataFile

PATH = Path(__file__).with_name("data") / "config.yaml"


config = DataFile(PATH)


def returns_working_days() -> int:
    return int(config()["returns_due"]["working_days"])


def reminder_lead() -> int:
    return int(config()["reminder_lead"]["working_days"])


def re_audit_warning_days() -> int:
    return int(config()["re_audit_warning"]["days"])


def scales() -> list[tuple[str, str]]:
    return [(k, v["title"]) for k, v in config()["scales"]["codes"].items()]


def grades(scale: str) -> list[tuple[str, str]]:
    """(key, label) of a scale's grades, best first."""
    return [(g["key"], g["label"]) for g in config()["scales"]["codes"][scale]["grades"]]


def band(scale: str, grade: str) -> str:
    """The band a grade falls in (good, requires_improvement, inadequate)."""
    return next(g["band"] for g in config()["scales"]["codes"][scale]["grades"]
                if g["key"] == grade)


def grade_label(scale: str, grade: str) -> str:
    return dict(grades(scale)).get(grade, grade)


def bands() -> list[tuple[str, str]]:
    return list(config()["bands"].items())


def themes() -> list[tuple[str, str]]:
    return list(config()["themes"]["codes"].items())


def theme_title(key: str) -> str:
    return dict(themes()).get(key, key.replace("_", " ").capitalize())


def populations() -> list[tuple[str, str]]:
    return list(config()["populations"]["codes"].items())


def plan_categories() -> list[tuple[str, str]]:
    return list(config()["plan_categories"].items())


def finding_kinds() -> list[tuple[str, str]]:
    return list(config()["finding_kinds"].items())


def question_set(key: str) -> list[dict]:
    sets = config()["question_sets"]["sets"]
    return sets.get(key, sets["general"])
