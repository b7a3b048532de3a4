"""Restraint of children in a secure setting: incidents, their next-working-day reviews,
quarterly footage samples, and the edits made after submission (with reasons)."""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import Agency, LoadedFile, LocalAuthority, Partnership, User


class Establishment(models.Model):
    """A secure setting (YOI or STC) whose restraints the partnership reviews."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="restraint_establishments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    host_la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                help_text="The LA the establishment sits in")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    sample_size = models.PositiveSmallIntegerField(default=8)
    # The day recording began: measures are "not recorded" before it.
    recording_from = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "code"],
                                               name="restraint_establishment_code_unique")]

    def __str__(self) -> str:
        return self.name


class IncidentImport(LoadedFile):
    """One CSV file loaded: all of it or none of it; the same file twice changes nothing."""

    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT,
                                      related_name="imports")
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["establishment", "sha256"],
                                               name="restraint_import_once")]




class Incident(models.Model):
    class Camera(models.TextChoices):
        YES = "Y", "Yes"
        NO = "N", "No"
        NOT_KNOWN = "NK", "Not known"

    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT,
                                      related_name="incidents")
    reference = models.CharField(max_length=50, help_text="The establishment's own incident key")
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=30)
    planned = models.BooleanField(default=False)
    authorised_by = models.CharField(max_length=200, blank=True)
    senior_officer_in_control = models.BooleanField(default=False)
    primary_reason = models.CharField(max_length=30)
    reasons = models.JSONField(default=list)
    de_escalation_tried = models.BooleanField(default=False)
    positions = models.JSONField(default=list)
    techniques = models.JSONField(default=list)
    pit_used = models.BooleanField(default=False)
    pit_technique = models.CharField(max_length=30, blank=True)
    pit_justification = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField()
    floor = models.BooleanField(default=False)
    prone = models.BooleanField(default=False)
    handcuffs = models.BooleanField(default=False)
    body_worn_camera = models.CharField(max_length=2, choices=Camera.choices)
    camera_ids = models.CharField(max_length=200, blank=True)
    sound_captured = models.BooleanField(default=False)
    cctv = models.BooleanField(default=False)
    child_injured = models.BooleanField(default=False)
    staff_injured = models.BooleanField(default=False)
    assault_on_staff = models.BooleanField(default=False)
    healthcare_attended = models.BooleanField(default=False)
    healthcare_at = models.DateTimeField(null=True, blank=True)
    separation = models.BooleanField(default=False)
    relocated_to = models.CharField(max_length=100, blank=True)
    child_debriefed = models.BooleanField(default=False)
    child_views = models.TextField(blank=True, help_text="The child's own account, in the debrief")
    parent_told = models.BooleanField(default=False)
    yjs_told = models.BooleanField(default=False)
    # The child: the index record (linked by LA child ID) and pseudonymous facts only.
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    child_key = models.CharField(max_length=64, help_text="Pseudonymous key for the child")
    child_age = models.PositiveSmallIntegerField()
    child_ethnicity = models.CharField(max_length=4)
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    source_import = models.ForeignKey(IncidentImport, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="incidents")
    row_digest = models.CharField(max_length=64, blank=True)
    review_due = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["establishment", "reference"],
                                               name="restraint_incident_reference_unique")]
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"Restraint {self.reference}"


class IncidentStaff(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="staff")
    staff_ref = models.CharField(max_length=30, help_text="Staff number, not a name")
    last_refresher = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.staff_ref



class IncidentEdit(models.Model):
    """A change to a submitted incident: who, when, why, and each field's old and new value."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="edits")
    edited_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True)
    edited_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    changes = models.JSONField()

    class Meta:
        ordering = ["edited_at", "pk"]

    def __str__(self) -> str:
        return f"Edit of {self.incident} on {self.edited_at:%Y-%m-%d}"



class Review(models.Model):
    """The social worker's review, due by the next working day."""

    class Proportionate(models.TextChoices):
        YES = "Y", "Yes"
        NO = "N", "No"
        UNCLEAR = "U", "Unclear"

    class Referral(models.TextChoices):
        NONE = "NONE", "No referral"
        LADO = "LADO", "Referral to the LADO"
        SAFEGUARDING = "SAFEGUARDING", "Safeguarding referral"

    CONCERNS = {"pit": "Pain-inducing technique", "prone": "Prone position",
                "breathing": "Breathing", "head_hold": "Head hold",
                "no_footage": "No footage"}

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True)
    reviewed_on = models.DateField()
    proportionate = models.CharField(max_length=1, choices=Proportionate.choices)
    concerns = models.JSONField(default=list)
    referral = models.CharField(max_length=20, choices=Referral.choices)
    follow_up = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Review of {self.incident}"



class Sample(models.Model):
    """A quarter's footage sample: the must-include incidents and a seeded random draw."""

    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT,
                                      related_name="samples")
    quarter = models.CharField(max_length=7, help_text="2020-Q3")
    size = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    drawn_at = models.DateTimeField(auto_now=True)
    drawn_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True)
    reflective_notes = models.TextField(blank=True)
    good_practice = models.TextField(blank=True)
    learning = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["establishment", "quarter"],
                                               name="restraint_sample_quarter_unique")]

    def __str__(self) -> str:
        return f"Sample {self.quarter}"



class SampleItem(models.Model):
    class Why(models.TextChoices):
        MUST = "must", "Always reviewed (pain-inducing technique, prone or injury)"
        DRAWN = "drawn", "Random draw"

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="items")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="sample_items")
    why = models.CharField(max_length=5, choices=Why.choices)
    footage_reviewed = models.BooleanField(default=False)
    paperwork_reviewed = models.BooleanField(default=False)
    checklist = models.JSONField(default=dict)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["incident__occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident} in {self.sample}"



class SampleAction(models.Model):
    """A theme found in the sample and the action agreed, with its owner."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="actions")
    theme = models.CharField(max_length=20)
    action = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.action[:60]
