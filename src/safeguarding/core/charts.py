"""SVG charts drawn with matplotlib, made safe for a strict content security policy.

matplotlib writes ``style="..."`` attributes and a ``<style>`` block; the site's
policy forbids inline styles, so each declaration becomes the equivalent SVG
presentation attribute, which the policy allows and WeasyPrint understands.
Every chart has a title (its accessible name) and description for screen readers and
is always shown beside a table of the same numbers. matplotlib numbers its ids the same
way in every chart, so each chart's ids carry a prefix of its own: several charts on one
page keep their ids unique.
"""

from __future__ import annotations

import hashlib
import io
import re
from html import escape

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402

GOVUK_BLUE = "#1d70b8"
GOVUK_GREY = "#505a5f"
GOVUK_ORANGE = "#f47738"
_STYLE_ATTR = re.compile(r'style="([^"]*)"')
_STYLE_BLOCK = re.compile(r"<style[^>]*>.*?</style>", re.S)
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'(url\(|href=")#([^")]+)')
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")


def _attributes(match: re.Match) -> str:
    parts = []
    for declaration in match.group(1).split(";"):
        if ":" in declaration:
            name, value = (s.strip() for s in declaration.split(":", 1))
            parts.append(f'{name}="{escape(value, quote=True)}"')
    return " ".join(parts)


def prefix_ids(svg: str, prefix: str) -> str:
    """Prefix every id in the SVG, and every reference to one (``url(#...)``, ``href="#..."``)."""
    svg = _SVG_ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    return _SVG_REF.sub(lambda m: f"{m.group(1)}#{prefix}-{m.group(2)}", svg)


def _id_prefix(id_prefix: str, title: str, description: str) -> str:
    """The caller's prefix, made safe for an id; else one drawn from the chart's own words,
    so the same chart always gets the same ids and two different charts never share them."""
    if id_prefix:
        return _NOT_ID.sub("-", id_prefix).strip("-") or "chart"
    digest = hashlib.sha1(f"{title}\n{description}".encode(), usedforsecurity=False)
    return "chart-" + digest.hexdigest()[:10]


def _svg(fig, title: str, description: str, id_prefix: str = "") -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = _STYLE_BLOCK.sub("", svg)
    svg = _STYLE_ATTR.sub(_attributes, svg)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    prefix = _id_prefix(id_prefix, title, description)
    svg = prefix_ids(svg, prefix)
    label = (f'<title id="{prefix}-title">{escape(title)}</title>'
             f'<desc id="{prefix}-desc">{escape(description)}</desc>')
    return re.sub(r"<svg ([^>]*)>", lambda m: (
        f'<svg {m.group(1)} role="img" focusable="false" aria-labelledby="{prefix}-title">'
        + label), svg, count=1)


def line_chart(*, labels: list[str], values: list[float | None], title: str, unit: str,
               comparison: list[float | None] | None = None, comparison_label: str = "",
               id_prefix: str = "") -> str:
    """A trend line; gaps where a value is not recorded. ``id_prefix`` starts every id in
    the chart (by default one drawn from its title and values)."""
    plt.rcParams.update({"svg.fonttype": "none", "font.family": "sans-serif",
                         "font.sans-serif": ["Liberation Sans", "Arial", "DejaVu Sans"],
                         "font.size": 10})
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    xs = range(len(labels))
    ys = [float("nan") if v is None else v for v in values]
    ax.plot(xs, ys, color=GOVUK_BLUE, marker="o", linewidth=2, label="This partnership")
    if comparison:
        ax.plot(xs, [float("nan") if v is None else v for v in comparison], color=GOVUK_ORANGE,
                linestyle="--", linewidth=1.5, label=comparison_label)
        ax.legend(frameon=False, loc="best")
    ax.set_xticks(list(xs))
    step = max(1, -(-len(labels) // 6))  # at most six labels, so they never overlap
    ax.set_xticklabels([lab if i % step == 0 else "" for i, lab in enumerate(labels)],
                       rotation=0)
    ax.set_ylabel("%" if unit == "percent" else "Number")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#b1b4b6", linewidth=0.5)
    ax.set_ylim(bottom=0)
    recorded = [f"{lab}: {v}" for lab, v in zip(labels, values, strict=True) if v is not None]
    description = ("Values: " + "; ".join(recorded)) if recorded else "No values recorded."
    return _svg(fig, title, description, id_prefix)


def bar_chart(*, labels: list[str], values: list[float | None], title: str, unit: str,
              id_prefix: str = "") -> str:
    """Horizontal bars, one a label; ``id_prefix`` as for ``line_chart``."""
    plt.rcParams.update({"svg.fonttype": "none", "font.family": "sans-serif",
                         "font.sans-serif": ["Liberation Sans", "Arial", "DejaVu Sans"],
                         "font.size": 10})
    fig, ax = plt.subplots(figsize=(6.4, max(1.6, 0.35 * len(labels) + 0.6)))
    ys = [0 if v is None else v for v in values]
    ax.barh(range(len(labels)), ys, color=GOVUK_BLUE)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.set_xlabel("%" if unit == "percent" else "Number")
    ax.spines[["top", "right"]].set_visible(False)
    recorded = [f"{lab}: {'not recorded' if v is None else v}" for lab, v in zip(labels, values, strict=True)]
    return _svg(fig, title, "; ".join(recorded), id_prefix)


def sparkline(values: list[float | None], *, title: str, labels: list[str] | None = None,
              width: int = 120, height: int = 32, id_prefix: str = "") -> str:
    """A small trend line drawn by hand (no matplotlib: a dashboard shows dozens), for a
    tile beside the figure it trends. Gaps where a value is not recorded; the last point
    marked. Presentation attributes only (strict CSP), a title and description (its
    accessible name), ids prefixed as for ``line_chart``; WeasyPrint draws it too."""
    pad = 3
    recorded = [v for v in values if v is not None]
    prefix = _id_prefix(id_prefix, title, repr(values))
    labels = labels or [str(i + 1) for i in range(len(values))]
    said = [f"{lab}: {v}" for lab, v in zip(labels, values, strict=True) if v is not None]
    description = ("Values: " + "; ".join(said)) if said else "No values recorded."
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" class="app-sparkline" role="img" '
             f'preserveAspectRatio="none" '
             f'focusable="false" aria-labelledby="{prefix}-title {prefix}-desc">',
             f'<title id="{prefix}-title">{escape(title)}</title>',
             f'<desc id="{prefix}-desc">{escape(description)}</desc>']
    if recorded:
        low, high = min(0.0, *map(float, recorded)), max(map(float, recorded))
        span = (high - low) or 1.0
        step = (width - 2 * pad) / max(1, len(values) - 1)

        def point(i: int, v) -> tuple[float, float]:
            return (round(pad + i * step, 1),
                    round(height - pad - (float(v) - low) / span * (height - 2 * pad), 1))

        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(point(i, v))
        parts.append(f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" '
                     f'y2="{height - pad}" stroke="#b1b4b6" stroke-width="1"/>')
        for run in runs:
            if len(run) > 1:
                coords = " ".join(f"{x},{y}" for x, y in run)
                parts.append(f'<polyline points="{coords}" fill="none" stroke="{GOVUK_BLUE}" '
                             f'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>')
            elif run:
                x, y = run[0]
                parts.append(f'<circle cx="{x}" cy="{y}" r="1.5" fill="{GOVUK_BLUE}"/>')
        last = max(i for i, v in enumerate(values) if v is not None)
        x, y = point(last, values[last])
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{GOVUK_BLUE}"/>')
    parts.append("</svg>")
    return "".join(parts)
