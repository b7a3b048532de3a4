"""Targets, statistical neighbours and cached results for the indicator catalogue."""

from django.db import models

from safeguarding.core.models import Partnership, User


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
    """An LA the partnership compares itself with (DfE's children's services neighbours)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="statistical_neighbours")
    old_la_code = models.CharField(max_length=3)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "old_la_code"],
                                               name="unique_statistical_neighbour")]

    def __str__(self) -> str:
        return f"{self.name} ({self.old_la_code})"


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
