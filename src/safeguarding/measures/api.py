"""API: the same indicator document the CLI prints."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from safeguarding.core.models import Partnership
from safeguarding.measures.periods import PeriodError, parse
from safeguarding.measures.selectors import UnknownLocalAuthority, indicators_document

router = Router(tags=["indicators"])


@router.get("/indicators")
def indicators(request, partnership: str, period: str, la: str | None = None,
               benchmarks: bool = False):
    found = get_object_or_404(Partnership, code=partnership.upper())
    if not request.user.has_perm("measures.view_partnership_dashboard", found):
        raise PermissionDenied
    try:
        return indicators_document(partnership=found, period=parse(period), la=la,
                                   with_benchmarks=benchmarks, viewer=request.user)
    except (PeriodError, UnknownLocalAuthority) as error:
        raise HttpError(422, str(error)) from None
