"""The governance pages. The partnership's business unit, board and sub-group members read;
the business unit and board members write (rules.py). Another partnership's records are
not found (404)."""

from __future__ import annotations

from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Partnership
from safeguarding.core.rules import permission_require
from safeguarding.core.views.pages import form_page, permission_view, redirect_saved
from safeguarding.governance import config, forms, selectors, services
from safeguarding.governance.models import Action, Commitment
from safeguarding.governance.rules import Level, partnerships_at

# Signed in, and a reader of some partnership's governance (403 otherwise); a record of a
# partnership the reader has no level for is then not found (404).
reader = permission_view("governance.view")


_form_page = partial(form_page, breadcrumbs="governance/_breadcrumbs.html")


@reader
def home(request):
    today = timezone.localdate()
    return render(request, "governance/home.html", {
        "bodies": selectors.bodies_for(request.user),
        "overdue": selectors.overdue_actions(request.user, today).count(),
        "registers": selectors.registers_for(request.user),
        "can_edit": request.user.has_perm("governance.edit")})


@reader
def body_add(request):
    permission_require(request.user, "governance.edit")
    partnerships = Partnership.objects.filter(pk__in=partnerships_at(request.user, Level.EDIT))
    form = forms.BodyForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body = apply_service(form, lambda: services.body_add(
            actor=request.user, partnership=data["partnership"], kind=data["kind"],
            name=data["name"], joint_with=data["joint_with"], started_on=data["started_on"]))
        if body:
            return redirect_saved(request, f"{body} added: now add its terms of reference",
                         "governance:terms-add", body.pk)
    return _form_page(request, form, "Add a board, sub-group or task group",
                      cancel_url=reverse("governance:home"))


@reader
def body_detail(request, pk):
    body = selectors.body_get(actor=request.user, pk=pk)
    return render(request, "governance/body_detail.html", {
        "body": body, "terms": selectors.terms_current(body),
        "versions": body.terms.order_by("-version"),
        "meetings": body.meetings.order_by("-held_on"),
        "actions": selectors.open_actions(body),
        "registers": body.risk_registers.all(),
        "can_edit": request.user.has_perm("governance.edit", body)})


@reader
def terms_add(request, pk):
    body = selectors.body_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", body)
    current = selectors.terms_current(body)
    initial = {"papers_days": config.default_papers_days(), "quorum": 3}
    if current is not None:
        initial.update(purpose=current.purpose, chair=current.chair,
                       chair_agency=current.chair_agency, quorum=current.quorum,
                       frequency=current.frequency, papers_days=current.papers_days,
                       members=[m.agency for m in current.members.all()],
                       roles="\n".join(f"{m.agency.name}: {m.role}" for m in current.members.all()))
    form = forms.TermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        terms = apply_service(form, lambda: services.terms_add(
            actor=request.user, body=body, purpose=data["purpose"], chair=data["chair"],
            chair_agency=data["chair_agency"], quorum=data["quorum"],
            frequency=data["frequency"], papers_days=data["papers_days"],
            effective_from=data["effective_from"], review_on=data["review_on"],
            members=form.member_roles()))
        if terms:
            return redirect_saved(request, f"Terms of reference version {terms.version} recorded",
                         "governance:body-detail", body.pk)
    return _form_page(request, form, "New terms of reference", caption=body.name,
                      intro="A new version: earlier versions are kept, and each meeting is held "
                            "under the version in force on its day.",
                      cancel_url=reverse("governance:body-detail", args=[body.pk]))


@reader
def meeting_add(request, pk):
    body = selectors.body_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", body)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = apply_service(form, lambda: services.meeting_schedule(
            actor=request.user, body=body, held_on=form.cleaned_data["held_on"]))
        if meeting:
            return redirect_saved(request, "Meeting planned; its agenda is built from the action log",
                         "governance:meeting-detail", meeting.pk)
    return _form_page(request, form, "Plan a meeting", caption=body.name,
                      intro="The agenda starts with the last meeting's minutes, the body's open "
                            "actions and the risks and terms of reference due for review.",
                      cancel_url=reverse("governance:body-detail", args=[body.pk]))


@reader
def meeting_detail(request, pk):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    return render(request, "governance/meeting_detail.html", {
        "meeting": meeting, "body": meeting.body,
        "agenda": meeting.agenda.select_related("action", "risk", "paper_agency"),
        "attendance": meeting.attendance.select_related("agency"),
        "members": meeting.terms.members.select_related("agency"),
        "decisions": meeting.decisions.select_related("item"),
        "minutes": meeting.minutes.all(),
        "actions": meeting.actions_raised.select_related("agency"),
        "can_edit": request.user.has_perm("governance.edit", meeting)})


