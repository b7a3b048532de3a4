from django import forms
from django.core.exceptions import ValidationError

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import (
    Agency,
    AgencyKind,
    AuditEvent,
    Membership,
    Partnership,
    SharedFunction,
    SubGroup,
)
from safeguarding.core.roles import Role
from safeguarding.core.services import parse_la_pair


class SignInForm(GovukFormMixin, forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    password = forms.CharField(label="Password", widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Security code", max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your 8-digit backup codes.",
    )
    govuk_widths = {"code": 10}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )


class PartnershipForm(GovukFormMixin, forms.Form):
    code = forms.SlugField(label="Code", max_length=40, help_text="A short code, such as STAFFS.")
    name = forms.CharField(label="Name", max_length=200)
    local_authorities = forms.CharField(
        label="Local authority areas",
        help_text="One per line: old code/new code, then an optional name, "
        "for example 860/E10000028 Staffordshire",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_local_authorities(self):
        areas = []
        for number, line in enumerate(self.cleaned_data["local_authorities"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            pair, _, name = line.partition(" ")
            try:
                old, new = parse_la_pair(pair)
            except ValidationError as error:
                raise ValidationError(f"Line {number}: {error.messages[0]}") from None
            areas.append((old, new, name.strip()))
        if not areas:
            raise ValidationError("Enter at least one local authority area")
        return areas


class PartnershipEditForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200)


class AgencyForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind of agency", choices=AgencyKind.choices)
    partnerships = forms.ModelMultipleChoiceField(
        label="Partnerships", queryset=Partnership.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )


class SubGroupForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Sub-group name", max_length=200)


class PersonForm(GovukFormMixin, forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email address")


class MembershipForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.all())
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.all())
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    sub_group = forms.ModelChoiceField(
        label="Sub-group", queryset=SubGroup.objects.select_related("partnership"),
        required=False, help_text="Only for sub-group members.",
    )


class NonWorkingDayForm(GovukFormMixin, forms.Form):
    date = GovukDateField(label="Date", help_text="For example, 27 12 2027")
    name = forms.CharField(label="Reason", max_length=200, help_text="For example, Royal funeral")


class AuditSearchForm(GovukFormMixin, forms.Form):
    actor = forms.CharField(label="Username", required=False)
    object_type = forms.CharField(label="Record type", required=False,
                                  help_text="For example, children.child")
    object_id = forms.CharField(label="Record id", required=False)
    action = forms.ChoiceField(label="Action", required=False,
                               choices=[("", "Any action"), *AuditEvent.Action.choices])
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        group = f" ({obj.sub_group})" if obj.sub_group_id else ""
        return (f"{obj.user.username}: {obj.get_role_display()}{group}, {obj.agency}, "
                f"{obj.partnership.code}")


class ApiTokenForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200,
                           help_text="What the system is, for example Police case system")
    membership = SeatChoiceField(
        label="Seat the token acts as",
        error_messages={"required": "Select the seat the token acts as"},
        queryset=Membership.objects.select_related("user", "agency", "partnership", "sub_group")
        .filter(user__is_active=True).order_by("user__username", "partnership__code",
                                                "agency__name", "role"),
        help_text="A service user's one role at one agency for one partnership. The token "
                  "can do only what that seat allows; issue one token per seat.")


class LocalAuthorityForm(GovukFormMixin, forms.Form):
    govuk_widths = {"old_code": 4, "new_code": 10}

    old_code = forms.CharField(label="Old LA code", max_length=3, help_text="3 digits, for example 860")
    new_code = forms.CharField(label="New LA code", max_length=9,
                               help_text="9 characters, for example E10000028")
    name = forms.CharField(label="Name", max_length=200, required=False)


class ShareForm(GovukFormMixin, forms.Form):
    shared_with = forms.ModelChoiceField(label="Share with", queryset=Partnership.objects.none())
    function = forms.ChoiceField(label="Joint function", choices=SharedFunction.choices,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = Partnership.objects.exclude(pk=getattr(owner, "pk", None))
