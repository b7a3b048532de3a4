"""Staffordshire's multi-agency case audits for the demo, shaped like the seed's year: the
Scrutiny and Assurance sub-group's programme.

- 2019-20: a voice-of-the-child audit, completed in February 2020 (good/adequate/inadequate
  scale), its re-audit due in February 2021;
- 2020-21: the neglect audit (the seed's multi-agency analysis of neglect): cases drawn at
  random from children on a plan under the neglect category (or, with no census loaded,
  from children known to the agencies taking part), returns from children's services, the
  police and health (the police's late), moderation, findings, two actions in the
  sub-group's action log (one done) and a re-audit date;
- 2020-21: a child exploitation audit with its returns open, children's services' in and
  the police's and health's still owed;
- 2021-22: the neglect re-audit the board asked for (December 2021, complete in February
  2022: practice improved on timescales, police attendance still the gap), its own re-audit
  date a year on; and the voice-of-the-child re-audit, planned for 7 March 2022, its returns
  open at the year's end (children's services' in, health's owed).

2019-20 and 2020-21 are drawn from the demo's random stream as they always were; 2021-22
from a stream of its own, so the earlier years' figures do not move.

Called after the CIN census is loaded (demo/builder.py), so the neglect sample can come
from the plans. The draw's seed comes from the demo's seed, so a rebuild draws the same.
"""

from __future__ import annotations

import datetime as dt
import random

from safeguarding.audits import selectors, services
from safeguarding.audits.models import Audit
from safeguarding.core.models import Agency, Partnership
from safeguarding.governance import selectors as governance
from safeguarding.governance import services as gov_services

D = dt.date
KINDS = ("la_childrens_services", "police", "health")
ANSWERS = {
    "la_childrens_services": ["Neglect was recognised at the second contact; the neglect "
                              "toolkit was completed and shaped the plan.",
                              "The child was seen alone at each visit and their day described.",
                              "The plan named outcomes but not timescales for home conditions."],
    "police": ["Officers attending a domestic incident noted the home conditions and "
               "referred the same day.",
               "The child's presence was recorded, but not what they said.",
               "Police did not attend two of the four core group meetings."],
    "health": ["The health visitor recorded missed appointments and weight loss, and "
               "shared them with the social worker.",
               "The school nurse spoke with the child about their day.",
               "Health contributed to the plan; dental neglect was not followed up."],
}


def _agency(partnership: Partnership, kind: str) -> Agency:
    return partnership.agencies.filter(kind=kind).order_by("pk")[0]


def _scrutiny(partnership: Partnership):
    return governance.partnership_bodies(partnership).filter(
        name="Scrutiny and Assurance").first()


def _fill_returns(audit: Audit, rng: random.Random, *, on: dict[str, dt.date | None],
                  grades_by_kind: dict[str, list[str]]) -> None:
    for case in selectors.cases_of(audit):
        for ret in case.returns.all():
            kind = ret.agency.kind
            day = on.get(kind)
            texts = ANSWERS.get(kind, ANSWERS["la_childrens_services"])
            answers = {}
            for section in audit.sections.prefetch_related("questions"):
                for i, q in enumerate(section.questions.all()):
                    answers[q.pk] = texts[(section.order + i) % len(texts)]
            choices = grades_by_kind[kind]
            grades = {s.pk: rng.choice(choices) for s in audit.sections.all()}
            services.return_save(
                actor=None, agency_return=ret, answers=answers, grades=grades,
                good_practice=texts[0], development=texts[2],
                recommendations="Use the neglect toolkit at every review; record the child's "
                                "own words.", auditor=f"{ret.agency.name} safeguarding lead",
                submit=day is not None, on=day)


def _moderate(audit: Audit, rng: random.Random, on: dt.date, choices: list[str]) -> None:
    for case in selectors.cases_of(audit):
        services.moderation_record(actor=None, case=case, on=on,
                                   grades={s.pk: rng.choice(choices)
                                           for s in audit.sections.all()},
                                   notes={})


def _population(audit: Audit) -> None:
    """The neglect sample comes from the plans if the census gives enough children."""
    if len(selectors.population_ids(audit)) < audit.sample_size:
        audit.population, audit.category = "known_to_agencies", ""
        audit.save(update_fields=["population", "category"])


