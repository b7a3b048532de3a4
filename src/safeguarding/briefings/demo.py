"""The demo partnership's learning briefings and campaigns, from the seed.

Campaigns: Safer Sleep and ICON (infant crying) for parents of babies, County Lines for
parents and carers, and Ditch the Blade with the police's 4,000 letters to schools (seed).
Briefings: four in 2020-21 (a rapid review of an infant under one where neglect was in the
child's daily life, a practice review, the multi-agency neglect audit and a national panel
review), each expected to be used by every agency of the partnership; the first is used by
three agencies (children's services, the police and health: the done-when), the others by
fewer, so some agencies still owe a record of use. Each carries a small PDF.

The years either side, so 2020-21 compares with them (their reach figures are the demo's,
not the seed's): in 2019-20, from the arrangements' start, a private fostering campaign and
Safer Sleep Week, and two briefings (a serious case review of bruising in a non-mobile baby
and a national review); in 2021-22, a child exploitation awareness week and Safer Sleep Week
again, and three briefings (a rapid review on exploitation, a practice review on escalation
and the neglect re-audit). The police record use of every briefing of those years, so what
they owe is 2020-21's.

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

# The years either side (reach: the demo's own figures).
CAMPAIGNS_OTHER_YEARS = [
    ("Private fostering: tell us", "Schools, GPs and the public",
     "Posters, school newsletter items, social media posts",
     D(2019, 10, 1), D(2019, 12, 20), 1500, "Families sent the item through school newsletters"),
    ("Safer Sleep Week 2020", "Parents and carers of babies",
     "Leaflets for new parents, social media posts", D(2020, 3, 9), D(2020, 3, 15), 900,
     "Leaflets handed out by health visitors and midwives"),
    ("Child exploitation awareness week", "Businesses, transport staff and the public",
     "Posters at stations, briefings for taxi drivers, social media posts",
     D(2021, 9, 13), D(2021, 9, 19), 2400, "People reached at stations and online"),
    ("Safer Sleep Week 2022", "Parents and carers of babies",
     "Leaflets for new parents, social media posts", D(2022, 3, 14), D(2022, 3, 20), 1200,
     "Leaflets handed out by health visitors and midwives"),
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
LA, POLICE = "Staffordshire County Council Children's Services", "Staffordshire Police"
HEALTH = "Staffordshire and Stoke-on-Trent Integrated Care Board"
BRIEFINGS_OTHER_YEARS = [
    ("Bruising in a non-mobile baby: what the review found", "practice_review", "SCR-2019-01",
     ["Infants under one"], D(2019, 11, 11), [
         (LA, "Assessment team south", D(2019, 11, 26), 12),
         (POLICE, "Public protection unit", D(2019, 12, 3), 8),
         (HEALTH, "Health visiting north", D(2019, 12, 10), 10)]),
    ("Complexity and challenge: the national review of serious case reviews", "national", "",
     ["Professional curiosity"], D(2020, 2, 10), [
         (POLICE, "Child abuse investigation unit", D(2020, 2, 25), 7),
         (LA, "Family support team", D(2020, 3, 3), 11)]),
    ("Child exploitation: the child's journey", "rapid_review", "RR-2021-03",
     ["Child exploitation"], D(2021, 6, 14), [
         (LA, "Exploitation hub", D(2021, 6, 29), 13),
         (POLICE, "Exploitation team", D(2021, 7, 6), 10),
         (HEALTH, "School nursing", D(2021, 7, 13), 7),
         ("Family Support Trust (demo)", "Family workers", D(2021, 7, 20), 5)]),
    ("Escalation: who to contact in each agency", "practice_review", "CSPR-2020-04",
     ["Professional curiosity", "Information sharing"], D(2021, 10, 4), [
         (LA, "Assessment team north", D(2021, 10, 19), 10),
         (POLICE, "Public protection unit", D(2021, 10, 26), 8)]),
    ("What our neglect re-audit found", "audit", "MAA-2021-NEG", ["Neglect"],
     D(2022, 3, 7), [
         (POLICE, "Public protection unit", D(2022, 3, 22), 6),
         (HEALTH, "Health visiting south", D(2022, 3, 29), 9)]),
]


def build(seed: int, partnerships: Mapping[str, Partnership]) -> None:
    partnership = partnerships.get("STAFFS")
    if partnership is None:
        return
    for name, audience, materials, start, end, reach, note in CAMPAIGNS + CAMPAIGNS_OTHER_YEARS:
        services.campaign_add(actor=None, partnership=partnership, name=name, audience=audience,
                              materials=materials, starts_on=start, ends_on=end, reach=reach,
                              reach_note=note)
    agencies = {a.name: a for a in partnership.agencies.all()}
    for title, source, reference, themes, issued, uses in BRIEFINGS + BRIEFINGS_OTHER_YEARS:
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
