"""Targets, statistical neighbours and cached results for the indicator catalogue."""

from django.core.validators import RegexValidator
from django.db import models

from safeguarding.core.models import LocalAuthority, Partnership, User


class Target(models.Model):
    """A target set by the Scrutiny and Assurance group; the newest row for a measure applies.

    Rows are never edited, so the history of who set which target, and when,
    stays visible.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="targets")
    indicator_id = models.CharField(max_length=80)
    target = models.DecimalField(max_digits=10, decimal_places=1)
    amber_tolerance = models.DecimalField(
        max_digits=10, decimal_places=1, default=5,
        help_text="How far from the target, in the measure's unit, still counts as amber")
    note = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "indicator_id", "-set_at"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} target {self.target} ({self.partnership.code})"


class StatisticalNeighbour(models.Model):
    """An LA one of the partnership's LAs is compared with, as DfE's children's services
    statistical neighbour benchmarking tool lists it, with where the list came from.

    An LA with no rows has no list on the platform: its comparisons say so instead of
    showing a neighbour figure (measures/comparisons.py).
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="statistical_neighbours")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE,
                                        related_name="+",
                                        help_text="The partnership's LA whose neighbour this is")
    old_la_code = models.CharField(max_length=3, validators=[
        RegexValidator(r"^\d{3}$", "Enter the neighbour's old LA code as 3 digits, like 861")])
    name = models.CharField(max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(default=0, help_text="1 is the closest neighbour")
    source = models.CharField(max_length=300, help_text=(
        "Where the list comes from, such as the DfE children's services statistical "
        "neighbour benchmarking tool and its release"))
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["local_authority__old_code", "rank", "old_la_code"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "old_la_code"],
                                               name="unique_statistical_neighbour_per_la")]

    def __str__(self) -> str:
        return f"{self.name or self.old_la_code} ({self.old_la_code})"


class ModuleGoLive(models.Model):
    """The day a partnership started keeping a module's cases on the platform.

    Measures from the module (measures/case_measures.py) are computed for periods
    starting on or after it and "not recorded" before it. Without a row, the module
    is taken to be live from 1 April of the year of its first recorded case.
    """

    class Module(models.TextChoices):
        LEARNING_REVIEWS = "learning_reviews", "Learning reviews"
        CHILD_DEATHS = "child_deaths", "Child death review"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="module_go_live")
    module = models.CharField(max_length=30, choices=Module.choices)
    live_from = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "module"]
        constraints = [models.UniqueConstraint(fields=["partnership", "module"],
                                               name="one_go_live_per_module")]

    def __str__(self) -> str:
        return f"{self.get_module_display()} live from {self.live_from} ({self.partnership.code})"


class IndicatorResults(models.Model):
    """Every catalogue measure for one partnership, period and LA scope, as last computed.

    One document per key (see ADR 0008): the results of the whole catalogue, with
    the data version they were computed from. A document whose data version is
    not the current one is stale and is never shown as current. Targets and RAG
    are not stored here: they are applied when the document is read.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="indicator_results")
    period = models.CharField(max_length=10, help_text="2020-21, 2020-Q3 or 2020-06")
    scope = models.CharField(max_length=3, blank=True,
                             help_text="An LA's old code, or blank for all the partnership's LAs")
    data_version = models.CharField(max_length=64)
    data_summary = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list)
    benchmarks = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "indicator results"
        constraints = [models.UniqueConstraint(fields=["partnership", "period", "scope"],
                                               name="one_indicator_results_per_key")]

    def __str__(self) -> str:
        return f"{self.partnership.code} {self.period} {self.scope or 'all LAs'}"


class RecomputeStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    COVERED = "covered", "Covered by another recompute"
    FAILED = "failed", "Stopped by a fault"


class IndicatorRecompute(models.Model):
    """A background recompute of a partnership's standard periods, asked for after an import.

    Requests for the same partnership while one is still queued join it, so a
    burst of imports makes one recompute.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="indicator_recomputes")
    status = models.CharField(max_length=10, choices=RecomputeStatus.choices,
                              default=RecomputeStatus.QUEUED)
    reason = models.CharField(max_length=300)
    dataset_import_id = models.BigIntegerField(
        null=True, blank=True, help_text="The latest import that asked for it, if any")
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    data_version = models.CharField(max_length=64, blank=True)
    periods = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return f"Recompute {self.pk} for {self.partnership.code} ({self.get_status_display()})"


class RecordsChanged(models.Model):
    """How many times a record the figures are computed from was saved or deleted.

    ``key`` is a partnership's id, for a record with a partnership of its own, or ``*`` for
    a record that belongs to no one partnership (a finding, an attendance row), which makes
    every partnership's figures stale. It is part of the data version (``cache``), so a
    record changed in place (an audit completed, a return submitted) makes the cached
    figures stale even when no count, id or time stamp of its table changed.
    """

    key = models.CharField(max_length=20, unique=True)
    changes = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "records changed"

    def __str__(self) -> str:
        return f"{self.key}: {self.changes}"
