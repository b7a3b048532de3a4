"""Surveys of children, families and practitioners, their responses and coded free text,
and the "you said, we did" records that link feedback to governance's one action log.

A survey declared anonymous keeps no respondent identity at all: no name, no account, and
its responses are not named in the audit trail (services.response_submit).
"""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import LoadedFile, Partnership, User


class Survey(models.Model):
    class Audience(models.TextChoices):
        CHILDREN = "children", "Children and young people"
        FAMILIES = "families", "Parents and carers"
        PRACTITIONERS = "practitioners", "Practitioners"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="voice_surveys")
    reference = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    anonymous = models.BooleanField(default=True)
    # Dashboard themes the survey speaks to (catalogue theme keys), for triangulation.
    themes = models.JSONField(default=list, blank=True)
    run_by = models.CharField(max_length=200, blank=True,
                              help_text="Who ran it, such as the Youth Commission")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True, help_text="When it is planned to close")
    closed_on = models.DateField(null=True, blank=True)
    # The response link's secret: respondents without accounts answer through it.
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["partnership", "-pk"]
        constraints = [models.UniqueConstraint(fields=["partnership", "reference"],
                                               name="voice_survey_reference_unique")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "One answer from a list"
        MULTIPLE = "multiple", "Any answers from a list"
        SCALE = "scale", "A point on a scale"
        FREE_TEXT = "free_text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40)
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # [[value, label], ...] for single and multiple choice; empty for scale and free text.
    options = models.JSONField(default=list, blank=True)
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    # A tracked result (data/results.yaml) this question feeds, such as "knife_crime_worry".
    tag = models.SlugField(max_length=40, blank=True)

    class Meta:
        ordering = ["survey", "order"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"],
                                               name="voice_question_key_unique")]

    def __str__(self) -> str:
        return self.text

    @property
    def closed(self) -> bool:
        return self.kind != self.Kind.FREE_TEXT

    def choices(self) -> list[tuple[str, str]]:
        if self.kind == self.Kind.SCALE:
            low, high = self.scale_min or 1, self.scale_max or 5
            return [(str(n), str(n)) for n in range(low, high + 1)]
        return [(str(v), str(label)) for v, label in self.options]


class Code(models.Model):
    """One theme of a survey's code frame, against which free text is coded."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["survey", "label"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"],
                                               name="voice_code_key_unique")]

    def __str__(self) -> str:
        return self.label


class ResponseImport(LoadedFile):
    """One CSV of responses loaded: all of it or none; the same file twice changes nothing."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "sha256"],
                                               name="voice_import_once")]

    def __str__(self) -> str:
        return self.file_name


class Response(models.Model):
    class Channel(models.TextChoices):
        LINK = "link", "Response link"
        IMPORT = "import", "Imported"
        ENTERED = "entered", "Entered by the business unit"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    received_on = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Who answered: only ever filled in for a survey that is not anonymous.
    respondent = models.CharField(max_length=200, blank=True)
    source_import = models.ForeignKey(ResponseImport, on_delete=models.CASCADE, null=True,
                                      blank=True, related_name="responses")

    class Meta:
        ordering = ["survey", "pk"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey.reference}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Option values chosen (one for single choice and scale, any for multiple choice).
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    codes = models.ManyToManyField(Code, blank=True, related_name="answers")
    coded = models.BooleanField(default=False)

    class Meta:
        ordering = ["response", "question"]

    def __str__(self) -> str:
        return f"Answer to {self.question.key}"


class YouSaidWeDid(models.Model):
    """Feedback (a theme of the code frame, or a closed question's result) linked to what
    was done: actions in governance's action log, and the outcome."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="voice_you_said")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="you_said")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="you_said")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="you_said")
    option = models.CharField(max_length=40, blank=True)
    you_said = models.TextField()
    we_did = models.TextField()
    outcome = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    recorded_on = models.DateField()
    # Governance's one action log (by its app label: no second action table here).
    actions = models.ManyToManyField("governance.Action", blank=True, related_name="+")

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name = "you said, we did record"

    def __str__(self) -> str:
        return f"You said, we did: {self.you_said[:60]}"
