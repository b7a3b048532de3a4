"""The Ofsted ILACS Annex A workbook as loaded: one return per LA workbook, one row table."""

from django.db import models
from django.db.models import Q

from safeguarding.core.models import LocalAuthority, Partnership
from safeguarding.datasets.models.imports import DatasetImport, ReturnStatus


class AnnexAReturn(models.Model):
    """One loaded Ofsted Annex A workbook: an LA's lists 1 to 11, from one file.

    The period is what the lists show: from the earliest contact or referral
    (lists 1 and 3, else any list's first date) to the latest date anywhere in
    the workbook. ``counts`` holds the rows of each list provided, by list
    number; a list not in the workbook is absent, not zero.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="annex_a_returns")
    dataset_import = models.OneToOneField(DatasetImport, on_delete=models.PROTECT,
                                          related_name="annex_a_return")
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField(max_length=20, choices=ReturnStatus.choices,
                              default=ReturnStatus.CURRENT)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=dict, blank=True,
                               help_text="Rows added, changed and removed per list, against "
                                         "the return this one replaced")
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["local_authority", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority"], condition=Q(status="current"),
                                    name="one_current_annex_a_return_per_la")
        ]

    def __str__(self) -> str:
        return f"Annex A, LA {self.local_authority.old_code} (import {self.dataset_import_id})"

    def list_count(self, number: int) -> int | None:
        value = (self.counts or {}).get(str(number))
        return None if value is None else int(value)


class AnnexARow(models.Model):
    """One row of one Annex A list: key columns typed, the rest as JSON; no names.

    ``subject_id`` is the LA's child ID (lists 1 to 10) or the adopter's ID
    (list 11); ``start_date``, ``end_date`` and ``code`` are the list's own
    main date, end date and code (for list 3 the referral date and source).
    """

    annex_return = models.ForeignKey(AnnexAReturn, on_delete=models.CASCADE, related_name="rows")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="+")
    list_number = models.PositiveSmallIntegerField()
    row_number = models.PositiveIntegerField(help_text="The row of the sheet it came from")
    subject_id = models.CharField("child or adopter ID", max_length=20)
    pseudonym = models.CharField(max_length=32)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="annex_a_rows")
    gender = models.CharField(max_length=1, blank=True)
    ethnicity = models.CharField(max_length=4, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    code = models.CharField(max_length=12, blank=True)
    fields = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["annex_return", "list_number", "row_number"]
        indexes = [models.Index(fields=["annex_return", "list_number"]),
                   models.Index(fields=["local_authority", "list_number", "start_date"])]

    def __str__(self) -> str:
        return f"Annex A list {self.list_number} row {self.row_number}"
