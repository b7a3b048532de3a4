"""Multi-agency case audits: a partnership's programme by year, each audit's terms of
reference, sample rule and random draw (its seed kept), the question set, each involved
agency's single-agency return per case, the moderated (agreed) grades, findings and the
links from an audit to the actions it raised in governance's one action log.

A case names a child of the index: its detail is read only through core.access
(selectors.case_get), and every list names a case by its reference, never the child.
"""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import Agency, Partnership, User


class Programme(models.Model):
    """A partnership's audit programme for one year (1 April ``year`` to 31 March)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="audit_programmes")
    year = models.PositiveSmallIntegerField(help_text="The year the programme starts, in April")
    title = models.CharField(max_length=200)
    body = models.ForeignKey("governance.Body", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="audit_programmes",
                             help_text="The sub-group that commissions and oversees the audits")

    class Meta:
        ordering = ["partnership__code", "-year"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year"],
                                               name="unique_audit_programme_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"


class Audit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        SAMPLED = "sampled", "Sample drawn"
        RETURNS_OPEN = "returns_open", "Returns open"
        MODERATED = "moderated", "Moderated"
        COMPLETE = "complete", "Complete"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="audits")
    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=40)
    terms_of_reference = models.TextField()
    scale = models.CharField(max_length=40)
    planned_on = models.DateField(help_text="The month the audit is planned for")
    # The sample rule: where cases are drawn from, its parameters, how many.
    population = models.CharField(max_length=40)
    category = models.CharField(max_length=3, blank=True)
    sample_size = models.PositiveSmallIntegerField()
    agencies = models.ManyToManyField(Agency, related_name="+")
    follows = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="re_audits", help_text="The audit this re-audits")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    # The draw, kept so that it can be repeated and checked.
    seed = models.BigIntegerField(null=True, blank=True)
    population_size = models.PositiveIntegerField(null=True, blank=True)
    population_digest = models.CharField(max_length=64, blank=True)
    drawn_on = models.DateField(null=True, blank=True)
    drawn_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    returns_opened_on = models.DateField(null=True, blank=True)
    returns_due = models.DateField(null=True, blank=True)
    moderated_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    re_audit_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["programme__partnership__code", "planned_on", "reference"]
        constraints = [models.UniqueConstraint(fields=["programme", "reference"],
                                               name="unique_audit_reference")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def partnership(self) -> Partnership:
        return self.programme.partnership


class Section(models.Model):
    """A domain of the audit's question set, graded per return and agreed at moderation."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["audit", "order"]
        constraints = [models.UniqueConstraint(fields=["audit", "key"],
                                               name="unique_audit_section")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["section__order", "order"]

    def __str__(self) -> str:
        return self.text


class Case(models.Model):
    """One sampled case. Identifiable through its child: read through core.access."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="cases")
    number = models.PositiveSmallIntegerField()
    reference = models.CharField(max_length=40)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    moderated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"],
                                               name="unique_audit_case_number"),
                       models.UniqueConstraint(fields=["audit", "child"],
                                               name="unique_audit_case_child")]

    def __str__(self) -> str:
        return self.reference


class AgencyReturn(models.Model):
    """One agency's single-agency audit of one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    auditor = models.CharField(max_length=200, blank=True)
    good_practice = models.TextField(blank=True)
    development = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["case", "agency"],
                                               name="unique_audit_return_agency")]

    def __str__(self) -> str:
        return f"{self.case} - {self.agency}"

    @property
    def on_time(self) -> bool | None:
        if self.submitted_on is None or self.due_on is None:
            return None
        return self.submitted_on <= self.due_on


class Answer(models.Model):
    agency_return = models.ForeignKey(AgencyReturn, on_delete=models.CASCADE,
                                      related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_return", "question"],
                                               name="unique_audit_answer")]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class SectionGrade(models.Model):
    """An agency's grade for a section of its return."""

    agency_return = models.ForeignKey(AgencyReturn, on_delete=models.CASCADE,
                                      related_name="grades")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_return", "section"],
                                               name="unique_audit_return_grade")]

    def __str__(self) -> str:
        return self.grade


class AgreedGrade(models.Model):
    """The grade the moderation agreed for a section (domain) of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agreed")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(max_length=40)
    note = models.TextField(blank=True)
    agreed_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "section"],
                                               name="unique_audit_agreed_grade")]

    def __str__(self) -> str:
        return self.grade


class Finding(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20)
    text = models.TextField()

    class Meta:
        ordering = ["audit", "kind", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class AuditAction(models.Model):
    """An action of the audit's action plan: the action itself is in governance's log."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="action_links")
    finding = models.ForeignKey(Finding, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="action_links")
    action = models.OneToOneField("governance.Action", on_delete=models.PROTECT,
                                  related_name="audit_link")

    class Meta:
        ordering = ["audit", "pk"]

    def __str__(self) -> str:
        return f"{self.audit} action {self.action_id}"
