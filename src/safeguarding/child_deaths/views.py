"""Pages for child death review. Case pages read through selectors (the audited door)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from safeguarding.child_deaths import exports, selectors, services, statistics
from safeguarding.child_deaths.forms import (
    CaseFilterForm,
    ExportForm,
    InformationRequestForm,
    JarForm,
    NotificationForm,
    ResponseForm,
    ReviewForm,
    StatisticsForm,
    ThemeForm,
)
from safeguarding.child_deaths.models import Theme
from safeguarding.child_deaths.rules import hosting_partnership_id, scopes_for, theme_partnerships
from safeguarding.child_deaths.timeline import timeline
from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Agency, AuditEvent
from safeguarding.measures.periods import financial_year_of, parse_financial_year

PAGE_SIZE = 50


def _today() -> dt.date:
    return timezone.localdate()


def _form_page(request, form, title, *, case=None, cancel_url="", submit_label="Save", intro="",
               guidance_key=""):
    from safeguarding.core.guidance import guidance

    return render(
        request,
        "child_deaths/form_page.html",
        {
            "form": form,
            "title": title,
            "case": case,
            "cancel_url": cancel_url,
            "submit_label": submit_label,
            "intro": intro,
            # The guidance the page's judgement follows (core/data/guidance.yaml).
            "guidance": guidance(guidance_key) if guidance_key else None,
        },
    )


@permission_required("child_deaths.open", raise_exception=True)
def case_list(request):
    if not request.user.has_perm("child_deaths.list_cases"):
        # Analysts work from aggregates only.
        return redirect("child_deaths:statistics")
    partnerships = selectors.panel_partnerships(request.user)
    form = CaseFilterForm(request.GET or None, partnerships=partnerships)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    cases, total = selectors.case_search(
        actor=request.user,
        partnership=filters.get("partnership", ""),
        status=filters.get("status", ""),
        period=filters.get("period", ""),
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    pages = max(1, -(-total // PAGE_SIZE))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "child_deaths/case_list.html",
        {
            "form": form,
            "cases": cases,
            "total": total,
            "page_number": page_number,
            "pages": pages,
            "has_next": page_number < pages,
            "has_previous": page_number > 1,
            "query": query,
            "today": _today(),
        },
    )


@permission_required("child_deaths.notify", raise_exception=True)
def notify(request):
    partnerships = selectors.panel_partnerships(request.user)
    agencies = Agency.objects.filter(partnerships__in=partnerships).distinct().order_by("name")
    initial = {"notified_on": _today(), "ethnicity": "NOBT", "birth_status": "born_alive"}
    if partnerships.count() == 1:
        initial["partnership"] = partnerships.first()
    form = NotificationForm(
        request.POST or None, partnerships=partnerships, agencies=agencies, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        case = apply_service(form, lambda: services.child_death_notify(actor=request.user, **data))
        if case:
            messages.success(request, f"Death notified: case {case.reference}")
            return redirect("child_deaths:detail", pk=case.pk)
    return render(
        request,
        "child_deaths/notify.html",
        {
            "form": form,
            "title": "Notify a child's death",
            "cancel_url": reverse("child_deaths:list"),
        },
    )


def case_detail(request, pk):
    case = selectors.case_get(actor=request.user, case_id=pk, purpose="view child death case")
    today = _today()
    return render(
        request,
        "child_deaths/case_detail.html",
        {
            "case": case,
            "child": case.child,
            "timeline": timeline(case, today),
            "today": today,
        },
    )


def jar_record(request, pk):
    case = selectors.case_get(
        actor=request.user, case_id=pk, purpose="record joint agency response"
    )
    agencies = services.agencies_for(case.partnership_id)
    existing = getattr(case, "jar", None)
    initial = {}
    if existing is not None:
        initial = {
            f: getattr(existing, f)
            for f in (
                "meeting_date",
                "key_worker_name",
                "key_worker_agency",
                "key_worker_contact",
                "notes",
            )
        }
        initial["agencies"] = list(existing.agencies.all())
    form = JarForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        if apply_service(
            form, lambda: services.jar_record(actor=request.user, case=case, **form.cleaned_data)
        ):
            messages.success(request, "Joint Agency Response saved")
            return redirect("child_deaths:detail", pk=case.pk)
    intro = (
        "Record the multi-agency response to this unexpected death: the first meeting, "
        "the agencies taking part and the family's key worker."
    )
    return _form_page(
        request,
        form,
        "Joint Agency Response",
        case=case,
        intro=intro,
        cancel_url=reverse("child_deaths:detail", args=[case.pk]),
    )


def request_add(request, pk):
    case = selectors.case_get(actor=request.user, case_id=pk, purpose="request agency information")
    form = InformationRequestForm(
        request.POST or None,
        agencies=services.agencies_for(case.partnership_id),
        initial={"requested_on": _today(), "form": "reporting"},
    )
    if request.method == "POST" and form.is_valid():
        made = apply_service(
            form,
            lambda: services.information_request_add(
                actor=request.user, case=case, **form.cleaned_data
            ),
        )
        if made:
            messages.success(
                request, f"Information requested from {made.agency}: due {made.due_on:%-d %B %Y}"
            )
            return redirect("child_deaths:detail", pk=case.pk)
    intro = (
        "Ask an agency that knew the child for its child death reporting form. The due "
        "date is set by the rule 'child_death_agency_return' in working days."
    )
    return _form_page(
        request,
        form,
        "Request information from an agency",
        case=case,
        intro=intro,
        submit_label="Send request",
        cancel_url=reverse("child_deaths:detail", args=[case.pk]),
    )


def request_response(request, pk, request_pk):
    case = selectors.case_get(actor=request.user, case_id=pk, purpose="record agency response")
    info = get_object_or_404(case.information_requests.select_related("agency"), pk=request_pk)
    form = ResponseForm(
        request.POST or None,
        initial={"received_on": info.received_on or _today(), "summary": info.summary},
    )
    if request.method == "POST" and form.is_valid():
        if apply_service(
            form,
            lambda: services.information_response_record(
                actor=request.user, request=info, **form.cleaned_data
            ),
        ):
            messages.success(request, f"Response from {info.agency} recorded")
            return redirect("child_deaths:detail", pk=case.pk)
    intro = (
        f"{info.get_form_display()} requested from {info.agency} on "
        f"{info.requested_on:%-d %B %Y}, due {info.due_on:%-d %B %Y}."
    )
    return _form_page(
        request,
        form,
        f"Record the response from {info.agency}",
        case=case,
        intro=intro,
        cancel_url=reverse("child_deaths:detail", args=[case.pk]),
    )


def review_record(request, pk):
    case = selectors.case_get(actor=request.user, case_id=pk, purpose="record panel review")
    existing = getattr(case, "review", None)
    initial = {}
    themes = selectors.themes_active(partnership_id=hosting_partnership_id(case.partnership_id))
    if existing is not None:
        initial = {
            f: getattr(existing, f)
            for f in ("review_date", "category", "modifiable", "learning_points", "recommendations")
        }
        initial["themes"] = list(existing.themes.all())
        for factor in existing.factors.all():
            key = f"factors_{factor.domain}"
            initial[key] = (initial.get(key, "") + "\n" + factor.description).strip()
        themes = themes | Theme.objects.filter(pk__in=[t.pk for t in initial["themes"]])
    form = ReviewForm(request.POST or None, themes=themes.distinct(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("factors_")}
        if apply_service(
            form,
            lambda: services.cdop_review_record(
                actor=request.user, case=case, factors=form.factors(), **data
            ),
        ):
            messages.success(request, "Panel review saved")
            return redirect("child_deaths:detail", pk=case.pk)
    intro = (
        "The Child Death Overview Panel's analysis: the category of death, whether there "
        "were modifiable factors and in which domains, themes, learning and "
        "recommendations."
    )
    return _form_page(
        request,
        form,
        "Record the panel's review",
        case=case,
        intro=intro,
        guidance_key="cdop_categorisation",
        cancel_url=reverse("child_deaths:detail", args=[case.pk]),
    )


def _download(content: str, filename: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        # A byte-order mark so spreadsheets read the names as UTF-8.
        response = HttpResponse(
            ("\ufeff" + content).encode(), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(content.encode(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def case_export(request, pk, fmt):
    if fmt not in ("csv", "json"):
        raise Http404("Export as csv or json")
    case = selectors.case_get(
        actor=request.user,
        case_id=pk,
        purpose="export child death case",
        action=AuditEvent.Action.EXPORT,
    )
    name = f"child-death-{case.reference}"
    if fmt == "csv":
        return _download(exports.to_csv([case]), name, "csv")
    scope = {"case": case.reference, "partnership": case.partnership.code}
    return _download(exports.to_json([case], scope=scope), name, "json")


@permission_required("child_deaths.list_cases", raise_exception=True)
def period_export(request):
    full = [s for s, access in scopes_for(request.user) if access == "full"]
    form = ExportForm(
        request.GET if "scope" in request.GET else None,
        scopes=full,
        initial={"year": financial_year_of(_today()).previous().label},
    )
    if form.is_bound and form.is_valid():
        scope = next(s for s in full if s.key == form.cleaned_data["scope"])
        year = parse_financial_year(form.cleaned_data["year"])
        cases = selectors.cases_for_export(
            actor=request.user, partnership_ids=scope.partnership_ids, year=year
        )
        fmt = form.cleaned_data["format"]
        name = f"child-deaths-{scope.key.lower()}-{year.label}"
        if fmt == "csv":
            return _download(exports.to_csv(cases), name, "csv")
        meta = {
            "key": scope.key,
            "label": scope.label,
            "year": year.label,
            "starts": year.start.isoformat(),
            "ends": year.end.isoformat(),
        }
        return _download(exports.to_json(cases, scope=meta), name, "json")
    return render(request, "child_deaths/exports.html", {"form": form})


@permission_required("child_deaths.list_cases", raise_exception=True)
def due(request):
    today = _today()
    found = selectors.requests_outstanding(
        actor=request.user, today=today, partnership=request.GET.get("partnership", "")
    )
    return render(request, "child_deaths/due.html", {**found, "today": today})


@permission_required("child_deaths.view_statistics", raise_exception=True)
def statistics_page(request):
    available = scopes_for(request.user)
    default_scope = next(
        (s for s, _ in available if s.key.startswith("panel-")),
        available[0][0] if available else None,
    )
    form = StatisticsForm(
        request.GET if "scope" in request.GET else None,
        scopes=[s for s, _ in available],
        initial={
            "scope": default_scope.key if default_scope else "",
            "year": financial_year_of(_today()).previous().label,
        },
    )
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = statistics.child_death_statistics(
            actor=request.user,
            scope_key=data["scope"],
            year=data["year"],
            trend_category=data.get("trend_category"),
        )
    elif not form.is_bound and default_scope is not None:
        result = statistics.child_death_statistics(
            actor=request.user, scope_key=default_scope.key, year=form.initial["year"]
        )
    return render(
        request,
        "child_deaths/statistics.html",
        {
            "form": form,
            "result": result,
            "is_panel": request.user.has_perm("child_deaths.list_cases"),
        },
    )


@permission_required("child_deaths.manage_themes", raise_exception=True)
def themes(request):
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        theme = apply_service(
            form, lambda: services.theme_add(actor=request.user, name=form.cleaned_data["name"])
        )
        if theme:
            messages.success(request, f"Theme '{theme.name}' added")
            return redirect("child_deaths:themes")
    return render(
        request,
        "child_deaths/themes.html",
        {
            "form": form,
            "themes": [
                (t, request.user.has_perm("child_deaths.manage_theme", t))
                for t in selectors.themes_all(partnership_ids=theme_partnerships(request.user))
            ],
        },
    )


@permission_required("child_deaths.manage_themes", raise_exception=True)
@require_POST
def theme_toggle(request, pk):
    theme = get_object_or_404(Theme, pk=pk)
    if not request.user.has_perm("child_deaths.manage_theme", theme):
        raise PermissionDenied
    services.theme_set_active(actor=request.user, theme=theme, active=not theme.active)
    messages.success(request, f"Theme '{theme.name}' {'restored' if theme.active else 'retired'}")
    return redirect("child_deaths:themes")
