"""The demo partnership's governance, 2019-20 to 2021-22, small and the same every build.

Staffordshire's board and its sub-groups and task groups from the seed (Scrutiny and
Assurance, the CSPR sub-group, CDOP, the Review of Restraint task group, Learning in
Practice) and a Covid-19 sub-group from June 2020, joint with Stoke-on-Trent. Each has
terms of reference (Scrutiny and Assurance's refreshed with a new chair in September
2020). Scrutiny and Assurance meets three times (one meeting not quorate, the police
sending apologies), the board twice and the Covid-19 sub-group four times; their actions
go into the one action log, most done on time, one done late, one carried forward and
left overdue with another. The Covid-19 sub-group keeps a temporary risk register whose scores fall over
five reviews until it is closed in June 2021; the board keeps a strategic register.

Around that year, so 2020-21 compares with the years either side: from the arrangements'
start in September 2019, Scrutiny and Assurance meets three times and the board twice in
2019-20; in 2021-22 Scrutiny and Assurance meets four times (its terms refreshed in
September 2021), the board twice, and the Covid-19 sub-group once more, to close its
register. Their actions are done, the earlier years' on time. The years are built in order,
so each meeting approves the minutes of the one before.

People are named by role only. Everything is written through the services with
``actor=None`` (the command line).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguarding.core.models import Agency, Partnership, SubGroup
from safeguarding.governance import services
from safeguarding.governance.models import Body, Meeting, Priority

D = dt.date
STARTED = dt.date(2019, 9, 1)
REVIEW = dt.date(2021, 9, 1)
PARTNERS = ("la_childrens_services", "police", "health")


def _agency(partnership: Partnership, kind: str) -> Agency:
    found = Agency.objects.filter(kind=kind, partnerships=partnership).order_by("name").first()
    if found is None:
        raise LookupError(f"The demo has no {kind} agency for {partnership.code}")
    return found


def _body(partnership, kind, name, *, sub_group=None, joint_with=(), reports_to=None,
          started_on=STARTED, members, chair, quorum, frequency, purpose,
          review_on=REVIEW) -> Body:
    group = (SubGroup.objects.filter(partnership=partnership, name=sub_group).first()
             if sub_group else None)
    body = services.body_add(actor=None, partnership=partnership, kind=kind, name=name,
                             sub_group=group, joint_with=joint_with, reports_to=reports_to,
                             started_on=started_on)
    services.terms_add(actor=None, body=body, purpose=purpose, chair=chair[0],
                       chair_agency=chair[1], quorum=quorum, frequency=frequency,
                       effective_from=started_on, review_on=review_on, members=members)
    return body


def _hold(body: Body, day: dt.date, absent: dict[int, str] | None = None,
          decisions=(), minutes: str = "") -> Meeting:
    """Plan and hold a meeting: every member agency present but those in ``absent``."""
    meeting = services.meeting_schedule(actor=None, body=body, held_on=day)
    absent = absent or {}
    members = sorted({m.agency for m in meeting.terms.members.all()}, key=lambda a: a.name)
    services.attendance_record(actor=None, meeting=meeting, entries=[
        (a, absent.get(a.pk, "present"), "") for a in members])
    for text in decisions:
        services.decision_record(actor=None, meeting=meeting, text=text)
    services.minutes_record(actor=None, meeting=meeting,
                            text=minutes or f"Minutes of the {body.name} meeting.")
    previous = (body.meetings.filter(held=True, held_on__lt=day).order_by("-held_on").first())
    if previous is not None and previous.minutes_approved_at_id is None:
        services.minutes_approve(actor=None, meeting=previous, at=meeting)
    return meeting


def build(seed: int, partnerships: dict[str, Partnership]) -> None:
    """Build the governance records (``seed`` is unused: every record is fixed)."""
    staffs, stoke = partnerships["STAFFS"], partnerships["STOKE"]
    la, police, health = (_agency(staffs, k) for k in PARTNERS)
    education, yjs = _agency(staffs, "education"), _agency(staffs, "youth_justice")
    secure, probation = _agency(staffs, "secure_setting"), _agency(staffs, "probation")
    voluntary, stoke_la = _agency(staffs, "voluntary"), _agency(stoke, "la_childrens_services")
    partners = [(la, "Director of Children's Services"), (police, "Detective Superintendent"),
                (health, "Chief Nurse")]

    board = _body(staffs, Body.Kind.BOARD, "Staffordshire Safeguarding Children Board",
                  members=partners + [(education, "Head teacher representative"),
                                      (probation, "Head of service"),
                                      (voluntary, "Chief executive")],
                  chair=("Independent chair", None), quorum=4, frequency="quarterly",
                  purpose="Lead the multi-agency safeguarding arrangements: set priorities, "
                          "hold agencies to account and publish the yearly report.")
    scrutiny = _body(staffs, Body.Kind.SUB_GROUP, "Scrutiny and Assurance",
                     sub_group="Scrutiny and Assurance", reports_to=board,
                     members=[(la, "Head of Safeguarding"), (police, "Detective Inspector"),
                              (health, "Designated Nurse"), (education, "Education safeguarding lead")],
                     chair=("Head of Safeguarding", la), quorum=3, frequency="bi_monthly",
                     purpose="Scrutinise performance data and audits; assure the board that "
                             "practice keeps children safe.", review_on=D(2020, 9, 1))
    for name, group, kind, members in (
            ("Child Safeguarding Practice Review", "Practice Reviews", Body.Kind.SUB_GROUP,
             [(la, "Service manager"), (police, "Detective Inspector"), (health, "Named Nurse")]),
            ("Child Death Overview Panel", "Child Death Overview Panel", Body.Kind.SUB_GROUP,
             [(health, "Designated Doctor"), (la, "Service manager"), (police, "Detective Sergeant")]),
            ("Review of Restraint Task Group", "Review of Restraint", Body.Kind.TASK_GROUP,
             [(la, "Social work manager"), (secure, "Head of Safety"), (yjs, "Youth justice manager")]),
            ("Learning in Practice", "Learning in Practice", Body.Kind.SUB_GROUP,
             [(la, "Workforce development lead"), (health, "Named Nurse"),
              (education, "Education safeguarding lead")])):
        _body(staffs, kind, name, sub_group=group, reports_to=board, members=members,
              chair=(members[0][1], members[0][0]), quorum=2, frequency="quarterly",
              purpose=f"The {name}'s part of the board's work, reporting to the board.")
    covid = _body(staffs, Body.Kind.SUB_GROUP, "Covid-19 Sub-group", joint_with=[stoke],
                  reports_to=board, started_on=D(2020, 6, 1), review_on=D(2021, 6, 1),
                  members=partners + [(stoke_la, "Assistant Director, Stoke-on-Trent"),
                                      (education, "Education safeguarding lead")],
                  chair=("Director of Children's Services", la), quorum=3, frequency="monthly",
                  purpose="Keep children safe through the Covid-19 pandemic across both "
                          "partnerships: watch the risks lockdown brings and act on them.")

    agencies = {"la": la, "police": police, "health": health, "education": education}
    bodies = {"scrutiny": scrutiny, "board": board}
    _sittings(YEAR_2019, bodies, agencies)
    _scrutiny_year(scrutiny, agencies)
    _board_year(board, la)
    _covid_year(covid, la, police, health, education)
    _sittings(YEAR_2021, bodies, agencies)
    _strategic_reviews(board)
    _business_plan(staffs, board, scrutiny, la, health)


# The seed's three priorities for 2020-21, with objectives from its "Our priorities" pages.
PRIORITIES = (
    ("neglect", "Neglect",
     "Neglect features in local and national reviews and in around two thirds of child "
     "protection plans.",
     ["Embed the Graded Care Profile 2 across agencies",
      "Understand why families are re-referred once support is withdrawn"]),
    ("child-exploitation", "Child exploitation",
     "An intelligence-driven, child-focused response to criminal and sexual exploitation.",
     ["Implement the child exploitation strategy with Stoke-on-Trent",
      "Build on the Tackling Child Exploitation programme"]),
    ("multi-agency-practice", "Effective multi-agency safeguarding practice",
     "Learning is identified and embedded at individual and multi-agency level.",
     ["Measure the effectiveness of the system through single- and multi-agency audits",
      "Share learning from reviews in new ways"]),
)
# Commitments made in the 2019-20 report (entered in the business plan by hand, as the
# 2019-20 report predates the platform): (section, section title, text, priority key, due,
# status, evidence, owned by the business unit).
COMMITMENTS_2019 = (
    ("scrutiny", "Scrutiny and assurance",
     "Develop a multi-agency performance dashboard, starting with neglect", "neglect",
     D(2021, 3, 31), "kept", "Dashboard reported to the Scrutiny and Assurance group in "
                             "December 2020.", True),
    ("neglect", "Neglect", "Roll out the Graded Care Profile 2 to partner agencies", "neglect",
     D(2021, 3, 31), "in_progress", "Training paused during lockdown; 40 practitioners trained.",
     True),
    ("child-exploitation", "Child exploitation",
     "Publish a joint child exploitation strategy with Stoke-on-Trent", "child-exploitation",
     D(2020, 12, 31), "kept", "Strategy published in November 2020.", False),
    ("focus", "The partnership", "Hold an annual practitioner conference", "",
     D(2020, 11, 30), "missed", "Cancelled because of Covid-19 restrictions.", False),
)


def _business_plan(staffs, board, scrutiny, la, health) -> None:
    from safeguarding.core.models import User

    owner = User.objects.filter(username="business.staffs").first()
    for year in ("2019-20", "2020-21"):
        for key, title, summary, objectives in PRIORITIES:
            services.priority_add(actor=None, partnership=staffs, year=year, key=key,
                                  title=title, summary=summary, objectives=objectives,
                                  lead_body=scrutiny if key == "neglect" else board)
    priorities = {p.key: p for p in Priority.objects.filter(partnership=staffs,
                                                                     year="2019-20")}
    for n, (section, title, text, key, due, status, evidence, owned) in enumerate(
            COMMITMENTS_2019):
        made = services.commitment_add(actor=None, partnership=staffs, year_made="2019-20",
                                       text=text, section=section, section_title=title,
                                       priority=priorities.get(key), position=n)
        services.commitment_update(
            actor=None, commitment=made, status=status, evidence=evidence,
            owner=owner if owned else None, owner_agency=la if section != "neglect" else health,
            due_on=due, priority=priorities.get(key),
            measure_key="governance_meetings_quorate_rate" if section == "scrutiny" else "",
            on=min(due, D(2021, 3, 31)))


def _scrutiny_year(body, agencies: dict[str, Agency]) -> None:
    la, police, health, education = (agencies[k] for k in ("la", "police", "health", "education"))
    june = _hold(body, D(2020, 6, 17), decisions=[
        "The multi-agency audit of neglect goes ahead in the autumn."])
    audit = services.action_add(actor=None, body=body, raised_at=june, raised_on=june.held_on,
                                title="Complete the multi-agency audit of neglect",
                                owner="Head of Safeguarding", agency=la, due_on=D(2020, 11, 30))
    data = services.action_add(actor=None, body=body, raised_at=june, raised_on=june.held_on,
                               title="Bring police domestic abuse notifications data to the group",
                               owner="Detective Inspector", agency=police, due_on=D(2020, 9, 1))
    gp = services.action_add(actor=None, body=body, raised_at=june, raised_on=june.held_on,
                             title="Report GP attendance at child protection conferences",
                             owner="Designated Nurse", agency=health, due_on=D(2020, 9, 1))
    _scrutiny_terms(body, agencies, Terms("Designated Nurse (new chair)", "bi_monthly",
                                          D(2020, 9, 1), D(2021, 9, 1)))
    _hold(body, D(2020, 9, 16), absent={police.pk: "apologies"}, decisions=[
        "Not quorate without the police: decisions deferred to the December meeting."])
    services.action_close(actor=None, action=gp, status="complete", on=D(2020, 9, 10),
                          evidence="Attendance report presented: 64% of conferences had a GP report.")
    services.action_carry_forward(actor=None, action=data, due_on=D(2020, 12, 1))
    services.action_close(actor=None, action=audit, status="complete", on=D(2020, 11, 27),
                          evidence="Audit report circulated to the group on 27 November 2020.")
    december = _hold(body, D(2020, 12, 9), decisions=[
        "The neglect audit's findings go to the board in January.",
        "A learning briefing on neglect is written for practitioners."])
    briefing = services.action_add(
        actor=None, body=body, raised_at=december, raised_on=december.held_on,
        title="Write a seven-minute briefing on neglect", owner="Education safeguarding lead",
        agency=education, due_on=D(2021, 2, 26))
    services.action_close(actor=None, action=briefing, status="complete", on=D(2021, 2, 19),
                          evidence="Briefing published on the partnership's website.")


# Scrutiny and Assurance's terms when refreshed (the chair is the health member).
SCRUTINY_PURPOSE = ("Scrutinise performance data, audits and the voice of children; assure "
                    "the board that practice keeps children safe.")
SCRUTINY_MEMBERS = (("la", "Head of Safeguarding"), ("police", "Detective Inspector"),
                    ("health", "Designated Nurse"), ("education", "Education safeguarding lead"))


@dataclass(frozen=True)
class Terms:
    """Scrutiny and Assurance's terms of reference, refreshed."""

    chair: str
    frequency: str
    effective_from: dt.date
    review_on: dt.date


