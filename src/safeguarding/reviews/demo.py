"""Synthetic learning reviews for the demo partnership, 2018-19 to 2021-22.

Volumes follow the seed (the Staffordshire SCB yearly report 2020/21): about
five rapid reviews a year, split between Staffordshire and Stoke-on-Trent
children; seven rapid reviews about babies under one between September 2019 and
March 2020, which led to a thematic review of infants under one finalised in
March 2021; three practice reviews completed in 2020-21, one published and two
deferred by parallel criminal proceedings. Clocks are both met and missed.

Staffordshire hosts the joint practice-review coordination, so it owns every
record; the Stoke-on-Trent children's records stay Stoke-on-Trent's. Everything
is written through the services (``actor=None``, the command line), so each due
date is computed by its rule and stored with the rule id, as in real use. The
same seed and the same children give the same records.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING

from safeguarding.children import demo as children_demo
from safeguarding.core.calendar import add_working_days
from safeguarding.core.models import Agency, Partnership
from safeguarding.reviews import services
from safeguarding.reviews.models import (
    AbuseOrNeglect,
    ActionStatus,
    Decision,
    DeferralReason,
    Harm,
    LearningKind,
    ReviewKind,
    Theme,
)

if TYPE_CHECKING:
    from safeguarding.children.models import Child

# (financial year start, rapid reviews about Staffordshire children, about Stoke-on-Trent children)
YEARS = [(2018, 3, 2), (2019, 5, 3), (2020, 3, 2), (2021, 3, 2)]
# Chance a clock is met, by year: 2020-21 had Covid-19 pressures, and the Panel relaxed
# the 15 working days for rapid reviews as a non-statutory expectation.
ON_TIME = {2018: (0.9, 0.8), 2019: (0.85, 0.7), 2020: (0.8, 0.4), 2021: (0.9, 0.75)}
RETURN_AGENCY_KINDS = ["la_childrens_services", "police", "health", "education", "probation",
                       "voluntary"]

SUMMARIES = {
    "infant": "A baby under one was taken to hospital with injuries that could not be "
              "explained. Agencies had been involved with the family before the birth.",
    "neglect": "A child was found to be living in long-standing neglect and was admitted to "
               "hospital. Several agencies had known the family for some years.",
    "sexual_abuse": "A child disclosed sexual abuse within the family. Agencies had seen "
                    "earlier signs at school and at health appointments.",
    "exploitation": "A teenager was seriously harmed while being criminally exploited. "
                    "They had been missing from home several times.",
}
THEMES_FOR = {
    "infant": ["physical-harm-to-babies-under-one", "domestic-abuse", "neglect"],
    "neglect": ["neglect", "parental-substance-misuse", "voice-of-the-child"],
    "sexual_abuse": ["intra-familial-child-sexual-abuse", "voice-of-the-child"],
    "exploitation": ["child-criminal-exploitation", "information-sharing"],
}
CHRONOLOGY = {
    "la_childrens_services": "Referral received and assessed; the family were offered early help.",
    "police": "Police attended a report at the home; no further action was recorded.",
    "health": "Health visitor contact; weight and development recorded, no concerns noted.",
    "education": "Attendance fell below 85%; the school wrote to the parents.",
    "probation": "An adult in the household was under supervision; the home was not visited.",
    "voluntary": "Family support worker visited; the family declined further sessions.",
}
# (finding, theme slug, recommendation, [(agency kind, action)])
LEARNING = [
    ("Multi-agency chronologies were not shared early enough to show the build-up of concerns.",
     "information-sharing",
     "Partners should share single-agency chronologies within five working days of a strategy "
     "discussion.",
     [("la_childrens_services", "Add the chronology request to the strategy meeting template."),
      ("police", "Brief public protection officers on the chronology expectation.")]),
    ("The vulnerability of babies under one where there is domestic abuse was not recognised.",
     "domestic-abuse",
     "Practitioners should consider the risk to an unborn or young baby whenever domestic "
     "abuse is reported.",
     [("health", "Add a domestic abuse prompt to the antenatal and new-birth contacts."),
      ("police", "Flag households with a baby under one in domestic abuse referrals.")]),
    ("Neglect was emerging over time but was not named; no graded care profile was completed.",
     "neglect",
     "Use the Graded Care Profile 2 when neglect is suspected, across all agencies.",
     [("la_childrens_services", "Train all family support staff in the Graded Care Profile 2."),
      ("education", "Give designated safeguarding leads a neglect briefing each term.")]),
    ("The child's daily lived experience and voice were not recorded.",
     "voice-of-the-child",
     "Records should say what the child said, or what was seen of the child's day.",
     [("voluntary", "Include the child's words in every family support visit record.")]),
    ("Family history was not captured in the child protection medical.",
     "information-sharing",
     "Child protection medicals should record the family history from all agencies.",
     [("health", "Update the child protection medical proforma to include family history.")]),
    ("Practitioners did not feel confident to challenge decisions and escalate concerns.",
     "professional-challenge-and-escalation",
     "Relaunch the escalation policy with examples from reviews.",
     [("la_childrens_services", "Relaunch the escalation policy at a practitioner event."),
      ("probation", "Include escalation in the probation safeguarding refresher.")]),
]


class _Picker:
    """Chooses children without repeating one while others are left."""

    def __init__(self, rng: random.Random, children: Iterable[children_demo.IndexedChild]) -> None:
        self.rng = rng
        self.children = list(children)
        self.used: set[int] = set()

    def pick(self, before: dt.date, infant: bool) -> Child | None:
        born_before = [c for c in self.children if c.date_of_birth < before]
        if not born_before:
            return None
        pool = [c for c in born_before if c.pk not in self.used] or born_before
        if infant:
            babies = [c for c in pool if (before - c.date_of_birth).days < 365]
            pool = babies or sorted(pool, key=lambda c: c.date_of_birth, reverse=True)[:3]
        child = self.rng.choice(pool)
        self.used.add(child.pk)
        return children_demo.children_chosen([child])[0]


def _working_day_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return max(day, start)


def _agency(agencies: dict, kind: str, partnership: Partnership) -> Agency | None:
    choices = [a for a in agencies.get(kind, [])
               if partnership.pk in {p.pk for p in a.partnerships.all()}]
    return choices[0] if choices else (agencies.get(kind) or [None])[0]


def _normalise(partnerships) -> dict[str, Partnership]:
    if isinstance(partnerships, dict):
        return dict(partnerships)
    return {p.code: p for p in partnerships}


def build(seed: int, partnerships) -> dict:
    """Add the demo's reviews; ``partnerships`` maps code to Partnership (or lists them)."""
    rng = random.Random(f"reviews:{seed}")
    parts = _normalise(partnerships)
    host = parts.get("STAFFS") or next(iter(parts.values()))
    other = parts.get("STOKE") or host
    themes = {t.slug: t for t in Theme.objects.all()}
    agencies: dict[str, list[Agency]] = {}
    for agency in Agency.objects.prefetch_related("partnerships").order_by("name"):
        agencies.setdefault(agency.kind, []).append(agency)
    pickers = {p.pk: _Picker(rng, children_demo.index_children(p)) for p in {host, other}}

    made: dict[str, list] = {"incidents": [], "reviews": []}
    infants: list = []
    for year, staffs_count, stoke_count in YEARS:
        start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 10)
        plan = [host] * staffs_count + [other] * stoke_count
        rng.shuffle(plan)
        days = sorted(_working_day_in(rng, start, end) for _ in plan)
        kinds = [rng.choice(["neglect", "sexual_abuse", "exploitation", "infant"]) for _ in plan]
        if year == 2019:
            # One case in the spring, then seven babies under one from September to March.
            days = [_working_day_in(rng, start, dt.date(2019, 8, 30))] + sorted(
                _working_day_in(rng, dt.date(2019, 9, 2), dt.date(2020, 3, 6)) for _ in range(7))
            kinds = ["neglect"] + ["infant"] * 7
        for index, (child_partnership, aware_on, kind) in enumerate(zip(plan, days, kinds,
                                                                         strict=True)):
            incident = _incident(rng, host, child_partnership, pickers, aware_on, kind, year,
                                 themes, agencies)
            if incident is None:
                continue
            made["incidents"].append(incident)
            if year == 2019 and kind == "infant":
                infants.append(incident)
            incident._demo_index = (year, index)
    _practice_reviews(rng, host, made, infants, themes, agencies)
    return {"incidents": len(made["incidents"]), "practice_reviews": len(made["reviews"])}


