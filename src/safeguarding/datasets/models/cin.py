"""The Children in Need census as loaded.

Census tables are keyed as DfE keys them: a child by LA and LAchildID, an
episode by child and referral date, a plan by child and start date. Each
year's return is kept as a record with a snapshot of every child in it; the
episode and plan tables hold the merged history, the latest return's version
of each winning. Analytics columns carry the pseudonym, never a name.
"""

from django.db import models
from django.db.models import Q

from safeguarding.core.models import LocalAuthority, Partnership
from safeguarding.datasets.models.imports import DatasetImport, LoadedReturn


class CinReturn(LoadedReturn):
    """One loaded CIN census return: an LA's year, from one file."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="cin_returns")
    reference_date = models.DateField()
    source_datetime = models.CharField(max_length=40, blank=True)
    dataset_import = models.OneToOneField(DatasetImport, on_delete=models.PROTECT,
                                          related_name="cin_return")

    class Meta(LoadedReturn.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "collection_year"],
                condition=Q(status="current"),
                name="one_current_cin_return_per_la_year",
            )
        ]

    def __str__(self) -> str:
        return f"CIN census {self.period}, LA {self.local_authority.old_code}"


class CinReturnChild(models.Model):
    """A child exactly as one return gave it, kept so any year can be re-merged."""

    cin_return = models.ForeignKey(CinReturn, on_delete=models.CASCADE,
                                   related_name="snapshots")
    la_child_id = models.CharField("LA child ID", max_length=20)
    content_hash = models.CharField(max_length=32)
    payload = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cin_return", "la_child_id"],
                                    name="unique_snapshot_child")
        ]

    def __str__(self) -> str:
        return f"{self.la_child_id} in {self.cin_return_id}"


class CinChild(models.Model):
    """A child in the CIN census, by LA and LAchildID; identifiable (it holds the UPN)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="+")
    la_child_id = models.CharField("LA child ID", max_length=20)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="cin_records")
    pseudonym = models.CharField(max_length=32)
    upn = models.CharField("UPN", max_length=13, blank=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    upn_unknown = models.CharField("UPN unknown reason", max_length=3, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    expected_birth_date = models.DateField(null=True, blank=True)
    # GenderCurrent 0/1/2/9, the one coding the measures read. From 2024/25 DfE
    # asks for Sex as M/F/U: the loader maps it (M 1, F 2, U 0) and keeps the
    # value as returned in sex_as_returned.
    gender = models.CharField(max_length=1, blank=True)
    sex_as_returned = models.CharField(max_length=1, blank=True)
    death_date = models.DateField(null=True, blank=True)
    ethnicity = models.CharField(max_length=4, blank=True)
    disabilities = models.JSONField(default=list, blank=True)
    source_return = models.ForeignKey(CinReturn, on_delete=models.PROTECT, related_name="+")
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "la_child_id"],
                                    name="unique_cin_child")
        ]

    def __str__(self) -> str:
        return f"CIN child {self.pseudonym[:8]}"


class CinEpisode(models.Model):
    """A CIN episode (CINdetails): one per child and referral date."""

    cin_child = models.ForeignKey(CinChild, on_delete=models.CASCADE, related_name="episodes")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="+")
    la_child_id = models.CharField("LA child ID", max_length=20)
    pseudonym = models.CharField(max_length=32)
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=3)
    primary_need = models.CharField(max_length=2, blank=True)
    closure_date = models.DateField(null=True, blank=True)
    reason_for_closure = models.CharField(max_length=3, blank=True)
    date_of_initial_cpc = models.DateField(null=True, blank=True)
    referral_nfa = models.BooleanField(null=True)
    source_return = models.ForeignKey(CinReturn, on_delete=models.PROTECT, related_name="+")
    collection_year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["local_authority", "la_child_id", "referral_date"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "la_child_id", "referral_date"],
                                    name="unique_cin_episode")
        ]
        indexes = [models.Index(fields=["local_authority", "referral_date"])]

    def __str__(self) -> str:
        return f"Referral {self.referral_date} ({self.pseudonym[:8]})"


class CinAssessment(models.Model):
    episode = models.ForeignKey(CinEpisode, on_delete=models.CASCADE, related_name="assessments")
    start_date = models.DateField(null=True, blank=True)
    internal_review_date = models.DateField(null=True, blank=True)
    authorisation_date = models.DateField(null=True, blank=True)
    factors = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Assessment from {self.start_date}"


class CinPlanPeriod(models.Model):
    episode = models.ForeignKey(CinEpisode, on_delete=models.CASCADE, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"CIN plan from {self.start_date}"


class Section47Enquiry(models.Model):
    episode = models.ForeignKey(CinEpisode, on_delete=models.CASCADE, related_name="section47s")
    start_date = models.DateField()
    icpc_target = models.DateField("initial conference target", null=True, blank=True)
    icpc_date = models.DateField("initial conference", null=True, blank=True)
    icpc_not_required = models.BooleanField(null=True)

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"

    def __str__(self) -> str:
        return f"Section 47 from {self.start_date}"


class ChildProtectionPlan(models.Model):
    """A child protection plan: one per child and start date, across every return."""

    episode = models.ForeignKey(CinEpisode, on_delete=models.CASCADE,
                                related_name="protection_plans")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="+")
    la_child_id = models.CharField("LA child ID", max_length=20)
    pseudonym = models.CharField(max_length=32)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    initial_category = models.CharField(max_length=3)
    latest_category = models.CharField(max_length=3, blank=True)
    previous_plans = models.PositiveIntegerField(null=True, blank=True)
    review_dates = models.JSONField(default=list, blank=True)
    source_return = models.ForeignKey(CinReturn, on_delete=models.PROTECT, related_name="+")
    collection_year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["local_authority", "la_child_id", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "la_child_id", "start_date"],
                                    name="unique_child_protection_plan")
        ]

    def __str__(self) -> str:
        return f"Plan from {self.start_date} ({self.pseudonym[:8]})"
