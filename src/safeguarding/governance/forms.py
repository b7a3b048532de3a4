"""GOV.UK forms for the governance pages; each form's data goes to one service."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Agency, Partnership
from safeguarding.governance import config
from safeguarding.governance.models import Attendance, Body, RiskRegister

DATE_HINT = "For example, 10 6 2020"


def _date(label: str, required: bool = True) -> GovukDateField:
    return GovukDateField(label=label, help_text=DATE_HINT, required=required)


def _score(label: str, scale: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int,
                                  choices=[(n, f"{n} - {text}") for n, text in config.scale(scale)])


class BodyForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership that hosts it",
                                         queryset=Partnership.objects.none())
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind of body", choices=Body.Kind.choices,
                             widget=forms.RadioSelect)
    joint_with = forms.ModelMultipleChoiceField(
        label="Joint with", required=False, queryset=Partnership.objects.all(),
        widget=forms.CheckboxSelectMultiple, help_text="Other partnerships whose body it is too")
    started_on = _date("Date it started", required=False)

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships


class TermsForm(GovukFormMixin, forms.Form):
    purpose = forms.CharField(label="Purpose", widget=forms.Textarea(attrs={"rows": 4}))
    chair = forms.CharField(label="Chair", max_length=200)
    chair_agency = forms.ModelChoiceField(label="Chair's agency", required=False,
                                          queryset=Agency.objects.order_by("name"))
    members = forms.ModelMultipleChoiceField(label="Member agencies",
                                             queryset=Agency.objects.order_by("name"),
                                             widget=forms.CheckboxSelectMultiple)
    roles = forms.CharField(
        label="Members' roles", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One line per member agency, in the form: agency name: role")
    quorum = forms.IntegerField(label="Quorum (member agencies that must attend)", min_value=1)
    frequency = forms.ChoiceField(label="How often it meets", choices=config.frequencies())
    papers_days = forms.IntegerField(label="Papers due, working days before a meeting",
                                     min_value=0, max_value=30)
    effective_from = _date("Date these terms take effect")
    review_on = _date("Review date")

    def member_roles(self) -> list[tuple[Agency, str]]:
        given = {}
        for line in self.cleaned_data.get("roles", "").splitlines():
            name, _, role = line.rpartition(":")
            if name.strip() and role.strip():
                given[name.strip().lower()] = role.strip()
        return [(a, given.get(a.name.lower(), "Member")) for a in self.cleaned_data["members"]]


class MeetingForm(GovukFormMixin, forms.Form):
    held_on = _date("Date of the meeting")


class AttendanceForm(GovukFormMixin, forms.Form):
    """One status and name per member agency of the terms the meeting is held under."""

    def __init__(self, *args, members, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for agency in members:
            now = current.get(agency.pk)
            self.fields[f"status_{agency.pk}"] = forms.ChoiceField(
                label=agency.name, choices=Attendance.Status.choices, widget=forms.RadioSelect,
                initial=now.status if now else None)
            self.fields[f"name_{agency.pk}"] = forms.CharField(
                label=f"Who attended or sent apologies for {agency.name}", required=False,
                max_length=200, initial=now.name if now else "")

    def entries(self):
        return [(a, self.cleaned_data[f"status_{a.pk}"], self.cleaned_data[f"name_{a.pk}"])
                for a in self.members]


class DecisionForm(GovukFormMixin, forms.Form):
    item = forms.ChoiceField(label="Agenda item", required=False)
    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(i.pk): i for i in meeting.agenda.all()}
        self.fields["item"].choices = [("", "No particular item")] + [
            (k, f"{i.order}. {i.title}") for k, i in self.items.items()]


class MinutesForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label="Minutes", widget=forms.Textarea(attrs={"rows": 12}))


class PaperForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Paper", max_length=300)
    agency = forms.ModelChoiceField(label="Agency presenting it", required=False,
                                    queryset=Agency.objects.order_by("name"))
    received_on = _date("Date the paper was received", required=False)


class ActionForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Action", max_length=300)
    owner = forms.CharField(label="Owner", max_length=200)
    agency = forms.ModelChoiceField(label="Owner's agency", queryset=Agency.objects.order_by("name"))
    raised_at = forms.ChoiceField(label="Meeting it was agreed at", required=False)
    raised_on = _date("Date raised")
    due_on = _date("Due date")

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in body.meetings.order_by("-held_on")}
        self.fields["raised_at"].choices = [("", "Not at a meeting")] + [
            (k, str(m)) for k, m in self.meetings.items()]


class ActionCloseForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                               choices=[("complete", "Complete"), ("dropped", "Dropped")])
    evidence = forms.CharField(label="Evidence, or why it was dropped",
                               widget=forms.Textarea(attrs={"rows": 4}))
    on = _date("Date closed")


class CarryForm(GovukFormMixin, forms.Form):
    due_on = _date("New due date")


class RegisterForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind of register", choices=RiskRegister.Kind.choices,
                             widget=forms.RadioSelect,
                             help_text="A temporary register (such as Covid-19) is closed when "
                                       "its risks have passed")
    opened_on = _date("Date opened")


class RegisterCloseForm(GovukFormMixin, forms.Form):
    on = _date("Date closed")
    reason = forms.CharField(label="Why it is closed", widget=forms.Textarea(attrs={"rows": 3}))


class _Scores(GovukFormMixin, forms.Form):
    likelihood = _score("Likelihood before controls", "likelihood")
    impact = _score("Impact before controls", "impact")
    residual_likelihood = _score("Likelihood after controls", "likelihood")
    residual_impact = _score("Impact after controls", "impact")
    controls = forms.CharField(label="Controls", required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    on = _date("Date scored")
    review_on = _date("Next review date")


class RiskForm(_Scores):
    title = forms.CharField(label="Risk", max_length=300)
    cause = forms.CharField(label="Cause", widget=forms.Textarea(attrs={"rows": 3}))
    consequence = forms.CharField(label="Consequence", widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label="Owner", max_length=200)
    owner_agency = forms.ModelChoiceField(label="Owner's agency", required=False,
                                          queryset=Agency.objects.order_by("name"))
    field_order = ["title", "cause", "consequence", "owner", "owner_agency", "controls"]


class RiskReviewForm(_Scores):
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))


# Priorities and commitments -----------------------------------------------------------------

class PriorityForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none())
    year = forms.CharField(label="Year of the business plan", max_length=7,
                           help_text="For example, 2020-21")
    title = forms.CharField(label="Priority", max_length=200)
    summary = forms.CharField(label="Why it is a priority (optional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    objectives = forms.CharField(label="Objectives (optional)", required=False,
                                 widget=forms.Textarea(attrs={"rows": 5}),
                                 help_text="One objective per line")

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships


class ObjectiveForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label="Objective", widget=forms.Textarea(attrs={"rows": 3}))


class CommitmentAddForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none())
    year_made = forms.CharField(label="Year the commitment was made", max_length=7,
                                help_text="For example, 2020-21: it is reported on the year after")
    text = forms.CharField(label="Commitment", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships


class CommitmentUpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", widget=forms.RadioSelect)
    evidence = forms.CharField(label="Evidence", required=False,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="What shows it was kept (a report, an audit, a change "
                                         "in practice), or why it was missed")
    owner: forms.ModelChoiceField = forms.ModelChoiceField(label="Owner", required=False,
                                                          queryset=None)
    owner_agency = forms.ModelChoiceField(label="Owner's agency", required=False,
                                          queryset=Agency.objects.order_by("name"))
    due_on = GovukDateField(label="Due date", help_text=DATE_HINT, required=False)
    measure_key = forms.CharField(label="Measure (optional)", required=False, max_length=100,
                                  help_text="The catalogue key of the measure that shows "
                                            "progress, for example governance_commitments_met")
    action: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Action in the log (optional)", required=False, queryset=None)
    priority: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Priority (optional)", required=False, queryset=None)

    def __init__(self, *args, commitment, **kwargs):
        from safeguarding.core.models import User
        from safeguarding.governance.models import Action, Commitment, Priority
        from safeguarding.governance.selectors import partnership_bodies

        super().__init__(*args, **kwargs)
        partnership = commitment.partnership
        self.fields["status"].choices = Commitment.Status.choices
        self.fields["owner"].queryset = (User.objects.filter(
            memberships__partnership=partnership).distinct().order_by("last_name", "username"))
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["action"].queryset = Action.objects.filter(
            body__in=partnership_bodies(partnership)).order_by("reference")
        self.fields["priority"].queryset = Priority.objects.filter(
            partnership=partnership).order_by("-year", "position")
