"""Serious incidents, rapid reviews, practice reviews, themes, actions and learning.

Every due date is computed by ``core.deadlines.due_date`` in the services and
stored beside the id of the rule that produced it (``*_due`` and ``*_due_rule``),
so a later change of guidance leaves old clocks explainable. Dates agreed by
people (an action's due date, a deferral's review date) keep an empty rule id.

Records belong to the partnership that owns them. A serious incident names
children, so reading one in full goes through ``core.access``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from safeguarding.core.models import Agency, Partnership, User


class Theme(models.Model):
    """A theme from the managed list, tagged on cases and findings.

    A theme with no partnership is on the national list, looked after by system
    administrators; a partnership's own themes are looked after by its business unit.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="review_themes",
        help_text="The partnership whose business unit looks after the theme; "
                  "empty for the national list")
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True,
                              help_text="Where the theme comes from, for example a yearly report")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Harm(models.TextChoices):
    DEATH = "death", "The child died"
    SERIOUS_HARM = "serious_harm", "The child was seriously harmed"


class AbuseOrNeglect(models.TextChoices):
    KNOWN = "known", "Known"
    SUSPECTED = "suspected", "Suspected"


class SeriousIncident(models.Model):
    """A serious child safeguarding case the local authority became aware of."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="serious_incidents")
    reference = models.CharField(max_length=30)
    children = models.ManyToManyField("children.Child", related_name="serious_incidents")
    aware_on = models.DateField("date the local authority became aware")
    harm = models.CharField(max_length=20, choices=Harm.choices)
    abuse_or_neglect = models.CharField(max_length=20, choices=AbuseOrNeglect.choices)
    looked_after = models.BooleanField(default=False)
    summary = models.TextField(help_text="What happened, without names or identifiers")
    themes = models.ManyToManyField(Theme, blank=True, related_name="incidents")
    notification_due = models.DateField()
    notification_due_rule = models.CharField(max_length=60)
    notification_sent_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-aware_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"],
                                    name="unique_incident_reference"),
            models.CheckConstraint(
                condition=Q(notification_sent_on__isnull=True)
                | Q(notification_sent_on__gte=F("aware_on")),
                name="incident_notified_after_aware",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "aware_on"])]

    def __str__(self) -> str:
        return self.reference


class Decision(models.TextChoices):
    LOCAL_REVIEW = "local_review", "Carry out a local child safeguarding practice review"
    NO_REVIEW = "no_review", "No further review"
    NATIONAL_REVIEW = "national_review", "Refer to the Panel for a national review"


class RapidReview(models.Model):
    """The rapid review that follows a notification; its clock starts at the notification."""

    incident = models.OneToOneField(SeriousIncident, on_delete=models.CASCADE,
                                    related_name="rapid_review")
    started_on = models.DateField(help_text="The notification date: day 0 of the clock")
    due_on = models.DateField()
    due_rule = models.CharField(max_length=60)
    meeting_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True,
                                    help_text="The date the rapid review was sent to the Panel")
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    panel_response_on = models.DateField(null=True, blank=True)
    panel_response = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
                name="rapid_review_completed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Rapid review, {self.incident.reference}"

    @property
    def partnership_id(self) -> int:
        return self.incident.partnership_id


class AgencyReturn(models.Model):
    """An agency's information return for a rapid review, and whether it attended."""

    rapid_review = models.ForeignKey(RapidReview, on_delete=models.CASCADE,
                                     related_name="agency_returns")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="review_returns")
    requested_on = models.DateField()
    due_on = models.DateField()
    due_rule = models.CharField(max_length=60)
    received_on = models.DateField(null=True, blank=True)
    attended_meeting = models.BooleanField(default=False)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["rapid_review", "agency"],
                                    name="unique_agency_return"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} return for {self.rapid_review.incident.reference}"


class ChronologyEntry(models.Model):
    """One dated entry in the multi-agency chronology of a rapid review."""

    rapid_review = models.ForeignKey(RapidReview, on_delete=models.CASCADE,
                                     related_name="chronology")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField()
    entry = models.TextField()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name_plural = "chronology entries"

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.agency}"


class ReviewKind(models.TextChoices):
    LOCAL = "local", "Local child safeguarding practice review"
    THEMATIC = "thematic", "Thematic review"


class DeferralReason(models.TextChoices):
    CRIMINAL_PROCEEDINGS = "criminal_proceedings", "Parallel criminal proceedings"
    INQUEST = "inquest", "Coroner's inquest"
    FAMILY = "family", "The family's wishes or welfare"
    OTHER = "other", "Another reason"


