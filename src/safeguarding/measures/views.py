"""The multi-agency performance dashboard: themes, measures, targets, downloads, drill-down."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from rules.contrib.views import permission_required

from safeguarding.core import access, modules
from safeguarding.core.models import Partnership
from safeguarding.core.rules import partnerships_where
from safeguarding.measures import breakdowns, cache, charts, overview, services, sources
from safeguarding.measures.catalogue import by_theme, catalogue
from safeguarding.measures.engine import MEMBERS, Engine
from safeguarding.measures.forms import TargetForm
from safeguarding.measures.periods import PeriodError, financial_year_of, parse
from safeguarding.measures.rules import DASHBOARD_ROLES
from safeguarding.measures.selectors import (
    current_targets,
    data_spans,
    default_period,
    disclosed,
    disclosure_periods,
    partnership_las,
    period_for_latest,
    rag,
)

THEMES = {
    "core-pathway": ("core_pathway", "Core pathway",
                     "From early help through referral, assessment, child in need and child "
                     "protection to children looked after."),
    "neglect": ("neglect", "Neglect", "The measures the partnership watches for neglect."),
    "child-exploitation": ("child_exploitation", "Child exploitation",
                           "Missing episodes, return interviews and MACE referrals."),
    "critical-moments": ("critical_moments", "Critical moments",
                         "Transitions and moments of heightened risk in children's lives."),
    "demand": ("demand", "Demand", "Early help and children's social care referrals, year on year."),
    "learning-reviews": ("learning_reviews", "Learning reviews",
                         "Serious incident notifications, rapid reviews, practice reviews and "
                         "the actions that follow them, against their statutory clocks."),
    "child-deaths": ("child_deaths", "Child deaths",
                     "Child deaths notified and reviewed by the Child Death Overview Panel, as "
                     "aggregates: no child can be listed from here, and small numbers are "
                     "hidden for everyone outside the panel and its business unit."),
}


def themes() -> dict[str, tuple[str, str, str]]:
    """The dashboard's themes, then those the apps' contracts add (core/modules.py)."""
    return {**THEMES, **{t.slug: (t.key, t.title, t.intro) for t in modules.themes()
                         if t.slug not in THEMES}}


def _triangulation(partnership, key: str, period) -> dict[str, list]:
    """Beside the measures: what the apps' contracts hold for the theme (audit findings,
    survey results, review themes, open actions), grouped by kind."""
    found: dict[str, list] = {}
    for item in modules.triangulation(partnership, key, period):
        found.setdefault(item.kind, []).append(item)
    return found


def _partnership(request, code) -> Partnership:
    partnership = get_object_or_404(Partnership, code=code)
    if not request.user.has_perm("measures.view_partnership_dashboard", partnership):
        raise PermissionDenied
    return partnership


def _period(request, partnership):
    """The period asked for, or the latest financial year with the partnership's data."""
    try:
        return parse(request.GET.get("period") or "")
    except PeriodError:
        return default_period(partnership)


def _la(request, partnership):
    la = request.GET.get("la") or None
    try:
        return partnership_las(partnership, la), la
    except ValueError:
        return partnership_las(partnership), None


@permission_required("measures.view_dashboard", raise_exception=True)
def dashboard_home(request):
    codes = partnerships_where(request.user, DASHBOARD_ROLES)
    partnership = Partnership.objects.filter(pk__in=codes).order_by("name").first()
    if partnership is None:
        raise PermissionDenied
    return redirect("measures:theme", code=partnership.code, theme="core-pathway")


def _trend_periods(ind, period, quarters):
    """Quarters over three years, or financial years where the catalogue asks for a yearly
    trend (child deaths: small numbers are compared year on year, as the report does)."""
    trend = ind.extra.get("trend") or {}
    if trend.get("kind") != "yearly":
        return quarters, "quarter"
    years = [financial_year_of(period.start)]
    for _ in range(int(trend.get("years", 5)) - 1):
        years.insert(0, years[0].previous())
    return years, "year"


def _theme_rows(request, partnership, theme_key, period, la, *, draw: bool = True):
    quarters = charts.trend_quarters(period)
    indicators = by_theme(theme_key)
    points = {ind.id: _trend_periods(ind, period, quarters) for ind in indicators}
    wanted = {p.label: p for p in (period, period.previous(), *quarters)}
    for series, _ in points.values():
        wanted.update({p.label: p for p in series})
    view = disclosed(request.user, partnership, la)
    if view.aggregate_only:
        wanted.update({p.label: p for p in disclosure_periods(list(wanted.values()))})
    found = cache.results_for(partnership=partnership, la=la, periods=list(wanted.values()))
    targets = current_targets(partnership)
    rows = []
    for ind in indicators:
        res = view.result(found, period, ind.id)
        series, step = points[ind.id]
        trend = [view.result(found, p, ind.id).value for p in series]
        rows.append({
            "indicator": ind, "result": res,
            "previous": view.result(found, period.previous(), ind.id),
            "target": targets.get(ind.id), "rag": rag(ind, res.value, targets.get(ind.id)),
            "benchmarks": found.benchmarks(period, ind.id), "trend_step": step,
            "aggregate_only": view.hides(ind.id),
            "trend": list(zip([p.label for p in series], trend, strict=True)),
            "has_trend": any(value is not None for value in trend),
            "chart": charts.chart(labels=[p.label for p in series], values=trend,
                                  title=f"{ind.title}, by {step}", unit=ind.unit,
                                  id_prefix=f"chart-{ind.id}") if draw else "",
        })
    return rows, found