def _incident(rng, host, child_partnership, pickers, aware_on, kind, year, themes, agencies):
    child = pickers[child_partnership.pk].pick(aware_on, infant=kind == "infant")
    if child is None:
        return None
    children = [child]
    if kind == "neglect" and rng.random() < 0.3:
        sibling = pickers[child_partnership.pk].pick(aware_on, infant=False)
        if sibling is not None and sibling.pk != child.pk:
            children.append(sibling)
    notify_ok, review_ok = ON_TIME[year]
    sent_on = add_working_days(aware_on, rng.randint(1, 5) if rng.random() < notify_ok
                               else rng.randint(6, 9))
    incident = services.incident_create(
        actor=None, partnership=host, aware_on=aware_on,
        harm=Harm.DEATH if rng.random() < 0.25 else Harm.SERIOUS_HARM,
        abuse_or_neglect=AbuseOrNeglect.KNOWN if rng.random() < 0.5 else AbuseOrNeglect.SUSPECTED,
        looked_after=rng.random() < 0.1, summary=SUMMARIES[kind], children=children,
        themes=[themes[s] for s in THEMES_FOR[kind] if s in themes][: rng.randint(1, 3)],
        notification_sent_on=sent_on)
    review = incident.rapid_review
    kinds = RETURN_AGENCY_KINDS[:3] + rng.sample(RETURN_AGENCY_KINDS[3:], rng.randint(0, 2))
    for position, agency_kind in enumerate(kinds):
        agency = _agency(agencies, agency_kind, child_partnership)
        if agency is None or review.agency_returns.filter(agency=agency).exists():
            continue
        item = services.agency_return_request(actor=None, rapid_review=review, agency=agency,
                                              requested_on=sent_on)
        late = rng.random() > 0.75
        received = add_working_days(item.due_on, rng.randint(1, 6)) if late else \
            add_working_days(sent_on, rng.randint(3, 10))
        services.agency_return_update(actor=None, agency_return=item, received_on=received,
                                      attended_meeting=rng.random() < 0.85)
        if position < 3:
            services.chronology_add(
                actor=None, rapid_review=review, agency=agency,
                occurred_on=aware_on - dt.timedelta(days=rng.randint(20, 400)),
                entry=CHRONOLOGY[agency_kind])
    completed = add_working_days(sent_on, rng.randint(11, 15) if rng.random() < review_ok
                                 else rng.randint(16, 30))
    meeting = add_working_days(sent_on, rng.randint(8, 10))
    services.rapid_review_update(actor=None, rapid_review=review, meeting_on=meeting,
                                 completed_on=completed)
    decision = Decision.NO_REVIEW
    if kind == "infant" and year == 2019:
        rationale = ("The learning is shared with other recent cases of babies under one; it "
                     "will be taken forward in a thematic review rather than a single review.")
    else:
        rationale = ("The rapid review found the learning already known and in hand; a "
                     "learning briefing will share it.")
    services.rapid_review_decide(actor=None, rapid_review=review, decision=decision,
                                 decision_on=completed, rationale=rationale)
    services.rapid_review_panel_response(
        actor=None, rapid_review=review,
        response_on=add_working_days(completed, rng.randint(8, 15)),
        response="The Panel agrees with the partnership's decision and thanks partners for "
                 "a thorough rapid review.")
    if rng.random() < 0.4:
        _learning(rng, review, themes, agencies, child_partnership, completed, actions=1)
    return incident