def _meeting_for_edit(request, pk):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", meeting)
    return meeting


@reader
def attendance(request, pk):
    meeting = _meeting_for_edit(request, pk)
    members = sorted({m.agency for m in meeting.terms.members.select_related("agency")},
                     key=lambda a: a.name)
    current = {a.agency_id: a for a in meeting.attendance.all()}
    form = forms.AttendanceForm(request.POST or None, members=members, current=current)
    if request.method == "POST" and form.is_valid():
        done = apply_service(form, lambda: services.attendance_record(
            actor=request.user, meeting=meeting, entries=form.entries()))
        if done:
            verdict = "quorate" if done.quorate else "not quorate"
            return redirect_saved(request, f"Attendance recorded: the meeting was {verdict}",
                         "governance:meeting-detail", meeting.pk)
    return _form_page(request, form, "Attendance and apologies", caption=str(meeting),
                      cancel_url=reverse("governance:meeting-detail", args=[meeting.pk]))


@reader
def decision_add(request, pk):
    meeting = _meeting_for_edit(request, pk)
    form = forms.DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        item = form.items.get(form.cleaned_data["item"])
        if apply_service(form, lambda: services.decision_record(
                actor=request.user, meeting=meeting, text=form.cleaned_data["text"], item=item)):
            return redirect_saved(request, "Decision recorded", "governance:meeting-detail", meeting.pk)
    return _form_page(request, form, "Record a decision", caption=str(meeting),
                      cancel_url=reverse("governance:meeting-detail", args=[meeting.pk]))


@reader
def minutes_add(request, pk):
    meeting = _meeting_for_edit(request, pk)
    latest = meeting.minutes.first()
    form = forms.MinutesForm(request.POST or None, initial={"text": latest.text if latest else ""})
    if request.method == "POST" and form.is_valid():
        found = apply_service(form, lambda: services.minutes_record(
            actor=request.user, meeting=meeting, text=form.cleaned_data["text"]))
        if found:
            return redirect_saved(request, f"Minutes version {found.version} recorded",
                         "governance:meeting-detail", meeting.pk)
    return _form_page(request, form, "Minutes", caption=str(meeting),
                      intro="Each save is a new version; the next meeting approves them.",
                      cancel_url=reverse("governance:meeting-detail", args=[meeting.pk]))


@reader
def paper_add(request, pk):
    meeting = _meeting_for_edit(request, pk)
    form = forms.PaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.paper_add(
                actor=request.user, meeting=meeting, title=data["title"], agency=data["agency"],
                received_on=data["received_on"])):
            return redirect_saved(request, "Paper added to the agenda", "governance:meeting-detail",
                         meeting.pk)
    return _form_page(request, form, "Add a paper to the agenda", caption=str(meeting),
                      intro=f"Papers are due by {meeting.papers_due:%-d %B %Y}.",
                      cancel_url=reverse("governance:meeting-detail", args=[meeting.pk]))


@reader
def action_add(request, pk):
    body = selectors.body_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", body)
    form = forms.ActionForm(request.POST or None, body=body,
                            initial={"raised_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = apply_service(form, lambda: services.action_add(
            actor=request.user, body=body, title=data["title"], owner=data["owner"],
            agency=data["agency"], due_on=data["due_on"], raised_on=data["raised_on"],
            raised_at=form.meetings.get(data["raised_at"])))
        if action:
            return redirect_saved(request, f"Action {action.reference} added", "governance:action-detail",
                         action.pk)
    return _form_page(request, form, "Add an action", caption=body.name,
                      cancel_url=reverse("governance:body-detail", args=[body.pk]))


@reader
def action_list(request):
    status = request.GET.get("status", "open")
    status = status if status in Action.Status.values else ""
    return render(request, "governance/action_list.html", {
        "actions": selectors.actions_for(request.user, status=status or None),
        "status": status, "statuses": Action.Status.choices, "today": timezone.localdate(),
        "title": "Action log"})


@reader
def overdue(request):
    today = timezone.localdate()
    return render(request, "governance/action_list.html", {
        "actions": selectors.overdue_actions(request.user, today), "today": today,
        "title": "Overdue actions", "overdue_view": True})


