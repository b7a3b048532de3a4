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
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Action:
    """An action raised from an audit into the sub-group's action log."""

    title: str
    owner: str
    agency: str  # the agency's kind
    due_on: dt.date
    raised_on: dt.date
    finding: int | None = None  # the index of the finding behind it
    done: tuple[dt.date, str] | None = None  # (closed on, evidence)


@dataclass(frozen=True)
class Plan:
    """An audit of a year's programme, taken as far as the demo's story goes."""

    key: str
    title: str
    theme: str
    scale: str
    planned_on: dt.date
    terms_of_reference: str
    population: str
    sample_size: int
    agencies: tuple[str, ...]  # kinds, in KINDS' order
    drawn_on: dt.date
    draw: int  # the sample's seed is the demo's seed * 1000 + this
    opened_on: dt.date
    # Each agency's return: submitted on a date, some days from the due date, or owed (None).
    returns: dict[str, dt.date | dt.timedelta | None]
    grades: dict[str, list[str]]  # the grades each agency's returns draw from
    due: dt.date | None = None  # the due date when the audit sets none
    category: str = ""
    question_set: str | None = None
    follows: str | None = None  # the key of the audit it re-audits
    moderated: tuple[dt.date, list[str]] | None = None  # (on, the grades drawn from)
    findings: tuple[tuple[str, str], ...] = ()  # (kind, text)
    actions: tuple[Action, ...] = ()
    completed: tuple[dt.date, dt.date, str] | None = None  # (on, re-audit on, summary)


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


VOICE = Plan(
    key="voice", title="Voice of the child in child in need plans", theme="voice_of_the_child",
    scale="good_adequate_inadequate", planned_on=D(2019, 11, 1),
    terms_of_reference="Is the child's voice heard and does it shape child in need plans? "
                       "Cases open to children's services and health in the last 12 months.",
    population="known_to_agencies", sample_size=4, agencies=("la_childrens_services", "health"),
    question_set="general", drawn_on=D(2019, 11, 4), draw=19, opened_on=D(2019, 11, 5),
    returns={"la_childrens_services": D(2019, 11, 29), "health": D(2019, 12, 2)},
    grades={"la_childrens_services": ["good", "adequate"], "health": ["adequate", "inadequate"]},
    moderated=(D(2020, 1, 22), ["good", "adequate", "adequate", "inadequate"]),
    findings=(("strength", "Children were seen alone and their wishes recorded."),
              ("development", "The child's words rarely reached the plan's actions."),
              ("theme", "Voice of the child")),
    actions=(Action("Add a 'what the child said' box to the child in need plan template",
                    "Head of Safeguarding", "la_childrens_services", D(2020, 6, 30),
                    D(2020, 2, 20), done=(D(2020, 7, 6), "New template in use from July 2020.")),),
    completed=(D(2020, 2, 20), D(2021, 2, 1), "Practice was adequate overall; the child's "
                                              "voice was heard but did not shape the plan."))
NEGLECT = Plan(
    key="neglect", title="Multi-agency audit of neglect", theme="neglect", scale="ofsted",
    planned_on=D(2020, 10, 1),
    terms_of_reference="How well do agencies recognise and respond to neglect, and does the "
                       "child's care improve? Children on a child protection plan under the "
                       "category of neglect during 2020-21; one return from each partner "
                       "agency per case; moderation by the Scrutiny and Assurance sub-group.",
    population="cp_plan", category="N", sample_size=4, agencies=KINDS,
    drawn_on=D(2020, 10, 5), draw=20, opened_on=D(2020, 10, 6), due=D(2020, 11, 3),
    returns={"la_childrens_services": _days(-5), "police": _days(6), "health": _days(0)},
    grades={"la_childrens_services": ["good", "requires_improvement"],
            "police": ["requires_improvement", "inadequate", "good"],
            "health": ["good", "requires_improvement"]},
    moderated=(D(2020, 11, 18),
               ["good", "requires_improvement", "requires_improvement", "good", "inadequate"]),
    findings=(("strength", "Neglect was recognised early and the neglect toolkit used by social "
                           "workers and health visitors."),
              ("development", "Plans did not set timescales for improving home conditions, so "
                              "drift went unchallenged."),
              ("development", "Police attendance at core groups was low; their information did "
                              "not reach the plan."),
              ("theme", "Cumulative neglect")),
    actions=(Action("Revise the neglect practice guidance: plans set timescales for each "
                    "outcome", "Head of Safeguarding", "la_childrens_services", D(2021, 3, 31),
                    D(2020, 12, 9), finding=1,
                    done=(D(2021, 3, 24), "Guidance revised and briefed in March 2021.")),
             Action("Police attend or send information to every core group of a child on a "
                    "neglect plan", "Detective Inspector", "police", D(2021, 6, 30),
                    D(2020, 12, 9), finding=2)),
    completed=(D(2020, 12, 9), D(2021, 12, 1), "Practice requires improvement: neglect is "
                                               "recognised, but plans drift without timescales."))
EXPLOITATION = Plan(
    key="exploitation", title="Child exploitation: return home interviews and disruption",
    theme="exploitation", scale="rag", planned_on=D(2021, 2, 1),
    terms_of_reference="Do agencies share intelligence and disrupt exploitation? Children "
                       "known to the agencies taking part.",
    population="known_to_agencies", sample_size=3, agencies=KINDS, question_set="general",
    drawn_on=D(2021, 2, 8), draw=21, opened_on=D(2021, 2, 15),
    returns={"la_childrens_services": D(2021, 3, 5), "police": None, "health": None},
    grades={"la_childrens_services": ["green", "amber"], "police": ["amber"],
            "health": ["amber", "green"]})
