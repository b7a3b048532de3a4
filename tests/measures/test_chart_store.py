"""The dashboard's drawn charts are kept by a digest of what they are drawn from."""

from __future__ import annotations

import uuid

from safeguarding.measures import charts


def _counting(monkeypatch) -> list[dict]:
    drawn: list[dict] = []

    def draw(**spec) -> str:
        drawn.append(spec)
        return f"<svg>{len(drawn)}</svg>"

    monkeypatch.setattr(charts, "line_chart", draw)
    return drawn


def test_a_chart_is_drawn_once_for_the_same_figures(monkeypatch):
    drawn = _counting(monkeypatch)
    spec = {"labels": ["Q1", "Q2"], "values": [3, 7], "title": f"Referrals {uuid.uuid4()}",
            "unit": "count", "id_prefix": "chart-test"}
    first = charts.chart(**spec)
    assert charts.chart(**spec) == first and len(drawn) == 1
    charts.chart(**{**spec, "values": [3, 8]})
    assert len(drawn) == 2


def test_a_release_that_changes_the_drawing_draws_its_charts_again(monkeypatch):
    # The key carries matplotlib's version and a digest of the drawing code: a chart kept by
    # the release before is not served by the next if either changed.
    drawn = _counting(monkeypatch)
    spec = {"labels": ["Q1"], "values": [5], "title": f"Plans {uuid.uuid4()}", "unit": "count",
            "id_prefix": "chart-test"}
    charts.chart(**spec)
    assert charts._drawing_version().count(":") == 1
    monkeypatch.setattr(charts, "_drawing_version", lambda: "0.0:another-drawing")
    assert charts.chart(**spec) == "<svg>2</svg>" and len(drawn) == 2
