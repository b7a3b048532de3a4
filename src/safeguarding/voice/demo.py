"""The demo partnership's voice work, 2019-20 to 2021-22, the same every build.

- The Staffordshire Youth Commission's survey of 1,000 young people (anonymous, autumn
  2020, closed): 62% worried about knife and gang crime, 58% struggled to stay engaged
  with learning during lockdown, and free text on what would make them feel safer, coded
  against a code frame (a few answers left to code);
- a survey of parents and carers on lockdown and learning (anonymous, summer 2020, closed);
- a practitioner survey on professional challenge and escalation (names optional, still
  open, due to close at the end of March 2021: the business unit's work to close it).

The years either side, so 2020-21 compares with them (counts are the demo's, not the
seed's): in 2019-20, from the arrangements' start, a practitioner survey on neglect and the
threshold document (names optional, closed in February 2020); in 2021-22, the Youth
Commission asking again (autumn 2021, closed, answers coded), fewer young people worried
about knife and gang crime after 'Ditch the Blade'. 2020-21's surveys are drawn from their
stream as they always were; each other year's from a stream of its own.

Responses are loaded through the CSV import, as a partnership would load an export from
its survey tool. "You said, we did" records link what was said to actions in governance's
action log (governance/demo.py runs first). Everything is written with ``actor=None``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from safeguarding.core.models import Agency, Partnership
from safeguarding.voice import importer, services

D = dt.date


def _spread(rng: random.Random, counts: dict[str, int]) -> list[str]:
    found = [value for value, n in counts.items() for _ in range(n)]
    rng.shuffle(found)
    return found


def _load(survey, rows: list[dict], name: str) -> None:
    questions = list(survey.questions.all())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=importer.template_header(questions).split(","))
    writer.writeheader()
    writer.writerows(rows)
    services.responses_import(actor=None, survey=survey, content=out.getvalue().encode(),
                              file_name=name)


def _days(rng: random.Random, first: dt.date, last: dt.date, n: int) -> list[str]:
    span = (last - first).days
    return sorted((first + dt.timedelta(days=rng.randint(0, span))).isoformat()
                  for _ in range(n))


SAFER = {
    "activities": ("More things for young people to do", [
        "More youth clubs and things to do in the evenings",
        "Somewhere to go after school that isn't the street",
        "Sports clubs that are free"]),
    "police": ("Police and adults around", [
        "More police walking around the town centre",
        "Police who actually talk to young people"]),
    "routes": ("Safer streets and routes", [
        "Better lighting on the way home from the bus stop",
        "CCTV in the park"]),
    "wellbeing": ("Someone to talk to", [
        "Someone at school to talk to about worries",
        "Mental health support that doesn't take months"]),
}


def _knife_crime_question(survey) -> None:
    """The Youth Commission's question, asked the same way each year so the years compare."""
    services.question_add(actor=None, survey=survey, key="knife_crime", tag="knife_crime_worry",
                          text="How worried are you about knife and gang crime where you live?",
                          kind="single", options=[("very_worried", "Very worried"),
                                                  ("worried", "Worried"),
                                                  ("not_very_worried", "Not very worried"),
                                                  ("not_worried", "Not worried at all")])


def _feeling_safe_questions(survey) -> dict:
    """How safe young people feel and what would make them feel safer, with the code frame
    for the free text: asked the same way each year."""
    services.question_add(actor=None, survey=survey, key="feel_safe", kind="scale",
                          scale=(1, 5),
                          text="How safe do you feel in your area (1 not safe, 5 very safe)?")
    services.question_add(actor=None, survey=survey, key="safer", kind="free_text",
                          text="What would make you feel safer?")
    return {key: services.code_add(actor=None, survey=survey, label=label, key=key)
            for key, (label, _) in SAFER.items()}


