"""The weekly school-attendance extract for vulnerable children during Covid-19 (children in
need, on a child protection plan or looked after) and each school's follow-up of a child
who did not attend. A row names a child by the LA's identifier: identifiable, read only
through core.access."""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import Agency, LoadedFile, Partnership, User


class School(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="covid_schools")
    urn = models.CharField("URN", max_length=8)
    name = models.CharField(max_length=200)
    # The school's agency: its school key adult seats follow up its children.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "urn"],
                                               name="covid_school_urn_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"


class AttendanceImport(LoadedFile):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="covid_imports")
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "sha256"],
                                               name="covid_import_once")]

    def __str__(self) -> str:
        return self.file_name


class AttendanceRecord(models.Model):
    """One vulnerable child's attendance at one school in one week (the Monday)."""

    class Status(models.TextChoices):
        CIN = "CIN", "Child in need"
        CP = "CP", "Child protection plan"
        CLA = "CLA", "Looked after"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="covid_records")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="records")
    child_id = models.CharField("child identifier", max_length=20)
    status = models.CharField(max_length=3, choices=Status.choices)
    week = models.DateField(help_text="The Monday of the week")
    attended = models.BooleanField()
    source_import = models.ForeignKey(AttendanceImport, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="records")

    class Meta:
        ordering = ["-week", "school", "child_id"]
        constraints = [models.UniqueConstraint(fields=["school", "child_id", "week"],
                                               name="covid_record_once_a_week")]

    def __str__(self) -> str:
        return f"Attendance record {self.pk}"


class FollowUp(models.Model):
    """What the school did about a child who did not attend, and how it ended."""

    class Method(models.TextChoices):
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"
        HOME_VISIT = "home_visit", "Home visit (doorstep)"
        SOCIAL_WORKER = "social_worker", "Through the child's social worker"

    class Outcome(models.TextChoices):
        SAFE_AT_HOME = "safe_at_home", "Seen or spoken to: safe at home"
        RETURNED = "returned", "Returned to school"
        CONCERN_RAISED = "concern_raised", "Concern passed to children's social care"
        NOT_REACHED = "not_reached", "Not reached: passed to the social worker"

    record = models.OneToOneField(AttendanceRecord, on_delete=models.CASCADE,
                                  related_name="follow_up")
    made_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    def __str__(self) -> str:
        return f"Follow-up of {self.record}"