def _provenance(partnership, found, period) -> dict:
    """When and from which data the figures were computed, and any recompute under way."""
    document = found.document(period)
    summary = document.data_summary or {}
    latest = dict(summary.get("latest_import") or {})
    if latest.get("loaded_at"):
        latest["loaded_at"] = parse_datetime(latest["loaded_at"])
    changed = summary.get("records_changed_at")
    return {"computed_at": document.computed_at, "imports": summary.get("imports", 0),
            "latest_import": latest or None,
            "records_changed_at": parse_datetime(changed) if changed else None,
            "data_version": document.data_version[:8],
            "pending": cache.pending_recompute(partnership)}


def theme(request, code, theme):
    partnership = _partnership(request, code)
    if theme not in themes():
        raise Http404("No such theme")
    key, title, intro = themes()[theme]
    period = _period(request, partnership)
    _, la = _la(request, partnership)
    rows, found = _theme_rows(request, partnership, key, period, la)
    demand = None
    if key == "demand":
        from safeguarding.measures.phrasing import change

        demand = [(r["indicator"].title, change(r["result"].value, r["previous"].value,
                                                noun=r["indicator"].title.lower(),
                                                unit=r["indicator"].unit)) for r in rows]
    return render(request, "measures/theme.html", {
        "partnership": partnership, "themes": themes(), "theme": theme, "title": title,
        "intro": intro, "period": period, "rows": rows, "la": la, "demand": demand,
        "period_choices": _period_choices(partnership, period, found),
        "provenance": _provenance(partnership, found, period),
        "triangulation": _triangulation(partnership, key, period),
        "las": partnership.local_authorities.all(),
        "partnerships": Partnership.objects.filter(
            pk__in=partnerships_where(request.user, DASHBOARD_ROLES)),
    })


def _period_choices(partnership, period, found=None):
    """The periods the data hold: the spans the figures' recompute recorded (every app's
    coverage, cache.data_summary), or worked out now where figures were not computed yet."""
    recorded = (found.document(period).data_summary or {}).get("data_spans") \
        if found is not None else None
    if recorded is None:
        return overview.period_choices(data_spans(partnership), period,
                                       default_period(partnership))
    spans = [(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in recorded]
    latest = max((end for _, end in spans), default=None)
    return overview.period_choices(spans, period, period_for_latest(latest))


def overview_page(request, code, theme):
    """A theme on one screen: a tile per measure, each opening the measure's page."""
    partnership = _partnership(request, code)
    if theme not in themes():
        raise Http404("No such theme")
    key, title, intro = themes()[theme]
    period = _period(request, partnership)
    _, la = _la(request, partnership)
    rows, found = _theme_rows(request, partnership, key, period, la, draw=False)
    return render(request, "measures/overview.html", {
        "partnership": partnership, "themes": themes(), "theme": theme, "title": title,
        "intro": intro, "period": period, "la": la,
        "tiles": [overview.tile(row, period) for row in rows],
        "period_choices": _period_choices(partnership, period, found),
        "provenance": _provenance(partnership, found, period),
        "las": partnership.local_authorities.all(),
    })


def board_pack(request, code):
    """Every theme's overview as one PDF for a board meeting, a page a theme."""
    partnership = _partnership(request, code)
    period = _period(request, partnership)
    _, la = _la(request, partnership)
    pages, found = [], None
    for slug, (key, title, intro) in themes().items():
        rows, found = _theme_rows(request, partnership, key, period, la, draw=False)
        pages.append({"slug": slug, "title": title, "intro": intro,
                      "tiles": [overview.tile(row, period, scope=f"{slug}-") for row in rows]})
    from safeguarding.measures.board_pack import render_pdf

    pdf = render_pdf({"partnership": partnership, "period": period, "la": la, "pages": pages,
                      "base_url": request.build_absolute_uri("/").rstrip("/"),
                      "provenance": _provenance(partnership, found, period) if found else None,
                      "title": f"Board pack: {partnership.name}, {period.title}"})
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{partnership.code}-board-pack-{period.label}{f'-{la}' if la else ''}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def measure(request, code, indicator_id):
    partnership = _partnership(request, code)
    ind = catalogue().get(indicator_id)
    if ind is None:
        raise Http404("No such measure")
    period = _period(request, partnership)
    las, la = _la(request, partnership)
    can_set = request.user.has_perm("measures.set_target", partnership)
    form = TargetForm(request.POST or None) if can_set else None
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.target_set(actor=request.user, partnership=partnership,
                                    indicator_id=ind.id, **form.cleaned_data)
            except ValidationError as error:
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, "Target set")
                return redirect(request.get_full_path())
    months = period.months()
    view = disclosed(request.user, partnership, la)
    periods = [period, *months]
    if view.aggregate_only:
        periods += disclosure_periods([period])
    found = cache.results_for(partnership=partnership, periods=periods, la=la)
    res = view.result(found, period, ind.id)
    trend = [view.result(found, m, ind.id).value for m in months]
    drill = (ind.id in MEMBERS and request.user.has_perm("measures.drill_to_children", partnership))
    tables = []
    if res.value is not None and ind.breakdowns:
        # Breakdowns group the records themselves, so they are computed from the data; each
        # adds up to the figure above, so it is suppressed with it as its total.
        data = sources.measure_data(las)
        tables = [(breakdowns.LABELS[b],
                   breakdowns.breakdown(data, ind, period, las, b,
                                        total=res if view.hides(ind.id) else None))
                  for b in ind.breakdowns]
    from safeguarding.measures.models import Target

    return render(request, "measures/measure.html", {
        "partnership": partnership, "indicator": ind, "result": res, "period": period, "la": la,
        "benchmarks": found.benchmarks(period, ind.id),
        "provenance": _provenance(partnership, found, period),
        "target": current_targets(partnership).get(ind.id),
        "rag": rag(ind, res.value, current_targets(partnership).get(ind.id)),
        "history": Target.objects.filter(partnership=partnership, indicator_id=ind.id)
        .select_related("set_by")[:10],
        "trend": list(zip([m.label for m in months], trend, strict=True)),
        "chart": charts.monthly(ind, months, trend),
        "tables": tables, "form": form, "drill": drill,
        "back_theme": next((slug for slug, (key, _, _) in themes().items() if key in ind.themes),
                           "core-pathway"),
    })


