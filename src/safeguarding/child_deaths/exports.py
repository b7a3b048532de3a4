"""Exports of child death cases, by the sections of the NCMD statutory forms:
the notification form, the reporting form (agency reports and the Joint Agency
Response) and the analysis form (the panel's review). See docs/child-death-export.md.

Records reach here only from selectors that read them through core.access with the
"export" action, one audit row per case.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable

from django.utils import timezone

from safeguarding.child_deaths import code_lists
from safeguarding.child_deaths.models import ChildDeath

FORMAT = "safeguarding.child_death_review"
VERSION = 1
# A cell starting with one of these is read as a formula by spreadsheets (CSV
# injection). Tab and carriage return are included as OWASP advises.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def case_record(case: ChildDeath) -> dict:
    """One case as a dict with a key per NCMD form section."""
    child = case.child
    # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
    jar = getattr(case, "jar", None)
    review = getattr(case, "review", None)
    requests = list(case.information_requests.all())
    record = {
        "case_reference": case.reference,
        "partnership": case.partnership.code,
        "status": case.status,
        "notification": {
            "child": {
                "first_name": child.first_name,
                "last_name": child.last_name,
                "date_of_birth": _iso(child.date_of_birth),
                "sex": child.sex,
                "ethnicity": child.ethnicity,
                "nhs_number": child.nhs_number,
                "postcode": child.postcode,
            },
            "born_alive": case.birth_status,
            "death": {
                "date": _iso(case.date_of_death),
                "place": case.place_of_death,
                "place_label": case.get_place_of_death_display(),
                "place_detail": case.place_detail,
                "age_at_death_days": case.age_at_death_days,
                "neonatal": case.neonatal,
                "age_band": case.age_band,
                "age_band_label": case.get_age_band_display(),
            },
            "expected": case.expected,
            "joint_agency_response_triggers": [
                {"code": code, "label": code_lists.jar_trigger_label(code)}
                for code in case.jar_triggers
            ],
            "notifier": {
                "name": case.notifier_name,
                "role": case.notifier_role,
                "agency": case.notifying_agency.name,
            },
            "notified_on": _iso(case.notified_on),
        },
        "reporting_form": {
            "joint_agency_response": None
            if jar is None
            else {
                "meeting_date": _iso(jar.meeting_date),
                "agencies": sorted(a.name for a in jar.agencies.all()),
                "key_worker": {
                    "name": jar.key_worker_name,
                    "agency": jar.key_worker_agency.name,
                    "contact": jar.key_worker_contact,
                },
                "notes": jar.notes,
            },
            "agency_reports": [
                {
                    "agency": r.agency.name,
                    "form": r.form,
                    "form_label": r.get_form_display(),
                    "contact_name": r.contact_name,
                    "contact_email": r.contact_email,
                    "requested_on": _iso(r.requested_on),
                    "due_on": _iso(r.due_on),
                    "due_rule": r.due_rule,
                    "received_on": _iso(r.received_on),
                    "met_deadline": r.met_deadline(),
                    "summary": r.summary,
                }
                for r in requests
            ],
        },
        "analysis_form": None,
    }
    if review is not None:
        domains = [code for code, _ in code_lists.choices("factor_domains")]
        factors: dict[str, list[str]] = {d: [] for d in domains}
        for factor in review.factors.all():
            factors.setdefault(factor.domain, []).append(factor.description)
        record["analysis_form"] = {
            "review_date": _iso(review.review_date),
            "category": {"code": review.category, "name": review.category_name},
            "modifiable": review.modifiable,
            "modifiable_label": review.get_modifiable_display(),
            "factors": factors,
            "themes": sorted(t.name for t in review.themes.all()),
            "learning_points": review.learning_points,
            "recommendations": review.recommendations,
        }
    return record


def to_json(cases: Iterable[ChildDeath], *, scope: dict) -> str:
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "scope": scope,
        "sections": ["notification", "reporting_form", "analysis_form"],
        "sources": {
            "categories": code_lists.categories_source(),
            "joint_agency_response_triggers": code_lists.jar_triggers_source(),
        },
        "cases": [case_record(c) for c in cases],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def safe_cell(value) -> str:
    """A value as CSV text that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _get(path: str) -> Callable[[dict], object]:
    def getter(record: dict):
        value: object = record
        for part in path.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    return getter


def _joined(path: str, key: str | None = None) -> Callable[[dict], str]:
    get = _get(path)

    def getter(record: dict) -> str:
        items = get(record) or []
        assert isinstance(items, list)
        return "; ".join(str(i[key] if key else i) for i in items)

    return getter