@reader
def action_detail(request, pk):
    action = selectors.action_get(actor=request.user, pk=pk)
    return render(request, "governance/action_detail.html", {
        "action": action, "body": action.body, "today": timezone.localdate(),
        "risks": action.risks.select_related("register"),
        "can_edit": request.user.has_perm("governance.edit", action)})


@reader
def action_close(request, pk):
    action = selectors.action_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", action)
    form = forms.ActionCloseForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.action_close(
                actor=request.user, action=action, status=data["status"],
                evidence=data["evidence"], on=data["on"])):
            return redirect_saved(request, f"Action {action.reference} closed", "governance:action-detail",
                         action.pk)
    return _form_page(request, form, "Close an action", caption=str(action),
                      cancel_url=reverse("governance:action-detail", args=[action.pk]))


@reader
def action_carry(request, pk):
    action = selectors.action_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", action)
    form = forms.CarryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.action_carry_forward(
                actor=request.user, action=action, due_on=form.cleaned_data["due_on"])):
            return redirect_saved(request, f"Action {action.reference} carried forward",
                         "governance:action-detail", action.pk)
    return _form_page(request, form, "Carry an action forward", caption=str(action),
                      intro=f"Now due {action.due_on:%-d %B %Y}; carried forward "
                            f"{action.carried_forward} times so far.",
                      cancel_url=reverse("governance:action-detail", args=[action.pk]))


@reader
def register_list(request):
    return render(request, "governance/register_list.html", {
        "registers": selectors.registers_for(request.user)})


@reader
def register_add(request, pk):
    body = selectors.body_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", body)
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        register = apply_service(form, lambda: services.register_open(
            actor=request.user, body=body, name=data["name"], kind=data["kind"],
            opened_on=data["opened_on"]))
        if register:
            return redirect_saved(request, f"{register} opened", "governance:register-detail",
                         register.pk)
    return _form_page(request, form, "Open a risk register", caption=body.name,
                      cancel_url=reverse("governance:body-detail", args=[body.pk]))


@reader
def register_detail(request, pk):
    register = selectors.register_get(actor=request.user, pk=pk)
    return render(request, "governance/register_detail.html", {
        "register": register, "body": register.body,
        "risks": [(r, config.rag(r.residual_score)) for r in register.risks.all()],
        "can_edit": request.user.has_perm("governance.edit", register)})