@dataclass(frozen=True)
class Done:
    """An action raised at a meeting and done by its due date."""

    title: str
    owner: str
    agency: str  # a key of build's agencies
    due_on: dt.date
    done_on: dt.date
    evidence: str


@dataclass(frozen=True)
class Sitting:
    """A meeting of the board or of Scrutiny and Assurance outside the seed's year."""

    body: str  # "board" or "scrutiny"
    day: dt.date
    decision: str
    done: Done | None = None
    terms: Terms | None = None  # Scrutiny and Assurance's terms refreshed before it meets


# 2019-20, from the arrangements' start; each body's meetings in date order.
YEAR_2019 = (
    Sitting("scrutiny", D(2019, 10, 16), "The group's performance dashboard starts with neglect.",
            Done("Draft the neglect performance dashboard", "Head of Safeguarding", "la",
                 D(2019, 12, 31), D(2019, 12, 6), "Draft dashboard presented in December 2019.")),
    Sitting("scrutiny", D(2019, 12, 11),
            "The voice-of-the-child audit reports to the group in February.",
            Done("Report health's attendance at strategy discussions", "Designated Nurse",
                 "health", D(2020, 2, 14), D(2020, 2, 12),
                 "Attendance report presented in February 2020.")),
    Sitting("scrutiny", D(2020, 2, 19),
            "The multi-agency audit programme for 2020-21 is agreed: neglect first."),
    Sitting("board", D(2019, 10, 9),
            "The board agrees the sub-groups' terms of reference under the new arrangements.",
            Done("Publish the local safeguarding arrangements on the website",
                 "Director of Children's Services", "la", D(2019, 11, 29), D(2019, 11, 22),
                 "Arrangements published on the partnership's website.")),
    Sitting("board", D(2020, 1, 22),
            "The board asks Scrutiny and Assurance for a neglect dashboard by March 2021."),
)
# 2021-22: Scrutiny and Assurance's terms refreshed in September; the board twice.
YEAR_2021 = (
    Sitting("scrutiny", D(2021, 6, 16), "The neglect re-audit is held in December 2021.",
            Done("Report re-referrals of children whose neglect plans ended",
                 "Head of Safeguarding", "la", D(2021, 9, 30), D(2021, 9, 8),
                 "Re-referral report presented in September 2021.")),
    Sitting("scrutiny", D(2021, 9, 15), "The group's terms of reference are refreshed.",
            terms=Terms("Designated Nurse", "quarterly", D(2021, 9, 1), D(2022, 9, 1))),
    Sitting("scrutiny", D(2021, 12, 8), "The neglect re-audit's returns are due in January.",
            Done("Bring the neglect re-audit's findings to the board", "Designated Nurse",
                 "health", D(2022, 3, 31), D(2022, 3, 16),
                 "Findings presented to the board in March 2022.")),
    Sitting("scrutiny", D(2022, 2, 16),
            "The neglect re-audit's findings go to the board in March."),
    Sitting("board", D(2021, 7, 14),
            "The Covid-19 sub-group's remaining risks are held on the strategic register."),
    Sitting("board", D(2022, 1, 19), "The board receives the neglect re-audit's early findings."),
)
# The strategic risk reviewed at the board's 2021-22 meetings: (meeting, next review).
STRATEGIC_REVIEWS_2021 = ((D(2021, 7, 14), D(2022, 1, 1)), (D(2022, 1, 19), D(2022, 4, 1)))


