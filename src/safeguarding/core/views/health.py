"""A page that does no work of its own, behind the same middleware as every other page.

Load benchmarks compare pages with it (bench/dashboard_load.py); an operator can
check a signed-in session end to end with it.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
