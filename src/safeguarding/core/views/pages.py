"""Page shapes the apps share."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render


def form_page(request, form, title: str, *, breadcrumbs: str, cancel_url: str,
              caption: str = "", intro: str = "", submit: str = "Save",
              template: str = "form_page.html") -> HttpResponse:
    """One form on a page (templates/form_page.html) under the app's ``breadcrumbs``."""
    return render(request, template, {
        "breadcrumbs": breadcrumbs, "form": form, "title": title, "cancel_url": cancel_url,
        "caption": caption, "intro": intro, "submit_label": submit})


def permission_view(permission: str):
    """A view decorator: signed in (to the sign-in page otherwise), and holding
    ``permission`` with no record (403 otherwise); the view checks records itself."""

    def decorator(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorator


def redirect_saved(request, message: str, to: str, *args, **kwargs) -> HttpResponseRedirect:
    """Say what was saved (a success banner on the next page) and go to ``to``."""
    messages.success(request, message)
    return redirect(to, *args, **kwargs)
