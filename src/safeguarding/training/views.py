"""The training pages (placeholder, filled below)."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def home(request):
    return HttpResponse("")


@login_required
def my_bookings(request):
    return HttpResponse("")


def approve(request, token):
    return HttpResponse("")
