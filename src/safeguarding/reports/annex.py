"""The yearly report's compliance annex: each statutory item of a yearly report (Working
Together 2018), shown "present" or "missing" from the records, with a link.

The items are data (data/annex.yaml). Each is answered by the module contracts
(``core.modules.report_evidence``): governance answers independent scrutiny, training the
impact of training, reviews the decisions on review recommendations, and the apps that land
later (voice surveys, audits) answer theirs by declaring the same hook. The record of
publication is the report's own: the first published version's date and the dates it was
sent to the national Panel and the What Works Centre, checked against a configured limit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from safeguarding.core import modules
from safeguarding.core.calendar import working_days_between
from safeguarding.core.modules import EvidenceItem
from safeguarding.core.yaml_data import DataFile
from safeguarding.measures.periods import Period
from safeguarding.reports import selectors

PATH = Path(__file__).with_name("data") / "annex.yaml"


config = DataFile(PATH)


@dataclass(frozen=True)
class AnnexRow:
    key: str
    title: str
    present: bool
    detail: str
    url: str


@dataclass(frozen=True)
class PublicationRecord:
    published_on: dt.date | None
    sends: dict[str, dt.date | None]  # recipient -> day sent
    within: dict[str, bool]  # recipient -> sent in time
    limit_days: int
    unit: str

    @property
    def complete(self) -> bool:
        return self.published_on is not None and all(self.within.values()) and bool(self.within)


RECIPIENTS = {"panel": "the national Panel", "what_works": "the What Works Centre"}


def days_after(start: dt.date, end: dt.date, unit: str) -> int:
    return working_days_between(start, end) if unit == "working" else (end - start).days


def publication_record(partnership, period: Period) -> PublicationRecord:
    rule = config()["send_within"]
    limit, unit = int(rule["days"]), str(rule["unit"])
    first = selectors.first_publication(partnership, period.label)
    published_on = timezone.localtime(first.published_at).date() if first else None
    found = selectors.report_sends(partnership, period.label)
    sends = {r: (found[r].sent_on if r in found else None) for r in RECIPIENTS}
    within = {r: bool(published_on and day and days_after(published_on, day, unit) <= limit)
              for r, day in sends.items()}
    return PublicationRecord(published_on, sends, within, limit, unit)


def _publication_item(partnership, period: Period) -> EvidenceItem:
    record = publication_record(partnership, period)
    url = reverse("reports:sends", args=[partnership.code, period.label])
    title = "Publication and sending"
    if record.published_on is None:
        return EvidenceItem(title, False, "The report has not been published on the platform",
                            url)
    days = f"{record.limit_days} {'working ' if record.unit == 'working' else ''}days"
    parts = [f"Published on {record.published_on:%-d %B %Y}"]
    for recipient, day in record.sends.items():
        name = RECIPIENTS[recipient]
        if day is None:
            parts.append(f"not yet sent to {name}")
        elif record.within[recipient]:
            parts.append(f"sent to {name} on {day:%-d %B %Y}, within {days}")
        else:
            parts.append(f"sent to {name} on {day:%-d %B %Y}, later than {days}")
    return EvidenceItem(title, record.complete, "; ".join(parts) + ".", url)


def rows(partnership, period: Period) -> list[AnnexRow]:
    """Every statutory item, in the order of data/annex.yaml, present or missing."""
    answered = modules.report_evidence(partnership, period)
    answered["publication"] = _publication_item(partnership, period)
    out = []
    for item in config()["items"]:
        found = answered.get(item["key"])
        if found is None:
            out.append(AnnexRow(item["key"], item["title"], False, item["missing"] + ".", ""))
        else:
            detail = found.detail or ("" if found.present else item["missing"] + ".")
            out.append(AnnexRow(item["key"], item["title"], found.present, detail, found.url))
    return out
