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
    la_child_id = models.CharField("LA child ID", max_length=10, blank=True)
    police_reference = models.CharField(max_length=30, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=code_lists.choices("sex"))
    ethnicity = models.CharField(max_length=4, choices=code_lists.choices("ethnicity"))
    postcode = models.CharField(max_length=8, blank=True)
    pseudonym = models.CharField(max_length=32, db_index=True, editable=False)
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
        ]
        indexes = [models.Index(fields=["partnership", "last_name"])]

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

    def __str__(self) -> str:
        return f"{self.agency} ({self.reason})"
