"""Partnerships, agencies, people and roles, the working-day calendar and the audit chain."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from safeguarding.core.roles import Role


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp devices
    """A person who signs in. What they may do comes from their memberships."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Partnership(models.Model):
    """A Safeguarding Children Partnership covering one or more local authority areas."""

    code = models.SlugField(max_length=40, unique=True, help_text="A short code, such as STAFFS.")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LocalAuthority(models.Model):
    """A local authority area, by its old three-digit DfE code and its new ONS code."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="local_authorities"
    )
    old_code = models.CharField(
        "old LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter the old LA code as 3 digits, like 860")],
    )
    new_code = models.CharField(
        "new LA code",
        max_length=9,
        unique=True,
        validators=[
            RegexValidator(r"^E(06|08|09|10)\d{6}$", "Enter the new LA code like E10000028")
        ],
    )
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["old_code"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        label = f"{self.old_code} / {self.new_code}"
        return f"{self.name} ({label})" if self.name else label


class AgencyKind(models.TextChoices):
    LA_CHILDRENS_SERVICES = "la_childrens_services", "Local authority children's services"
    POLICE = "police", "Police"
    HEALTH = "health", "Health or integrated care board"
    EDUCATION = "education", "School or education"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    SECURE_SETTING = "secure_setting", "Secure setting"
    PROBATION = "probation", "Probation"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Agency(models.Model):
    """An organisation that takes part in one or more partnerships."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    partnerships = models.ManyToManyField(Partnership, related_name="agencies")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class SubGroup(models.Model):
    """A sub-group of a partnership board, such as Scrutiny and Assurance."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="sub_groups")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="unique_sub_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class SharedFunction(models.TextChoices):
    CHILD_DEATH_REVIEW = "child_death_review", "Child death review panel"
    PRACTICE_REVIEWS = "practice_reviews", "Practice reviews coordination"
    TRAINING = "training", "Training"


class PartnershipShare(models.Model):
    """Records owned by one partnership that another may use for a joint function."""

    owner = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="shares_given")
    shared_with = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="shares_received"
    )
    function = models.CharField(max_length=40, choices=SharedFunction.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "shared_with", "function"], name="unique_partnership_share"
            ),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("shared_with")), name="share_with_another"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} shares {self.get_function_display()} with {self.shared_with}"


class Membership(models.Model):
    """A person's role at an agency, acting for one partnership."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=40, choices=Role.choices)
    sub_group = models.ForeignKey(
        SubGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )

    class Meta:
        ordering = ["partnership__name", "agency__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "partnership", "role", "sub_group"],
                name="unique_membership",
            )
        ]

    def __str__(self) -> str:
        role = self.get_role_display()
        if self.sub_group_id:
            role = f"{role} ({self.sub_group})"
        return f"{role}, {self.agency}"

    def clean(self) -> None:
        if self.role == Role.SUB_GROUP_MEMBER and not self.sub_group_id:
            raise ValidationError({"sub_group": "Choose the sub-group this person is a member of"})
        if self.role != Role.SUB_GROUP_MEMBER and self.sub_group_id:
            raise ValidationError({"sub_group": "Only sub-group members belong to a sub-group"})
        if self.sub_group is not None and self.partnership_id and (
            self.sub_group.partnership_id != self.partnership_id
        ):
            raise ValidationError({"sub_group": "The sub-group must belong to the partnership"})
        if self.agency_id and self.partnership_id and not self.agency.partnerships.filter(
            pk=self.partnership_id
        ).exists():
            raise ValidationError({"agency": "The agency is not part of this partnership"})


class LoadedFile(models.Model):
    """What every app's record of a loaded file holds: its name, its SHA-256 (a file is
    loaded once: each app's model makes the digest unique within what the file is for), when
    and by whom. An app adds its own owner (partnership, establishment, survey) and counts."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d})"


class NonWorkingDay(models.Model):
    """A date that is not a working day beyond the England and Wales bank holidays."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=200)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.name}"


class AuditEvent(models.Model):
    """One append-only row of the audit log, hash-chained to the row before it.

    Rows are written only through ``safeguarding.core.audit``. Each row's hash
    covers its own fields and the previous row's hash, so an edit or deletion
    anywhere breaks the chain from that row on.
    """

    class Action(models.TextChoices):
        READ = "read", "Read"
        DENIED = "denied", "Denied"
        CREATE = "create", "Create"
        UPDATE = "update", "Update"
        EXPORT = "export", "Export"
        SIGN_IN = "sign_in", "Sign in"

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=200)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.TextField(blank=True)
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Audit rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit rows are append-only")


class AuditChainHead(models.Model):
    """The single row locked while appending, so concurrent writers chain in order."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain at row {self.last_sequence}"


class ApiToken(models.Model):
    """A token for a system to call the API as one seat of a named service user.

    The token acts as exactly one membership (agency, partnership, role): a person
    with several seats gets one token per seat. If the seat is removed the token
    stops working.
    """

    name = models.CharField(max_length=200)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    membership = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="api_tokens",
                                   help_text="The seat the token acts as")
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ScheduledRun(models.Model):
    """One scheduled job's run for one day: at most one, whichever worker claims it first."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=60)
    run_for = models.DateField(help_text="The day the job runs for")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    caught_up = models.BooleanField(default=False,
                                    help_text="Run on a later day, after a day was missed")
    claimed_by = models.CharField(max_length=100, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    enqueued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-run_for", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "run_for"],
                                               name="one_scheduled_run_per_job_and_day")]

    def __str__(self) -> str:
        return f"{self.job} for {self.run_for}: {self.status}"


def backup_code_digest(salt: str, code: str, secret: str | None = None) -> str:
    """HMAC-SHA256 of a backup code with its own salt, keyed by the site's secret.

    The salt stops one guess testing every stored code at once; the key means a copy of
    the database alone is not enough to try the hundred million possible codes.
    """
    from django.conf import settings
    from django.utils.crypto import salted_hmac

    return salted_hmac("safeguarding.core.backup-code", f"{salt}:{code}",
                       secret=secret or settings.SECRET_KEY, algorithm="sha256").hexdigest()


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A person's single-use backup codes, kept only as salted, keyed hashes."""

    def get_throttle_factor(self) -> int:
        return 1

    def _match(self, token: str) -> "BackupCode | None":
        from django.conf import settings
        from django.utils.crypto import constant_time_compare

        secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        found = None
        for code in self.codes.all():
            for secret in secrets_:
                if constant_time_compare(backup_code_digest(code.salt, token, secret),
                                         code.code_hash):
                    found = found or code
        return found

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = self._match(str(token))
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class BackupCode(models.Model):
    """One unused backup code: its salt and hash, never the code itself."""

    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"backup code {self.pk}"
