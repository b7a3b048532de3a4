"""Pages for data imports: the list, the upload form, progress, the result and its errors CSV."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from rules.contrib.views import permission_required

from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import AuditEvent
from safeguarding.datasets import annex_a_summary as annex_a
from safeguarding.datasets import selectors, services
from safeguarding.datasets.forms import ImportForm
from safeguarding.datasets.models import MULTI_FILE_KINDS, ImportKind
from safeguarding.datasets.validation.problems import CSV_COLUMNS, csv_row

PAGE_SIZE = 50
PROBLEMS_PAGE_SIZE = 100
# htmx stops polling when the answer has this status.
STOP_POLLING = 286
COUNT_LABELS = {
    "children": "Children", "episodes": "CIN episodes", "assessments": "Assessments",
    "cin_plans": "CIN plans", "section47s": "Section 47 enquiries",
    "cpps": "Child protection plans", "reviews": "Child protection review conferences",
    "rows": "Rows", "indicators": "Indicators", "values": "Values",
    "suppressed": "Suppressed values (kept as missing, not zero)",
    # SSDA903 tables (episodes of care share the "episodes" key with CIN episodes).
    "uasc": "Unaccompanied asylum-seeking children", "oc2": "Outcomes (OC2)",
    "oc3": "Care leavers (OC3)", "ad1": "Adoptions (AD1)",
    "placed_adoption": "Placed for adoption", "prev_perm": "Previous permanence",
    "missing": "Missing or away episodes",
    "people": "Children (by the agency's person ID)",
}
RECORD_LABELS = {"added": "Records added", "changed": "Records changed (this extract's version kept)",
                 "unchanged": "Records unchanged"}
INDEX_LABELS = {
    "matched": "Matched to a child already in the index",
    "created": "Added to the child index (names not recorded unless the file gave them)",
    "involvements": "Children's services involvements added",
    "names_added": "Names added to index records that had none",
    "not_linked_no_birth_date": "Not linked: new to the index and no date of birth given",
    "not_linked_long_id": "Not linked: a child ID longer than the index's 10 characters",
    "linked_nhs_number": "Linked to the child index by NHS number",
    "linked_upn": "Linked to the child index by UPN",
    "linked_la_child_id": "Linked to the child index by LA child ID",
    "linked_probabilistic": "Linked to the child index by name, date of birth, sex and postcode",
    "review_pairs": "Possible matches waiting for review",
    "unlinked": "Not linked to the child index",
    "already_linked": "Already linked to the child index",
}
CHANGE_LABELS = {
    "children_added": "Children added", "children_changed": "Children changed",
    "children_removed": "Children removed", "children_unchanged": "Children unchanged",
    "episodes_added": "CIN episodes added", "episodes_changed": "CIN episodes changed",
    "episodes_updated": "CIN episodes updated", "episodes_removed": "CIN episodes removed",
    "episodes_unchanged": "CIN episodes unchanged",
    "cpps_added": "Child protection plans added", "cpps_changed": "Child protection plans changed",
    "cpps_updated": "Child protection plans updated",
    "cpps_removed": "Child protection plans removed",
    "cpps_unchanged": "Child protection plans unchanged",
    "added": "Values added", "changed": "Values changed", "unchanged": "Values unchanged",
    "removed": "Values removed",
    "rows_added": "Rows added", "rows_changed": "Rows changed", "rows_removed": "Rows removed",
    "rows_unchanged": "Rows unchanged",
}
SUMMARY_CSV_COLUMNS = ("list", "name", "annex_a_rows", "cin_census", "difference",
                       "cin_census_counts", "note")


def _rows(counts: dict, labels: dict) -> list[tuple[str, int]]:
    return [(label, counts[key]) for key, label in labels.items() if key in counts]


def _for_kind(labels: dict, kind: str) -> dict:
    """An SSDA903 return's episodes are episodes of care, and its reviews looked-after reviews."""
    if kind != ImportKind.SSDA903:
        return labels
    renamed = {key: label.replace("CIN episodes", "Episodes of care")
               for key, label in labels.items()}
    if "reviews" in renamed:
        renamed["reviews"] = "Reviews of looked-after children"
    return renamed