def _youth_commission(staffs: Partnership, rng: random.Random):
    survey = services.survey_create(
        actor=None, partnership=staffs, title="Youth Commission: feeling safe in Staffordshire",
        audience="children", anonymous=True, run_by="Staffordshire Youth Commission",
        themes=["child_exploitation", "voice"], closes_on=D(2020, 11, 30),
        description="The Youth Commission asked young people about crime, safety and "
                    "lockdown, for its 2020 annual report.")
    _knife_crime_question(survey)
    services.question_add(actor=None, survey=survey, key="learning", tag="learning_engagement",
                          text="Did you struggle to stay engaged with learning during lockdown?",
                          kind="single", options=[("yes", "Yes"), ("no", "No")])
    codes = _feeling_safe_questions(survey)
    services.survey_open(actor=None, survey=survey, on=D(2020, 9, 1))
    n = 1000
    knife = _spread(rng, {"very_worried": 226, "worried": 385, "not_very_worried": 265,
                          "not_worried": 109, "": 15})
    learning = _spread(rng, {"yes": 568, "no": 412, "": 20})
    safe = _spread(rng, {"1": 64, "2": 158, "3": 371, "4": 287, "5": 108, "": 12})
    themes = _spread(rng, {k: 30 for k in SAFER} | {"": n - 30 * len(SAFER)})
    days = _days(rng, D(2020, 9, 1), D(2020, 11, 27), n)
    rows = [{"received_on": days[i], "respondent": "", "knife_crime": knife[i],
             "learning": learning[i], "feel_safe": safe[i],
             "safer": rng.choice(SAFER[themes[i]][1]) if themes[i] else ""} for i in range(n)]
    for row in rows:
        if not any(row[k] for k in ("knife_crime", "learning", "feel_safe", "safer")):
            row["feel_safe"] = "3"  # a response answers at least one question
    _load(survey, rows, "youth-commission-2020.csv")
    from safeguarding.voice import selectors

    waiting = list(selectors.uncoded_answers(survey))
    by_text = {text: key for key, (_, texts) in SAFER.items() for text in texts}
    for answer in waiting[:-8]:  # eight left for the business unit to code
        services.answer_code(actor=None, answer=answer, codes=[codes[by_text[answer.text]]])
    services.survey_close(actor=None, survey=survey, on=D(2020, 11, 30))
    return survey, codes


def _families(staffs: Partnership, rng: random.Random):
    survey = services.survey_create(
        actor=None, partnership=staffs, title="Parents and carers: lockdown and learning",
        audience="families", anonymous=True, themes=["voice", "neglect"],
        closes_on=D(2020, 7, 31),
        description="How families managed learning at home in the first lockdown.")
    services.question_add(actor=None, survey=survey, key="engaged", kind="single",
                          text="Did you struggle to keep your children engaged with learning?",
                          options=[("yes", "Yes"), ("no", "No")])
    services.question_add(actor=None, survey=survey, key="communication", kind="single",
                          text="How good was communication with your child's school?",
                          options=[("good", "Good"), ("mixed", "Mixed"), ("poor", "Poor")])
    services.question_add(actor=None, survey=survey, key="help", kind="multiple",
                          text="What would have helped?",
                          options=["Laptops or data", "Printed work", "Regular calls",
                                   "Help with my own wellbeing"])
    services.survey_open(actor=None, survey=survey, on=D(2020, 6, 15))
    n = 312
    engaged = _spread(rng, {"yes": 193, "no": 119})
    comms = _spread(rng, {"good": 215, "mixed": 61, "poor": 36})
    helps = ["Laptops or data;Regular calls", "Printed work", "Regular calls",
             "Help with my own wellbeing", "Laptops or data", ""]
    days = _days(rng, D(2020, 6, 15), D(2020, 7, 31), n)
    _load(survey, [{"received_on": days[i], "respondent": "", "engaged": engaged[i],
                    "communication": comms[i], "help": rng.choice(helps)} for i in range(n)],
          "parents-carers-2020.csv")
    services.survey_close(actor=None, survey=survey, on=D(2020, 7, 31))
    return survey


