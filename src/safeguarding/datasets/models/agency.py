"""Agency extracts as loaded: one record per extract, and the six kinds of record.

The record tables are pseudonymous: dates, codes and the sending agency's
record key, with the child's pseudonym. The child's identifiers (NHS number,
UPN, LA child ID, police reference, names, date of birth, sex, postcode) go to
the agency's ``children.SourceRecord`` for the child, which record linkage
joins to the child index; ``source_record`` points there, read only through
the access door. Each record is keyed by its partnership, agency and the template's record
key: a re-sent extract replaces the rows it carries (latest wins).
"""

from django.db import models

from safeguarding.core.models import Agency, LocalAuthority, Partnership


class AgencyExtract(models.Model):
    """One loaded agency extract: which agency sent which template for which period."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="extracts")
    kind = models.CharField(max_length=30)
    period = models.CharField(max_length=10, help_text="Such as 2020-21, 2020-Q3 or 2020-06")
    period_start = models.DateField()
    period_end = models.DateField()
    la_codes = models.JSONField(default=list, help_text="The LAs the extract covers (old codes)")
    dataset_import = models.OneToOneField("datasets.DatasetImport", on_delete=models.PROTECT,
                                          related_name="agency_extract")
    sha256 = models.CharField("SHA-256", max_length=64)
    rows = models.PositiveIntegerField(default=0)
    changes = models.JSONField(default=dict, blank=True,
                               help_text="Record keys added and changed by this extract")
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "kind", "-period_start", "-pk"]
        indexes = [models.Index(fields=["partnership", "kind", "period_start"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} from {self.agency}"


class AgencyRecord(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="+")
    record_key = models.CharField(max_length=200)
    pseudonym = models.CharField(max_length=32)
    source_record = models.ForeignKey("children.SourceRecord", on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+")
    extract = models.ForeignKey(AgencyExtract, on_delete=models.PROTECT, related_name="+",
                                help_text="The latest extract that sent this record")
    content_hash = models.CharField(max_length=32)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["partnership", "agency", "record_key"],
                                    name="unique_%(class)s_key"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.record_key}"


class EarlyHelpEpisode(AgencyRecord):
    episode_id = models.CharField(max_length=50)
    start_date = models.DateField()
    assessment_date = models.DateField(null=True, blank=True)
    request_source = models.CharField(max_length=3, blank=True)
    lead_practitioner_agency = models.CharField(max_length=3, blank=True)
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=3, blank=True)

    class Meta(AgencyRecord.Meta):
        indexes = [models.Index(fields=["local_authority", "start_date"])]


class DomesticAbuseIncident(AgencyRecord):
    """A child linked to a police-attended domestic abuse incident, and the school's notification."""

    incident_reference = models.CharField(max_length=40)
    incident_at = models.DateTimeField()
    child_present = models.BooleanField()
    risk_level = models.CharField(max_length=1, blank=True)
    school_urn = models.CharField("school URN", max_length=6, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    not_notified_reason = models.CharField(max_length=3, blank=True)

    class Meta(AgencyRecord.Meta):
        indexes = [models.Index(fields=["local_authority", "incident_at"])]


class MissingEpisode(AgencyRecord):
    episode_id = models.CharField(max_length=50)
    missing_from = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    category = models.CharField(max_length=1)
    looked_after = models.BooleanField()
    reported_to_police = models.BooleanField(null=True)
    interview_offered_at = models.DateTimeField(null=True, blank=True)
    interview_outcome = models.CharField(max_length=3, blank=True)
    interview_completed_at = models.DateTimeField(null=True, blank=True)

    class Meta(AgencyRecord.Meta):
        indexes = [models.Index(fields=["local_authority", "missing_from"])]


class SchoolExclusion(AgencyRecord):
    exclusion_id = models.CharField(max_length=50)
    school_urn = models.CharField("school URN", max_length=6)
    category = models.CharField(max_length=4)
    reason = models.CharField(max_length=2)
    start_date = models.DateField()
    sessions = models.PositiveIntegerField(null=True, blank=True)

    class Meta(AgencyRecord.Meta):
        indexes = [models.Index(fields=["local_authority", "start_date"])]


class SchoolAttendance(AgencyRecord):
    school_urn = models.CharField("school URN", max_length=6)
    from_date = models.DateField()
    to_date = models.DateField()
    possible_sessions = models.PositiveIntegerField()
    absent_sessions = models.PositiveIntegerField()
    unauthorised_sessions = models.PositiveIntegerField(null=True, blank=True)

    class Meta(AgencyRecord.Meta):
        verbose_name_plural = "school attendance"
        indexes = [models.Index(fields=["local_authority", "from_date"])]


class MaceReferral(AgencyRecord):
    referral_id = models.CharField(max_length=50)
    received_on = models.DateField()
    referrer_agency = models.CharField(max_length=3, blank=True)
    exploitation_types = models.JSONField(default=list)
    screening_decision = models.CharField(max_length=4, blank=True)
    discussed_on = models.DateField(null=True, blank=True)
    risk_level = models.CharField(max_length=1, blank=True)

    class Meta(AgencyRecord.Meta):
        verbose_name = "MACE referral"
        indexes = [models.Index(fields=["local_authority", "received_on"])]


# The table each template loads into.
RECORD_MODELS: dict[str, type[AgencyRecord]] = {
    "early-help": EarlyHelpEpisode,
    "police-da-incidents": DomesticAbuseIncident,
    "missing-episodes": MissingEpisode,
    "school-exclusions": SchoolExclusion,
    "school-attendance": SchoolAttendance,
    "mace-referrals": MaceReferral,
}
