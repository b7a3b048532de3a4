"""The capabilities on the home page and in the service navigation, as data.

Each names the permission that opens it; a person sees only those they hold.
Later capabilities add themselves to CAPABILITIES.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Capability:
    key: str
    label: str
    description: str
    url_name: str
    permission: str


CAPABILITIES = [
    Capability("children", "Children", "Find a child's record and the agencies involved.",
               "children:list", "children.list_children"),
    Capability("child-deaths", "Child death reviews",
               "Notify a child's death and follow it from notification to the panel's review.",
               "child_deaths:list", "child_deaths.open"),
    Capability("dashboard", "Performance dashboard",
               "Statutory measures with trends, targets and England comparisons.",
               "measures:home", "measures.view_dashboard"),
    Capability("reviews", "Learning reviews",
               "Serious incidents, rapid reviews, practice reviews, their clocks and actions.",
               "reviews:home", "reviews.open"),
    Capability("data-imports", "Data imports",
               "Load the Children in Need census and DfE's published tables, and see every import.",
               "datasets:import-list", "datasets.import_data"),
    Capability("reports", "Yearly report",
               "The partnership's yearly report: preview, write, publish, with every figure's source.",
               "reports:home", "reports.open"),
    Capability("partnerships", "Partnerships and agencies",
               "The partnerships, their local authorities, agencies and sub-groups.",
               "core:partnership-list", "core.list_partnerships"),
    Capability("people", "People and roles", "Who can sign in, and their roles at each agency.",
               "core:people-list", "core.manage_people"),
    Capability("calendar", "Working-day calendar",
               "Bank holidays and other non-working days used by every statutory clock.",
               "core:calendar", "core.manage_calendar"),
    Capability("audit", "Audit log", "Who read or changed which record, when and why.",
               "core:audit-log", "core.search_audit"),
    Capability("api-tokens", "API tokens", "Tokens that let agency systems use the API.",
               "core:api-tokens", "core.manage_api_tokens"),
    Capability("scheduled-jobs", "Scheduled jobs",
               "The daily reminders the worker runs: when, the last run and what it sent.",
               "core:scheduled-jobs", "core.view_scheduled_jobs"),
]


def capabilities_for(user) -> list[dict]:
    return [
        {"key": c.key, "label": c.label, "description": c.description, "url": reverse(c.url_name)}
        for c in CAPABILITIES
        if user.has_perm(c.permission)
    ]
