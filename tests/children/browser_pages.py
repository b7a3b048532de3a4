"""The record-linkage review queue for the browser tests (tests/browser/site_map.py calls walk)."""

from __future__ import annotations

from django.urls import reverse


def walk(w) -> None:
    from safeguarding.children.models import Child, LinkCandidate, SourceRecord
    from safeguarding.core.models import Agency

    child = Child.objects.filter(partnership__code="STAFFS").order_by("pk").first()
    police = Agency.objects.get(name="Staffordshire Police")
    record = SourceRecord.objects.create(
        partnership=child.partnership, agency=police, source_system="niche",
        source_key="BROWSER-1", first_name=child.first_name, last_name=child.last_name + "s",
        date_of_birth=child.date_of_birth, sex=child.sex, postcode="ST99 9ZZ",
        nhs_number="9990001111" if child.nhs_number != "9990001111" else "9997654323")
    candidate = LinkCandidate.objects.create(
        source_record=record, child=child, match_probability=0.934,
        evidence={"fields": {"first_name": "exact", "last_name": "similar",
                             "date_of_birth": "exact", "sex": "exact", "postcode": "different"},
                  "match_weight": 3.8, "identifier_conflicts": ["nhs_number"]})
    w.open("business.staffs", reverse("children:linkage-review"), "Records to link")
    page = w.open("business.staffs", reverse("children:linkage-decide", args=[candidate.pk]),
                  "Is this the same child?")
    w.submit(page, "Records to link, after a rejection",
             button="main form[method=post] [value=reject]",
             expect_path=reverse("children:linkage-review"))
    w.open("business.staffs", reverse("children:linkage-decide", args=[candidate.pk]),
           "Is this the same child?, decided")