def _scrutiny_terms(body: Body, agencies: dict[str, Agency], terms: Terms) -> None:
    services.terms_add(actor=None, body=body, purpose=SCRUTINY_PURPOSE, chair=terms.chair,
                       chair_agency=agencies["health"], quorum=3, frequency=terms.frequency,
                       effective_from=terms.effective_from, review_on=terms.review_on,
                       members=[(agencies[key], role) for key, role in SCRUTINY_MEMBERS])


def _sittings(rows, bodies: dict[str, Body], agencies: dict[str, Agency]) -> None:
    """Hold a year's meetings in order, each with its decision and the action done."""
    for row in rows:
        body = bodies[row.body]
        if row.terms is not None:
            _scrutiny_terms(body, agencies, row.terms)
        meeting = _hold(body, row.day, decisions=[row.decision])
        if row.done is not None:
            done = row.done
            action = services.action_add(actor=None, body=body, raised_at=meeting,
                                         raised_on=meeting.held_on, title=done.title,
                                         owner=done.owner, agency=agencies[done.agency],
                                         due_on=done.due_on)
            services.action_close(actor=None, action=action, status="complete",
                                  on=done.done_on, evidence=done.evidence)


def _strategic_reviews(board) -> None:
    from safeguarding.governance.models import Risk

    risk = Risk.objects.filter(register__body=board, register__kind="strategic").first()
    if risk is not None:
        for day, next_review in STRATEGIC_REVIEWS_2021:
            services.risk_review(actor=None, risk=risk, on=day, likelihood=3,
                                 impact=4, residual_likelihood=2, residual_impact=3,
                                 review_on=next_review, note="Reviewed at the board")


