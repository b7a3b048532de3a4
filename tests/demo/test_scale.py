"""The default demo's scale looks like the county it stands for (issue 18).

Building the county scale takes minutes, so no test builds it: this one asks the
synthetic histories what the scale's returns will hold (no database) and checks each
volume against the published figure it stands for (demo/data/seed_figures.yaml, each
with its source) within a factor of two. The tiny scale the tests use stays as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from safeguarding.child_deaths import demo as child_deaths_demo
from safeguarding.datasets.synthetic.history import volumes
from safeguarding.demo import builder, people

SEED_FIGURES = yaml.safe_load(
    (Path(builder.__file__).parent / "data" / "seed_figures.yaml").read_text())


def _within_a_factor_of_two(shown: float, published: float) -> bool:
    return published / 2 <= shown <= published * 2


def test_the_seed_figures_are_kept_with_their_source():
    figures = SEED_FIGURES["figures"]
    assert figures["referrals"]["value"] == 6431 and figures["cpp_at_period_end"]["value"] == 628
    assert all(f["source"] for f in figures.values())


def test_the_default_demo_is_the_county_scale():
    makefile = (Path(builder.__file__).parents[3] / "Makefile").read_text()
    assert "SCALE ?= county" in makefile
    assert {"tiny", "county"} <= set(people.SCALES) and {"tiny", "county"} <= set(
        builder.CENSUS_CHILDREN)


@pytest.mark.parametrize("key", ["referrals", "cpp_starts", "cpp_at_period_end",
                                 "cla_at_period_end"])
def test_the_county_scale_returns_are_within_a_factor_of_two_of_the_published_figures(key):
    published = SEED_FIGURES["figures"][key]["value"]
    shown = _county_volumes()[key]
    assert _within_a_factor_of_two(shown, published), (key, shown, published)


def test_the_joint_panel_is_notified_of_the_seeds_child_deaths():
    notified, reviewed, *_ = child_deaths_demo.YEARS[2020]
    assert notified == SEED_FIGURES["figures"]["child_deaths_notified"]["value"]
    assert reviewed == SEED_FIGURES["figures"]["child_deaths_reviewed"]["value"]


def test_the_tiny_scale_is_the_one_the_tests_knew_as_small():
    assert people.SCALES["tiny"] == people.SCALES["small"] == {"STAFFS": 400, "STOKE": 160}
    assert builder.CENSUS_CHILDREN["tiny"] == {"STAFFS": 300, "STOKE": 120}


_found: dict[str, int] = {}


def _county_volumes() -> dict[str, int]:
    if not _found:
        _found.update(volumes(la_code="860", year=2021, seed=2021,
                              children=builder.CENSUS_CHILDREN["county"]["STAFFS"]))
    return _found