def _practitioners(staffs: Partnership, rng: random.Random):
    survey = services.survey_create(
        actor=None, partnership=staffs, title="Practitioners: professional challenge and escalation",
        audience="practitioners", anonymous=False, themes=["voice", "learning_reviews"],
        closes_on=D(2021, 3, 31),
        description="How confident practitioners feel to challenge and escalate, after the "
                    "board's escalation policy was refreshed.")
    services.question_add(actor=None, survey=survey, key="confident", kind="single",
                          tag="confident_to_challenge",
                          text="I feel confident to challenge another agency's decision",
                          options=[("strongly_agree", "Strongly agree"), ("agree", "Agree"),
                                   ("disagree", "Disagree"),
                                   ("strongly_disagree", "Strongly disagree")])
    services.question_add(actor=None, survey=survey, key="policy", kind="single",
                          text="Do you know where to find the escalation policy?",
                          options=[("yes", "Yes"), ("no", "No")])
    services.question_add(actor=None, survey=survey, key="barriers", kind="free_text",
                          text="What gets in the way of escalating a concern?")
    services.code_add(actor=None, survey=survey, label="Time and workload", key="time")
    services.code_add(actor=None, survey=survey, label="Not knowing who to contact",
                      key="contacts")
    services.survey_open(actor=None, survey=survey, on=D(2021, 1, 11))
    n = 184
    confident = _spread(rng, {"strongly_agree": 38, "agree": 83, "disagree": 49,
                              "strongly_disagree": 14})
    policy = _spread(rng, {"yes": 131, "no": 53})
    roles = ["Social worker", "Health visitor", "Designated safeguarding lead",
             "Police officer", ""]
    barriers = ["Caseloads leave no time to follow up", "Not sure who the manager is in "
                "the other agency", ""]
    days = _days(rng, D(2021, 1, 11), D(2021, 3, 12), n)
    _load(survey, [{"received_on": days[i], "respondent": rng.choice(roles),
                    "confident": confident[i], "policy": policy[i],
                    "barriers": rng.choice(barriers) if i % 4 == 0 else ""} for i in range(n)],
          "practitioners-2021.csv")
    return survey


def _neglect_practitioners(staffs: Partnership, rng: random.Random):
    """2019-20: practitioners on neglect and the threshold document."""
    survey = services.survey_create(
        actor=None, partnership=staffs, title="Practitioners: recognising neglect",
        audience="practitioners", anonymous=False, themes=["neglect"],
        closes_on=D(2020, 2, 28),
        description="How confident practitioners feel to recognise neglect and use the "
                    "threshold document, before the partnership chose a neglect tool.")
    services.question_add(actor=None, survey=survey, key="confident", kind="single",
                          text="I feel confident to recognise neglect",
                          options=[("strongly_agree", "Strongly agree"), ("agree", "Agree"),
                                   ("disagree", "Disagree"),
                                   ("strongly_disagree", "Strongly disagree")])
    services.question_add(actor=None, survey=survey, key="thresholds", kind="single",
                          text="Do you use the threshold document when you refer a child?",
                          options=[("always", "Always"), ("sometimes", "Sometimes"),
                                   ("never", "Never")])
    services.survey_open(actor=None, survey=survey, on=D(2019, 12, 2))
    n = 146
    confident = _spread(rng, {"strongly_agree": 27, "agree": 71, "disagree": 39,
                              "strongly_disagree": 9})
    thresholds = _spread(rng, {"always": 52, "sometimes": 70, "never": 24})
    roles = ["Social worker", "Health visitor", "Designated safeguarding lead",
             "Police officer", ""]
    days = _days(rng, D(2019, 12, 2), D(2020, 2, 26), n)
    _load(survey, [{"received_on": days[i], "respondent": rng.choice(roles),
                    "confident": confident[i], "thresholds": thresholds[i]} for i in range(n)],
          "practitioners-neglect-2019.csv")
    services.survey_close(actor=None, survey=survey, on=D(2020, 2, 28))
    return survey


def _youth_commission_again(staffs: Partnership, rng: random.Random):
    """2021-22: the Youth Commission asks again, in the autumn of 2021."""
    survey = services.survey_create(
        actor=None, partnership=staffs,
        title="Youth Commission: feeling safe in Staffordshire, 2021",
        audience="children", anonymous=True, run_by="Staffordshire Youth Commission",
        themes=["child_exploitation", "voice"], closes_on=D(2021, 11, 30),
        description="The Youth Commission asked young people again about crime and safety, "
                    "for its 2021 annual report.")
    _knife_crime_question(survey)
    codes = _feeling_safe_questions(survey)
    services.survey_open(actor=None, survey=survey, on=D(2021, 9, 6))
    n = 640
    knife = _spread(rng, {"very_worried": 118, "worried": 214, "not_very_worried": 208,
                          "not_worried": 92, "": 8})
    safe = _spread(rng, {"1": 31, "2": 86, "3": 236, "4": 204, "5": 77, "": 6})
    themes = _spread(rng, {k: 15 for k in SAFER} | {"": n - 15 * len(SAFER)})
    days = _days(rng, D(2021, 9, 6), D(2021, 11, 26), n)
    rows = [{"received_on": days[i], "respondent": "", "knife_crime": knife[i],
             "feel_safe": safe[i] or "3",
             "safer": rng.choice(SAFER[themes[i]][1]) if themes[i] else ""} for i in range(n)]
    _load(survey, rows, "youth-commission-2021.csv")
    from safeguarding.voice import selectors

    by_text = {text: key for key, (_, texts) in SAFER.items() for text in texts}
    for answer in selectors.uncoded_answers(survey):
        services.answer_code(actor=None, answer=answer, codes=[codes[by_text[answer.text]]])
    services.survey_close(actor=None, survey=survey, on=D(2021, 11, 30))
    return survey