NEGLECT_AGAIN = Plan(
    key="neglect_again", title="Neglect re-audit: timescales and core groups", theme="neglect",
    scale="ofsted", planned_on=D(2021, 12, 1), follows="neglect",
    terms_of_reference="Has practice changed since the 2020-21 neglect audit: do plans set "
                       "timescales, and do the police attend or inform core groups? Children "
                       "on a child protection plan under the category of neglect during "
                       "2021-22.",
    population="cp_plan", category="N", sample_size=4, agencies=KINDS,
    drawn_on=D(2021, 12, 6), draw=22, opened_on=D(2021, 12, 7), due=D(2022, 1, 11),
    returns={"la_childrens_services": _days(-3), "police": _days(0), "health": _days(-1)},
    grades={"la_childrens_services": ["good", "good", "requires_improvement"],
            "police": ["requires_improvement", "good"],
            "health": ["good", "requires_improvement"]},
    moderated=(D(2022, 1, 26), ["good", "good", "requires_improvement"]),
    findings=(("strength", "Plans now set a timescale for each outcome, and drift was "
                           "challenged at review."),
              ("development", "Police information reached most core groups, but officers "
                              "attended few of them."),
              ("theme", "Cumulative neglect")),
    actions=(Action("Police send a named officer to the first core group of every child on a "
                    "neglect plan", "Detective Inspector", "police", D(2022, 6, 30),
                    D(2022, 2, 16), finding=1),),
    completed=(D(2022, 2, 16), D(2022, 12, 1), "Practice has improved: plans set timescales; "
                                               "police attendance at core groups is still the "
                                               "gap."))
VOICE_AGAIN = Plan(
    key="voice_again", title="Voice of the child re-audit: child in need plans",
    theme="voice_of_the_child", scale="good_adequate_inadequate", planned_on=D(2022, 3, 7),
    follows="voice",
    terms_of_reference="Does the child's voice now shape child in need plans, with the 'what "
                       "the child said' box in the template? Cases open to children's services "
                       "and health in the last 12 months.",
    population="known_to_agencies", sample_size=4, agencies=("la_childrens_services", "health"),
    question_set="general", drawn_on=D(2022, 3, 7), draw=23, opened_on=D(2022, 3, 8),
    returns={"la_childrens_services": D(2022, 3, 25), "health": None},
    grades={"la_childrens_services": ["good", "adequate"], "health": ["good", "adequate"]})

# The programmes, year by year: (year, drawn from a stream of its own, the audits in order).
PROGRAMMES = (
    (2019, False, (VOICE,)),
    (2020, False, (NEGLECT, EXPLOITATION)),
    (2021, True, (NEGLECT_AGAIN, VOICE_AGAIN)),
)


def build(seed: int, partnerships: dict[str, Partnership]) -> None:
    staffs = partnerships["STAFFS"]
    rng = random.Random(seed)
    body = _scrutiny(staffs)
    agencies = {k: _agency(staffs, k) for k in KINDS}
    made: dict[str, Audit] = {}
    for year, own_stream, plans in PROGRAMMES:
        stream = random.Random(f"audits:{seed}:{year}") if own_stream else rng
        programme = services.programme_add(actor=None, partnership=staffs, year=year, body=body)
        for plan in plans:
            made[plan.key] = _run(plan, programme, seed, stream, body, agencies, made)


def _returned_on(day: dt.date | dt.timedelta | None, due: dt.date | None) -> dt.date | None:
    if not isinstance(day, dt.timedelta):
        return day
    if due is None:
        raise ValueError("A return dated from the due date needs the audit's due date")
    return due + day


def _run(plan: Plan, programme, seed: int, rng: random.Random, body,
         agencies: dict[str, Agency], made: dict[str, Audit]) -> Audit:
    """Plan the audit, draw its sample, fill the returns, then moderate, find, act and
    complete as far as ``plan`` goes."""
    audit = services.audit_add(
        actor=None, programme=programme, title=plan.title, theme=plan.theme,
        scale=plan.scale, planned_on=plan.planned_on, terms_of_reference=plan.terms_of_reference,
        population=plan.population, category=plan.category, sample_size=plan.sample_size,
        agencies=[agencies[k] for k in plan.agencies], question_set=plan.question_set,
        follows=made[plan.follows] if plan.follows else None)
    if plan.population == "cp_plan":
        _population(audit)
    services.sample_draw(actor=None, audit=audit, on=plan.drawn_on,
                         seed=seed * 1000 + plan.draw)
    services.returns_open(actor=None, audit=audit, on=plan.opened_on)
    due = audit.returns_due or plan.due
    on = {kind: _returned_on(day, due) for kind, day in plan.returns.items()}
    _fill_returns(audit, rng, on=on, grades_by_kind=plan.grades)
    if plan.moderated is not None:
        _moderate(audit, rng, *plan.moderated)
    findings = [services.finding_add(actor=None, audit=audit, kind=kind, text=text)
                for kind, text in plan.findings]
    if body is not None:
        raised = [(action, services.action_raise(
            actor=None, audit=audit, title=action.title, owner=action.owner,
            agency=agencies[action.agency], due_on=action.due_on, raised_on=action.raised_on,
            finding=findings[action.finding] if action.finding is not None else None))
            for action in plan.actions]
        for action, logged in raised:
            if action.done is not None:
                gov_services.action_close(actor=None, action=logged, status="complete",
                                          evidence=action.done[1], on=action.done[0])
    if plan.completed is not None:
        on_day, re_audit_on, summary = plan.completed
        services.audit_complete(actor=None, audit=audit, on=on_day, re_audit_on=re_audit_on,
                                summary=summary)
    return audit
