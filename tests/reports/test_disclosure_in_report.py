"""The yearly report is a public document: practice-review counts of 1 to 4 are hidden by the
one disclosure rule (core/disclosure.py), as they are for analysts and the board."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.children.models import Child
from safeguarding.reports import builder
from safeguarding.reports.figures import RECORDED, SUPPRESSED
from safeguarding.reviews import services

from .helpers import parse, report_root


def _incidents(partnership, how_many: int) -> None:
    children = list(Child.objects.filter(partnership=partnership).order_by("pk")[:how_many])
    for n, child in enumerate(children):
        aware = dt.date(2020, 6, 1) + dt.timedelta(days=14 * n)
        services.incident_create(
            actor=None, partnership=partnership, aware_on=aware, harm="serious_harm",
            abuse_or_neglect="suspected", looked_after=False, summary="Unexplained injuries.",
            children=[child], notification_sent_on=aware + dt.timedelta(days=2))


@pytest.mark.parametrize("how_many, status", [(2, SUPPRESSED), (6, RECORDED)])
def test_rapid_reviews_of_fewer_than_five_are_not_published(staffs, how_many, status):
    _incidents(staffs, how_many)
    report = builder.build(staffs, "2020-21")
    figure = report.figures.by_key["reviews.rapid_reviews"]
    assert figure.status == status
    article = report_root(parse(builder.render_body(report)))
    shown = " ".join(el.text_content() for el in
                     article.xpath('//*[@data-figure="reviews.rapid_reviews"]'))
    if status == SUPPRESSED:
        assert figure.value is None and "fewer than 5" in shown and str(how_many) not in shown
    else:
        assert figure.value == how_many and str(how_many) in shown
