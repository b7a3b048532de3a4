"""The training pages. Learners (anyone with a seat in the programme's partnership, or one
it shares training with) see the programme and their own bookings; the business unit runs
the programme (rules.py). A manager approves a booking through the link e-mailed to them."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.views.imports import csv_import_page
from safeguarding.core.views.pages import form_page
from safeguarding.training import config, forms, importer, selectors, services
from safeguarding.training.models import Booking, Charge

_form_page = partial(form_page, breadcrumbs="training/_breadcrumbs.html")


def _learner(request) -> None:
    if not request.user.has_perm("training.open"):
        raise PermissionDenied


@login_required
def home(request):
    _learner(request)
    sessions = list(selectors.sessions_open(request.user))
    for session in sessions:
        session.left = max(session.capacity - session.held, 0)
    policies = {p.pk: config.policy(p) for p in selectors.programmes_for(request.user)}
    return render(request, "training/home.html", {
        "sessions": sessions, "policies": list(policies.values()),
        "managed": selectors.managed_for(request.user),
        "levels": config.codes("levels")})


@login_required
def my_bookings(request):
    _learner(request)
    now = timezone.now()
    rows = []
    for booking in selectors.my_bookings(request.user):
        rows.append({"booking": booking, "late": booking.state == Booking.State.CONFIRMED
                     and services.is_late(booking, now),
                     "cutoff": services.cutoff_day(booking.session),
                     "future": booking.session.starts_at > now,
                     "answered": {e.stage for e in booking.evaluations.all()}})
    return render(request, "training/my_bookings.html", {"rows": rows})


@login_required
def session_book(request, pk):
    _learner(request)
    session = selectors.session_get(actor=request.user, pk=pk)
    policy = config.policy(session.course.partnership)
    form = forms.BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        booking = apply_service(form, lambda: services.booking_request(
            actor=request.user, session=session, role=form.cleaned_data["role"],
            manager_email=form.cleaned_data["manager_email"]))
        if booking:
            messages.success(request, f"{booking.get_state_display()}: {session}")
            return redirect("training:my-bookings")
    intro = (f"{session.course.get_format_display()}, {session.course.get_length_display()}. "
             f"Cancel by {services.cutoff_day(session):%-d %B %Y} ({policy.cutoff_text()}) "
             f"or your organisation may be charged. "
             + ("Your line manager approves the booking. " if policy.manager_approval else ""))
    return _form_page(request, form, "Book a place", caption=str(session), intro=intro,
                      cancel_url=reverse("training:home"), submit="Book")


@login_required
def booking_cancel(request, pk):
    booking = selectors.my_booking_get(actor=request.user, pk=pk)
    form = forms.CancelForm(request.POST or None)
    late = booking.state == Booking.State.CONFIRMED and services.is_late(booking, timezone.now())
    if request.method == "POST" and form.is_valid():
        done = apply_service(form, lambda: services.booking_cancel(
            actor=request.user, booking=booking, reason=form.cleaned_data["reason"]))
        if done:
            messages.success(request, f"Booking cancelled: {booking.session}")
            return redirect("training:my-bookings")
    intro = ("The cut-off has passed: cancelling now is a late cancellation and your "
             "organisation may be charged by the partnership's policy." if late else
             "You are cancelling before the cut-off: there is no charge.")
    return _form_page(request, form, "Cancel a booking", caption=str(booking.session),
                      intro=intro, cancel_url=reverse("training:my-bookings"),
                      submit="Cancel the booking")


@login_required
@require_POST
def booking_accept(request, pk):
    booking = selectors.my_booking_get(actor=request.user, pk=pk)
    try:
        services.booking_accept_offer(actor=request.user, booking=booking)
        messages.success(request, f"Place accepted: {booking.session}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("training:my-bookings")


@login_required
def booking_evaluate(request, pk):
    booking = selectors.my_booking_get(actor=request.user, pk=pk)
    form = forms.EvaluationForm(request.POST or None,
                                initial={"stage": request.GET.get("stage", "before")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(form, lambda: services.evaluation_record(
            actor=request.user, booking=booking, stage=data["stage"],
            confidence=data["confidence"], knowledge=data["knowledge"],
            quality=data["quality"], practice_change=data["practice_change"]))
        if done:
            messages.success(request, "Thank you: your evaluation is recorded")
            return redirect("training:my-bookings")
    return _form_page(request, form, "Evaluate your training", caption=str(booking.session),
                      intro="Rate yourself before the course, after it, and again 6 to 12 "
                            "weeks later: the partnership compares each learner's own ratings.",
                      cancel_url=reverse("training:my-bookings"), submit="Send")


@login_required
def approve(request, token):
    """The line manager's decision, through the link e-mailed to them (signed in, as every page)."""
    if request.method == "POST":
        try:
            booking = services.booking_manager_decide(
                token=token, approve=request.POST.get("decision") == "approve")
        except ValidationError as error:
            return render(request, "training/approve.html", {"done": " ".join(error.messages)})
        return render(request, "training/approve.html", {
            "done": f"Thank you: the booking is now {booking.get_state_display().lower()}."})
    return render(request, "training/approve.html", {"done": None})


