"""Pages for actions, what is due, learning events, themes and statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from rules.contrib.views import permission_required

from safeguarding.core.forms_govuk import apply_service
from safeguarding.measures.periods import (
    financial_year_of,
    financial_years_since,
    parse_financial_year,
)
from safeguarding.reviews import selectors, services
from safeguarding.reviews import statistics as stats
from safeguarding.reviews import steps as step_builders
from safeguarding.reviews.forms import (
    ActionFilterForm,
    ActionUpdateForm,
    LearningEventForm,
    StatisticsForm,
    ThemeForm,
)
from safeguarding.reviews.models import Theme
from safeguarding.reviews.rules import Level
from safeguarding.reviews.views._helpers import (
    check,
    form_page,
    paginate,
    partnerships_at,
    query_without_page,
    today,
)


@permission_required("reviews.list_actions", raise_exception=True)
def action_list(request):
    on = today()
    agencies = selectors.action_agencies(actor=request.user)
    filters = ActionFilterForm(request.GET or None, agencies=agencies)
    data = filters.cleaned_data if filters.is_valid() else {}
    actions = selectors.action_list(actor=request.user, on=on,
                                    overdue_only=bool(data.get("overdue")),
                                    agency=data.get("agency"), status=data.get("status", ""))
    page = paginate(request, actions)
    memo: dict = {}
    rows = [{"action": a, "clock": step_builders.action_step(a).view(on, memo),
             "can_update": request.user.has_perm("reviews.update_action", a)} for a in page]
    return render(request, "reviews/action_list.html", {
        "rows": rows, "page": page, "query": query_without_page(request), "filters": filters,
    })


def action_update(request, pk):
    action = selectors.action_get(actor=request.user, pk=pk)
    check(request, "reviews.update_action", action)
    form = ActionUpdateForm(request.POST or None, initial={
        "status": action.status, "evidence_of_impact": action.evidence_of_impact,
        "completed_on": action.completed_on})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.action_update(
                actor=request.user, action=action, **form.cleaned_data)):
            messages.success(request, "Action updated")
            return redirect("reviews:action-list")
    step = step_builders.action_step(action)
    return render(request, "reviews/action_update.html", {
        "form": form, "action": action, "clock": step.view(today()),
        "title": "Update an action", "cancel_url": reverse("reviews:action-list"),
    })


@permission_required("reviews.list_actions", raise_exception=True)
def due(request):
    board = selectors.due_board(actor=request.user, on=today())
    return render(request, "reviews/due.html", {"board": board})


@permission_required("reviews.list_records", raise_exception=True)
def learning_list(request):
    page = paginate(request, selectors.learning_list(actor=request.user))
    return render(request, "reviews/learning_list.html", {
        "page": page, "query": query_without_page(request),
        "can_add": request.user.has_perm("reviews.contribute_somewhere"),
    })


@permission_required("reviews.contribute_somewhere", raise_exception=True)
def learning_add(request):
    partnerships = partnerships_at(request, Level.CONTRIBUTE)
    ids = set(partnerships.values_list("pk", flat=True))
    from safeguarding.core.models import Agency

    agencies = Agency.objects.filter(partnerships__in=ids).distinct().order_by("name")
    form = LearningEventForm(
        request.POST or None, partnerships=partnerships,
        practice_reviews=selectors.practice_reviews_for_choice(partnership_ids=ids),
        incidents=selectors.incidents_for_choice(actor=request.user, partnership_ids=ids).filter(
            rapid_review__isnull=False),
        agencies=agencies, initial={"partnership": partnerships.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = apply_service(form, lambda: services.learning_event_add(
            actor=request.user, partnership=data["partnership"], kind=data["kind"],
            title=data["title"], held_on=data["held_on"], description=data["description"],
            practice_reviews=list(data["practice_reviews"]),
            rapid_reviews=[i.rapid_review for i in data["rapid_reviews"]],
            reach=form.reach()))
        if event:
            messages.success(request, f"{event.title} recorded")
            return redirect("reviews:learning-list")
    return form_page(request, form, "Record a briefing or learning event",
                     cancel_url=reverse("reviews:learning-list"),
                     intro="Link it to the reviews whose learning it shared, and say how many "
                           "people each agency reached.")


def _theme_owners(user) -> list[tuple[str, str]]:
    """Where the user may add a theme: ("", national list) and their own partnerships."""
    from safeguarding.core.models import Partnership
    from safeguarding.reviews.rules import review_access

    access = review_access(user)
    owners = [("", "The national list")] if access.manages_all_themes else []
    owners += [(str(p.pk), p.name)
               for p in Partnership.objects.filter(pk__in=access.theme_partnerships)]
    return owners


@permission_required("reviews.manage_themes", raise_exception=True)
def theme_list(request):
    themes = [(theme, request.user.has_perm("reviews.manage_theme", theme))
              for theme in selectors.theme_list_for(actor=request.user)]
    return render(request, "reviews/theme_list.html", {"themes": themes})


@permission_required("reviews.manage_themes", raise_exception=True)
def theme_add(request):
    from safeguarding.core.models import Partnership

    owners = _theme_owners(request.user)
    form = ThemeForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner", None)
        if owner is None and len(owners) == 1:
            owner = owners[0][0]
        data["partnership"] = Partnership.objects.get(pk=owner) if owner else None
        if apply_service(form, lambda: services.theme_add(actor=request.user, **data)):
            messages.success(request, "Theme added")
            return redirect("reviews:theme-list")
    return form_page(request, form, "Add a theme", cancel_url=reverse("reviews:theme-list"))


@permission_required("reviews.manage_themes", raise_exception=True)
def theme_edit(request, pk):
    theme = get_object_or_404(Theme, pk=pk)
    if not request.user.has_perm("reviews.manage_theme", theme):
        raise PermissionDenied
    form = ThemeForm(request.POST or None, editing=True, initial={
        "name": theme.name, "description": theme.description, "source": theme.source,
        "active": theme.active})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.theme_update(actor=request.user, theme=theme,
                                                     **form.cleaned_data)):
            messages.success(request, "Theme saved")
            return redirect("reviews:theme-list")
    return form_page(request, form, f"Edit the theme {theme.name}",
                     cancel_url=reverse("reviews:theme-list"))


@permission_required("reviews.view_statistics", raise_exception=True)
def statistics(request):
    on = today()
    partnerships = partnerships_at(request, Level.AGGREGATE)
    current = financial_year_of(on)
    periods = [p.label for p in financial_years_since(today=on)]
    form = StatisticsForm(request.GET or None, partnerships=partnerships, periods=periods,
                          initial={"partnership": partnerships.first(), "period": current.label})
    partnership, period = partnerships.first(), current
    if request.GET:
        if not form.is_valid():
            return render(request, "reviews/statistics.html", {"form": form, "figures": []})
        partnership = form.cleaned_data["partnership"]
        period = parse_financial_year(form.cleaned_data["period"])
    if partnership is None:
        raise PermissionDenied
    figures, summary = stats.statistics(partnership, period)
    if not stats.sees_true_numbers(request.user, partnership):
        figures, summary = stats.disclosed(figures, summary)
    return render(request, "reviews/statistics.html", {
        "form": form, "partnership": partnership, "period": period,
        "figures": figures, "summary": summary,
    })