def _learning(rng, review, themes, agencies, partnership, after: dt.date, actions: int = 2,
              cut_off: dt.date = dt.date(2022, 3, 31)) -> None:
    """Findings, recommendations and actions, with actions done, late or still open."""
    for text, slug, recommendation, planned in rng.sample(LEARNING, 2 if actions > 1 else 1):
        finding = services.finding_add(actor=None, review=review, text=text,
                                       themes=[themes[slug]] if slug in themes else [])
        rec = services.recommendation_add(actor=None, finding=finding, text=recommendation)
        for agency_kind, action_text in planned[:actions]:
            agency = _agency(agencies, agency_kind, partnership)
            if agency is None:
                continue
            due_on = after + dt.timedelta(days=rng.randint(60, 240))
            while due_on.weekday() >= 5:  # agreed due dates fall on working days
                due_on += dt.timedelta(days=1)
            action = services.action_add(actor=None, recommendation=rec, text=action_text,
                                         owner_agency=agency, due_on=due_on)
            if due_on > cut_off:
                status = rng.choice([ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS])
                services.action_update(actor=None, action=action, status=status,
                                       evidence_of_impact="")
            elif rng.random() < 0.8:
                done = due_on + dt.timedelta(days=rng.randint(-40, 50))
                services.action_update(
                    actor=None, action=action, status=ActionStatus.DONE, completed_on=done,
                    evidence_of_impact="An audit of cases three months on found the change in "
                                       "place in most records.")
            else:
                services.action_update(actor=None, action=action,
                                       status=ActionStatus.IN_PROGRESS, evidence_of_impact="")