def _summary(record) -> dict:
    counts = record.counts or {}
    changes = _for_kind(CHANGE_LABELS, record.kind)
    lists = counts.get("lists") or {}
    if lists:
        from safeguarding.datasets.validation.annex_a_spec import annex_a_spec

        specs = annex_a_spec().lists
        list_rows = [(specs[int(n)].label, value) for n, value in lists.items()]
    else:
        list_rows = []
    return {
        "counts": _rows(counts, _for_kind(COUNT_LABELS, record.kind)) + list_rows,
        "annex_a_return_id": counts.get("annex_a_return"),
        "index": _rows(counts.get("index") or {}, INDEX_LABELS),
        "history": _rows(counts.get("history") or {}, changes),
        "replaced": _rows(counts.get("replaced") or {}, changes),
        "records": _rows(counts.get("records") or {}, RECORD_LABELS),
    }


def _page(request, items, size):
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    paginator = Paginator(items, size)
    return paginator.get_page(min(number, paginator.num_pages))


@permission_required("datasets.import_data", raise_exception=True)
def import_list(request):
    return render(request, "datasets/import_list.html", {
        "page": _page(request, selectors.import_list(actor=request.user), PAGE_SIZE),
        "max_size": services.human_size(services.max_file_bytes()),
    })


@permission_required("datasets.import_data", raise_exception=True)
def import_add(request):
    partnerships = selectors.import_partnerships(actor=request.user)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None,
                      partnerships=partnerships, initial={"partnership": partnerships.first()})
    if posted and form.is_valid():
        data = form.cleaned_data
        record = apply_service(form, lambda: services.import_queue(
            actor=request.user, partnership=data["partnership"], kind=data["kind"],
            upload=data["file"], check_only=data["check_only"],
            local_authority=data.get("local_authority"), period=data.get("period", ""),
            agency=data.get("agency")))
        if record:
            return redirect("datasets:import-detail", pk=record.pk)
    return render(request, "datasets/import_form.html", {
        "form": form, "max_size": services.human_size(services.max_file_bytes()),
        "cancel_url": reverse("datasets:import-list"),
    })


CHANGED_KEYS_SHOWN = 50


def import_detail(request, pk):
    record = selectors.import_get(actor=request.user, pk=pk, purpose="view data import")
    context = {"record": record, "show_file": record.kind in MULTI_FILE_KINDS, **_summary(record)}
    extract = selectors.import_extract(dataset_import=record)
    if extract is not None:
        changes = extract.changes or {}
        context["changed_keys"] = changes.get("changed", [])[:CHANGED_KEYS_SHOWN]
        context["changed_total"] = changes.get("changed_total", 0)
    if record.is_finished:
        context["page"] = _page(request, selectors.import_problems(dataset_import=record),
                                PROBLEMS_PAGE_SIZE)
    return render(request, "datasets/import_detail.html", context)


def import_status(request, pk):
    record = selectors.import_get(actor=request.user, pk=pk, purpose="import progress",
                                  audited=False)
    response = render(request, "datasets/_import_status.html", {"record": record})
    if record.is_finished and request.htmx:
        response.status_code = STOP_POLLING
    return response


class _Echo:
    def write(self, value):
        return value


def import_errors_csv(request, pk):
    record = selectors.import_get(actor=request.user, pk=pk, purpose="download import errors",
                                  action=AuditEvent.Action.EXPORT)
    import csv

    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for problem in selectors.import_problems(dataset_import=record).iterator(chunk_size=2000):
            yield writer.writerow(csv_row(problem))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{record.pk}-errors.csv"'
    return response


def annex_a_summary(request, pk):
    annex = annex_a.annex_a_return_get(actor=request.user, pk=pk,
                                       purpose="view Annex A return summary")
    rows = annex_a.annex_a_summary(annex=annex)
    changes = [(row, (annex.changes or {}).get(str(row.number))) for row in rows
               if (annex.changes or {}).get(str(row.number))]
    return render(request, "datasets/annex_a_summary.html", {
        "annex": annex, "rows": rows, "changes": changes,
        "replaced": annex_a.annex_a_replaced(annex=annex),
        "compared": any(row.census is not None for row in rows),
    })


def annex_a_summary_csv(request, pk):
    annex = annex_a.annex_a_return_get(actor=request.user, pk=pk,
                                       purpose="download Annex A return summary",
                                       action=AuditEvent.Action.EXPORT)
    import csv

    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(SUMMARY_CSV_COLUMNS)
        for row in annex_a.annex_a_summary(annex=annex):
            yield writer.writerow([
                row.number, row.name, "" if row.rows is None else row.rows,
                "" if row.census is None else row.census,
                "" if row.difference is None else row.difference, row.census_text, row.note])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = f"annex-a-{annex.local_authority.old_code}-{annex.pk}-summary.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
