"""Fixtures for the learning reviews tests: a fixed today, the demo world, hand-built records."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.children.models import Child
from safeguarding.core.models import Agency, Partnership
from safeguarding.reviews import clocks, services


@pytest.fixture(autouse=True)
def _start_without_reviews(request):
    """Start from no review records, whether or not the demo builder adds its own."""
    if "demo_world" not in request.fixturenames:
        return
    request.getfixturevalue("demo_world")
    from safeguarding.reviews.models import (
        Action,
        LearningEvent,
        PracticeReview,
        Reminder,
        SeriousIncident,
    )

    for model in (LearningEvent, Action, PracticeReview, SeriousIncident, Reminder):
        model.objects.all().delete()


@pytest.fixture
def on_day(monkeypatch):
    """Return a function that fixes 'today' for the app (clocks.today) to a given date."""

    def set_day(day: dt.date) -> dt.date:
        monkeypatch.setattr(clocks, "today", lambda: day)
        return day

    return set_day


@pytest.fixture
def staffs(demo_world) -> Partnership:
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def stoke(demo_world) -> Partnership:
    return Partnership.objects.get(code="STOKE")


@pytest.fixture
def agency(demo_world):
    def by_name(fragment: str) -> Agency:
        return Agency.objects.get(name__icontains=fragment)

    return by_name


def first_child(partnership: Partnership) -> Child:
    """The first child of the index with an LA child ID (other demos may add children without)."""
    return (Child.objects.filter(partnership=partnership).exclude(la_child_id="")
            .select_related("local_authority").order_by("la_child_id").first())


@pytest.fixture
def make_incident(staffs):
    """Record an incident through the service, as the command line would."""

    def make(aware_on: dt.date, *, partnership: Partnership | None = None,
             child: Child | None = None, sent_on: dt.date | None = None, **extra):
        owner = partnership or staffs
        data = {"harm": "serious_harm", "abuse_or_neglect": "suspected", "looked_after": False,
                "summary": "A baby was taken to hospital with unexplained injuries."}
        data.update(extra)
        return services.incident_create(
            actor=None, partnership=owner, aware_on=aware_on,
            children=[child or first_child(owner)], notification_sent_on=sent_on, **data)

    return make


@pytest.fixture
def records(staffs, agency, make_incident, on_day):
    """One incident of each stage, owned by Staffordshire: notified, rapid review with a
    return, chronology, finding, recommendation, an action owned by the police, a practice
    review and a learning event."""
    on_day(dt.date(2021, 6, 1))
    incident = make_incident(dt.date(2021, 4, 1), sent_on=dt.date(2021, 4, 9))
    review = incident.rapid_review
    police = agency("Staffordshire Police")
    item = services.agency_return_request(actor=None, rapid_review=review, agency=police,
                                          requested_on=dt.date(2021, 4, 9))
    services.chronology_add(actor=None, rapid_review=review, agency=police,
                            occurred_on=dt.date(2021, 1, 4), entry="Attended a report at home.")
    finding = services.finding_add(actor=None, review=review, text="Chronologies were late.")
    rec = services.recommendation_add(actor=None, finding=finding, text="Share them sooner.")
    action = services.action_add(actor=None, recommendation=rec, text="Brief officers.",
                                 owner_agency=police, due_on=dt.date(2021, 7, 1))
    practice = services.practice_review_create(
        actor=None, partnership=staffs, kind="local", title="Child Q",
        decided_on=dt.date(2021, 5, 4), incidents=[incident])
    event = services.learning_event_add(
        actor=None, partnership=staffs, kind="briefing", title="Seven-minute briefing",
        held_on=dt.date(2021, 5, 20), practice_reviews=[practice], reach={police: 12})
    from safeguarding.reviews.models import Theme

    return {"incident": incident, "review": review, "return": item, "finding": finding,
            "recommendation": rec, "action": action, "practice": practice, "event": event,
            "theme": Theme.objects.create(partnership=staffs, slug="local-theme",
                                          name="A Staffordshire theme")}
