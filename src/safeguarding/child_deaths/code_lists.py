"""Child death review code lists, loaded from data/*.yaml with their sources."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from safeguarding.core.yaml_data import load_yaml

_DATA = Path(__file__).with_name("data")


@cache
def _load(name: str) -> dict:
    return load_yaml((_DATA / f"{name}.yaml").read_text())


def _list(name: str) -> dict:
    return _load("code_lists")[name]


def choices(name: str) -> list[tuple[str, str]]:
    """(code, label) pairs for a list in code_lists.yaml."""
    out = []
    for code, value in _list(name)["codes"].items():
        out.append((str(code), value["label"] if isinstance(value, dict) else value))
    return out


def label(name: str, code: str) -> str:
    return dict(choices(name)).get(code, code)


def source(name: str) -> str:
    return " ".join(_list(name)["source"].split())


# Birth status: who the child death review covers.


def birth_status_accepted(code: str) -> bool:
    value = _list("birth_status")["codes"].get(code)
    return bool(value and value.get("accepted"))


def birth_status_hint(code: str) -> str:
    return _list("birth_status")["codes"].get(code, {}).get("hint", "")


EXCLUDED_MESSAGE = (
    "We cannot record this death for child death review. Child death reviews cover "
    "children who were born alive, up to their 18th birthday. Stillbirths, late foetal "
    "losses and lawful terminations of pregnancy are excluded by the Child Death Review "
    "Statutory and Operational Guidance (England) 2018. If no healthcare professional was "
    "present and it is not yet known whether the baby was born alive, choose 'Not known'."
)


# Categories of death.


@dataclass(frozen=True)
class Category:
    code: int
    key: str
    name: str


@cache
def categories() -> tuple[Category, ...]:
    return tuple(Category(**c) for c in _load("categories")["categories"])


def category(code: int | None) -> Category | None:
    return next((c for c in categories() if c.code == code), None)


def category_by_key(key: str) -> Category:
    return next(c for c in categories() if c.key == key)


def category_choices() -> list[tuple[int, str]]:
    return [(c.code, f"{c.code}. {c.name}") for c in categories()]


def categories_source() -> str:
    return " ".join(_load("categories")["source"].split())


# Joint Agency Response triggers.


@dataclass(frozen=True)
class JarTrigger:
    code: str
    label: str
    needs_birth_status: str = ""


@cache
def jar_triggers() -> tuple[JarTrigger, ...]:
    return tuple(JarTrigger(**t) for t in _load("jar_triggers")["triggers"])


def jar_trigger_choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in jar_triggers()]


def jar_trigger_label(code: str) -> str:
    return dict(jar_trigger_choices()).get(code, code)


def jar_triggers_source() -> str:
    return " ".join(_load("jar_triggers")["source"].split())


UNATTENDED_STILLBIRTH = "unattended_stillbirth"


# Themes: the seed list; the managed list lives in the Theme model.


def seed_themes() -> list[dict]:
    return list(_load("themes")["themes"])


def themes_source() -> str:
    return " ".join(_load("themes")["source"].split())
