"""GOV.UK forms for the training pages. Choices come from the configuration
(data/policies.yaml) and the models; every rule is the services'."""

from __future__ import annotations

import datetime as dt

from django import forms

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin, aware_at, time_field
from safeguarding.training import config
from safeguarding.training.models import Evaluation, FeeBand, Format, Length

RATING = [(str(n), label) for n, label in (
    (1, "1: very low"), (2, "2: low"), (3, "3: moderate"), (4, "4: good"), (5, "5: very good"))]
DATE_HINT = "For example, 15 9 2020"


class BookForm(GovukFormMixin, forms.Form):
    role = forms.CharField(label="Your job role", max_length=200, required=False)
    manager_email = forms.EmailField(
        label="Your line manager's e-mail address", required=False,
        help_text="Your manager approves the booking where the partnership asks for it, and "
                  "agrees to its charging policy")
    agree = forms.BooleanField(label="I agree to the partnership's cancellation and charging "
                                     "policy")


class CancelForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why are you cancelling?", max_length=300, required=False)


class EvaluationForm(GovukFormMixin, forms.Form):
    stage = forms.ChoiceField(label="Which evaluation", choices=Evaluation.Stage.choices,
                              widget=forms.RadioSelect)
    confidence = forms.TypedChoiceField(label="How confident are you in this area of practice?",
                                        choices=RATING, coerce=int, widget=forms.RadioSelect)
    knowledge = forms.TypedChoiceField(label="How would you rate your knowledge of it?",
                                       choices=RATING, coerce=int, widget=forms.RadioSelect)
    quality = forms.TypedChoiceField(label="How good was the course? (after it only)",
                                     choices=[("", "Not rated"), *RATING], coerce=int,
                                     empty_value=None, required=False)
    practice_change = forms.CharField(label="What have you done differently since? "
                                            "(follow-up)", required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))


class CourseForm(GovukFormMixin, forms.Form):
    code = forms.CharField(label="Course code", max_length=20)
    title = forms.CharField(label="Title", max_length=200)
    level = forms.ChoiceField(label="Competency level", choices=config.choices("levels"))
    audience = forms.CharField(label="Who it is for", max_length=300)
    outcomes = forms.CharField(label="Learning outcomes", widget=forms.Textarea(attrs={"rows": 3}))
    format = forms.ChoiceField(label="Format", choices=Format.choices)
    length = forms.ChoiceField(label="Length", choices=Length.choices)
    refresh_months = forms.IntegerField(label="Refresh after (months)", required=False,
                                        min_value=1, max_value=120)


class SessionForm(GovukFormMixin, forms.Form):
    day = GovukDateField(label="Date", help_text=DATE_HINT)
    starts = time_field("Start time")
    ends = time_field("End time")
    venue = forms.CharField(label="Venue (in person)", max_length=300, required=False)
    joining_link = forms.URLField(label="Joining link (online)", required=False,
                                  assume_scheme="https")
    trainers = forms.CharField(label="Trainers", max_length=300)
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=5000)

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        starts, ends = aware_at(data["day"], data["starts"]), aware_at(data["day"], data["ends"])
        if starts is None or ends is None:  # all three fields are required
            raise ValueError("times() is for a valid form")
        return starts, ends


class WaiveForm(GovukFormMixin, forms.Form):
    reason = forms.ChoiceField(label="Why is the charge waived?",
                               choices=config.choices("waiver_reasons"),
                               widget=forms.RadioSelect)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Required for another reason")


class InvoiceForm(GovukFormMixin, forms.Form):
    period = forms.CharField(label="Period", max_length=10,
                             help_text="A month (2020-09), a quarter (2020-Q3) or a financial "
                                       "year (2020-21)")


class OrganisationForm(GovukFormMixin, forms.Form):
    fee_band = forms.ChoiceField(label="Fee band", choices=FeeBand.choices)
    billing_contact = forms.CharField(label="Billing contact", max_length=200, required=False)
    billing_email = forms.EmailField(label="Billing e-mail address", required=False)
    purchase_order = forms.CharField(label="Purchase order reference", max_length=60,
                                     required=False)


class CompletionImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="CSV file of e-learning completions",
                           help_text="One row per completion, with the template's columns")