def _local_review(rng, host, incident, decided_on, title, themes, agencies, *, final_on=None,
                  published_on=None, deferred=None):
    """Turn an incident's rapid review decision into a local practice review."""
    review = incident.rapid_review
    services.rapid_review_decide(
        actor=None, rapid_review=review, decision=Decision.LOCAL_REVIEW,
        decision_on=review.decision_on,
        rationale="The case may highlight improvements needed to safeguard children, and "
                  "agencies could have worked together better: a local review will look at how.")
    if final_on is not None:
        final_on = max(final_on, decided_on + dt.timedelta(days=120))
    practice = services.practice_review_create(
        actor=None, partnership=host, kind=ReviewKind.LOCAL, title=title,
        decided_on=decided_on, incidents=[incident], themes=list(incident.themes.all()),
        reviewer="Independent reviewer (demo)",
        commissioned_on=add_working_days(decided_on, rng.randint(10, 25)))
    draft = final_on - dt.timedelta(days=rng.randint(40, 80)) if final_on else None
    services.practice_review_update(
        actor=None, review=practice, title=title, scope="", reviewer=practice.reviewer,
        terms_of_reference="A systems review of how agencies worked together in the year "
                           "before the incident.",
        themes=list(practice.themes.all()), commissioned_on=practice.commissioned_on,
        terms_agreed_on=add_working_days(practice.commissioned_on, 10), draft_on=draft,
        final_on=final_on, planned_publication_on=published_on,
        panel_notice_on=add_working_days(final_on, 2) if published_on else None)
    if published_on:
        services.practice_review_publish(actor=None, review=practice, published_on=published_on)
    if deferred:
        services.practice_review_defer(
            actor=None, review=practice, reason=DeferralReason.CRIMINAL_PROCEEDINGS,
            detail="Publication would prejudice a criminal trial; the police and the Crown "
                   "Prosecution Service will advise when it may go ahead.",
            deferred_on=deferred[0], review_on=deferred[1])
    if final_on is not None:
        child_partnership = incident.children.first().partnership
        _learning(rng, practice, themes, agencies, child_partnership, final_on)
    return practice