def _action(body, agency, title, owner, raised, due, done=None, evidence=""):
    from safeguarding.governance import services as governance

    action = governance.action_add(actor=None, body=body, title=title, owner=owner,
                                   agency=agency, raised_on=raised, due_on=due)
    if done:
        governance.action_close(actor=None, action=action, status="complete", on=done,
                                evidence=evidence)
    return action


def build(seed: int, partnerships: dict[str, Partnership]) -> None:
    """Build the voice records (the surveys' answers come from a fixed random stream)."""
    from safeguarding.governance import selectors as governance

    staffs = partnerships["STAFFS"]
    rng = random.Random(2020)
    youth, codes = _youth_commission(staffs, rng)
    families = _families(staffs, rng)
    practitioners = _practitioners(staffs, rng)
    _neglect_practitioners(staffs, random.Random("voice:2019"))
    _youth_commission_again(staffs, random.Random("voice:2021"))

    bodies = governance.partnership_bodies(staffs)
    scrutiny = bodies.filter(name="Scrutiny and Assurance").first()
    learning = bodies.filter(name="Learning in Practice").first()
    if scrutiny is None or learning is None:
        return  # governance's demo is not built: no action log to link to
    police = Agency.objects.filter(kind="police", partnerships=staffs).order_by("name").first()
    la = Agency.objects.filter(kind="la_childrens_services",
                               partnerships=staffs).order_by("name").first()
    knife = youth.questions.get(key="knife_crime")
    ditch = _action(scrutiny, police, "Run 'Ditch the Blade' sessions in secondary schools",
                    "Detective Inspector", D(2020, 12, 9), D(2021, 3, 31), D(2021, 3, 26),
                    "Sessions held in 41 secondary schools; knife bins placed in 6 towns.")
    services.you_said_record(
        actor=None, survey=youth, question=knife, option="worried", on=D(2020, 12, 9),
        you_said="62% of young people told the Youth Commission they were worried about knife "
                 "and gang crime.",
        we_did="The exploitation task group ran 'Ditch the Blade' sessions in schools and "
               "placed knife bins, with the police.",
        actions=[ditch], status="done",
        outcome="Sessions reached every secondary school; the Youth Commission asks again in "
                "2021.")
    clubs = _action(scrutiny, la, "Map youth provision open in the evenings, with the Youth "
                    "Commission", "Head of Safeguarding", D(2020, 12, 9), D(2021, 6, 30))
    services.you_said_record(
        actor=None, survey=youth, code=codes["activities"], on=D(2020, 12, 9),
        you_said="Young people said more things to do in the evenings would make them feel "
                 "safer.",
        we_did="Youth provision open in the evenings is being mapped with the Youth Commission.",
        actions=[clubs], status="in_progress")
    escalation = _action(learning, la, "Publish a seven-minute briefing on escalation with "
                         "named contacts in each agency", "Workforce development lead",
                         D(2021, 3, 17), D(2021, 5, 28))
    services.you_said_record(
        actor=None, survey=practitioners, question=practitioners.questions.get(key="confident"),
        option="disagree", on=D(2021, 3, 17),
        you_said="A third of practitioners did not feel confident to challenge another "
                 "agency's decision, and some did not know whom to contact.",
        we_did="Learning in Practice is writing a briefing on escalation that names a contact "
               "in each agency.", actions=[escalation], status="planned")
    services.you_said_record(
        actor=None, survey=families, question=families.questions.get(key="engaged"),
        option="yes", on=D(2020, 9, 1),
        you_said="Most parents struggled to keep their children engaged with learning in "
                 "lockdown.",
        we_did="Schools set up attendance monitoring for vulnerable children and followed up "
               "non-attendance with families.", status="done",
        outcome="Vulnerable children not attending school were followed up each week.")