@reader
def register_close(request, pk):
    register = selectors.register_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", register)
    form = forms.RegisterCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.register_close(
                actor=request.user, register=register, on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"])):
            return redirect_saved(request, f"{register} closed", "governance:register-detail", register.pk)
    return _form_page(request, form, "Close a risk register", caption=register.name,
                      cancel_url=reverse("governance:register-detail", args=[register.pk]))


@reader
def risk_add(request, pk):
    register = selectors.register_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", register)
    form = forms.RiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        risk = apply_service(form, lambda: services.risk_add(
            actor=request.user, register=register, **{k: data[k] for k in (
                "title", "cause", "consequence", "owner", "owner_agency", "controls",
                "likelihood", "impact", "residual_likelihood", "residual_impact", "review_on",
                "on")}))
        if risk:
            return redirect_saved(request, f"Risk {risk.reference} added", "governance:risk-detail",
                         risk.pk)
    return _form_page(request, form, "Add a risk", caption=register.name,
                      cancel_url=reverse("governance:register-detail", args=[register.pk]))


@reader
def risk_detail(request, pk):
    risk = selectors.risk_get(actor=request.user, pk=pk)
    return render(request, "governance/risk_detail.html", {
        "risk": risk, "register": risk.register, "body": risk.register.body,
        "rag": config.rag(risk.residual_score), "history": risk.reviews.all(),
        "actions": risk.actions.all(),
        "can_edit": request.user.has_perm("governance.edit", risk)})


@reader
def risk_review(request, pk):
    risk = selectors.risk_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", risk)
    form = forms.RiskReviewForm(request.POST or None, initial={
        "likelihood": risk.likelihood, "impact": risk.impact, "controls": risk.controls,
        "residual_likelihood": risk.residual_likelihood, "residual_impact": risk.residual_impact})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = apply_service(form, lambda: services.risk_review(
            actor=request.user, risk=risk, **{k: data[k] for k in (
                "on", "likelihood", "impact", "residual_likelihood", "residual_impact",
                "review_on", "controls", "note")}))
        if review:
            return redirect_saved(request, f"Risk {risk.reference} scored {review.residual_score} "
                                  f"({review.rag})", "governance:risk-detail", risk.pk)
    return _form_page(request, form, "Review a risk", caption=str(risk),
                      cancel_url=reverse("governance:risk-detail", args=[risk.pk]))


# Priorities and the business plan ---------------------------------------------------------

def _editable_partnerships(request):
    return Partnership.objects.filter(pk__in=partnerships_at(request.user, Level.EDIT))


@reader
def priority_list(request):
    year = (request.GET.get("year") or "").strip()
    priorities = selectors.priorities_for(request.user, year or None)
    return render(request, "governance/priority_list.html", {
        "priorities": priorities, "year": year,
        "commitments": selectors.commitments_for(request.user, year=year or None),
        "can_edit": request.user.has_perm("governance.edit")})


@reader
def priority_add(request):
    permission_require(request.user, "governance.edit")
    form = forms.PriorityForm(request.POST or None, partnerships=_editable_partnerships(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        priority = apply_service(form, lambda: services.priority_add(
            actor=request.user, partnership=data["partnership"], year=data["year"],
            title=data["title"], summary=data["summary"],
            objectives=data["objectives"].splitlines()))
        if priority:
            return redirect_saved(request, f"Priority {priority.title} added",
                         "governance:priority-detail", priority.pk)
    return _form_page(request, form, "Add a priority", cancel_url=reverse("governance:priorities"))


@reader
def priority_detail(request, pk):
    priority = selectors.priority_get(actor=request.user, pk=pk)
    return render(request, "governance/priority_detail.html", {
        "priority": priority, "commitments": priority.commitments.select_related(
            "owner", "owner_agency"),
        "can_edit": request.user.has_perm("governance.edit", priority)})


@reader
def objective_add(request, pk):
    priority = selectors.priority_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", priority)
    form = forms.ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.objective_add(
                actor=request.user, priority=priority, text=form.cleaned_data["text"])):
            return redirect_saved(request, "Objective added", "governance:priority-detail", priority.pk)
    return _form_page(request, form, "Add an objective", caption=priority.title,
                      cancel_url=reverse("governance:priority-detail", args=[priority.pk]))


@reader
def commitment_list(request):
    year = (request.GET.get("year") or "").strip()
    status = request.GET.get("status", "")
    status = status if status in Commitment.Status.values else ""
    return render(request, "governance/commitment_list.html", {
        "commitments": selectors.commitments_for(request.user, year=year or None,
                                                 status=status or None),
        "year": year, "status": status, "statuses": Commitment.Status.choices,
        "today": timezone.localdate(), "can_edit": request.user.has_perm("governance.edit")})


@reader
def commitment_add(request):
    permission_require(request.user, "governance.edit")
    form = forms.CommitmentAddForm(request.POST or None,
                                   partnerships=_editable_partnerships(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commitment = apply_service(form, lambda: services.commitment_add(
            actor=request.user, partnership=data["partnership"], year_made=data["year_made"],
            text=data["text"], section_title="Business plan"))
        if commitment:
            return redirect_saved(request, "Commitment added: now set its owner and due date",
                         "governance:commitment-update", commitment.pk)
    return _form_page(request, form, "Add a commitment",
                      cancel_url=reverse("governance:commitments"))


@reader
def commitment_detail(request, pk):
    commitment = selectors.commitment_get(actor=request.user, pk=pk)
    return render(request, "governance/commitment_detail.html", {
        "commitment": commitment, "today": timezone.localdate(),
        "can_edit": request.user.has_perm("governance.edit", commitment)})


@reader
def commitment_update(request, pk):
    commitment = selectors.commitment_get(actor=request.user, pk=pk)
    permission_require(request.user, "governance.edit", commitment)
    form = forms.CommitmentUpdateForm(request.POST or None, commitment=commitment, initial={
        "status": commitment.status, "evidence": commitment.evidence,
        "owner": commitment.owner, "owner_agency": commitment.owner_agency,
        "due_on": commitment.due_on, "measure_key": commitment.measure_key,
        "action": commitment.action, "priority": commitment.priority})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.commitment_update(
                actor=request.user, commitment=commitment, **data)):
            return redirect_saved(request, "Commitment updated", "governance:commitment-detail",
                         commitment.pk)
    return _form_page(request, form, "Update a commitment", caption=commitment.text[:120],
                      cancel_url=reverse("governance:commitment-detail", args=[commitment.pk]))