def theme_download(request, code, theme, fmt):
    partnership = _partnership(request, code)
    if theme not in themes() or fmt not in ("csv", "xlsx"):
        raise Http404
    period = _period(request, partnership)
    _, la = _la(request, partnership)
    rows, _ = _theme_rows(request, partnership, themes()[theme][0], period, la)
    # Counts are the partnership's own; England, the region and the neighbours are compared
    # on the same basis as the partnership's comparable figure (a rate per 10,000 children
    # for counts DfE publishes as rates, the percentage otherwise).
    header = ["measure", "title", "period", "value", "unit", "numerator", "denominator",
              "reason", "rate_per_10000", "population_0_to_17", "rate_note", "target", "rag",
              "compared_on", "england", "region", "statistical_neighbours",
              "comparison_note", "definition", "source"]
    table = []
    for r in rows:
        b = r["benchmarks"] or {}
        res = r["result"]
        note = b.get("reason") or b.get("neighbours_reason")
        table.append([r["indicator"].id, r["indicator"].title, period.label, res.value,
                      r["indicator"].unit, res.numerator, res.denominator, res.reason,
                      res.rate_per_10000, res.population, res.rate_reason,
                      r["target"].target if r["target"] else None, r["rag"],
                      ("per 10,000 children aged 0 to 17" if b.get("basis") == "rate_per_10000"
                       else b.get("basis")), b.get("england"), b.get("region"),
                      b.get("statistical_neighbours"), note,
                      r["indicator"].description, r["indicator"].source])
    name = f"{partnership.code}-{theme}-{period.label}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([[_safe_cell(v) for v in row] for row in table])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = themes()[theme][1][:31]
        sheet.append(header)
        for row in table:
            sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
        out_bytes = io.BytesIO()
        book.save(out_bytes)
        response = HttpResponse(
            out_bytes.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _safe_cell(value):
    # A leading =, +, - or @ makes spreadsheets run the cell as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def measure_children(request, code, indicator_id):
    partnership = _partnership(request, code)
    if not request.user.has_perm("measures.drill_to_children", partnership):
        raise PermissionDenied
    if indicator_id not in MEMBERS:
        raise Http404("This measure cannot be listed by child")
    ind = catalogue()[indicator_id]
    period = _period(request, partnership)
    las, la = _la(request, partnership)
    members = Engine(sources.measure_data(las)).members(indicator_id, period, las)
    children = sources.children_for(members.rows(), partnership=partnership)
    shown = access.read_many(actor=request.user, objects=children[:200],
                             permission="children.view_child",
                             purpose=f"dashboard drill-down: {indicator_id} {period.label}")
    return render(request, "measures/children.html", {
        "partnership": partnership, "indicator": ind, "period": period, "children": shown,
        "total": members.height, "linked": len(children), "la": la,
        "back": reverse("measures:measure", args=[code, indicator_id]) + f"?period={period.label}",
    })
