"""What voice answers through the module contract beyond frames: the yearly report's
compliance annex item "feedback from children and families, and what changed" and the
dashboard's triangulation (survey results beside a theme's measures)."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core.grammar import counted
from safeguarding.core.modules import EvidenceItem, TriangulationItem
from safeguarding.voice import selectors
from safeguarding.voice.models import Response, Survey, YouSaidWeDid

FAMILY_AUDIENCES = ("children", "families")


def report_evidence(partnership, period) -> dict[str, EvidenceItem]:
    """Present when children or families answered a survey in the year and a "you said,
    we did" record says what changed."""
    surveys = Survey.objects.filter(partnership=partnership,
                                    audience__in=FAMILY_AUDIENCES).exclude(status="draft")
    answered = Response.objects.filter(survey__in=surveys,
                                       received_on__range=(period.start, period.end)).count()
    changed = YouSaidWeDid.objects.filter(survey__in=surveys,
                                          recorded_on__range=(period.start, period.end)).count()
    detail = (f"{counted(answered, 'response')} from children and families, and "
              f"{counted(changed, 'record')} of what changed (\u201cyou said, we did\u201d), "
              f"in {period.label}.")
    return {"voice": EvidenceItem("Feedback from children and families",
                                  answered > 0 and changed > 0, detail,
                                  reverse("voice:home"))}


def triangulation(partnership, theme_key: str, period) -> list[TriangulationItem]:
    """Each survey that speaks to the theme, with its responses in the period."""
    items = []
    for found in selectors.results_for_theme(partnership, theme_key, period):
        responses = found["responses"]
        said = "fewer than 5 responses" if responses is None else counted(responses, "response")
        changed = len(found["you_said_we_did"])
        items.append(TriangulationItem(
            "survey", f"{found['survey']}: {found['title']}",
            f"{said.capitalize()} in {period.label}; "
            f"{counted(changed, 'you said, we did record')}."))
    return items
