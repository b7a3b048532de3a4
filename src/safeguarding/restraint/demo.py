"""The demo young offender institution's restraints, April 2019 to March 2022, at the seed's
volumes: three years, so 2020-21 (the seed report's year) compares with 2019-20 from data.

About 35 restraints a month (the seed: 30 to 40), written month by month as the
establishment's CSV (data/incident_template.yaml) and loaded through the importer, as
an establishment's own data would arrive. The year follows the seed's story: one
pain-inducing technique in the year, body-worn camera footage with sound rising to
every restraint from January 2021, 16 assaults on staff in May 2020, restraint for
passive non-compliance falling. 2019-20 has fewer restraints filmed with sound and two
pain-inducing techniques; 2021-22 films every restraint with sound and has none. Each
restraint is reviewed by a social worker, nearly always by the next working day; the
last days of March 2022 are left unreviewed, so they show as overdue. Each quarter's
footage sample is drawn with a stored seed; all but the last are reviewed, with
checklists, reflective notes and actions.

Everything is written through the services with ``actor=None`` (the command line).
The same seed and the same children give the same records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Mapping

from django.utils import timezone

from safeguarding.children import demo as children_demo
from safeguarding.core.calendar import add_working_days
from safeguarding.core.models import Agency, Partnership
from safeguarding.restraint import config, importer, services
from safeguarding.restraint.models import Establishment, Incident

YEAR_START = dt.date(2020, 4, 1)  # the seed report's year
FIRST_YEAR, LAST_YEAR = 2019, 2021  # financial years held: 2019-20 to 2021-22
MONTHS = 12
PER_MONTH = (33, 38, 36, 34, 31, 35, 37, 36, 33, 34, 32, 35)  # seed: 30 to 40 a month
# The year before had a few more, the year after a few fewer (restraint falling).
PER_MONTH_BY_YEAR = {2019: (36, 39, 37, 38, 35, 36, 40, 38, 34, 37, 36, 38),
                     2020: PER_MONTH,
                     2021: (32, 34, 31, 33, 30, 32, 34, 33, 30, 32, 31, 33)}
LOCATION_WEIGHTS = {"RESIDENTIAL": 40, "EDUCATION": 18, "DINING": 10, "CORRIDOR": 12,
                    "GYM": 6, "SEPARATION": 6, "HEALTHCARE": 3, "RECEPTION": 2, "OUTSIDE": 3}
HOURS = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]
HOUR_WEIGHTS = [3, 9, 10, 8, 7, 9, 12, 8, 7, 6, 9, 8, 5, 3, 1]


def _month(index: int, year: int = YEAR_START.year) -> dt.date:
    """The first day of the index-th month of financial year ``year`` (April is 0)."""
    add, month = divmod(3 + index, 12)
    return dt.date(year + add, month + 1, 1)


def _cohort(partnership: Partnership, rng: random.Random) -> list:
    """Children of the index old enough to be in a YOI in 2020-21 (aged 12 to 16 then)."""
    found = [c for c in children_demo.index_children(partnership)
             if c.la_child_id and c.local_authority_id
             and 12 <= importer.age_on(c.date_of_birth, YEAR_START) <= 16]
    rng.shuffle(found)
    return children_demo.children_chosen(found[:60])


def _row(rng: random.Random, *, ref: str, when: dt.datetime, child, month: int,
         pit: bool, assault: bool, year: int = YEAR_START.year) -> dict[str, str]:
    yn = lambda flag: "Y" if flag else "N"  # noqa: E731
    positions = rng.choices([["STANDING"], ["STANDING", "SEATED"], ["STANDING", "SUPINE"],
                             ["STANDING", "PRONE"], ["KNEELING"]], weights=[50, 15, 15, 12, 8])[0]
    # Footage with sound rises through 2020-21 and is every restraint from January 2021;
    # the year before, about a third had it.
    if year < YEAR_START.year:
        with_sound = rng.random() < 0.25 + 0.02 * month
    else:
        with_sound = year > YEAR_START.year or month >= 9 or rng.random() < 0.55 + 0.05 * month
    camera = "Y" if with_sound or rng.random() < 0.7 else rng.choice(["N", "NK"])
    # Restraint for passive non-compliance falls: month by month, year on year.
    passive = rng.random() < max(0.02, 0.12 - 0.01 * (month + 12 * (year - YEAR_START.year)))
    reason = ("ASSAULT_STAFF" if assault else "PASSIVE" if passive else
              rng.choices(["ASSAULT_CHILD", "FIGHT", "PREVENT_HARM", "SELF_HARM", "DAMAGE",
                           "REFUSE_LOCATE"], weights=[20, 30, 15, 8, 10, 17])[0])
    child_hurt, staff_hurt = rng.random() < 0.06, rng.random() < 0.05 or (assault and
                                                                          rng.random() < 0.3)
    healthcare = child_hurt or rng.random() < 0.8
    staff = []
    for n in rng.sample(range(1, 60), k=rng.randint(2, 4)):
        refresher = when.date() - dt.timedelta(days=rng.randint(30, 500))
        staff.append(f"S{n:04d}:{refresher.isoformat() if rng.random() < 0.95 else ''}")
    planned = rng.random() < 0.1
    return {
        "incident_ref": ref, "occurred_at": when.strftime("%Y-%m-%d %H:%M"),
        "location": rng.choices(list(LOCATION_WEIGHTS), weights=list(LOCATION_WEIGHTS.values()))[0],
        "planned": yn(planned), "authorised_by": "Duty governor" if planned else "",
        "senior_officer_in_control": yn(rng.random() < 0.6 + 0.03 * month),
        "primary_reason": reason, "other_reasons": "PREVENT_HARM" if rng.random() < 0.2 else "",
        "de_escalation_tried": yn(rng.random() < 0.92), "positions": ";".join(positions),
        "techniques": ";".join(rng.sample(["GUIDE", "ESCORT", "WRIST", "STRAIGHT_ARM",
                                           "HEAD_SUPPORT"], k=rng.randint(1, 3))),
        "pit_used": yn(pit), "pit_technique": "WRIST_FLEXION" if pit else "",
        "pit_justification": ("Child had a ligature and was pulling it tight; immediate risk "
                              "of serious physical harm" if pit else ""),
        "duration_minutes": str(rng.randint(1, 25)), "floor": yn("PRONE" in positions
                                                                or "SUPINE" in positions),
        "handcuffs": yn(rng.random() < 0.04), "body_worn_camera": camera,
        "camera_ids": f"BWC{rng.randint(100, 140)}" if camera == "Y" else "",
        "sound_captured": yn(camera == "Y" and with_sound), "cctv": yn(rng.random() < 0.7),
        "child_injured": yn(child_hurt), "staff_injured": yn(staff_hurt),
        "assault_on_staff": yn(assault), "healthcare_attended": yn(healthcare),
        "healthcare_at": ((when + dt.timedelta(minutes=rng.randint(5, 40)))
                          .strftime("%Y-%m-%d %H:%M") if healthcare else ""),
        "separation": yn(rng.random() < 0.15), "relocated_to": "",
        "child_debriefed": yn(rng.random() < 0.85),
        "child_views": rng.choice(["", "", "Said staff held the arm too tight.",
                                   "Said it was fair because of the fight.",
                                   "Wanted to be listened to before staff stepped in.",
                                   "Said being put on the floor was frightening."]),
        "parent_told": yn(rng.random() < 0.8), "yjs_told": yn(rng.random() < 0.9),
        "child_la": child.local_authority.old_code, "la_child_id": child.la_child_id,
        "date_of_birth": child.date_of_birth.isoformat(), "ethnicity": child.ethnicity or "NOBT",
        "staff": ";".join(staff),
    }


def month_csv(rng: random.Random, cohort: list, month: int,
              year: int = YEAR_START.year) -> bytes:
    """One month's CSV, as the establishment would send it."""
    start = _month(month, year)
    count = PER_MONTH_BY_YEAR[year][month]
    seed_year = year == YEAR_START.year
    # seed: 16 assaults on staff in May 2020
    assaults = 16 if seed_year and month == 1 else rng.randint(5, 11)
    # seed: one pain-inducing technique in 2020-21 (in September); two the year before
    # (July and January), none the year after.
    pit_month = {2019: (3, 9), 2020: (5,)}.get(year, ())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c["name"] for c in importer.columns()])
    writer.writeheader()
    days = sorted(start + dt.timedelta(days=rng.randrange(28)) for _ in range(count))
    for n, day in enumerate(days):
        when = dt.datetime.combine(day, dt.time(rng.choices(HOURS, weights=HOUR_WEIGHTS)[0],
                                                rng.randrange(60)))
        writer.writerow(_row(rng, ref=f"MYOI-{start:%y%m}-{n + 1:03d}", when=when,
                             child=rng.choice(cohort), month=month, year=year,
                             pit=(month in pit_month and n == 10), assault=n < assaults))
    return out.getvalue().encode()