def _reports(record: dict) -> str:
    parts = []
    for r in record["reporting_form"]["agency_reports"]:
        received = f"received {r['received_on']}" if r["received_on"] else "not received"
        parts.append(
            f"{r['agency']} ({r['form_label']}): requested {r['requested_on']}, "
            f"due {r['due_on']}, {received}"
        )
    return " | ".join(parts)


def _count(predicate) -> Callable[[dict], int]:
    return lambda record: sum(1 for r in record["reporting_form"]["agency_reports"] if predicate(r))


def _factors(domain: str) -> Callable[[dict], str]:
    return lambda record: "; ".join(
        (record["analysis_form"] or {}).get("factors", {}).get(domain, [])
    )


COLUMNS: list[tuple[str, Callable[[dict], object]]] = [
    ("case_reference", _get("case_reference")),
    ("partnership", _get("partnership")),
    ("status", _get("status")),
    ("notification.child.first_name", _get("notification.child.first_name")),
    ("notification.child.last_name", _get("notification.child.last_name")),
    ("notification.child.date_of_birth", _get("notification.child.date_of_birth")),
    ("notification.child.sex", _get("notification.child.sex")),
    ("notification.child.ethnicity", _get("notification.child.ethnicity")),
    ("notification.child.nhs_number", _get("notification.child.nhs_number")),
    ("notification.child.postcode", _get("notification.child.postcode")),
    ("notification.born_alive", _get("notification.born_alive")),
    ("notification.death.date", _get("notification.death.date")),
    ("notification.death.place", _get("notification.death.place")),
    ("notification.death.place_detail", _get("notification.death.place_detail")),
    ("notification.death.age_at_death_days", _get("notification.death.age_at_death_days")),
    ("notification.death.neonatal", _get("notification.death.neonatal")),
    ("notification.death.age_band", _get("notification.death.age_band")),
    ("notification.expected", _get("notification.expected")),
    (
        "notification.joint_agency_response_triggers",
        _joined("notification.joint_agency_response_triggers", "code"),
    ),
    ("notification.notifier.name", _get("notification.notifier.name")),
    ("notification.notifier.role", _get("notification.notifier.role")),
    ("notification.notifier.agency", _get("notification.notifier.agency")),
    ("notification.notified_on", _get("notification.notified_on")),
    (
        "reporting_form.joint_agency_response.meeting_date",
        _get("reporting_form.joint_agency_response.meeting_date"),
    ),
    (
        "reporting_form.joint_agency_response.agencies",
        _joined("reporting_form.joint_agency_response.agencies"),
    ),
    (
        "reporting_form.joint_agency_response.key_worker.name",
        _get("reporting_form.joint_agency_response.key_worker.name"),
    ),
    (
        "reporting_form.joint_agency_response.key_worker.agency",
        _get("reporting_form.joint_agency_response.key_worker.agency"),
    ),
    (
        "reporting_form.joint_agency_response.key_worker.contact",
        _get("reporting_form.joint_agency_response.key_worker.contact"),
    ),
    ("reporting_form.agency_reports.requested", _count(lambda r: True)),
    ("reporting_form.agency_reports.received", _count(lambda r: r["received_on"])),
    ("reporting_form.agency_reports.received_by_due_date", _count(lambda r: r["met_deadline"])),
    ("reporting_form.agency_reports.detail", _reports),
    ("analysis_form.review_date", _get("analysis_form.review_date")),
    ("analysis_form.category.code", _get("analysis_form.category.code")),
    ("analysis_form.category.name", _get("analysis_form.category.name")),
    ("analysis_form.modifiable", _get("analysis_form.modifiable")),
    ("analysis_form.factors.child", _factors("child")),
    ("analysis_form.factors.family_environment", _factors("family_environment")),
    ("analysis_form.factors.parenting_capacity", _factors("parenting_capacity")),
    ("analysis_form.factors.service_provision", _factors("service_provision")),
    ("analysis_form.themes", _joined("analysis_form.themes")),
    ("analysis_form.learning_points", _get("analysis_form.learning_points")),
    ("analysis_form.recommendations", _get("analysis_form.recommendations")),
]


def to_csv(cases: Iterable[ChildDeath]) -> str:
    """One row per case; columns named section.field. Text to be sent as UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _ in COLUMNS])
    for case in cases:
        record = case_record(case)
        writer.writerow([safe_cell(get(record)) for _, get in COLUMNS])
    return out.getvalue()
