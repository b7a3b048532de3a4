"""What audits answer through the module contract beyond frames: the dashboard's
triangulation (a theme's audits completed in the period, their findings and grades beside
last year's)."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.audits import selectors
from safeguarding.audits.models import Audit
from safeguarding.core.grammar import counted
from safeguarding.core.modules import TriangulationItem


def _grade(grades: dict[str, int]) -> str:
    """The band most agreed grades fell in ("good", "requires_improvement", "inadequate")."""
    return max(grades, key=lambda band: grades[band]) if any(grades.values()) else ""


def triangulation(partnership, theme_key: str, period) -> list[TriangulationItem]:
    theme = theme_key.replace("-", "_")
    found = selectors.findings_for_theme(partnership, theme, period)
    before = [f for f in found if not f["in_period"]]
    items = []
    for audit in (f for f in found if f["in_period"]):
        pk = Audit.objects.filter(reference=audit["reference"],
                                  programme__partnership=partnership).values_list("pk", flat=True)
        items.append(TriangulationItem(
            "audit", f"{audit['reference']}: {audit['title']}",
            f"{counted(audit['cases'], 'case')} audited; "
            f"{counted(len(audit['findings']), 'finding')}.",
            reverse("audits:audit-detail", args=[pk[0]]) if pk else "",
            grade=_grade(audit["grades"]),
            previous_grade=_grade(before[-1]["grades"]) if before else ""))
    return items