def build(seed: int, partnerships: Mapping[str, Partnership]) -> Establishment | None:
    partnership = partnerships.get("STAFFS")
    if partnership is None:
        return None
    rng = random.Random(f"restraint:{seed}")
    agency = Agency.objects.filter(kind="secure_setting", partnerships=partnership).first()
    establishment = services.establishment_add(
        actor=None, partnership=partnership, code="MYOI", name=agency.name if agency else
        "Moorside Young Offender Institution (demo)", host_la_code="860",
        recording_from=dt.date(FIRST_YEAR, 4, 1), agency=agency, sample_size=8)
    cohort = _cohort(partnership, rng)
    if not cohort:
        return establishment
    # The seed's year is drawn first from the seed's stream, the same as when the demo held
    # that year alone; the years either side each have a stream of their own.
    months = {YEAR_START.year: [month_csv(rng, cohort, month) for month in range(MONTHS)]}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        if year != YEAR_START.year:
            other = random.Random(f"restraint:{seed}:{year}")
            # Only those aged 10 to 17 all that year (a YOI holds no adult).
            aged = [c for c in cohort
                    if importer.age_on(c.date_of_birth, dt.date(year, 4, 1)) >= 10
                    and importer.age_on(c.date_of_birth, dt.date(year + 1, 3, 31)) <= 17]
            months[year] = [month_csv(other, aged or cohort, month, year)
                            for month in range(MONTHS)]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for month, content in enumerate(months[year]):
            services.incidents_import(
                actor=None, establishment=establishment, content=content,
                file_name=f"moorside-restraints-{_month(month, year):%Y-%m}.csv")
    _reviews(rng, establishment)
    _samples(rng, establishment)
    return establishment


