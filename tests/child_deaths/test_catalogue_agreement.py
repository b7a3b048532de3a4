"""The yearly report's child-death figures equal the indicator catalogue's for the demo data,
and the category trend (the seed's suicide trend) is the catalogue's category family."""

from __future__ import annotations

import pytest

from safeguarding.child_deaths import demo, statistics
from safeguarding.core.models import Partnership
from safeguarding.measures.catalogue import indicator
from safeguarding.measures.periods import financial_year
from safeguarding.measures.selectors import compute
from safeguarding.reports import builder

pytestmark = pytest.mark.django_db
YEARS = [financial_year(y) for y in (2018, 2019, 2020, 2021)]


@pytest.fixture
def demo_deaths(demo_world):
    demo.build(seed=2021, partnerships={p.code: p for p in Partnership.objects.all()})


def _catalogue(partnership, period, measure):
    (result,) = compute(partnership=partnership, period=period, indicators=[indicator(measure)])
    return result


@pytest.mark.parametrize("code", ["STAFFS", "STOKE"])
def test_every_year_the_module_figures_equal_the_catalogue(demo_deaths, code):
    partnership = Partnership.objects.get(code=code)
    for year in YEARS:
        found = statistics.compute(partnership_ids={partnership.pk}, scope_label=partnership.name,
                                   year=year, trend_category=2, trend_years=len(YEARS))
        for figure in found["headline"]:
            result = _catalogue(partnership, year, statistics.CATALOGUE_IDS[figure.id])
            assert result.value == figure.value, (code, year.label, figure.id)
            if figure.unit == "percent":
                assert (result.numerator, result.denominator) == \
                    (figure.numerator, figure.denominator)
    # The last year's trend covers the four demo years, oldest first.
    for point, trend_year in zip(found["trend"]["years"], YEARS, strict=True):
        assert point.title == trend_year.label
        result = _catalogue(partnership, trend_year, "child_deaths_reviewed_category_suicide")
        assert result.value == point.value, (code, trend_year.label)
    # Before the demo's first year both say "not recorded"; after its last, both say 0.
    for label, expected in (("2017-18", None), ("2023-24", 0)):
        year = financial_year(int(label[:4]))
        found = statistics.compute(partnership_ids={partnership.pk},
                                   scope_label=partnership.name, year=year)
        notified = next(f for f in found["headline"] if f.id == "notified")
        assert notified.value == expected == _catalogue(partnership, year,
                                                        "child_deaths_notified").value


def test_the_report_quotes_the_catalogue(demo_deaths):
    staffs = Partnership.objects.get(code="STAFFS")
    report = builder.build(staffs, "2020-21")
    for key, measure in statistics.CATALOGUE_IDS.items():
        shown = report.figures.by_key[f"child_deaths.{key}"]
        result = _catalogue(staffs, YEARS[2], measure)
        if shown.status == "suppressed":  # the report is public: fewer than 5 is hidden
            continue
        assert shown.value == result.value, key
        if result.unit == "percent":
            assert (shown.numerator, shown.denominator) == (result.numerator, result.denominator)
