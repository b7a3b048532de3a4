"""The demo partnership's learning briefings and campaigns, from the seed.

Campaigns: Safer Sleep and ICON (infant crying) for parents of babies, County Lines for
parents and carers, and Ditch the Blade with the police's 4,000 letters to schools (seed).
Briefings: four in 2020-21 (a rapid review of an infant under one where neglect was in the
child's daily life, a practice review, the multi-agency neglect audit and a national panel
review), each expected to be used by every agency of the partnership; the first is used by
three agencies (children's services, the police and health: the done-when), the others by
fewer, so some agencies still owe a record of use. Each carries a small PDF.

Written through the services with ``actor=None`` (the command line). No child is named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from safeguarding.briefings import services
from safeguarding.core.models import Partnership

D = dt.date
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
       b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")

CAMPAIGNS = [
    ("Safer Sleep", "Parents and carers of babies, and the practitioners who visit them",
     "Leaflets for new parents, health visitor talking points, social media posts",
     D(2020, 10, 5), D(2021, 3, 31), 2600, "Leaflets handed out by health visitors and midwives"),
    ("ICON: babies cry, you can cope", "Parents and carers of new babies; midwives, health "
     "visitors and GPs", "ICON leaflets and film, training for practitioners",
     D(2021, 1, 11), D(2021, 3, 31), 1800, "Families given the ICON message at birth visits"),
    ("County Lines", "Parents and carers, and young people at risk of exploitation",
     "Spot-the-signs posters, parent guides, police intensification weeks",
     D(2020, 9, 14), D(2020, 11, 30), 3200, "Parents and carers engaged during the campaign"),
    ("Ditch the Blade", "Secondary school pupils and their parents",
     "Knife bins, knife wands in schools, letters to parents",
     D(2021, 2, 1), D(2021, 3, 19), 4000, "Letters to parents through local schools (seed)"),
]

# (title, source, reference, themes, issued, [(agency name, team, used, attendees)])
BRIEFINGS = [
    ("Infants under one: neglect in the child's daily life", "rapid_review", "RR-2020-07",
     ["Infants under one", "Neglect", "Voice of the child"], D(2020, 11, 2), [
         ("Staffordshire County Council Children's Services", "Assessment team north",
          D(2020, 11, 17), 14),
         ("Staffordshire Police", "Public protection unit", D(2020, 11, 24), 9),
         ("Staffordshire and Stoke-on-Trent Integrated Care Board", "Health visiting south",
          D(2020, 12, 3), 11)]),
    ("Professional curiosity when families disengage", "practice_review", "CSPR-2019-02",
     ["Professional curiosity", "Information sharing"], D(2021, 1, 18), [
         ("Staffordshire County Council Children's Services", "Family support team",
          D(2021, 2, 9), 12),
         ("Family Support Trust (demo)", "Family workers", D(2021, 2, 16), 6)]),
    ("What our neglect audit found", "audit", "MAA-2020-NEG", ["Neglect"],
     D(2021, 3, 1), [
         ("Staffordshire and Stoke-on-Trent Integrated Care Board", "School nursing",
          D(2021, 3, 22), 8)]),
    ("Safeguarding children under 1 from non-accidental injury by male carers",
     "national", "", ["Infants under one", "Safer sleep"], D(2021, 3, 15), []),
]


def build(seed: int, partnerships: Mapping[str, Partnership]) -> None:
    partnership = partnerships.get("STAFFS")
    if partnership is None:
        return
    for name, audience, materials, start, end, reach, note in CAMPAIGNS:
        services.campaign_add(actor=None, partnership=partnership, name=name, audience=audience,
                              materials=materials, starts_on=start, ends_on=end, reach=reach,
                              reach_note=note)
    agencies = {a.name: a for a in partnership.agencies.all()}
    for title, source, reference, themes, issued, uses in BRIEFINGS:
        briefing = services.briefing_issue(
            actor=None, partnership=partnership, title=title, source=source,
            source_reference=reference, themes=themes, issued_on=issued,
            summary="Seven minutes for a team meeting: what happened, why it matters, what "
                    "to do differently, and questions for the team.",
            file_name=f"{title[:40].strip().replace(' ', '-').lower()}.pdf", content=PDF)
        for agency, team, used_on, attendees in uses:
            services.use_record(
                actor=None, briefing=briefing, agency=agencies[agency], team=team,
                used_on=used_on, attendees=attendees,
                reflections="We do not always see the baby's day as the baby lives it; we "
                            "will ask about routines and who cares for the baby.",
                actions="Add the briefing's questions to supervision for three months, then "
                        "audit five cases.")