def _reviews(rng: random.Random, establishment: Establishment) -> None:
    last_day = dt.date(LAST_YEAR + 1, 3, 24)  # later restraints are left unreviewed: overdue
    for incident in Incident.objects.filter(establishment=establishment).order_by("occurred_at"):
        day = timezone.localtime(incident.occurred_at).date()
        if day > last_day:
            continue
        late = rng.random() < 0.06
        reviewed_on = add_working_days(incident.review_due, rng.randint(1, 3)) if late \
            else incident.review_due
        concerns = [c for c, flag in (("pit", incident.pit_used), ("prone", incident.prone),
                                      ("no_footage", incident.body_worn_camera != "Y")) if flag]
        referral = "LADO" if incident.pit_used else ("SAFEGUARDING" if incident.child_injured
                                                    and rng.random() < 0.3 else "NONE")
        services.review_record(
            actor=None, incident=incident, reviewed_on=reviewed_on,
            proportionate="Y" if not concerns else rng.choice(["Y", "U", "N"]),
            concerns=concerns, referral=referral,
            follow_up="Referred the same day; strategy discussion held" if referral != "NONE"
            else "")


def _samples(rng: random.Random, establishment: Establishment) -> None:
    points = list(config.checklist())
    quarters = [(f"{year}-Q{q}", year * 10 + q - 1)
                for year in range(FIRST_YEAR, LAST_YEAR + 1) for q in range(1, 5)]
    for quarter, sample_seed in quarters:
        sample = services.sample_draw(actor=None, establishment=establishment, quarter=quarter,
                                      seed=sample_seed)
        if quarter == quarters[-1][0]:
            continue  # drawn, its footage review not yet held
        for item in sample.items.all():
            services.sample_item_review(
                actor=None, item=item, footage_reviewed=True, paperwork_reviewed=True,
                checklist={p: ("N" if p == "refresher_practice" and rng.random() < 0.3 else "Y")
                           for p in points},
                notes="Reviewed from body-worn camera footage and the incident paperwork.")
        services.sample_notes_update(
            actor=None, sample=sample,
            reflective_notes="Discussed with the YOI's MMPR coordinator and two children.",
            good_practice="Clear de-escalation before holds; healthcare attended promptly.",
            learning="Some holds showed refresher gaps; camera switched on late once.")
        services.sample_action_add(actor=None, sample=sample, theme="TRAINING",
                                   action="Book MMPR refreshers for staff past 12 months",
                                   owner="MMPR coordinator, Moorside YOI",
                                   due_on=_month(MONTHS - 1, int(quarter[:4])).replace(day=31))
