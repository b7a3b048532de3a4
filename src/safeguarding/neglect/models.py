"""Graded Care Profile 2 (GCP2) records: the partnership's champions, practitioners'
licences to use the tool, and each agency's summary of the assessments it completed in a
period.

GCP2 is the NSPCC's licensed tool: these records hold who is trained and licensed, and
counts and grades (1 to 5) only, never the tool's text or a child (domain.md section 5).
"""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import Agency, Partnership, User


class Champion(models.Model):
    """A practitioner trained as a GCP2 champion: delivers awareness sessions and supports
    colleagues to become licensed (the seed trained 30 in March 2021)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="gcp2_champions")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    job_title = models.CharField(max_length=200, blank=True)
    trained_on = models.DateField()
    stepped_down_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["partnership__code", "agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.agency}"

    def active_on(self, day) -> bool:
        return self.trained_on <= day and (self.stepped_down_on is None
                                           or self.stepped_down_on > day)


class Licence(models.Model):
    """A practitioner's licence to use the GCP2 tool, from the day it was issued until it
    expires (or is withdrawn). A renewal is a new licence."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="gcp2_licences")
    practitioner = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField()
    expires_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    renews = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="renewed_by")

    class Meta:
        ordering = ["expires_on", "practitioner"]

    def __str__(self) -> str:
        return f"{self.practitioner}, {self.agency} (expires {self.expires_on:%-d %B %Y})"

    def current_on(self, day) -> bool:
        return (self.issued_on <= day <= self.expires_on
                and (self.withdrawn_on is None or day < self.withdrawn_on))


class LicenceReminder(models.Model):
    """A reminder sent for a licence, this many days before it expires (sent once)."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="reminders")
    lead_days = models.PositiveIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["licence", "lead_days"],
                                               name="unique_gcp2_licence_reminder")]

    def __str__(self) -> str:
        return f"{self.licence}: {self.lead_days} days before"


class AssessmentSummary(models.Model):
    """How many GCP2 assessments an agency completed in a period (a quarter), with their
    overall grades and outcomes: counts only."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="gcp2_summaries")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=10, help_text="A quarter, such as 2020-Q3")
    period_start = models.DateField()
    period_end = models.DateField()
    completed = models.PositiveIntegerField(help_text="Assessments completed in the period")
    children = models.PositiveIntegerField(help_text="Children the assessments covered")
    grade_1 = models.PositiveIntegerField(default=0)
    grade_2 = models.PositiveIntegerField(default=0)
    grade_3 = models.PositiveIntegerField(default=0)
    grade_4 = models.PositiveIntegerField(default=0)
    grade_5 = models.PositiveIntegerField(default=0)
    reviewed = models.PositiveIntegerField(default=0,
                                           help_text="Assessments reviewed (scored again)")
    improved = models.PositiveIntegerField(default=0,
                                           help_text="Reviewed with a better overall grade")
    outcomes = models.JSONField(default=dict, blank=True,
                                help_text="Assessments by outcome code (data/config.yaml)")
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["-period_start", "agency__name"]
        verbose_name_plural = "assessment summaries"
        constraints = [models.UniqueConstraint(fields=["partnership", "agency", "period"],
                                               name="unique_gcp2_summary_period")]

    def __str__(self) -> str:
        return f"{self.agency}, {self.period}"

    GRADES = ("grade_1", "grade_2", "grade_3", "grade_4", "grade_5")

    @property
    def grades(self) -> list[int]:
        return [getattr(self, g) for g in self.GRADES]

    @property
    def graded(self) -> int:
        return sum(self.grades)

    @property
    def concern(self) -> int:
        return self.grade_4 + self.grade_5
