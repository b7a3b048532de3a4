"""One load of the measures' data per page read."""

from __future__ import annotations

from safeguarding.measures import sources

_READS = frozenset({"GET", "HEAD"})


class OneDataReadPerPage:
    """A GET or HEAD request loads each set of LAs' frames once (``sources.one_read``).

    A page that shows figures for several sets of periods (the yearly report, a theme with its
    trend) would otherwise load every frame again for each set the cache does not hold. A
    reading request changes none of the records the frames come from, which the block needs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in _READS:
            return self.get_response(request)
        with sources.one_read():
            return self.get_response(request)
