"""The library of joint multi-agency policies and procedures: each policy has an owner, the
partnerships it applies to, versions (one current), a review date, the reviews done and the
reminders sent to its owner. Policies are not child data."""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import Partnership, User


class Policy(models.Model):
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=30, blank=True,
                                 help_text="The partnership's own reference, if any")
    summary = models.TextField(blank=True)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="policies_owned")
    partnerships = models.ManyToManyField(Partnership, related_name="policies")
    review_due = models.DateField("review date")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.title


class Version(models.Model):
    """One published version: a text body, a file, or both. Only one is current."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_content = models.BinaryField(blank=True, default=b"", editable=False)
    change_summary = models.TextField()
    published_on = models.DateField()
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policies_version_number"),
            models.UniqueConstraint(fields=["policy"], condition=models.Q(is_current=True),
                                    name="policies_one_current_version"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} version {self.number}"


class Review(models.Model):
    """A review done: the review date it answered, when it was done and the next date set."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField()
    reviewed_on = models.DateField()
    next_due = models.DateField()
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy", "-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.policy} reviewed {self.reviewed_on}"

    @property
    def on_time(self) -> bool:
        return self.reviewed_on <= self.due_on


class ReminderSent(models.Model):
    """A reminder e-mailed to a policy's owner: each kind once per review date."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)  # "due" (before the date) or "overdue"
    due_on = models.DateField()
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["policy", "kind", "due_on"],
                                               name="policies_reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.policy_id} ({self.due_on})"
