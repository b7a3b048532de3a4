"""Governance records: bodies (the board, sub-groups, task groups) with versioned terms of
reference, their meetings (agenda, papers, attendance, decisions, minutes), one action log
and risk registers with a score history.

A body belongs to (is hosted by) one partnership and may be joint with others; a body that
is a core sub-group names it, so the sub-group's members stay in core's memberships.
"""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import Agency, Partnership, User


class Body(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        SUB_GROUP = "sub_group", "Sub-group"
        TASK_GROUP = "task_group", "Task group"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="governance_bodies")
    joint_with = models.ManyToManyField(Partnership, blank=True, related_name="joint_bodies")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    sub_group = models.ForeignKey("core.SubGroup", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="governance_bodies")
    reports_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="reporting_bodies")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["partnership__code", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"],
                                               name="unique_governance_body_name")]

    def __str__(self) -> str:
        return self.name


class TermsOfReference(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveIntegerField()
    purpose = models.TextField()
    chair = models.CharField(max_length=200)
    chair_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    quorum = models.PositiveIntegerField(help_text="Member agencies that must attend")
    required_kinds = models.JSONField(default=list, blank=True)
    frequency = models.CharField(max_length=20)
    papers_days = models.PositiveIntegerField()
    effective_from = models.DateField()
    review_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["body", "-version"]
        constraints = [models.UniqueConstraint(fields=["body", "version"],
                                               name="unique_terms_version")]

    def __str__(self) -> str:
        return f"{self.body} terms of reference v{self.version}"


class TermsMember(models.Model):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "role"]

    def __str__(self) -> str:
        return f"{self.agency}: {self.role}"


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    terms = models.ForeignKey(TermsOfReference, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    papers_due = models.DateField()
    held = models.BooleanField(default=False)
    quorate = models.BooleanField(null=True)
    minutes_approved_at = models.ForeignKey("self", on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="minutes_approved")

    class Meta:
        ordering = ["body", "held_on"]
        constraints = [models.UniqueConstraint(fields=["body", "held_on"],
                                               name="unique_meeting_day")]

    def __str__(self) -> str:
        return f"{self.body}, {self.held_on:%-d %B %Y}"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        STANDING = "standing", "Standing item"
        ACTION = "action", "Action from the log"
        RISK = "risk", "Risk due for review"
        TERMS = "terms", "Terms of reference due for review"
        MINUTES = "minutes", "Minutes of the last meeting"
        PAPER = "paper", "Paper"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    action = models.ForeignKey("Action", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="agenda_items")
    risk = models.ForeignKey("Risk", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="agenda_items")
    paper_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    paper_received_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"],
                                               name="unique_attendance_agency")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_status_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="decisions")
    text = models.TextField()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Minutes(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    version = models.PositiveIntegerField()
    text = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["meeting", "-version"]
        constraints = [models.UniqueConstraint(fields=["meeting", "version"],
                                               name="unique_minutes_version")]

    def __str__(self) -> str:
        return f"{self.meeting} minutes v{self.version}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETE = "complete", "Complete"
        DROPPED = "dropped", "Dropped"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="governance_actions")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="actions")
    raised_at = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="actions_raised")
    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    carried_forward = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due_on", "reference"]
        constraints = [models.UniqueConstraint(fields=["partnership", "reference"],
                                               name="unique_action_reference")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class RiskRegister(models.Model):
    class Kind(models.TextChoices):
        STRATEGIC = "strategic", "Strategic"
        TEMPORARY = "temporary", "Temporary"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="risk_registers")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="risk_registers")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closing_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["partnership__code", "opened_on", "name"]

    def __str__(self) -> str:
        return self.name


class Risk(models.Model):
    register = models.ForeignKey(RiskRegister, on_delete=models.PROTECT, related_name="risks")
    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=300)
    cause = models.TextField()
    consequence = models.TextField()
    owner = models.CharField(max_length=200)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    controls = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    residual_likelihood = models.PositiveSmallIntegerField()
    residual_impact = models.PositiveSmallIntegerField()
    review_on = models.DateField()
    actions = models.ManyToManyField(Action, blank=True, related_name="risks")
    closed_on = models.DateField(null=True, blank=True)
    closing_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["register", "reference"]
        constraints = [models.UniqueConstraint(fields=["register", "reference"],
                                               name="unique_risk_reference")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact


class RiskReview(models.Model):
    """One scoring of a risk (its first scoring too): the score history."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    residual_likelihood = models.PositiveSmallIntegerField()
    residual_impact = models.PositiveSmallIntegerField()
    rag = models.CharField(max_length=10)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["risk", "reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.risk} scored {self.reviewed_on}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact


class Priority(models.Model):
    """One of the partnership's priorities for a year of its business plan (the seed's
    neglect, child exploitation, effective multi-agency practice), with its objectives."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="governance_priorities")
    year = models.CharField(max_length=7)
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    lead_body = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="priorities")

    class Meta:
        ordering = ["partnership", "year", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year", "key"],
                                               name="unique_priority_key")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Objective(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["priority", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Commitment(models.Model):
    """A "focus for next year" commitment: made by a published yearly report's focus block
    (one per section), or added to the business plan by hand; owned, due, linked to a
    measure of the catalogue or to an action in the log, and kept or missed with evidence."""

    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        KEPT = "kept", "Kept"
        MISSED = "missed", "Missed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="governance_commitments")
    year_made = models.CharField(max_length=7)
    section = models.CharField(max_length=60, blank=True)
    section_title = models.CharField(max_length=200, blank=True)
    priority = models.ForeignKey(Priority, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="commitments")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    owner = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="governance_commitments")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    due_on = models.DateField(null=True, blank=True)
    measure_key = models.CharField(max_length=100, blank=True)
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="commitments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    made_in_report = models.PositiveIntegerField(null=True, blank=True,
                                                 help_text="The published version that made it")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "year_made", "section", "position", "pk"]
        indexes = [models.Index(fields=["partnership", "year_made"])]

    def __str__(self) -> str:
        return f"{self.year_made}: {self.text[:60]}"

    @property
    def touched(self) -> bool:
        return self.updated_at is not None

    @property
    def outcome(self) -> str:
        outcomes: dict[str, str] = {"kept": "kept", "missed": "missed"}
        return outcomes.get(str(self.status), "in_progress")
