"""The demo partnership's published 2020-21 yearly report, written and sent as the business
unit would: every required narrative block and the seed's focus blocks saved through
``services.narrative_save``, the report published through ``services.report_publish`` (its
focus lines become governance's commitments) and its sending to the national Panel and the
What Works Centre recorded through ``services.report_send_record``.

The narrative is the demo's own words, shaped like the seed's sections; it holds no
figures (the report adds every number from the records). The platform dates a publication
when it happens, so the demo's report is published on the day the demo is built and sent
the same day: within the 7 days Working Together 2018 allows, which the compliance annex
then shows as present. Runs last in the demo, after every module's records.
"""

from __future__ import annotations

from safeguarding.core.models import Partnership, User
from safeguarding.reports import services
from safeguarding.reports.models import Block, ReportSend

YEAR = "2020-21"
WRITER = {"STAFFS": "business.staffs"}

NARRATIVE = {
    Block.FOREWORD_LA: (
        "This was a year like no other. Schools closed, families were confined at home and "
        "practitioners found new ways to see the children they worried about. I am proud of "
        "how the partners held together.\n\n"
        "Director of Children's Services, Staffordshire County Council"),
    Block.FOREWORD_POLICE: (
        "Lockdown changed where harm happened and who could see it. Officers, schools and "
        "social workers shared what they knew each day so that children living with domestic "
        "abuse were not missed.\n\n"
        "Assistant Chief Constable, Staffordshire Police"),
    Block.FOREWORD_HEALTH: (
        "Health visitors and school nurses kept contact with the families who needed it most, "
        "face to face where it mattered and online where it was safe.\n\n"
        "Director of Nursing, Staffordshire Clinical Commissioning Groups"),
    Block.INTRODUCTION: (
        "This report sets out how the safeguarding partners kept children safe in 2020-21: "
        "what the sub-groups did, what the audits and reviews found, what children, families "
        "and practitioners told us, and what we will do next. Every figure in it comes from "
        "the records held on the platform, with its source."),
    Block.ARRANGEMENTS: (
        "In November 2020 Staffordshire and Stoke-on-Trent separated their arrangements. The "
        "Covid-19 sub-group and the child exploitation work stay joint between the two "
        "partnerships. The sub-groups refreshed their terms of reference and membership under "
        "a new chair of Scrutiny and Assurance."),
    Block.EMERGING_RISKS: (
        "The pandemic brought new risks: children unseen while schools were closed, more "
        "domestic abuse at home and fewer health contacts. The Covid-19 sub-group kept a "
        "risk register and reviewed it at every meeting until the risks fell."),
    Block.FOCUS: (
        "Next year the partnership will:\n\n"
        "- hold a practitioner conference on the learning from the pandemic\n"
        "- publish the revised arrangements for Staffordshire"),
    Block.FOCUS_SCRUTINY: (
        "- re-audit neglect cases to test the graded care profile's impact\n"
        "- add audit findings to the multi-agency dashboard"),
    Block.FOCUS_NEGLECT: "- train every partner agency in the graded care profile",
    Block.FOCUS_EXPLOITATION: (
        "- act on what young people told the Youth Commission about knife crime"),
}
# Sent to the national Panel and the What Works Centre on the day of publication.
SENT_TO = (ReportSend.Recipient.PANEL, ReportSend.Recipient.WHAT_WORKS)


def build(seed: int, partnerships: dict[str, Partnership]) -> None:
    """Write, publish and send the 2020-21 report (``seed`` is unused: the text is fixed)."""
    from django.utils import timezone

    for code, username in WRITER.items():
        partnership = partnerships.get(code)
        writer = User.objects.filter(username=username).first()
        if partnership is None or writer is None:
            continue
        for block, text in NARRATIVE.items():
            services.narrative_save(actor=writer, partnership=partnership, year=YEAR,
                                    block=block, text=text, note="Demo draft")
        published = services.report_publish(actor=writer, partnership=partnership, year=YEAR)
        day = timezone.localtime(published.published_at).date()
        for recipient in SENT_TO:
            services.report_send_record(actor=writer, partnership=partnership, year=YEAR,
                                        recipient=recipient, sent_on=day)
