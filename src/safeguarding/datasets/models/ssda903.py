"""The SSDA903 (children looked after) return as loaded.

Like the CIN census: each LA's year is kept as a return with a snapshot of
every child in it, and the child-level tables hold the merged history, the
latest return's version of each row winning. Rows are keyed as DfE keys them:
an episode by child and DECOM, a review by child and date, a missing episode
by child and start; the yearly tables (OC2, OC3, previous permanence) by
child and collection year. Analytics columns carry the pseudonym, never a name.
"""

from django.db import models
from django.db.models import Q

from safeguarding.core.models import LocalAuthority, Partnership
from safeguarding.datasets.models.imports import DatasetImport, LoadedReturn


class ClaReturn(LoadedReturn):
    """One loaded SSDA903 return: an LA's year, from one or more CSV tables."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="cla_returns")
    tables = models.JSONField(default=list, help_text="The 903 tables the return held")
    dataset_import = models.OneToOneField(DatasetImport, on_delete=models.PROTECT,
                                          related_name="cla_return")

    class Meta(LoadedReturn.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "collection_year"],
                condition=Q(status="current"),
                name="one_current_cla_return_per_la_year",
            )
        ]

    def __str__(self) -> str:
        return f"SSDA903 {self.period}, LA {self.local_authority.old_code}"


class ClaReturnChild(models.Model):
    """A child exactly as one return gave it (every table's rows), kept for re-merging."""

    cla_return = models.ForeignKey(ClaReturn, on_delete=models.CASCADE, related_name="snapshots")
    la_child_id = models.CharField("LA child ID", max_length=10)
    content_hash = models.CharField(max_length=32)
    payload = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cla_return", "la_child_id"],
                                    name="unique_cla_snapshot_child")
        ]

    def __str__(self) -> str:
        return f"{self.la_child_id} in {self.cla_return_id}"


