"""The partnership's multi-agency training programme: courses, sessions, the organisations
that book (with their fee band and billing contact), bookings through their lifecycle,
reminders sent, charges with waivers, invoices and evaluations."""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import Agency, LoadedFile, Partnership, User


class FeeBand(models.TextChoices):
    PARTNER = "partner", "Statutory partner"
    CONTRIBUTING = "contributing", "Contributing organisation"
    VOLUNTARY = "voluntary", "Voluntary or community sector"
    PRIVATE = "private", "Private or profit-making"
    OUT_OF_AREA = "out_of_area", "Out of area"


class Organisation(models.Model):
    """An organisation's training account with a partnership: its fee band and who pays.

    Linked to the core agency its people sit in; core.Agency carries no billing detail
    (it is shared by every partnership), so the band and the contact live here, per
    partnership.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="training_organisations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    fee_band = models.CharField(max_length=20, choices=FeeBand.choices)
    billing_contact = models.CharField(max_length=200, blank=True)
    billing_email = models.EmailField(blank=True)
    purchase_order = models.CharField("purchase order reference", max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "agency"],
                                               name="training_organisation_once")]

    def __str__(self) -> str:
        return self.agency.name


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual (online, live)"
    E_LEARNING = "e_learning", "E-learning"
    CONFERENCE = "conference", "Conference"


class Length(models.TextChoices):
    FULL_DAY = "full_day", "Full day"
    HALF_DAY = "half_day", "Half day"


class Course(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="training_courses")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    level = models.CharField(max_length=20, help_text="Competency level (policies.yaml levels)")
    audience = models.CharField(max_length=300)
    outcomes = models.TextField("learning outcomes")
    format = models.CharField(max_length=20, choices=Format.choices)
    length = models.CharField(max_length=20, choices=Length.choices, default=Length.FULL_DAY)
    refresh_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months after which a learner should refresh")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["partnership", "code"],
                                               name="training_course_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Session(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open for booking"
        CANCELLED = "cancelled", "Cancelled"
        DELIVERED = "delivered", "Delivered"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True)
    joining_link = models.URLField(blank=True)
    trainers = models.CharField(max_length=300)
    capacity = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.course.title}, {self.starts_at:%d %B %Y}"


class Booking(models.Model):
    """One learner's place (or wait) on one session, from request to attendance."""

    class State(models.TextChoices):
        AWAITING_MANAGER = "awaiting_manager", "Waiting for the manager's approval"
        WAITLISTED = "waitlisted", "On the waiting list"
        OFFERED = "offered", "Place offered"
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"
        LATE_CANCELLED = "late_cancelled", "Cancelled after the cut-off"
        DECLINED = "declined", "Not approved or offer lapsed"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "Did not attend"

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    learner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="training_bookings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="bookings")
    role = models.CharField("job role", max_length=200, blank=True)
    manager_email = models.EmailField(blank=True)
    state = models.CharField(max_length=20, choices=State.choices)
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    cancel_reason = models.CharField(max_length=300, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "learner"],
                                               name="training_one_booking_per_session")]

    def __str__(self) -> str:
        return f"{self.learner} on {self.session}"


HOLDS_PLACE = (Booking.State.OFFERED, Booking.State.CONFIRMED, Booking.State.ATTENDED,
               Booking.State.NO_SHOW)
ACTIVE = (*HOLDS_PLACE, Booking.State.AWAITING_MANAGER, Booking.State.WAITLISTED)


class ReminderSent(models.Model):
    """A reminder e-mailed for a booking: each kind at most once."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["booking", "kind"],
                                               name="training_reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} for booking {self.booking_id}"


class Invoice(models.Model):
    """One invoice per organisation per period: the charges raised in it and not waived."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="training_invoices")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="invoices")
    period = models.CharField(max_length=10, help_text="A period label: 2020-Q3, 2020-09")
    number = models.CharField(max_length=40)
    total_pence = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["period", "organisation__agency__name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "period"],
                                               name="training_invoice_once_per_period")]

    def __str__(self) -> str:
        return self.number

    @property
    def pounds(self) -> str:
        return f"£{self.total_pence / 100:.2f}"


class Charge(models.Model):
    class Reason(models.TextChoices):
        LATE_CANCELLATION = "late_cancellation", "Late cancellation"
        NO_SHOW = "no_show", "Did not attend"

    class Status(models.TextChoices):
        RAISED = "raised", "Raised"
        WAIVED = "waived", "Waived"
        INVOICED = "invoiced", "Invoiced"

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="charge")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="training_charges")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="charges")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    amount_pence = models.PositiveIntegerField()
    rule = models.CharField(max_length=300, help_text="The policy and its source")
    raised_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RAISED)
    waived_on = models.DateField(null=True, blank=True)
    waived_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    waiver_reason = models.CharField(max_length=30, blank=True)
    waiver_note = models.TextField(blank=True)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="charges")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["raised_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.pounds}"

    @property
    def pounds(self) -> str:
        return f"£{self.amount_pence / 100:.2f}"


class Evaluation(models.Model):
    """A learner's self-rating before, after or at follow-up: confidence and knowledge, 1 to 5."""

    class Stage(models.TextChoices):
        BEFORE = "before", "Before the course"
        AFTER = "after", "After the course"
        FOLLOW_UP = "follow_up", "Follow-up (6 to 12 weeks after)"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="evaluations")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    confidence = models.PositiveSmallIntegerField()
    knowledge = models.PositiveSmallIntegerField()
    quality = models.PositiveSmallIntegerField(null=True, blank=True,
                                               help_text="The course's quality, after it only")
    practice_change = models.TextField(blank=True)
    answered_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booking", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "stage"], name="training_evaluation_once"),
            models.CheckConstraint(condition=models.Q(confidence__gte=1, confidence__lte=5,
                                                      knowledge__gte=1, knowledge__lte=5),
                                   name="training_evaluation_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} for booking {self.booking_id}"


class CompletionImport(LoadedFile):
    """One CSV file of e-learning completions loaded (data/elearning_template.yaml)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="training_completion_imports")
    added = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["partnership", "sha256"],
                                               name="training_completion_file_once")]

    def __str__(self) -> str:
        return self.file_name


class Completion(models.Model):
    """A learner's completion of an e-learning course (or any course done outside a
    session), imported from the e-learning platform's CSV: once per learner, course and day."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    learner = models.ForeignKey(User, on_delete=models.PROTECT,
                                related_name="training_completions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="completions")
    completed_on = models.DateField()
    source = models.ForeignKey(CompletionImport, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="completions")

    class Meta:
        ordering = ["completed_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["course", "learner", "completed_on"],
                                               name="training_completion_once")]

    def __str__(self) -> str:
        return f"{self.learner} completed {self.course} on {self.completed_on}"