# The business unit ---------------------------------------------------------------

@login_required
def manage(request, partnership):
    found = selectors.partnership_get(actor=request.user, pk=partnership)
    return render(request, "training/manage.html", {
        "partnership": found, "policy": config.policy(found),
        "courses": selectors.courses(found),
        "sessions": selectors.sessions_managed(request.user, found)[:50],
        "change": selectors.paired_change(found),
        "follow_up": selectors.paired_change(found, then="follow_up")})


@login_required
def course_add(request, partnership):
    found = selectors.partnership_get(actor=request.user, pk=partnership)
    form = forms.CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = apply_service(form, lambda: services.course_add(
            actor=request.user, partnership=found, **form.cleaned_data))
        if course:
            messages.success(request, f"Course {course.code} added")
            return redirect("training:manage", partnership=found.pk)
    return _form_page(request, form, "Add a course", caption=found.name,
                      cancel_url=reverse("training:manage", args=[found.pk]))


@login_required
def session_add(request, pk):
    course = next((c for p in selectors.managed_for(request.user)
                   for c in selectors.courses(p).filter(pk=pk)), None)
    if course is None:
        raise PermissionDenied
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts, ends = form.times()
        data = form.cleaned_data
        session = apply_service(form, lambda: services.session_add(
            actor=request.user, course=course, starts_at=starts, ends_at=ends,
            trainers=data["trainers"], capacity=data["capacity"], venue=data["venue"],
            joining_link=data["joining_link"]))
        if session:
            messages.success(request, f"Session added: {session}")
            return redirect("training:manage", partnership=course.partnership_id)
    return _form_page(request, form, "Add a session", caption=str(course),
                      cancel_url=reverse("training:manage", args=[course.partnership_id]))


@login_required
def session_register(request, pk):
    session = selectors.session_get(actor=request.user, pk=pk, manage=True)
    places = session.bookings.filter(state__in=["confirmed", "attended", "no_show"]
                                     ).select_related("learner", "organisation__agency")
    error = ""
    if request.method == "POST":
        attended = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
        try:
            counts = services.register_record(actor=request.user, session=session,
                                              attended=attended)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, f"Register saved: {counts['attended']} attended, "
                                      f"{counts['no_show']} did not attend")
            return redirect("training:manage", partnership=session.course.partnership_id)
    return render(request, "training/register.html", {
        "session": session, "places": places, "error": error,
        "waiting": session.bookings.filter(state__in=["waitlisted", "offered"]).count()})


@login_required
def charges(request, partnership):
    found = selectors.partnership_get(actor=request.user, pk=partnership)
    status = request.GET.get("status") or None
    if status not in (None, *Charge.Status.values):
        status = None
    return render(request, "training/charges.html", {
        "partnership": found, "charges": selectors.charges(found, status), "status": status,
        "statuses": Charge.Status.choices, "policy": config.policy(found)})


