"""The audit pages. The business unit runs the programme; board and sub-group members read
audits and findings; an agency's auditors complete its returns and open the case files
their agency has a return for (rules.py). Another partnership's audits are not found."""

from __future__ import annotations

from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safeguarding.audits import config, forms, selectors, services
from safeguarding.audits.rules import managed
from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Partnership
from safeguarding.core.rules import permission_require
from safeguarding.core.views.pages import form_page, permission_view, redirect_saved
from safeguarding.governance import selectors as governance

# Signed in, and someone audits are for (403 otherwise).
user_of_audits = permission_view("audits.use")


_form_page = partial(form_page, breadcrumbs="audits/_breadcrumbs.html")


@user_of_audits
def home(request):
    today = timezone.localdate()
    return render(request, "audits/home.html", {
        "programmes": selectors.programmes_for(request.user),
        "audits": selectors.audits_for(request.user),
        "owed": selectors.returns_owed(request.user, today), "today": today,
        "can_manage": request.user.has_perm("audits.manage")})


@user_of_audits
def programme_add(request):
    permission_require(request.user, "audits.manage")
    partnerships = Partnership.objects.filter(pk__in=managed(request.user))
    bodies = [b for b in governance.bodies_for(request.user)
              if request.user.has_perm("governance.edit", b)]
    form = forms.ProgrammeForm(request.POST or None, partnerships=partnerships, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = apply_service(form, lambda: services.programme_add(
            actor=request.user, partnership=data["partnership"], year=data["year"],
            title=data["title"], body=form.bodies.get(data["body"])))
        if programme:
            return redirect_saved(request, f"{programme} added", "audits:programme-detail", programme.pk)
    return _form_page(request, form, "Add an audit programme", cancel_url=reverse("audits:home"))


@user_of_audits
def programme_detail(request, pk):
    programme = selectors.programme_get(actor=request.user, pk=pk)
    return render(request, "audits/programme_detail.html", {
        "programme": programme,
        "audits": selectors.audits_for(request.user).filter(programme=programme),
        "can_manage": request.user.has_perm("audits.manage", programme)})


@user_of_audits
def audit_add(request, pk):
    permission_require(request.user, "audits.manage")
    programme = selectors.programme_get(actor=request.user, pk=pk, managed_only=True)
    permission_require(request.user, "audits.manage", programme)
    form = forms.AuditForm(request.POST or None, partnership=programme.partnership,
                           initial={"scale": "ofsted", "population": "cp_plan", "category": "N",
                                    "theme": "neglect", "sample_size": 6})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        audit = apply_service(form, lambda: services.audit_add(
            actor=request.user, programme=programme, **{k: data[k] for k in (
                "title", "theme", "terms_of_reference", "scale", "planned_on", "population",
                "category", "sample_size", "agencies")}))
        if audit:
            return redirect_saved(request, f"Audit {audit.reference} planned", "audits:audit-detail",
                         audit.pk)
    return _form_page(request, form, "Plan an audit", caption=str(programme),
                      intro="The audit starts with its theme's question set; you can add "
                            "questions before the sample is drawn.",
                      cancel_url=reverse("audits:programme-detail", args=[programme.pk]))


@user_of_audits
def audit_detail(request, pk):
    audit = selectors.audit_get(actor=request.user, pk=pk)
    can_manage = request.user.has_perm("audits.manage", audit)
    cases = selectors.cases_of(audit)
    for case in cases:
        case.can_open = request.user.has_perm("audits.view_case", case)
        case.editable = [r for r in case.returns.all()
                         if r.submitted_on is None and request.user.has_perm(
                             "audits.edit_return", r)]
    return render(request, "audits/audit_detail.html", {
        "audit": audit, "programme": audit.programme, "cases": cases,
        "sections": audit.sections.prefetch_related("questions"),
        "scale": config.grades(audit.scale), "theme": config.theme_title(audit.theme),
        "population": dict(config.populations()).get(audit.population, audit.population),
        "category": dict(config.plan_categories()).get(audit.category, ""),
        "findings": selectors.findings_of(audit), "kinds": dict(config.finding_kinds()),
        "actions": selectors.audit_actions(audit), "today": timezone.localdate(),
        "grades": selectors.grade_distribution([audit]), "bands": config.bands(),
        "check": services.sample_check(audit) if can_manage and audit.seed is not None else None,
        "can_manage": can_manage})


def _audit_for_manager(request, pk):
    permission_require(request.user, "audits.manage")  # no partnership's audits to run: refused before any look-up
    audit = selectors.audit_get(actor=request.user, pk=pk, managed_only=True)
    permission_require(request.user, "audits.manage", audit)
    return audit


@user_of_audits
def question_add(request, pk):
    audit = _audit_for_manager(request, pk)
    form = forms.QuestionForm(request.POST or None, audit=audit)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.question_add(
                actor=request.user, audit=audit, text=form.cleaned_data["text"],
                section=form.sections[form.cleaned_data["section"]])):
            return redirect_saved(request, "Question added", "audits:audit-detail", audit.pk)
    return _form_page(request, form, "Add a question", caption=str(audit),
                      cancel_url=reverse("audits:audit-detail", args=[audit.pk]))


@user_of_audits
def sample_draw(request, pk):
    audit = _audit_for_manager(request, pk)
    form = forms.DrawForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cases = apply_service(form, lambda: services.sample_draw(
            actor=request.user, audit=audit, on=data["on"], seed=data["seed"]))
        if cases:
            return redirect_saved(request, f"{len(cases)} case{'s' if len(cases) != 1 else ''} drawn "
                                  f"with seed {audit.seed}", "audits:audit-detail", audit.pk)
    return _form_page(request, form, "Draw the sample", caption=str(audit),
                      intro=f"{audit.sample_size} cases are drawn at random from the children "
                            "the sample rule finds. The seed is kept so the draw can be "
                            "repeated and checked.", submit="Draw",
                      cancel_url=reverse("audits:audit-detail", args=[audit.pk]))


