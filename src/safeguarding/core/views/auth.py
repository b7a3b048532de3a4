"""Sign-in with a password, then a second factor; enrolment and backup codes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from safeguarding.core import two_factor
from safeguarding.core.audit import audit_append
from safeguarding.core.forms import CodeForm, SignInForm
from safeguarding.core.forms_govuk import GovukFormMixin
from safeguarding.core.models import AuditEvent


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return "/"


def sign_in(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect("core:home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"],
                            password=form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            request.session["after_sign_in"] = _next_url(request)
            return redirect("core:two-factor")
        if getattr(request, "axes_locked_out", False):
            return render(request, "core/locked_out.html", status=429)
        form.add_error(None, "Enter a correct username and password")
    return render(request, "core/sign_in.html", {"form": form, "next": _next_url(request)})


def _second_factor_done(request, device) -> None:
    """Mark the session verified under a new id, so an id seen before now is worthless."""
    otp_login(request, device)
    request.session.cycle_key()


def _finish(request, device):
    _second_factor_done(request, device)
    audit_append(actor=request.user, action=AuditEvent.Action.SIGN_IN, object_type="core.user",
                 object_id=str(request.user.pk), purpose="sign in with two factors")
    return redirect(request.session.pop("after_sign_in", "/"))


@login_required
def two_factor_check(request):
    if request.user.is_verified():
        return redirect("core:home")
    if two_factor.confirmed_totp(request.user) is None:
        return redirect("core:two-factor-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            return _finish(request, device)
        form.add_error("code", "The security code is not right, or has already been used")
    return render(request, "core/two_factor.html", {"form": form})


@login_required
def two_factor_setup(request):
    if two_factor.confirmed_totp(request.user) is not None:
        return redirect("core:two-factor")
    device = two_factor.pending_totp(request.user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6-digit code your authenticator app shows."
    if request.method == "POST" and form.is_valid():
        if two_factor.totp_confirm(device=device, token=form.cleaned_data["code"]):
            request.session["new_backup_codes"] = two_factor.backup_codes_issue(user=request.user)
            _second_factor_done(request, device)
            audit_append(actor=request.user, action=AuditEvent.Action.SIGN_IN,
                         object_type="core.user", object_id=str(request.user.pk),
                         purpose="set up two-factor sign-in")
            return redirect("core:backup-codes")
        form.add_error("code", "The security code is not right. Check the time on your phone")
    return render(request, "core/two_factor_setup.html", {
        "form": form, "qr_svg": two_factor.qr_code_svg(device),
        "key": two_factor.base32_key(device),
    })


@login_required
def backup_codes(request):
    if request.method == "POST":
        request.session["new_backup_codes"] = two_factor.backup_codes_issue(user=request.user)
        return redirect("core:backup-codes")
    codes = request.session.pop("new_backup_codes", None)
    return render(request, "core/backup_codes.html", {
        "codes": codes, "left": two_factor.backup_codes_left(request.user),
    })


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You have signed out")
    return redirect("core:sign-in")


class PasswordSetForm(GovukFormMixin, SetPasswordForm):
    pass


class PasswordSetView(PasswordResetConfirmView):
    """Set a password from the one-time link an administrator sent."""

    form_class = PasswordSetForm
    template_name = "core/password_set.html"
    post_reset_login = False

    def get_success_url(self):
        messages.success(self.request, "Your password is set. Sign in to continue")
        return reverse("core:sign-in")


def locked_out(request, credentials=None, *args, **kwargs):
    return render(request, "core/locked_out.html", status=429)
