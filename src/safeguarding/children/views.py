from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from rules.contrib.views import permission_required

from safeguarding.children import selectors, services
from safeguarding.children.forms import ChildForm, InvolvementForm
from safeguarding.children.rules import CHILD_ROLES
from safeguarding.core import roles
from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Partnership
from safeguarding.core.rules import partnerships_where, seats

PAGE_SIZE = 50


def _save(form, call):
    """Run a child service; an identifier match is shown on the form, as ADR 0011 says.

    A match the person may see is named on each shared identifier, with a link to the
    record; one they may not see gets only the neutral message. Other validation
    errors go on the form as ``apply_service`` puts them.
    """

    def run():
        try:
            return call()
        except services.IdentifierMatch as match:
            if match.child is None:
                raise ValidationError(services.POSSIBLE_MATCH_MESSAGE) from None
            form.add_error(None, format_html(
                'Open the existing record: <a class="govuk-link" href="{}">{}</a>',
                reverse("children:detail", args=[match.child.pk]), match.child.full_name))
            raise ValidationError(match.message_dict) from None

    return apply_service(form, run)


@permission_required("children.list_children", raise_exception=True)
def child_list(request):
    query = request.GET.get("q", "")
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    children, total = selectors.child_search(
        actor=request.user, query=query, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(request, "children/child_list.html", {
        "children": children, "total": total, "query": query, "page_number": page_number,
        "pages": pages, "has_next": page_number < pages, "has_previous": page_number > 1,
    })


def _own_partnerships(user):
    return Partnership.objects.filter(pk__in=partnerships_where(user, CHILD_ROLES))


@permission_required("children.add_child", raise_exception=True)
def child_add(request):
    partnerships = _own_partnerships(request.user)
    form = ChildForm(request.POST or None, partnerships=partnerships,
                     initial={"partnership": partnerships.first()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partnership = data.pop("partnership")
        agency_id = next((s.agency_id for s in seats(request.user)
                          if s.partnership_id == partnership.pk and s.role in CHILD_ROLES), None)
        agency = partnership.agencies.filter(pk=agency_id).first()
        child = _save(form, lambda: services.child_create(
            actor=request.user, partnership=partnership, agency=agency, **data))
        if child:
            messages.success(request, f"{child.full_name} added")
            return redirect("children:detail", pk=child.pk)
    return render(request, "children/child_form.html", {"form": form, "title": "Add a child"})


def child_detail(request, pk):
    child = selectors.child_get(actor=request.user, child_id=pk, purpose="view child record")
    return render(request, "children/child_detail.html", {
        "child": child,
        "can_edit": request.user.has_perm("children.change_child", child),
        "partnership_wide": child.partnership_id in partnerships_where(
            request.user, roles.CHILD_RECORDS_PARTNERSHIP_WIDE),
    })


def child_edit(request, pk):
    child = selectors.child_get(actor=request.user, child_id=pk, purpose="edit child record")
    fields = ["local_authority", "first_name", "last_name", "date_of_birth", "sex", "ethnicity",
              "postcode", "nhs_number", "upn", "la_child_id", "police_reference"]
    form = ChildForm(request.POST or None, editing=True,
                     initial={f: getattr(child, f) for f in fields})
    form.fields["local_authority"].queryset = child.partnership.local_authorities.all()
    if request.method == "POST" and form.is_valid():
        if _save(form, lambda: services.child_update(actor=request.user, child=child,
                                                       **form.cleaned_data)):
            messages.success(request, "Record saved")
            return redirect("children:detail", pk=child.pk)
    return render(request, "children/child_form.html",
                  {"form": form, "title": f"Edit {child.full_name}", "child": child})


def involvement_add(request, pk):
    child = selectors.child_get(actor=request.user, child_id=pk, purpose="add agency involvement")
    form = InvolvementForm(request.POST or None, partnership=child.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.involvement_add(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Agency involvement added")
            return redirect("children:detail", pk=child.pk)
    return render(request, "children/child_form.html",
                  {"form": form, "title": f"Add an agency involved with {child.full_name}",
                   "child": child})