@login_required
def charge_waive(request, pk):
    charge = selectors.charge_get(actor=request.user, pk=pk)
    form = forms.WaiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(form, lambda: services.charge_waive(
            actor=request.user, charge=charge, reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"]))
        if done:
            messages.success(request, "Charge waived")
            return redirect("training:charges", partnership=charge.partnership_id)
    return _form_page(request, form, "Waive a charge",
                      caption=f"{charge.organisation}: {charge}",
                      cancel_url=reverse("training:charges", args=[charge.partnership_id]),
                      submit="Waive the charge")


@login_required
def invoices(request, partnership):
    found = selectors.partnership_get(actor=request.user, pk=partnership)
    form = forms.InvoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = apply_service(form, lambda: services.invoices_make(
            actor=request.user, partnership=found, period=form.cleaned_data["period"]))
        if made is not None:
            messages.success(request, f"{len(made)} invoice{'s' if len(made) != 1 else ''} made")
            return redirect("training:invoices", partnership=found.pk)
    return render(request, "training/invoices.html", {
        "partnership": found, "form": form, "invoices": selectors.invoices(found)})


@login_required
def invoices_csv(request, partnership):
    found = selectors.partnership_get(actor=request.user, pk=partnership)
    period = request.GET.get("period") or None
    from safeguarding.core.audit import audit_append

    audit_append(actor=request.user, action="export", object_type="training.invoice",
                 object_id=str(found.pk), purpose="export training invoices",
                 detail={"period": period})
    response = HttpResponse(selectors.invoices_csv(selectors.invoices(found, period)),
                            content_type="text/csv")
    name = f"training-invoices-{found.code}-{period or 'all'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def organisations(request, partnership):
    found = selectors.partnership_get(actor=request.user, pk=partnership)
    return render(request, "training/organisations.html", {
        "partnership": found, "organisations": selectors.organisations(found)})


@login_required
def organisation_edit(request, pk):
    organisation = selectors.organisation_get(actor=request.user, pk=pk)
    form = forms.OrganisationForm(request.POST or None, initial={
        "fee_band": organisation.fee_band, "billing_contact": organisation.billing_contact,
        "billing_email": organisation.billing_email,
        "purchase_order": organisation.purchase_order})
    if request.method == "POST" and form.is_valid():
        done = apply_service(form, lambda: services.organisation_update(
            actor=request.user, organisation=organisation, **form.cleaned_data))
        if done:
            messages.success(request, f"{organisation} updated")
            return redirect("training:organisations", partnership=organisation.partnership_id)
    return _form_page(request, form, "Change an organisation's fee band and billing contact",
                      caption=str(organisation),
                      cancel_url=reverse("training:organisations",
                                         args=[organisation.partnership_id]))


@login_required
def elearning_import(request, partnership):
    """Load the e-learning platform's CSV of completions: whole or not at all."""
    found = selectors.partnership_get(actor=request.user, pk=partnership)
    form = forms.CompletionImportForm(request.POST or None, request.FILES or None)

    def loaded(record):
        messages.success(request, f"{record.file_name}: {record.added} completion"
                                  f"{'s' if record.added != 1 else ''} added, "
                                  f"{record.unchanged} already held")
        return redirect("training:elearning-import", partnership=found.pk)

    return csv_import_page(
        request, form, lambda content, name: services.completions_import(
            actor=request.user, partnership=found, content=content, file_name=name),
        succeeded=loaded, template="training/elearning_import.html", context={
            "title": "Import e-learning completions", "caption": found.name,
            "partnership": found, "columns": importer.columns(),
            "imports": selectors.completion_imports(found)[:20]})


@login_required
def my_record(request):
    """The learner's own record: courses done, and when each needs a refresher."""
    _learner(request)
    return render(request, "training/my_record.html", {
        "record": selectors.learner_record(request.user, timezone.localdate())})


@login_required
def refreshers(request, partnership):
    found = selectors.partnership_get(actor=request.user, pk=partnership)
    return render(request, "training/refreshers.html", {
        "partnership": found, "rows": selectors.refreshers_due(found, timezone.localdate())})


@login_required
def coverage(request, partnership):
    found = selectors.partnership_get(actor=request.user, pk=partnership)
    return render(request, "training/coverage.html", {
        "partnership": found, "table": selectors.coverage_table(found, timezone.localdate())})
