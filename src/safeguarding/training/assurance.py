"""The training module's answer to the yearly report's compliance annex: the impact of
training, from learners' ratings before and after their course in the year."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core.grammar import counted
from safeguarding.core.modules import EvidenceItem
from safeguarding.training.models import Evaluation


def report_evidence(partnership, period) -> dict[str, EvidenceItem]:
    """Present when learners rated their confidence before and after (or at follow-up) a
    course of the partnership's in the year; says how many rated it higher."""
    pairs: dict[int, dict[str, Evaluation]] = {}
    for ev in Evaluation.objects.filter(booking__session__course__partnership=partnership):
        pairs.setdefault(ev.booking_id, {})[ev.stage] = ev
    compared = improved = changes = 0
    for pair in pairs.values():
        later = pair.get(Evaluation.Stage.AFTER) or pair.get(Evaluation.Stage.FOLLOW_UP)
        before = pair.get(Evaluation.Stage.BEFORE)
        if before is None or later is None or not (
                period.start <= later.answered_on <= period.end):
            continue
        compared += 1
        improved += later.confidence > before.confidence
        follow = pair.get(Evaluation.Stage.FOLLOW_UP)
        changes += bool(follow and follow.practice_change.strip())
    detail = (f"{counted(compared, 'learner').capitalize()} rated their confidence before "
              f"and after a course in {period.label}; {counted(improved, 'learner')} rated it "
              f"higher, and {counted(changes, 'learner')} described a change in practice at "
              "follow-up.")
    return {"training_impact": EvidenceItem(
        "The impact of training", compared > 0, detail,
        reverse("training:manage", args=[partnership.pk]))}
