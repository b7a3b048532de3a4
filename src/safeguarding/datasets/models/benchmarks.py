"""DfE's published tables, as loaded: one record per table release, its values tidy."""

from django.db import models
from django.db.models import Q

from safeguarding.core.models import Partnership
from safeguarding.datasets.models.imports import DatasetImport, ReturnStatus


class BenchmarkTable(models.Model):
    """One of DfE's published tables, as loaded for a partnership from one file."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    table_id = models.CharField(max_length=120)
    dataset_import = models.OneToOneField(DatasetImport, on_delete=models.PROTECT,
                                          related_name="benchmark_table")
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField(max_length=20, choices=ReturnStatus.choices,
                              default=ReturnStatus.CURRENT)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    indicators = models.JSONField(default=list)
    filters = models.JSONField(default=list)
    periods = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    value_count = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["table_id", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "table_id"],
                                    condition=Q(status="current"),
                                    name="one_current_benchmark_table")
        ]

    def __str__(self) -> str:
        return self.table_id


class BenchmarkValue(models.Model):
    """One published figure, tidy: table, indicator, period, geography, breakdown, value.

    A suppressed figure is stored as a missing value with DfE's marker kept
    (c, x, z, k, low, u, ...), never as zero.
    """

    # No index of their own: the unique constraint leads with the release and the first
    # index below with the partnership, and each of a table's values is one more row in
    # every index (a table is about 22,000 values).
    release = models.ForeignKey(BenchmarkTable, on_delete=models.CASCADE, related_name="values",
                                db_index=False,
                                help_text="The loaded release of the table this value came from")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    table_id = models.CharField(max_length=120)
    indicator = models.CharField(max_length=120)
    time_period = models.CharField(max_length=10)
    time_identifier = models.CharField(max_length=40)
    period = models.CharField(max_length=9, help_text="Such as 2020/21")
    year_ending = models.PositiveSmallIntegerField(null=True, blank=True)
    geographic_level = models.CharField(max_length=40)
    geography_code = models.CharField(max_length=12, blank=True)
    country_code = models.CharField(max_length=12, blank=True)
    region_code = models.CharField(max_length=12, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    old_la_code = models.CharField(max_length=3, blank=True)
    new_la_code = models.CharField(max_length=12, blank=True)
    la_name = models.CharField(max_length=200, blank=True)
    breakdown = models.CharField(max_length=300, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    marker = models.CharField(max_length=5, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "indicator", "time_period", "time_identifier",
                        "geographic_level", "geography_code", "breakdown"],
                name="unique_benchmark_value",
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "table_id", "indicator", "period"]),
            models.Index(fields=["old_la_code", "period"]),
            models.Index(fields=["new_la_code", "period"]),
            # The measures' comparisons read one column of a year from every partnership's
            # current tables (datasets/contract.py, benchmark_values and child_population).
            models.Index(fields=["indicator", "year_ending"]),
        ]

    def __str__(self) -> str:
        shown = self.marker or "" if self.value is None else self.value
        return f"{self.table_id}.{self.indicator} {self.period} {self.geography_code}: {shown}"

