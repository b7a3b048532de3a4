"""The dashboard's trend charts, drawn once per distinct set of figures and shared by every worker.

Drawing a matplotlib chart costs tens of milliseconds, more than the rest of a
dashboard page read from the results cache, and a chart depends only on its
inputs. So charts are kept in the "charts" cache (a file cache unless set
otherwise) under a digest of those inputs, and a recompute draws the dashboard's
year charts in the background, after storing the figures they show.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import matplotlib
from django.conf import settings
from django.core.cache import caches

from safeguarding.core.charts import line_chart
from safeguarding.measures.catalogue import Indicator
from safeguarding.measures.periods import Period

TIMEOUT = 7 * 24 * 60 * 60


def _store():
    return caches["charts" if "charts" in settings.CACHES else "default"]


@cache
def _drawing_version() -> str:
    """What else a drawn chart depends on: matplotlib's version and the drawing code. A
    release that changes either draws its charts again instead of serving the old ones."""
    from safeguarding.core import charts as drawing

    source = Path(drawing.__file__).read_bytes()
    return f"{matplotlib.__version__}:{hashlib.sha256(source).hexdigest()[:16]}"


def chart(**spec) -> str:
    key = "measures-chart:" + hashlib.sha256(
        (_drawing_version() + json.dumps(spec, sort_keys=True, default=str)).encode()
    ).hexdigest()
    store = _store()
    svg = store.get(key)
    if svg is None:
        svg = line_chart(**spec)
        store.set(key, svg, timeout=TIMEOUT)
    return svg


def trend_quarters(period: Period) -> list[Period]:
    """The quarters a theme page charts: those of the period's year and the two before."""
    if period.kind != "year":
        return [period.previous().previous(), period.previous(), period]
    years = [period.previous().previous(), period.previous(), period]
    return [q for year in years for q in year.quarters()]


def quarterly(indicator: Indicator, quarters: list[Period], values: list) -> str:
    return chart(labels=[q.label for q in quarters], values=values,
                 title=f"{indicator.title}, by quarter", unit=indicator.unit,
                 id_prefix=f"chart-{indicator.id}")


def monthly(indicator: Indicator, months: list[Period], values: list) -> str:
    return chart(labels=[m.start.strftime("%b") for m in months], values=values,
                 title=f"{indicator.title}, by month", unit=indicator.unit,
                 id_prefix=f"chart-{indicator.id}")


def warm(found, years: list[Period]) -> int:
    """Draw the quarterly and monthly charts of every measure for these years; return how many."""
    from safeguarding.measures.catalogue import catalogue

    drawn = 0
    for year in years:
        quarters, months = trend_quarters(year), year.months()
        if not all(p.label in found.documents for p in (*quarters, *months)):
            continue
        for indicator in catalogue().values():
            quarterly(indicator, quarters, [found.value(q, indicator.id) for q in quarters])
            monthly(indicator, months, [found.value(m, indicator.id) for m in months])
            drawn += 2
    return drawn