def build(seed: int, partnerships: dict[str, Partnership]) -> None:
    staffs = partnerships["STAFFS"]
    rng = random.Random(seed)
    body = _scrutiny(staffs)
    la, police, health = (_agency(staffs, k) for k in KINDS)
    agencies = [la, police, health]

    # 2019-20: voice of the child, complete, re-audit due.
    last = services.programme_add(actor=None, partnership=staffs, year=2019, body=body)
    voice = services.audit_add(
        actor=None, programme=last, title="Voice of the child in child in need plans",
        theme="voice_of_the_child", scale="good_adequate_inadequate", planned_on=D(2019, 11, 1),
        terms_of_reference="Is the child's voice heard and does it shape child in need plans? "
                           "Cases open to children's services and health in the last 12 months.",
        population="known_to_agencies", sample_size=4, agencies=[la, health],
        question_set="general")
    services.sample_draw(actor=None, audit=voice, on=D(2019, 11, 4), seed=seed * 1000 + 19)
    services.returns_open(actor=None, audit=voice, on=D(2019, 11, 5))
    _fill_returns(voice, rng, on={"la_childrens_services": D(2019, 11, 29),
                                  "health": D(2019, 12, 2)},
                  grades_by_kind={"la_childrens_services": ["good", "adequate"],
                                  "health": ["adequate", "inadequate"]})
    _moderate(voice, rng, D(2020, 1, 22), ["good", "adequate", "adequate", "inadequate"])
    for kind, text in (("strength", "Children were seen alone and their wishes recorded."),
                       ("development", "The child's words rarely reached the plan's actions."),
                       ("theme", "Voice of the child")):
        services.finding_add(actor=None, audit=voice, kind=kind, text=text)
    if body is not None:
        action = services.action_raise(
            actor=None, audit=voice, title="Add a 'what the child said' box to the child in "
            "need plan template", owner="Head of Safeguarding", agency=la,
            due_on=D(2020, 6, 30), raised_on=D(2020, 2, 20))
        gov_services.action_close(actor=None, action=action, status="complete",
                                  evidence="New template in use from July 2020.",
                                  on=D(2020, 7, 6))
    services.audit_complete(actor=None, audit=voice, on=D(2020, 2, 20),
                            re_audit_on=D(2021, 2, 1),
                            summary="Practice was adequate overall; the child's voice was "
                                    "heard but did not shape the plan.")

    # 2020-21: neglect, from sample to returns to moderation to actions.
    year = services.programme_add(actor=None, partnership=staffs, year=2020, body=body)
    neglect = services.audit_add(
        actor=None, programme=year, title="Multi-agency audit of neglect", theme="neglect",
        scale="ofsted", planned_on=D(2020, 10, 1),
        terms_of_reference="How well do agencies recognise and respond to neglect, and does "
                           "the child's care improve? Children on a child protection plan "
                           "under the category of neglect during 2020-21; one return from "
                           "each partner agency per case; moderation by the Scrutiny and "
                           "Assurance sub-group.",
        population="cp_plan", category="N", sample_size=4, agencies=agencies)
    _population(neglect)
    services.sample_draw(actor=None, audit=neglect, on=D(2020, 10, 5), seed=seed * 1000 + 20)
    services.returns_open(actor=None, audit=neglect, on=D(2020, 10, 6))
    due = neglect.returns_due or D(2020, 11, 3)
    _fill_returns(neglect, rng, on={"la_childrens_services": due - dt.timedelta(days=5),
                                    "police": due + dt.timedelta(days=6),
                                    "health": due},
                  grades_by_kind={"la_childrens_services": ["good", "requires_improvement"],
                                  "police": ["requires_improvement", "inadequate", "good"],
                                  "health": ["good", "requires_improvement"]})
    _moderate(neglect, rng, D(2020, 11, 18),
              ["good", "requires_improvement", "requires_improvement", "good", "inadequate"])
    findings = [services.finding_add(actor=None, audit=neglect, kind=kind, text=text) for
                kind, text in (
        ("strength", "Neglect was recognised early and the neglect toolkit used by social "
                     "workers and health visitors."),
        ("development", "Plans did not set timescales for improving home conditions, so drift "
                        "went unchallenged."),
        ("development", "Police attendance at core groups was low; their information did not "
                        "reach the plan."),
        ("theme", "Cumulative neglect"))]
    if body is not None:
        toolkit = services.action_raise(
            actor=None, audit=neglect, finding=findings[1], title="Revise the neglect "
            "practice guidance: plans set timescales for each outcome", owner="Head of "
            "Safeguarding", agency=la, due_on=D(2021, 3, 31), raised_on=D(2020, 12, 9))
        services.action_raise(
            actor=None, audit=neglect, finding=findings[2], title="Police attend or send "
            "information to every core group of a child on a neglect plan",
            owner="Detective Inspector", agency=police, due_on=D(2021, 6, 30),
            raised_on=D(2020, 12, 9))
        gov_services.action_close(actor=None, action=toolkit, status="complete",
                                  evidence="Guidance revised and briefed in March 2021.",
                                  on=D(2021, 3, 24))
    services.audit_complete(actor=None, audit=neglect, on=D(2020, 12, 9),
                            re_audit_on=D(2021, 12, 1),
                            summary="Practice requires improvement: neglect is recognised, "
                                    "but plans drift without timescales.")

    # 2020-21: child exploitation, returns open (the police's and health's owed).
    exploitation = services.audit_add(
        actor=None, programme=year, title="Child exploitation: return home interviews and "
        "disruption", theme="exploitation", scale="rag", planned_on=D(2021, 2, 1),
        terms_of_reference="Do agencies share intelligence and disrupt exploitation? Children "
                           "known to the agencies taking part.",
        population="known_to_agencies", sample_size=3, agencies=agencies,
        question_set="general")
    services.sample_draw(actor=None, audit=exploitation, on=D(2021, 2, 8),
                         seed=seed * 1000 + 21)
    services.returns_open(actor=None, audit=exploitation, on=D(2021, 2, 15))
    _fill_returns(exploitation, rng, on={"la_childrens_services": D(2021, 3, 5),
                                         "police": None, "health": None},
                  grades_by_kind={"la_childrens_services": ["green", "amber"],
                                  "police": ["amber"], "health": ["amber", "green"]})

    _year_2021_22(seed, staffs, body, agencies, neglect, voice)