def _board_year(board, la) -> None:
    july = _hold(board, D(2020, 7, 15), decisions=[
        "The board sets up a Covid-19 sub-group joint with Stoke-on-Trent."])
    register = services.register_open(actor=None, body=board, name="Strategic risk register",
                                      kind="strategic", opened_on=D(2020, 4, 1))
    risk = services.risk_add(
        actor=None, register=register, title="Partners' funding for the arrangements falls",
        cause="Budget pressures on the three safeguarding partners",
        consequence="The business unit cannot support the sub-groups' work",
        owner="Independent chair", controls="Funding agreement reviewed each year",
        likelihood=3, impact=4, residual_likelihood=2, residual_impact=4,
        review_on=D(2020, 10, 1), on=D(2020, 4, 1))
    funding = services.action_add(actor=None, body=board, raised_at=july, raised_on=july.held_on,
                                  title="Agree the 2021-22 partner contributions",
                                  owner="Director of Children's Services", agency=la,
                                  due_on=D(2021, 1, 29))
    services.risk_link_action(actor=None, risk=risk, action=funding)
    january = _hold(board, D(2021, 1, 20), decisions=[
        "The board receives the neglect audit and asks for a re-audit in 2021-22."])
    services.risk_review(actor=None, risk=risk, on=january.held_on, likelihood=3, impact=4,
                         residual_likelihood=2, residual_impact=3, review_on=D(2021, 4, 1),
                         note="Contributions agreed in principle")
    services.action_close(actor=None, action=funding, status="complete", on=D(2021, 1, 27),
                          evidence="Contributions agreed by the three partners on 27 January.")


