"""Narrative versions, published reports and the record of sending them (the commitments a
report makes are kept by governance).

Narrative rows are never edited: each save is a new row with the next number,
so who wrote what, and when, stays visible. A published report is a frozen
copy of the report's HTML with the narrative versions and figures it used.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from safeguarding.core.models import Partnership, User

YEAR_VALIDATOR = RegexValidator(r"^\d{4}-\d{2}$", "Enter the year like 2020-21")


class Block(models.TextChoices):
    """The narrative blocks the business unit writes, in the order of the report."""

    FOREWORD_LA = "foreword_la", "Foreword from the local authority"
    FOREWORD_POLICE = "foreword_police", "Foreword from the police"
    FOREWORD_HEALTH = "foreword_health", "Foreword from health"
    INTRODUCTION = "introduction", "Introduction"
    ARRANGEMENTS = "arrangements", "Changes to the arrangements"
    EMERGING_RISKS = "emerging_risks", "Response to emerging risks"
    FOCUS = "focus", "Focus for next year"
    # Named blocks for the seed's sections (optional: a section without one shows its data).
    FOCUS_EMERGING_RISKS = "focus_emerging_risks", "Emerging risks: focus for next year"
    PRIORITY_NEGLECT = "priority_neglect", "Priority: neglect"
    FOCUS_NEGLECT = "focus_neglect", "Neglect: focus for next year"
    PRIORITY_EXPLOITATION = "priority_exploitation", "Priority: child exploitation"
    FOCUS_EXPLOITATION = "focus_exploitation", "Child exploitation: focus for next year"
    PRIORITY_PRACTICE = "priority_practice", "Priority: effective multi-agency practice"
    FOCUS_PRACTICE = "focus_practice", "Multi-agency practice: focus for next year"
    SUBGROUP_SCRUTINY = "subgroup_scrutiny", "Sub-group: scrutiny and assurance"
    FOCUS_SCRUTINY = "focus_scrutiny", "Scrutiny and assurance: focus for next year"
    SUBGROUP_REVIEWS = "subgroup_reviews", "Sub-group: practice reviews"
    FOCUS_REVIEWS = "focus_reviews", "Practice reviews: focus for next year"
    SUBGROUP_CHILD_DEATHS = "subgroup_child_deaths", "Sub-group: child death overview panel"
    FOCUS_CHILD_DEATHS = "focus_child_deaths", "Child deaths: focus for next year"
    SUBGROUP_LEARNING = "subgroup_learning", "Sub-group: learning in practice"
    FOCUS_LEARNING = "focus_learning", "Learning in practice: focus for next year"
    SUBGROUP_RESTRAINT = "subgroup_restraint", "Sub-group: review of restraint"
    FOCUS_RESTRAINT = "focus_restraint", "Review of restraint: focus for next year"


class NarrativeVersion(models.Model):
    """One saved version of one narrative block of one partnership's yearly report."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="report_narratives")
    year = models.CharField(max_length=7, validators=[YEAR_VALIDATOR])
    block = models.CharField(max_length=30, choices=Block.choices)
    number = models.PositiveIntegerField()
    text = models.TextField()
    note = models.CharField("what changed", max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["partnership", "year", "block", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year", "block", "number"],
                                    name="unique_narrative_version"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership.code} {self.year} {self.block} v{self.number}"


class PublishedReport(models.Model):
    """A frozen report: its HTML, the narrative versions and figures it used, who published it.

    ``html`` and ``figures`` are written once, when the report is published. The
    PDF is rendered from the same HTML afterwards, in the background.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="published_reports")
    year = models.CharField(max_length=7, validators=[YEAR_VALIDATOR])
    number = models.PositiveIntegerField()
    html = models.TextField()
    content_hash = models.CharField(max_length=64)
    figures = models.JSONField(default=list)
    narrative_versions = models.ManyToManyField(NarrativeVersion, related_name="publications")
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year", "number"],
                                    name="unique_published_report"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership.code} {self.year} published version {self.number}"


class ReportSend(models.Model):
    """The record of publication: the published report sent to the national Child
    Safeguarding Practice Review Panel or the What Works Centre for Children's Social Care
    (Working Together 2018: within 7 days of publication), recorded by the business unit."""

    class Recipient(models.TextChoices):
        PANEL = "panel", "The Child Safeguarding Practice Review Panel"
        WHAT_WORKS = "what_works", "What Works Centre for Children's Social Care"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="report_sends")
    year = models.CharField(max_length=7, validators=[YEAR_VALIDATOR])
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    sent_on = models.DateField()
    published_url = models.URLField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["partnership", "year", "recipient", "-sent_on"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year", "recipient"],
                                               name="unique_report_send")]

    def __str__(self) -> str:
        return f"{self.partnership.code} {self.year} sent to {self.recipient} on {self.sent_on}"