class ClaChild(models.Model):
    """A looked-after child by LA and CHILD (the LA child ID); identifiable (it holds the UPN)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="+")
    la_child_id = models.CharField("LA child ID", max_length=10)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="cla_records")
    pseudonym = models.CharField(max_length=32)
    sex = models.CharField(max_length=1)
    birth_date = models.DateField()
    ethnicity = models.CharField(max_length=4)
    upn = models.CharField("UPN or UPN-unknown code", max_length=13)
    mother = models.BooleanField(null=True)
    mother_child_birth_date = models.DateField(null=True, blank=True)
    uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    uasc_ceased_date = models.DateField("date UASC status ceased", null=True, blank=True)
    source_return = models.ForeignKey(ClaReturn, on_delete=models.PROTECT, related_name="+")
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "looked-after child"
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "la_child_id"],
                                    name="unique_cla_child")
        ]

    def __str__(self) -> str:
        return f"Looked-after child {self.pseudonym[:8]}"


class ClaRecord(models.Model):
    """What every child-level 903 row carries: its child, LA, pseudonym and the return it came from."""

    cla_child = models.ForeignKey(ClaChild, on_delete=models.CASCADE, related_name="+")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="+")
    la_child_id = models.CharField("LA child ID", max_length=10)
    pseudonym = models.CharField(max_length=32)
    source_return = models.ForeignKey(ClaReturn, on_delete=models.PROTECT, related_name="+")
    collection_year = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True


def _unique(name: str, *fields: str) -> list[models.BaseConstraint]:
    return [models.UniqueConstraint(fields=["local_authority", "la_child_id", *fields],
                                    name=name)]


class ClaEpisode(ClaRecord):
    """An episode of care: one per child and DECOM, across every return."""

    start_date = models.DateField("DECOM")
    reason_new_episode = models.CharField("RNE", max_length=1)
    legal_status = models.CharField("LS", max_length=2)
    category_of_need = models.CharField("CIN", max_length=2)
    placement = models.CharField("PLACE", max_length=2)
    placement_provider = models.CharField("PLACE_PROVIDER", max_length=3, blank=True)
    end_date = models.DateField("DEC", null=True, blank=True)
    reason_ceased = models.CharField("REC", max_length=3, blank=True)
    reason_place_change = models.CharField("REASON_PLACE_CHANGE", max_length=6, blank=True)
    home_postcode = models.CharField("HOME_POST", max_length=8, blank=True)
    placement_postcode = models.CharField("PL_POST", max_length=8, blank=True)
    urn = models.CharField("URN", max_length=10, blank=True)

    class Meta:
        ordering = ["local_authority", "la_child_id", "start_date"]
        constraints = _unique("unique_cla_episode", "start_date")
        indexes = [models.Index(fields=["local_authority", "start_date"])]

    def __str__(self) -> str:
        return f"Episode from {self.start_date} ({self.pseudonym[:8]})"


class ClaReview(ClaRecord):
    review_date = models.DateField("REVIEW")
    participation = models.CharField("REVIEW_CODE", max_length=3)

    class Meta:
        constraints = _unique("unique_cla_review", "review_date")

    def __str__(self) -> str:
        return f"Review {self.review_date}"


class ClaMissingEpisode(ClaRecord):
    missing_type = models.CharField("MISSING", max_length=1, help_text="M missing, A away")
    start_date = models.DateField("MIS_START")
    end_date = models.DateField("MIS_END", null=True, blank=True)

    class Meta:
        constraints = _unique("unique_cla_missing", "start_date")

    def __str__(self) -> str:
        return f"Missing from {self.start_date}"


class ClaOutcome(ClaRecord):
    """OC2: outcomes of a child looked after for 12 months at 31 March, one per child and year."""

    sdq_score = models.PositiveSmallIntegerField("SDQ_SCORE", null=True, blank=True)
    sdq_reason = models.CharField("SDQ_REASON", max_length=4, blank=True)
    convicted = models.BooleanField("CONVICTED", null=True)
    health_check = models.BooleanField("HEALTH_CHECK", null=True)
    immunisations = models.BooleanField("IMMUNISATIONS", null=True)
    teeth_check = models.BooleanField("TEETH_CHECK", null=True)
    health_assessment = models.BooleanField("HEALTH_ASSESSMENT", null=True)
    substance_misuse = models.BooleanField("SUBSTANCE_MISUSE", null=True)
    intervention_received = models.BooleanField("INTERVENTION_RECEIVED", null=True)
    intervention_offered = models.BooleanField("INTERVENTION_OFFERED", null=True)

    class Meta:
        constraints = _unique("unique_cla_outcome", "collection_year")

    def __str__(self) -> str:
        return f"Outcomes {self.collection_year}"


class ClaCareLeaver(ClaRecord):
    """OC3: a care leaver around a birthday in the year, one per child and year."""

    in_touch = models.CharField("IN_TOUCH", max_length=4)
    activity = models.CharField("ACTIV", max_length=2)
    accommodation = models.CharField("ACCOM", max_length=2)

    class Meta:
        constraints = _unique("unique_cla_care_leaver", "collection_year")

    def __str__(self) -> str:
        return f"Care leaver {self.collection_year}"


class ClaAdoption(ClaRecord):
    """AD1: a child adopted, by the date the decision that the child should be placed was made."""

    decision_date = models.DateField("DATE_INT")
    match_date = models.DateField("DATE_MATCH")
    foster_care = models.BooleanField("FOSTER_CARE")
    number_of_adopters = models.PositiveSmallIntegerField("NB_ADOPTR")
    sex_of_adopters = models.CharField("SEX_ADOPTR", max_length=2)
    legal_status_of_adopters = models.CharField("LS_ADOPTR", max_length=3)

    class Meta:
        constraints = _unique("unique_cla_adoption", "decision_date")

    def __str__(self) -> str:
        return f"Adoption decided {self.decision_date}"


class ClaPlacedForAdoption(ClaRecord):
    placed_date = models.DateField("DATE_PLACED")
    ceased_date = models.DateField("DATE_PLACED_CEASED", null=True, blank=True)
    reason_ceased = models.CharField("REASON_PLACED_CEASED", max_length=3, blank=True)

    class Meta:
        verbose_name_plural = "placed for adoption"
        constraints = _unique("unique_cla_placed_for_adoption", "placed_date")

    def __str__(self) -> str:
        return f"Placed for adoption {self.placed_date}"


class ClaPreviousPermanence(ClaRecord):
    """Previous permanence, as given in a year's return: one per child and year."""

    previous_permanence = models.CharField("PREV_PERM", max_length=2)
    previous_la = models.CharField("LA_PERM", max_length=10, blank=True)
    permanence_date = models.CharField("DATE_PERM", max_length=10, blank=True,
                                      help_text="As given: DfE allows a partial date")

    class Meta:
        verbose_name_plural = "previous permanence"
        constraints = _unique("unique_cla_previous_permanence", "collection_year")

    def __str__(self) -> str:
        return f"Previous permanence {self.previous_permanence}"