def _year_2021_22(seed: int, staffs: Partnership, body, agencies: list[Agency],
                  neglect: Audit, voice: Audit) -> None:
    """The re-audits of 2021-22, each following the audit it re-audits."""
    rng = random.Random(f"audits:{seed}:2021")
    la, police, health = agencies
    year = services.programme_add(actor=None, partnership=staffs, year=2021, body=body)
    again = services.audit_add(
        actor=None, programme=year, title="Neglect re-audit: timescales and core groups",
        theme="neglect", scale="ofsted", planned_on=D(2021, 12, 1), follows=neglect,
        terms_of_reference="Has practice changed since the 2020-21 neglect audit: do plans "
                           "set timescales, and do the police attend or inform core groups? "
                           "Children on a child protection plan under the category of "
                           "neglect during 2021-22.",
        population="cp_plan", category="N", sample_size=4, agencies=agencies)
    _population(again)
    services.sample_draw(actor=None, audit=again, on=D(2021, 12, 6), seed=seed * 1000 + 22)
    services.returns_open(actor=None, audit=again, on=D(2021, 12, 7))
    due = again.returns_due or D(2022, 1, 11)
    _fill_returns(again, rng, on={"la_childrens_services": due - dt.timedelta(days=3),
                                  "police": due, "health": due - dt.timedelta(days=1)},
                  grades_by_kind={"la_childrens_services": ["good", "good",
                                                           "requires_improvement"],
                                  "police": ["requires_improvement", "good"],
                                  "health": ["good", "requires_improvement"]})
    _moderate(again, rng, D(2022, 1, 26), ["good", "good", "requires_improvement"])
    findings = [services.finding_add(actor=None, audit=again, kind=kind, text=text) for
                kind, text in (
        ("strength", "Plans now set a timescale for each outcome, and drift was challenged "
                     "at review."),
        ("development", "Police information reached most core groups, but officers attended "
                        "few of them."),
        ("theme", "Cumulative neglect"))]
    if body is not None:
        services.action_raise(
            actor=None, audit=again, finding=findings[1], title="Police send a named officer "
            "to the first core group of every child on a neglect plan",
            owner="Detective Inspector", agency=police, due_on=D(2022, 6, 30),
            raised_on=D(2022, 2, 16))
    services.audit_complete(actor=None, audit=again, on=D(2022, 2, 16),
                            re_audit_on=D(2022, 12, 1),
                            summary="Practice has improved: plans set timescales; police "
                                    "attendance at core groups is still the gap.")

    child = services.audit_add(
        actor=None, programme=year, title="Voice of the child re-audit: child in need plans",
        theme="voice_of_the_child", scale="good_adequate_inadequate", planned_on=D(2022, 3, 7),
        follows=voice,
        terms_of_reference="Does the child's voice now shape child in need plans, with the "
                           "'what the child said' box in the template? Cases open to "
                           "children's services and health in the last 12 months.",
        population="known_to_agencies", sample_size=4, agencies=[la, health],
        question_set="general")
    services.sample_draw(actor=None, audit=child, on=D(2022, 3, 7), seed=seed * 1000 + 23)
    services.returns_open(actor=None, audit=child, on=D(2022, 3, 8))
    _fill_returns(child, rng, on={"la_childrens_services": D(2022, 3, 25), "health": None},
                  grades_by_kind={"la_childrens_services": ["good", "adequate"],
                                  "health": ["good", "adequate"]})
