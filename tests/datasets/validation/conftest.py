"""Fixtures of the return checks' tests."""

from __future__ import annotations

import pytest

from safeguarding.datasets.validation import ssda903_rules

_MADE: dict[str, dict] = {}


@pytest.fixture
def earlier_returns_made_into_frames_once(monkeypatch):
    """The LA's earlier 903 returns these tests give are a few fixed ones (each module's
    CLEAN_LAST and CLEAN_EARLIER, the latter given again for each year a rule looks back),
    while each test changes the return being checked. An earlier return's frames are a
    function of its rows alone (``last_year_frames``), so those of one content are made once
    for the run: making them again took half of the 903 rule tests' time. A test that
    changes an earlier return gives new content, made as before."""
    made = ssda903_rules.last_year_frames

    def once(children):
        children = list(children)
        key = repr(children)
        if key not in _MADE:
            _MADE[key] = made(children)
        return dict(_MADE[key])

    monkeypatch.setattr(ssda903_rules, "last_year_frames", once)
