"""Synthetic child deaths for the demo: 2018-19 to 2021-22, deterministic from the seed.

Call after the demo's partnerships, agencies and sign-ins exist:

    from safeguarding.child_deaths import demo as child_deaths_demo
    child_deaths_demo.build(seed=seed, partnerships=partnerships)

Volumes follow the seed report (Staffordshire SCB yearly report 2020/21): 69
notifications across Staffordshire and Stoke-on-Trent in 2020/21, 57 % neonatal,
18 (26 %) unexpected with a Joint Agency Response, 65 deaths reviewed, 15 with
modifiable factors. The other years are set near those volumes with a neonatal
share of about 40 % (the usual national share; the seed gives only 2020/21).
Every name is made up (Faker, en_GB); NHS numbers are in the 999 test range.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping

from django.db import transaction
from faker import Faker

from safeguarding.child_deaths import demo_text as text
from safeguarding.child_deaths.models import (
    CdopReview,
    ChildDeath,
    InformationRequest,
    InformationRequestReminder,
    JointAgencyResponse,
    ReviewFactor,
    Theme,
)
from safeguarding.child_deaths.services import AGENCY_RETURN_RULE, themes_seed
from safeguarding.children import demo as children_demo
from safeguarding.children import identifiers
from safeguarding.core import deadlines
from safeguarding.core.models import Partnership
from safeguarding.measures.periods import financial_year

# Financial year start -> notified, reviewed, neonatal share, JAR share, modifiable share.
YEARS = {
    2018: (66, 41, 0.41, 0.24, 0.27),
    2019: (68, 64, 0.42, 0.25, 0.27),
    2020: (69, 65, 39 / 69, 18 / 69, 15 / 65),  # the seed year, exactly
    2021: (67, 60, 0.40, 0.25, 0.25),
}
SHARE = {"STAFFS": 0.72, "STOKE": 0.28}  # roughly the two child populations
ETHNICITY = {
    "WBRI": 74,
    "WOTH": 4,
    "MWBC": 3,
    "MWAS": 2,
    "MOTH": 2,
    "AIND": 2,
    "APKN": 6,
    "ABAN": 1,
    "AOTH": 1,
    "BCRB": 1,
    "BAFR": 2,
    "OOTH": 1,
    "NOBT": 1,
}


def _weighted_pick(rng: random.Random, items: list, weights: list[float], k: int) -> set:
    """k distinct items, drawn with the given weights, without replacement."""
    pool = list(zip(items, weights, strict=True))
    chosen = set()
    for _ in range(min(k, len(pool))):
        total = sum(w for _, w in pool)
        mark, acc = rng.uniform(0, total), 0.0
        for i, (item, weight) in enumerate(pool):
            acc += weight
            if acc >= mark:
                chosen.add(item)
                pool.pop(i)
                break
    return chosen


def _age_days(rng: random.Random, neonatal: bool) -> int:
    if neonatal:
        return rng.randint(0, 6) if rng.random() < 0.72 else rng.randint(7, 27)
    band = rng.choices(["infant", "1-4", "5-9", "10-14", "15-17"], [35, 15, 10, 15, 25])[0]
    low, high = {
        "infant": (28, 364),
        "1-4": (365, 5 * 365),
        "5-9": (5 * 365 + 2, 10 * 365),
        "10-14": (10 * 365 + 3, 15 * 365),
        "15-17": (15 * 365 + 4, 18 * 365 - 2),
    }[band]
    return rng.randint(low, high)


def _group(age_days: int) -> str:
    if age_days < 28:
        return "neonatal"
    if age_days < 365:
        return "infant"
    return "child" if age_days < 10 * 365 else "young_person"


def _dates(rng: random.Random, start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, days))


def _partnership_list(partnerships) -> list[Partnership]:
    values: Iterable = partnerships.values() if isinstance(partnerships, Mapping) else partnerships
    return sorted(values, key=lambda p: p.code)


@transaction.atomic
def build(seed: int, partnerships) -> dict:
    """Add the synthetic deaths; ``partnerships`` maps code to Partnership (or lists them)."""
    rng = random.Random(f"child-deaths:{seed}")
    fake = Faker("en_GB")
    fake.seed_instance(seed * 7 + 2018)
    themes_seed()
    theme_by_key = {t.key: t for t in Theme.objects.all()}
    found = _partnership_list(partnerships)
    codes = [p.code for p in found]
    weights = [SHARE.get(p.code, 1 / len(found)) for p in found]
    agencies = {p.code: {a.kind: a for a in p.agencies.order_by("-pk")} for p in found}
    taken = children_demo.taken_nhs_numbers(partnerships=found)

    cases: list[ChildDeath] = []
    plan: dict[int, dict] = {}  # index in cases -> what the demo decided about it
    for year_start, (notified, _, neo_share, jar_share, _) in YEARS.items():
        fy = financial_year(year_start)
        idx = list(range(notified))
        neonatal = set(rng.sample(idx, round(notified * neo_share)))
        ages_days = [_age_days(rng, i in neonatal) for i in idx]
        jar_weights = [
            {"neonatal": 0.3, "infant": 3, "child": 2, "young_person": 3.5}[_group(a)]
            for a in ages_days
        ]
        unexpected = _weighted_pick(rng, idx, jar_weights, round(notified * jar_share))
        for i in idx:
            code = rng.choices(codes, weights)[0]
            partnership = next(p for p in found if p.code == code)
            notified_on = _dates(rng, fy.start, (fy.end - fy.start).days)
            death = notified_on - dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
            group = _group(ages_days[i])
            category = text.category_for(rng, group, i in unexpected)
            sex = rng.choice(["1", "2"])
            child = children_demo.synthetic_child(
                partnership=partnership,
                local_authority=partnership.local_authorities.first(),
                first_name=fake.first_name_male() if sex == "1" else fake.first_name_female(),
                last_name=fake.last_name(),
                sex=sex,
                date_of_birth=death - dt.timedelta(days=ages_days[i]),
                ethnicity=rng.choices(list(ETHNICITY), list(ETHNICITY.values()))[0],
                nhs_number=identifiers.synthetic_nhs_number(rng, taken),
                postcode=f"ST{rng.randint(1, 21)} {rng.randint(1, 9)}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            )
            triggers = text.triggers_for(category) if i in unexpected else []
            place = text.place_for(rng, group, category, i in unexpected)
            notifier_kind = (
                "police" if category in text.EXTERNAL and rng.random() < 0.5 else "health"
            )
            case = ChildDeath(
                partnership=partnership,
                child=child,
                date_of_death=death,
                place_of_death=place,
                place_detail=text.PLACE_DETAIL.get(place, ""),
                expected="unexpected" if i in unexpected else "expected",
                jar_triggers=triggers,
                notified_on=notified_on,
                notifier_name=fake.name(),
                notifier_role=rng.choice(text.NOTIFIER_ROLES[notifier_kind]),
                notifying_agency=agencies[code][notifier_kind],
            )
            plan[len(cases)] = {"category": category, "group": group}
            cases.append(case)

    children_demo.children_add([c.child for c in cases])
    for case in cases:
        case.child_id = case.child.pk
        case.derive()
    ChildDeath.objects.bulk_create(cases, batch_size=500)

    reviews = _reviews(rng, cases, plan, theme_by_key)
    requests = _requests(rng, fake, cases, agencies, reviews)
    _jars(rng, fake, cases, agencies)
    _statuses(cases, reviews, requests)
    return {
        "child_deaths": len(cases),
        "reviews": len(reviews),
        "information_requests": len(requests),
    }


def _reviews(rng, cases, plan, theme_by_key) -> dict[int, CdopReview]:
    order = sorted(range(len(cases)), key=lambda i: (cases[i].notified_on, i))
    reviewed: dict[int, CdopReview] = {}
    for year_start, (_, target, _, _, mod_share) in YEARS.items():
        fy = financial_year(year_start)
        ready = fy.end - dt.timedelta(days=45)
        chosen = [i for i in order if i not in reviewed and cases[i].notified_on <= ready][:target]
        weights = [text.MODIFIABLE_WEIGHT[plan[i]["category"]] for i in chosen]
        modifiable = _weighted_pick(rng, chosen, weights, round(target * mod_share))
        for i in chosen:
            case = cases[i]
            earliest = max(fy.start, case.notified_on + dt.timedelta(days=60))
            review_date = min(fy.end, _dates(rng, earliest, max(0, (fy.end - earliest).days)))
            answer = "yes" if i in modifiable else "insufficient" if rng.random() < 0.05 else "no"
            reviewed[i] = CdopReview(
                case=case,
                review_date=review_date,
                category=text.CATEGORY_CODES[plan[i]["category"]],
                modifiable=answer,
                learning_points="",
                recommendations="",
            )
    CdopReview.objects.bulk_create(reviewed.values(), batch_size=500)
    factors, links = [], []
    through = CdopReview.themes.through
    for i, review in reviewed.items():
        category = plan[i]["category"]
        keys, domain_factors, learning, recommendation = text.analysis_for(
            rng, category, review.modifiable == "yes", cases[i].notified_on.year
        )
        for domain, description in domain_factors:
            factors.append(ReviewFactor(review=review, domain=domain, description=description))
        for key in keys:
            links.append(through(cdopreview_id=review.pk, theme_id=theme_by_key[key].pk))
        review.learning_points, review.recommendations = learning, recommendation
    CdopReview.objects.bulk_update(
        reviewed.values(), ["learning_points", "recommendations"], batch_size=500
    )
    ReviewFactor.objects.bulk_create(factors, batch_size=500)
    through.objects.bulk_create(links, batch_size=500)
    return reviewed


def _requests(rng, fake, cases, agencies, reviews) -> list[InformationRequest]:
    made, reminders = [], []
    for i, case in enumerate(cases):
        mine = agencies[case.partnership.code]
        wanted = [mine["health"], mine["la_childrens_services"]]
        if case.expected == "unexpected":
            wanted.append(mine["police"])
        if case.age_at_death_days > 4 * 365 and "education" in mine:
            wanted.append(mine["education"])
        review = reviews.get(i)
        for agency in wanted:
            requested = case.notified_on + dt.timedelta(days=rng.randint(1, 5))
            due = deadlines.due_date(AGENCY_RETURN_RULE, requested)
            roll = rng.random()
            if roll < 0.72:
                received = requested + dt.timedelta(days=rng.randint(5, (due - requested).days))
            else:
                received = due + dt.timedelta(days=rng.randint(1, 35))
            if review is not None:
                received = max(requested, min(received, review.review_date))
            elif case.notified_on.year >= 2021 and roll > 0.9:
                received = None  # still outstanding at the end of the demo
            first, last = fake.first_name(), fake.last_name()
            request = InformationRequest(
                case=case,
                agency=agency,
                form="reporting",
                contact_name=f"{first} {last}",
                contact_email=f"{first}.{last}@{text.slug(agency.name)}.demo.invalid".lower(),
                requested_on=requested,
                due_on=due,
                due_rule=AGENCY_RETURN_RULE,
                received_on=received,
                summary=rng.choice(text.SUMMARIES[agency.kind]) if received else "",
            )
            made.append(request)
    InformationRequest.objects.bulk_create(made, batch_size=500)
    for request in made:
        if request.received_on is None or request.received_on > request.due_on:
            lead = deadlines.due_date("action_reminder_lead", request.due_on)
            reminders.append(
                InformationRequestReminder(
                    request=request, kind="due_soon", sent_on=lead, recipients=request.contact_email
                )
            )
            reminders.append(
                InformationRequestReminder(
                    request=request,
                    kind="overdue",
                    sent_on=request.due_on + dt.timedelta(days=1),
                    recipients=request.contact_email,
                )
            )
    InformationRequestReminder.objects.bulk_create(reminders, batch_size=500)
    return made


def _jars(rng, fake, cases, agencies) -> None:
    jars, links = [], []
    for case in cases:
        if not case.jar_triggers:
            continue
        mine = agencies[case.partnership.code]
        jars.append(
            JointAgencyResponse(
                case=case,
                meeting_date=case.date_of_death + dt.timedelta(days=rng.randint(0, 2)),
                key_worker_name=fake.name(),
                key_worker_agency=mine["health"],
                key_worker_contact=f"01782 {rng.randint(100000, 999999)}",
                notes="Initial information-sharing and planning discussion held; home visit made.",
            )
        )
    JointAgencyResponse.objects.bulk_create(jars, batch_size=500)
    through = JointAgencyResponse.agencies.through
    for jar in jars:
        mine = agencies[jar.case.partnership.code]
        for kind in ("health", "police", "la_childrens_services"):
            links.append(through(jointagencyresponse_id=jar.pk, agency_id=mine[kind].pk))
    through.objects.bulk_create(links, batch_size=500)


def _statuses(cases, reviews, requests) -> None:
    outstanding = {r.case_id for r in requests if r.received_on is None}
    for i, case in enumerate(cases):
        if i in reviews:
            case.status = ChildDeath.Status.REVIEWED
        elif case.pk in outstanding:
            case.status = ChildDeath.Status.GATHERING
        else:
            case.status = ChildDeath.Status.READY
    ChildDeath.objects.bulk_update(cases, ["status"], batch_size=500)
