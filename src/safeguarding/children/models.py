"""The child index: one record per child per partnership, with the agencies involved."""

from django.db import models
from django.db.models import Q

from safeguarding.children import code_lists
from safeguarding.core.models import Agency, LocalAuthority, Partnership


class Child(models.Model):
    """A child known to the partnership. Identifiable: read only through core.access."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="children")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    la_child_id = models.CharField("LA child ID", max_length=20, blank=True)
    police_reference = models.CharField(max_length=30, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=code_lists.choices("sex"))
    ethnicity = models.CharField(max_length=4, choices=code_lists.choices("ethnicity"))
    postcode = models.CharField(max_length=8, blank=True)
    pseudonym = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "nhs_number"],
                condition=~Q(nhs_number=""),
                name="unique_child_nhs_number",
            ),
            models.UniqueConstraint(
                fields=["local_authority", "la_child_id"],
                condition=~Q(la_child_id=""),
                name="unique_child_la_child_id",
            ),
            # A pupil keeps one UPN for life, so one index holds it once (ADR 0011).
            models.UniqueConstraint(
                fields=["partnership", "upn"],
                condition=~Q(upn=""),
                name="unique_child_upn",
            ),
        ]
        # A census child is matched by UPN to a child another agency recorded first (one
        # with no LA child ID yet). Partial, so a census load does not maintain it.
        indexes = [models.Index(fields=["partnership", "last_name"]),
                   models.Index(fields=["partnership", "upn"], condition=Q(la_child_id=""),
                                name="child_upn_without_la_id")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Involvement(models.Model):
    """An agency's involvement with a child: the basis of need-to-know access."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    reason = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="involvement_ends_after_start",
            )
        ]
        # Loaders ask which of a batch of children an agency already has.
        indexes = [models.Index(fields=["agency", "child"], name="involvement_agency_child")]

    def __str__(self) -> str:
        return f"{self.agency} ({self.reason})"


# --- cross-agency record linkage (safeguarding.children.linkage) ------------------------------


class SourceRecord(models.Model):
    """A person as one agency's system records them, linked to the child index when we can.

    Identifiable: read only through core.access. Agency importers create these
    and call ``safeguarding.children.linkage.services.link_records``.
    """

    class LinkMethod(models.TextChoices):
        NHS_NUMBER = "nhs_number", "NHS number"
        UPN = "upn", "UPN"
        LA_CHILD_ID = "la_child_id", "LA child ID"
        PROBABILISTIC = "probabilistic", "Probabilistic match"
        REVIEWED = "reviewed", "Reviewed by a person"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="source_records")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="source_records")
    source_system = models.CharField(max_length=100, help_text="The system the extract came from")
    source_key = models.CharField(max_length=100, help_text="The person's key in that system")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True, choices=code_lists.choices("sex"))
    postcode = models.CharField(max_length=8, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    la_child_id = models.CharField("LA child ID", max_length=20, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True,
        related_name="source_records", help_text="The LA that issued the LA child ID")
    police_reference = models.CharField(max_length=30, blank=True)
    child = models.ForeignKey(
        Child, on_delete=models.SET_NULL, null=True, blank=True, related_name="source_records")
    link_method = models.CharField(max_length=20, choices=LinkMethod.choices, blank=True)
    match_probability = models.FloatField(null=True, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "source_system", "source_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source_system", "source_key"], name="unique_source_record"),
            models.CheckConstraint(
                condition=Q(child__isnull=True) | ~Q(link_method=""),
                name="source_record_link_has_method"),
        ]
        indexes = [
            models.Index(fields=["partnership", "nhs_number"]),
            models.Index(fields=["partnership", "upn"]),
            models.Index(fields=["local_authority", "la_child_id"]),
            models.Index(fields=["partnership", "child"]),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.source_system} {self.source_key}"


class LinkCandidate(models.Model):
    """A possible link between an agency record and a child, waiting for a person to decide.

    Each (record, child) pair is proposed at most once: a rejected pair is never
    proposed again, nor linked automatically.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    source_record = models.ForeignKey(
        SourceRecord, on_delete=models.CASCADE, related_name="link_candidates")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="link_candidates")
    match_probability = models.FloatField(
        null=True, blank=True, help_text="Empty for an identifier match with a conflict")
    evidence = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-match_probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source_record", "child"], name="unique_link_candidate"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.source_record} -> child {self.child_id} ({self.get_status_display()})"

    @property
    def probability_display(self) -> str:
        """The match probability as a percentage to one decimal place, or ""."""
        if self.match_probability is None:
            return ""
        return f"{self.match_probability * 100:.1f}%"


class LinkageModel(models.Model):
    """A probabilistic linkage model trained on one partnership's index and agency records.

    Its imports score with the newest model whose ``config_digest`` matches the
    settings, rather than training again each time; the model is trained again when
    the index has changed size by more than ``retrain_when_index_changes_by``, when
    the settings that shape it change, or when a person asks. Holds no personal data:
    only the m and u of each comparison level and the sizes it was trained on.
    """

    class Reason(models.TextChoices):
        FIRST = "first", "No model had been trained"
        INDEX_CHANGED = "index_changed", "The index changed size"
        SETTINGS_CHANGED = "settings_changed", "The linkage settings changed"
        ASKED = "asked", "Asked for"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="linkage_models")
    settings = models.JSONField(help_text="Splink's saved model: every level's m and u")
    config_digest = models.CharField(
        max_length=64, help_text="Digest of the settings that shape the model")
    children = models.PositiveIntegerField(help_text="Children in the index when trained")
    records = models.PositiveIntegerField(help_text="Agency records it was trained on")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    trained_at = models.DateTimeField(auto_now_add=True)
    trained_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty when an import or the command line trained it")

    class Meta:
        ordering = ["-trained_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "config_digest", "-trained_at"])]

    def __str__(self) -> str:
        return f"{self.partnership} linkage model of {self.trained_at:%Y-%m-%d %H:%M}"