@user_of_audits
def returns_open(request, pk):
    audit = _audit_for_manager(request, pk)
    form = forms.OpenForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.returns_open(
                actor=request.user, audit=audit, on=form.cleaned_data["on"])):
            return redirect_saved(request, f"Returns open, due {audit.returns_due:%-d %B %Y}",
                         "audits:audit-detail", audit.pk)
    return _form_page(request, form, "Open the agencies' returns", caption=str(audit),
                      intro=f"Each return is due {config.returns_working_days()} working days "
                            "after the returns open; agencies are reminded before then.",
                      submit="Open returns",
                      cancel_url=reverse("audits:audit-detail", args=[audit.pk]))


@user_of_audits
def case_detail(request, pk):
    case = selectors.case_get(actor=request.user, pk=pk)
    return render(request, "audits/case_detail.html", {
        "case": case, "audit": case.audit, "child": case.child_record,
        "returns": case.returns.select_related("agency"),
        "can_manage": request.user.has_perm("audits.manage", case.audit)})


@user_of_audits
def return_edit(request, pk):
    agency_return = selectors.return_get(actor=request.user, pk=pk)
    audit = agency_return.case.audit
    if agency_return.submitted_on is not None:
        return render(request, "audits/return_detail.html", {
            "ret": agency_return, "audit": audit,
            "answers": agency_return.answers.select_related("question__section")
            .order_by("question__section__order", "question__order"),
            "grades": [(g.section.title, config.grade_label(audit.scale, g.grade))
                       for g in agency_return.grades.select_related("section")
                       .order_by("section__order")]})
    form = forms.ReturnForm(request.POST or None, agency_return=agency_return,
                            initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = apply_service(form, lambda: services.return_save(
            actor=request.user, agency_return=agency_return, answers=form.answers(),
            grades=form.grades(), good_practice=data["good_practice"],
            development=data["development"], recommendations=data["recommendations"],
            auditor=data["auditor"], submit=data["submit"], on=data["on"]))
        if saved:
            text = "Return submitted" if saved.submitted_on else "Return saved"
            return redirect_saved(request, text, "audits:audit-detail", audit.pk)
    due = f" It is due {agency_return.due_on:%-d %B %Y}." if agency_return.due_on else ""
    return _form_page(request, form, f"Single-agency return: {agency_return.agency.name}",
                      caption=f"{agency_return.case.reference}, {audit.title}",
                      intro="Answer each question, grade each section and record good practice, "
                            f"areas for development and recommendations.{due}",
                      cancel_url=reverse("audits:audit-detail", args=[audit.pk]))


@user_of_audits
def moderate(request, pk):
    permission_require(request.user, "audits.manage")
    case = selectors.case_for_moderation(actor=request.user, pk=pk)
    form = forms.ModerationForm(request.POST or None, case=case,
                                initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.moderation_record(
                actor=request.user, case=case, grades=form.grades(), notes=form.notes(),
                on=form.cleaned_data["on"])):
            return redirect_saved(request, f"Agreed grades recorded for {case.reference}",
                         "audits:audit-detail", case.audit_id)
    [grid] = selectors.moderation_grid(case)
    return render(request, "audits/moderate.html", {
        "case": case, "audit": case.audit, "grid": grid, "form": form,
        "cancel_url": reverse("audits:audit-detail", args=[case.audit_id])})


@user_of_audits
def finding_add(request, pk):
    audit = _audit_for_manager(request, pk)
    form = forms.FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.finding_add(
                actor=request.user, audit=audit, kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"])):
            return redirect_saved(request, "Finding recorded", "audits:audit-detail", audit.pk)
    return _form_page(request, form, "Record a finding", caption=str(audit),
                      cancel_url=reverse("audits:audit-detail", args=[audit.pk]))


@user_of_audits
def action_add(request, pk):
    audit = _audit_for_manager(request, pk)
    form = forms.ActionForm(request.POST or None, audit=audit,
                            initial={"raised_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = apply_service(form, lambda: services.action_raise(
            actor=request.user, audit=audit, title=data["title"], owner=data["owner"],
            agency=data["agency"], due_on=data["due_on"], raised_on=data["raised_on"],
            finding=form.findings.get(data["finding"])))
        if action:
            return redirect_saved(request, f"Action {action.reference} added to the action log",
                         "audits:audit-detail", audit.pk)
    body = audit.programme.body
    return _form_page(request, form, "Add an action to the audit's plan", caption=str(audit),
                      intro=f"The action goes into the {body.name if body else 'sub-group'}'s "
                            "action log, with the audit's reference.",
                      cancel_url=reverse("audits:audit-detail", args=[audit.pk]))


@user_of_audits
def audit_complete(request, pk):
    audit = _audit_for_manager(request, pk)
    form = forms.CompleteForm(request.POST or None, initial={"on": timezone.localdate(),
                                                             "summary": audit.summary})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.audit_complete(
                actor=request.user, audit=audit, on=data["on"], re_audit_on=data["re_audit_on"],
                summary=data["summary"])):
            return redirect_saved(request, f"Audit {audit.reference} complete", "audits:audit-detail",
                         audit.pk)
    return _form_page(request, form, "Sign the audit off", caption=str(audit),
                      cancel_url=reverse("audits:audit-detail", args=[audit.pk]))
