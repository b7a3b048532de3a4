"""Help in place (issue 18): each page that asks for a statutory judgement links, in plain
words, to the guidance it follows, kept as data and shown as a GOV.UK details component."""

from __future__ import annotations

import pytest

from safeguarding.core.guidance import entries, guidance

JUDGEMENTS = ("serious_incident_notification", "rapid_review_decision", "cdop_categorisation")


def test_every_judgement_has_plain_words_and_a_source():
    for key in JUDGEMENTS:
        entry = guidance(key)
        assert entry["summary"] and entry["points"]
        assert all(link["url"].startswith("https://") for link in entry["links"])
    assert set(JUDGEMENTS) <= set(entries())
    with pytest.raises(KeyError, match="guidance.yaml"):
        guidance("no_such_judgement")


