"""Operation Encompass: schools with their Key Adult and holiday contact, police-recorded
domestic abuse incidents with the children present, one notification per child to the
child's school, the e-mails sent about it (no child data in them) and the acknowledgement."""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import Agency, LoadedFile, LocalAuthority, Partnership, User


class School(models.Model):
    """A school or setting that receives notifications, by URN."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="encompass_schools")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    # The school's agency: its school key adult seats sign in to read and acknowledge.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    urn = models.CharField("URN", max_length=8, unique=True)
    name = models.CharField(max_length=200)
    key_adult_name = models.CharField(max_length=200, blank=True)
    key_adult_email = models.EmailField(blank=True)
    key_adult_since = models.DateField(null=True, blank=True)
    holiday_contact_name = models.CharField(max_length=200, blank=True)
    holiday_contact_email = models.EmailField(blank=True)
    added_on = models.DateField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    @property
    def has_key_adult(self) -> bool:
        return bool(self.key_adult_email)


class IncidentImport(LoadedFile):
    """One CSV file of incidents: all of it or none; the same file twice changes nothing."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT)
    incidents = models.PositiveIntegerField(default=0)
    notifications = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "sha256"],
                                               name="encompass_import_once")]

    def __str__(self) -> str:
        return self.file_name


class Incident(models.Model):
    """A police-attended incident with children present, recorded by the police."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="encompass_incidents")
    police_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    police_reference = models.CharField(max_length=30)
    occurred_at = models.DateTimeField()
    domestic_abuse = models.BooleanField(default=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    source_import = models.ForeignKey(IncidentImport, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "police_reference"],
                                               name="encompass_incident_reference_unique")]
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"Incident {self.police_reference}"


class Notification(models.Model):
    """One child of an incident, told to the child's school. Identifiable: the child's name
    and date of birth are for the school's Key Adult, read only through core.access."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notifications")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="notifications")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    child_key = models.CharField(max_length=64, help_text="Pseudonymous key for the child")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    present = models.BooleanField(default=True)
    due_at = models.DateTimeField()
    due_rule = models.CharField(max_length=40)
    after_holiday = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledge_by = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"Notification {self.pk} of {self.incident}"

    @property
    def on_time(self) -> bool:
        return self.sent_at is not None and self.sent_at <= self.due_at


class Message(models.Model):
    """An e-mail sent about a notification: who to, why and when. Never child data."""

    class Kind(models.TextChoices):
        NOTICE = "notice", "Notification to the Key Adult"
        HOLIDAY = "holiday", "Notification to the holiday contact"
        REMINDER = "reminder", "Reminder to acknowledge"

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                      related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}"