def _practice_reviews(rng, host, made, infants, themes, agencies) -> None:
    by_year: dict[int, list] = {}
    for incident in made["incidents"]:
        by_year.setdefault(incident._demo_index[0], []).append(incident)
    reviews = made["reviews"]

    def decided(incident, extra_days):
        return incident.rapid_review.completed_on + dt.timedelta(days=extra_days)

    # 2018-19: published within six months.
    first = by_year[2018][1]
    on = decided(first, 3)
    reviews.append(_local_review(rng, host, first, on, "Child A", themes, agencies,
                                 final_on=on + dt.timedelta(days=130),
                                 published_on=on + dt.timedelta(days=170)))
    # 2019-20's spring case: published late, in 2020-21.
    spring = by_year[2019][0]
    on = decided(spring, 5)
    reviews.append(_local_review(rng, host, spring, on, "Child B", themes, agencies,
                                 final_on=dt.date(2020, 11, 18), published_on=dt.date(2020, 12, 9)))
    # Two more completed in 2020-21, both deferred by parallel criminal proceedings.
    for incident, title, final_on, deferral in (
            (by_year[2020][0], "Child C", dt.date(2021, 1, 20),
             (dt.date(2021, 2, 3), dt.date(2021, 9, 30))),
            (by_year[2020][1], "Child D", dt.date(2021, 3, 17),
             (dt.date(2021, 3, 24), dt.date(2021, 10, 29)))):
        on = decided(incident, 4)
        final_on = max(final_on, on + dt.timedelta(days=120))
        deferral = (max(deferral[0], final_on), max(deferral[1], final_on + dt.timedelta(days=90)))
        reviews.append(_local_review(rng, host, incident, on, title, themes, agencies,
                                     final_on=final_on, deferred=deferral))
    # The thematic review of infants under one, finalised in March 2021, published late.
    if infants:
        on = max(i.rapid_review.completed_on for i in infants) + dt.timedelta(days=7)
        thematic = services.practice_review_create(
            actor=None, partnership=host, kind=ReviewKind.THEMATIC, title="Infants under one",
            decided_on=on, incidents=infants,
            themes=[themes[s] for s in ("physical-harm-to-babies-under-one", "neglect",
                                        "domestic-abuse") if s in themes],
            scope="Rapid reviews of babies under one in Staffordshire and Stoke-on-Trent, "
                  "September 2019 to March 2020.",
            reviewer="Independent reviewer (demo)", commissioned_on=on + dt.timedelta(days=21))
        services.practice_review_update(
            actor=None, review=thematic, title=thematic.title, scope=thematic.scope,
            reviewer=thematic.reviewer, terms_of_reference="What the seven cases say about how "
            "agencies recognise and respond to risk to babies.", themes=list(thematic.themes.all()),
            commissioned_on=thematic.commissioned_on, draft_on=dt.date(2021, 1, 12),
            final_on=dt.date(2021, 3, 24), planned_publication_on=dt.date(2021, 5, 12),
            panel_notice_on=dt.date(2021, 4, 28))
        services.practice_review_publish(actor=None, review=thematic,
                                         published_on=dt.date(2021, 5, 12))
        _learning(rng, thematic, themes, agencies, host, dt.date(2021, 3, 24))
        reviews.append(thematic)
    # 2021-22: one published on time, one referred for a national review, one in progress.
    if len(by_year.get(2021, [])) >= 3:
        timely, national, open_one = by_year[2021][0], by_year[2021][1], by_year[2021][-1]
        services.rapid_review_decide(
            actor=None, rapid_review=national.rapid_review, decision=Decision.NATIONAL_REVIEW,
            decision_on=national.rapid_review.decision_on,
            rationale="The case raises issues of national importance about criminal "
                      "exploitation across force boundaries.")
        on = decided(timely, 2)
        reviews.append(_local_review(rng, host, timely, on, "Child E", themes, agencies,
                                     final_on=on + dt.timedelta(days=120),
                                     published_on=on + dt.timedelta(days=165)))
        reviews.append(_local_review(rng, host, open_one, decided(open_one, 3), "Child F",
                                     themes, agencies))
    _events(rng, host, reviews, agencies)


def _events(rng, host, reviews, agencies) -> None:
    reach_kinds = ["la_childrens_services", "police", "health", "education", "voluntary"]
    for review in reviews:
        if not review.published_on and not review.final_on:
            continue
        held = (review.published_on or review.final_on) + dt.timedelta(days=rng.randint(7, 40))
        if held > dt.date(2022, 3, 31):
            continue
        reach = {}
        for kind in reach_kinds:
            agency = _agency(agencies, kind, host)
            if agency is not None:
                reach[agency] = rng.randint(4, 60)
        services.learning_event_add(
            actor=None, partnership=host, kind=LearningKind.BRIEFING,
            title=f"Seven-minute briefing: {review.title}", held_on=held,
            practice_reviews=[review], reach=reach)
        if rng.random() < 0.6:
            services.learning_event_add(
                actor=None, partnership=host, kind=LearningKind.FEEDBACK_EVENT,
                title=f"Practitioner feedback event: {review.title}",
                held_on=held + dt.timedelta(days=rng.randint(14, 45)),
                practice_reviews=[review],
                reach={a: max(1, n // 3) for a, n in reach.items()})
