"""The demo partnership's missing children work, April 2019 to March 2022: three small,
deterministic years, so 2020-21 (the seed report's year) compares with 2019-20 from data.

About 60 episodes a year of 20 Staffordshire children, written quarter by quarter as the police
CSV (data/episode_template.yaml) and loaded through the importer, as the police's own
extracts would arrive. Four children go missing again and again (three or more episodes
within 90 days: the repeat-missing flag). Most children back from a missing episode are
offered a return home interview within 72 hours; some offers are late, some declined;
the last returns of March 2022 have no offer (overdue on the due page) and one child is
still missing at the end of the last year.

Everything is written through the services with ``actor=None`` (the command line). The
same seed and the same children give the same records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Mapping

from django.utils import timezone

from safeguarding.children import demo as children_demo
from safeguarding.core.models import Agency, Partnership
from safeguarding.missing import importer, services
from safeguarding.missing.models import Episode

YEAR_START = dt.date(2020, 4, 1)  # the seed report's year
YEARS = (2019, 2020, 2021)  # financial years held: 2019-20 to 2021-22
CHILDREN = 20
REPEATERS = 4
LAST_OFFER = dt.date(2022, 3, 25)  # later returns have no interview offer yet: overdue
WHERE = ["HOME", "CARER", "PUBLIC", "ADDRESS_OF_CONCERN", "OUT_OF_AREA", "POLICE"]
OUTCOMES = ["NFA", "SAFETY_PLAN", "REFERRAL_CSC", "REFERRAL_MACE", "INFO_POLICE"]


def _cohort(partnership: Partnership, rng: random.Random) -> list:
    found = [c for c in children_demo.index_children(partnership)
             if c.la_child_id and c.local_authority_id and c.date_of_birth
             and dt.date(2003, 4, 1) <= c.date_of_birth <= dt.date(2009, 3, 31)]
    found.sort(key=lambda c: c.pk)
    rng.shuffle(found)
    return children_demo.children_chosen(found[:CHILDREN])


def _starts(rng: random.Random, repeater: bool,
            year_start: dt.date = YEAR_START) -> list[dt.datetime]:
    """Episode starts in the year: a repeater has a run of 3 or 4 within 90 days."""
    days: list[int] = []
    if repeater:
        first = rng.randint(10, 250)
        days += [first + offset for offset in sorted(rng.sample(range(0, 80), rng.randint(3, 4)))]
    else:
        days += sorted(rng.sample(range(0, 360), rng.randint(1, 2)))
        if len(days) == 2 and days[1] - days[0] < 95:
            days = days[:1]
    return [timezone.make_aware(dt.datetime.combine(year_start + dt.timedelta(days=d),
                                                    dt.time(rng.randint(14, 23),
                                                            rng.choice([0, 15, 30, 45]))))
            for d in sorted(set(days))]


def episodes_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c["name"] for c in importer.columns()],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def build(seed: int, partnerships: Mapping[str, Partnership]) -> int:
    partnership = partnerships.get("STAFFS")
    if partnership is None:
        return 0
    rng = random.Random(f"missing:{seed}")
    cohort = _cohort(partnership, rng)
    if not cohort:
        return 0
    rows: list[tuple[dt.datetime, dict[str, str]]] = []
    # The seed's year from the seed's stream (as when the demo held it alone), then the
    # years either side from streams of their own; the same children go missing in each.
    streams = {year: rng if year == YEAR_START.year else random.Random(f"missing:{seed}:{year}")
               for year in YEARS}
    for year in sorted(YEARS, key=lambda y: y != YEAR_START.year):
        draw = streams[year]
        for n, child in enumerate(cohort):
            for start in _starts(draw, repeater=n < REPEATERS, year_start=dt.date(year, 4, 1)):
                category = "M" if draw.random() < 0.75 else "A"
                hours = (draw.choice([3, 6, 14, 20, 30, 48]) if category == "M"
                         else draw.randint(2, 8))
                back = start + dt.timedelta(hours=hours)
                rows.append((start, {
                    "force_reference": f"SP-{start:%y%m%d}-{n:02d}{len(rows):03d}",
                    "category": category, "child_la": child.local_authority.old_code,
                    "child_id": child.la_child_id, "missing_from": f"{start:%Y-%m-%d %H:%M}",
                    "returned_at": f"{timezone.localtime(back):%Y-%m-%d %H:%M}",
                    "where_found": draw.choice(WHERE)}))
    # The end of the last year, the same whatever the draw: a return on Sunday 27 March 2022
    # with no interview offer yet (overdue), and a child still missing on 31 March.
    for n, (began, returned) in ((0, ("2022-03-26 19:00", "2022-03-27 02:00")),
                             (len(cohort) - 1, ("2022-03-30 21:00", ""))):
        child = cohort[n]
        when = timezone.make_aware(dt.datetime.strptime(began, "%Y-%m-%d %H:%M"))
        rows.append((when, {
            "force_reference": f"SP-{when:%y%m%d}-{n:02d}{len(rows):03d}", "category": "M",
            "child_la": child.local_authority.old_code, "child_id": child.la_child_id,
            "missing_from": began, "returned_at": returned,
            "where_found": "POLICE" if returned else ""}))
    rows.sort(key=lambda r: r[0])
    police = Agency.objects.filter(kind="police", partnerships=partnership).first()
    for year in YEARS:
        for quarter in range(4):
            first = dt.date(year, 4 + 3 * quarter, 1) if quarter < 3 else dt.date(year + 1, 1, 1)
            last = (first.replace(day=28) + dt.timedelta(days=70)).replace(day=1)
            chunk = [r for s, r in rows if first <= timezone.localtime(s).date() < last]
            if chunk:
                services.episodes_import(actor=None, partnership=partnership,
                                         content=episodes_csv(chunk), reported_by=police,
                                         file_name=f"police-missing-{year}-Q{quarter + 1}.csv")
    _interviews(rng, partnership)
    return len(rows)


def _interviews(rng: random.Random, partnership: Partnership) -> None:
    la_cs = Agency.objects.filter(kind="la_childrens_services", partnerships=partnership).first()
    for episode in Episode.objects.filter(partnership=partnership, rhi_due_at__isnull=False
                                          ).order_by("returned_at", "pk"):
        back = episode.returned_at
        if back is None or timezone.localtime(back).date() > LAST_OFFER:
            continue
        late = rng.random() < 0.2
        offered = back + dt.timedelta(hours=rng.randint(80, 140) if late else rng.randint(4, 70))
        accepted = rng.random() < 0.8
        held = offered + dt.timedelta(hours=rng.randint(2, 48)) if accepted else None
        services.interview_record(
            actor=None, episode=episode, offered_at=offered, accepted=accepted,
            interview_at=held, interviewer="Return interview worker (demo)" if held else "",
            interviewer_agency=la_cs if held else None,
            outcome=rng.choice(OUTCOMES) if held else "")
