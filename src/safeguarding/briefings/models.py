"""Learning briefings ("7-minute briefings") and campaigns.

A briefing is drawn from a rapid review, a practice review, an audit or national learning
(a review may be named by its reference), carries themes and a file, and is expected to be
used by the partnership's agencies; each agency records how it used it (team, date,
attendees, reflections, actions). A campaign records its audience, materials, dates and
reach. No child is named here.
"""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import Agency, Partnership, User


class Briefing(models.Model):
    class Source(models.TextChoices):
        RAPID_REVIEW = "rapid_review", "Rapid review"
        PRACTICE_REVIEW = "practice_review", "Child safeguarding practice review"
        AUDIT = "audit", "Multi-agency audit"
        NATIONAL = "national", "National learning"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="briefings")
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=20, choices=Source.choices)
    source_reference = models.CharField(
        max_length=100, blank=True,
        help_text="The review's or audit's reference, such as a rapid review's number")
    themes = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    issued_on = models.DateField()
    expected_agencies = models.ManyToManyField(Agency, related_name="+")
    # The file is kept in the database, as the yearly report keeps its PDFs
    # (reports.PublishedReport.pdf): a few megabytes at most (data/config.yaml).
    file = models.BinaryField(null=True, blank=True, editable=False)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-issued_on", "title"]

    def __str__(self) -> str:
        return self.title


class BriefingUse(models.Model):
    """How one team of an agency used a briefing."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="uses")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    team = models.CharField(max_length=200)
    used_on = models.DateField()
    attendees = models.PositiveIntegerField()
    reflections = models.TextField()
    actions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["briefing", "used_on", "agency__name"]

    def __str__(self) -> str:
        return f"{self.briefing}: {self.agency}, {self.team}"


class Campaign(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="campaigns")
    name = models.CharField(max_length=200)
    audience = models.CharField(max_length=300)
    materials = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reach = models.PositiveIntegerField(default=0, help_text="People reached")
    reach_note = models.CharField(max_length=300, blank=True,
                                  help_text="How the reach was counted")

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name", "starts_on"],
                                               name="unique_campaign_run")]

    def __str__(self) -> str:
        return self.name