COVID_RISKS = (
    ("Children at risk are not seen while schools are closed",
     "Lockdown closes schools and limits home visits",
     "Abuse and neglect go unnoticed; referrals fall and then surge",
     "Head of Safeguarding", "la_childrens_services",
     "Vulnerable children invited to school; visits risk-assessed and kept up",
     [(5, 5, 5, 4), (4, 5, 4, 4), (4, 5, 3, 4), (3, 4, 2, 4), (2, 4, 2, 3)]),
    ("Domestic abuse rises while families are confined",
     "Lockdown, financial stress and fewer ways to seek help",
     "More children exposed to domestic abuse",
     "Detective Superintendent", "police",
     "Operation Encompass notifications to schools; daily police triage",
     [(5, 4, 4, 4), (4, 4, 4, 3), (4, 4, 3, 3), (3, 4, 2, 3), (2, 3, 2, 2)]),
    ("Health visiting and school nursing contacts fall",
     "Staff redeployed to the Covid-19 response",
     "Developmental and safeguarding concerns found late",
     "Chief Nurse", "health",
     "Virtual contacts; face-to-face for children on plans",
     [(4, 4, 4, 3), (4, 4, 3, 3), (3, 4, 3, 2), (3, 3, 2, 2), (2, 3, 1, 2)]),
    ("Multi-agency meetings lose attendance online",
     "Meetings move to video at short notice",
     "Decisions taken without every agency's information",
     "Business manager", "la_childrens_services",
     "Video platform agreed; attendance tracked at every meeting",
     [(3, 4, 3, 3), (3, 3, 2, 3), (2, 3, 2, 2), (2, 3, 1, 2), (1, 3, 1, 2)]),
)
COVID_REVIEWS = (D(2020, 6, 24), D(2020, 8, 26), D(2020, 10, 28), D(2021, 1, 27), D(2021, 3, 24))