class PracticeReview(models.Model):
    """A local or thematic child safeguarding practice review."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="practice_reviews")
    reference = models.CharField(max_length=30)
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    title = models.CharField(max_length=200,
                             help_text="A name without real names, such as Child Q or Infants under one")
    scope = models.TextField(blank=True)
    incidents = models.ManyToManyField(SeriousIncident, blank=True,
                                       related_name="practice_reviews")
    themes = models.ManyToManyField(Theme, blank=True, related_name="practice_reviews")
    decided_on = models.DateField("date of the decision to carry out the review")
    publication_due = models.DateField()
    publication_due_rule = models.CharField(max_length=60)
    commissioned_on = models.DateField(null=True, blank=True)
    reviewer = models.CharField(max_length=200, blank=True)
    terms_of_reference = models.TextField(blank=True)
    terms_agreed_on = models.DateField(null=True, blank=True)
    draft_on = models.DateField(null=True, blank=True)
    final_on = models.DateField(null=True, blank=True)
    planned_publication_on = models.DateField(null=True, blank=True)
    panel_notice_due = models.DateField(null=True, blank=True)
    panel_notice_due_rule = models.CharField(max_length=60, blank=True)
    panel_notice_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_url = models.URLField(blank=True)
    deferral_reason = models.CharField(max_length=30, choices=DeferralReason.choices, blank=True)
    deferral_detail = models.TextField(blank=True)
    deferred_on = models.DateField(null=True, blank=True)
    deferral_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"],
                                    name="unique_practice_review_reference"),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=F("decided_on")),
                name="practice_review_published_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def deferred(self) -> bool:
        return bool(self.deferral_reason) and self.published_on is None


class Finding(models.Model):
    """What a practice review or a rapid review found; tagged with themes."""

    practice_review = models.ForeignKey(PracticeReview, on_delete=models.CASCADE, null=True,
                                        blank=True, related_name="findings")
    rapid_review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="findings")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="findings")

    class Meta:
        ordering = ["number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(practice_review__isnull=False) & Q(rapid_review__isnull=True))
                | (Q(practice_review__isnull=True) & Q(rapid_review__isnull=False)),
                name="finding_belongs_to_one_review",
            ),
        ]

    def __str__(self) -> str:
        return f"Finding {self.number}"

    @property
    def review(self):
        return self.practice_review or self.rapid_review


class Recommendation(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE,
                                related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["number", "pk"]

    def __str__(self) -> str:
        return f"Recommendation {self.finding.number}.{self.number}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Action(models.Model):
    """One action on a recommendation, owned by an agency, with an agreed due date."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE,
                                       related_name="actions")
    # The partnership that owns the review, kept here so lists and access need no joins.
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="review_actions")
    text = models.TextField()
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT,
                                     related_name="review_actions")
    due_on = models.DateField()
    due_rule = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices,
                              default=ActionStatus.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    evidence_of_impact = models.TextField(blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="done") & Q(completed_on__isnull=False))
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="action_done_has_completion_date",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "status", "due_on"]),
                   models.Index(fields=["owner_agency", "status"])]

    def __str__(self) -> str:
        return self.text[:60]


class LearningKind(models.TextChoices):
    BRIEFING = "briefing", "Learning briefing"
    FEEDBACK_EVENT = "feedback_event", "Feedback and engagement event"
    TRAINING = "training", "Training session"


class LearningEvent(models.Model):
    """A briefing or event that shares the learning of one or more reviews."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="learning_events")
    kind = models.CharField(max_length=20, choices=LearningKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    description = models.TextField(blank=True)
    practice_reviews = models.ManyToManyField(PracticeReview, blank=True,
                                              related_name="learning_events")
    rapid_reviews = models.ManyToManyField(RapidReview, blank=True,
                                           related_name="learning_events")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class LearningReach(models.Model):
    """How many people from one agency attended or received a learning event."""

    event = models.ForeignKey(LearningEvent, on_delete=models.CASCADE, related_name="reach")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    attendees = models.PositiveIntegerField()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "agency"], name="unique_learning_reach"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.attendees}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    CHASE = "chase", "Overdue, chased again"


class Reminder(models.Model):
    """A reminder sent for one step; one per step per day at most."""

    step_key = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_on = models.DateField()
    recipients = models.TextField()
    backend = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "step_key"]
        constraints = [
            models.UniqueConstraint(fields=["step_key", "sent_on"],
                                    name="one_reminder_per_step_per_day"),
        ]
        indexes = [models.Index(fields=["step_key", "kind", "due_on"])]

    def __str__(self) -> str:
        return f"{self.step_key} {self.kind} {self.sent_on}"
