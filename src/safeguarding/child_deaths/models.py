"""Child death review: notification, Joint Agency Response, agency reports, panel review.

Every record here is identifiable (it names a child who has died): pages, the API
and exports read it only through core.access, by the rules in rules.py.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from safeguarding.child_deaths import ages, code_lists
from safeguarding.core.models import Agency, Partnership, User
from safeguarding.measures.periods import financial_year_of


class ChildDeath(models.Model):
    """One child's death, from notification to the panel's review.

    It belongs to the child's partnership. Age at death, the neonatal flag and the
    age band are derived from the child's date of birth on every save: never typed.
    """

    class Status(models.TextChoices):
        NOTIFIED = "notified", "Notified"
        GATHERING = "gathering", "Gathering information"
        READY = "ready", "Ready for panel"
        REVIEWED = "reviewed", "Reviewed"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="child_deaths"
    )
    child = models.OneToOneField("children.Child", on_delete=models.PROTECT, related_name="death")
    birth_status = models.CharField(
        max_length=40, choices=code_lists.choices("birth_status"), default="born_alive"
    )
    date_of_death = models.DateField()
    place_of_death = models.CharField(max_length=30, choices=code_lists.choices("place_of_death"))
    place_detail = models.CharField(max_length=200, blank=True)
    age_at_death_days = models.PositiveIntegerField(editable=False)
    neonatal = models.BooleanField(editable=False, help_text="Died within 28 days of birth")
    age_band = models.CharField(
        max_length=20, choices=code_lists.choices("age_bands"), editable=False
    )
    expected = models.CharField(max_length=12, choices=code_lists.choices("expected"))
    jar_triggers = models.JSONField(
        default=list, blank=True, help_text="Codes from data/jar_triggers.yaml"
    )
    notified_on = models.DateField()
    notifier_name = models.CharField(max_length=200)
    notifier_role = models.CharField(max_length=200)
    notifying_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="child_deaths_notified"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOTIFIED)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-notified_on", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "notified_on"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(notified_on__gte=F("date_of_death")),
                name="child_death_notified_after_death",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        code = self.partnership.code if self.partnership_id else "NEW"
        return f"CD-{code}-{self.pk or 0:05d}"

    @property
    def jar_required(self) -> bool:
        return bool(self.jar_triggers)

    @property
    def jar_trigger_labels(self) -> list[str]:
        return [code_lists.jar_trigger_label(code) for code in self.jar_triggers]

    @property
    def financial_year(self) -> str:
        return financial_year_of(self.notified_on).label

    def derive(self) -> None:
        """Set the derived fields from the child's date of birth and the date of death."""
        dob = self.child.date_of_birth
        self.age_at_death_days = ages.age_in_days(dob, self.date_of_death)
        self.neonatal = ages.is_neonatal(dob, self.date_of_death)
        self.age_band = ages.age_band(dob, self.date_of_death)


class JointAgencyResponse(models.Model):
    """The coordinated multi-agency response to an unexpected death."""

    case = models.OneToOneField(ChildDeath, on_delete=models.CASCADE, related_name="jar")
    meeting_date = models.DateField()
    agencies = models.ManyToManyField(Agency, related_name="joint_agency_responses")
    key_worker_name = models.CharField(max_length=200)
    key_worker_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    key_worker_contact = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Joint Agency Response for {self.case.reference}"


class InformationRequest(models.Model):
    """A request to an agency for its reporting form, with its due date and the response."""

    case = models.ForeignKey(
        ChildDeath, on_delete=models.CASCADE, related_name="information_requests"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    form = models.CharField(
        max_length=40, choices=code_lists.choices("reporting_forms"), default="reporting"
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    requested_on = models.DateField()
    due_on = models.DateField()
    due_rule = models.CharField(max_length=60, help_text="The deadline rule that set due_on")
    received_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["received_on", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency", "form"], name="one_request_per_agency_form"
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("requested_on")),
                name="response_after_request",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("requested_on")), name="due_after_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} from {self.agency}"

    @property
    def received(self) -> bool:
        return self.received_on is not None

    def overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.received_on is None and today > self.due_on

    def met_deadline(self) -> bool | None:
        if self.received_on is None:
            return None
        return self.received_on <= self.due_on


class InformationRequestReminder(models.Model):
    """A reminder e-mail sent for a request; at most one of each kind, ever."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due in two working days"
        OVERDUE = "overdue", "Overdue"

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField()

    class Meta:
        ordering = ["sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="one_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder sent {self.sent_on}"


class Theme(models.Model):
    """A theme a panel tags reviews with: a managed list, seeded from data/themes.yaml.

    The seeded themes have no partnership: they are the list every panel starts from, and
    no one panel may retire them for the others. A theme a panel adds belongs to the
    partnership hosting the panel (the owner of a joint panel's share).
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True,
        related_name="child_death_themes",
        help_text="The partnership hosting the panel that added the theme; empty for the "
                  "seeded list")
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, unique=True)
    active = models.BooleanField(default=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CdopReview(models.Model):
    """The Child Death Overview Panel's review: the analysis form."""

    class Modifiable(models.TextChoices):
        YES = "yes", code_lists.label("modifiable", "yes")
        NO = "no", code_lists.label("modifiable", "no")
        INSUFFICIENT = "insufficient", code_lists.label("modifiable", "insufficient")

    case = models.OneToOneField(ChildDeath, on_delete=models.CASCADE, related_name="review")
    review_date = models.DateField()
    category = models.PositiveSmallIntegerField(choices=code_lists.category_choices())
    modifiable = models.CharField(max_length=12, choices=Modifiable.choices)
    themes = models.ManyToManyField(Theme, blank=True, related_name="reviews")
    learning_points = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["review_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__gte=1) & Q(category__lte=10), name="category_one_to_ten"
            )
        ]

    def __str__(self) -> str:
        return f"Panel review of {self.case.reference}"

    @property
    def category_name(self) -> str:
        found = code_lists.category(self.category)
        return found.name if found else str(self.category)


class ReviewFactor(models.Model):
    """A contributory factor the panel identified, in one of the four domains."""

    review = models.ForeignKey(CdopReview, on_delete=models.CASCADE, related_name="factors")
    domain = models.CharField(max_length=30, choices=code_lists.choices("factor_domains"))
    description = models.CharField(max_length=500)

    class Meta:
        ordering = ["domain", "pk"]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.description}"