def _covid_year(body, la, police, health, education) -> None:
    agencies = {"la_childrens_services": la, "police": police, "health": health}
    register = services.register_open(actor=None, body=body, name="Covid-19 risk register",
                                      kind="temporary", opened_on=D(2020, 6, 1))
    risks = []
    for title, cause, consequence, owner, kind, controls, scores in COVID_RISKS:
        first = scores[0]
        risks.append((services.risk_add(
            actor=None, register=register, title=title, cause=cause, consequence=consequence,
            owner=owner, owner_agency=agencies[kind], controls=controls,
            likelihood=first[0], impact=first[1], residual_likelihood=first[2],
            residual_impact=first[3], review_on=COVID_REVIEWS[1], on=COVID_REVIEWS[0]), scores))
    for n, day in enumerate(COVID_REVIEWS[1:], start=1):
        meeting = _hold(body, day, absent={education.pk: "apologies"} if n == 2 else None)
        following = COVID_REVIEWS[n + 1] if n + 1 < len(COVID_REVIEWS) else D(2021, 6, 30)
        for risk, scores in risks:
            s = scores[n]
            services.risk_review(actor=None, risk=risk, on=day, likelihood=s[0], impact=s[1],
                                 residual_likelihood=s[2], residual_impact=s[3],
                                 review_on=following, note="Reviewed at the sub-group")
        if n == 1:
            services.action_add(actor=None, body=body, raised_at=meeting, raised_on=day,
                                title="Agree a recovery plan for face-to-face visits",
                                owner="Head of Safeguarding", agency=la, due_on=D(2020, 10, 30))
    _hold(body, D(2021, 6, 23), decisions=[
        "The register closes at the end of June; the strategic register holds what remains."])
    services.register_close(actor=None, register=register, on=D(2021, 6, 30),
                            reason="Restrictions lifted; the remaining risks are held on the "
                                   "strategic register.")
