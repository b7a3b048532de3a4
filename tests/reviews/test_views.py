"""The pages end to end: forms with the error summary, the audited door, lists and filters."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.reviews.models import Action, RapidReview, SeriousIncident

from .conftest import first_child

D = dt.date


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _incident_form(staffs, child, **overrides):
    data = {"partnership": staffs.pk, "children": child.la_child_id, "harm": "serious_harm",
            "abuse_or_neglect": "suspected", "looked_after": "no",
            "summary": "A baby was seen in hospital with bruising.",
            **_date("aware_on", D(2021, 4, 1))}
    data.update(overrides)
    return data


def test_recording_an_incident_shows_its_clock_and_rule(staffs, client_for, on_day):
    on_day(D(2021, 4, 6))
    client = client_for("business.staffs")
    response = client.post(reverse("reviews:incident-add"),
                           _incident_form(staffs, first_child(staffs)))
    incident = SeriousIncident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:incident-detail", args=[incident.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Mon 12 Apr 2021" in page
    assert "Notify the Child Safeguarding Practice Review Panel of a serious incident" in page
    assert "Working Together to Safeguard Children 2018" in page
    assert "On time" in page  # due soon only from Thursday 8 April


def test_notification_before_awareness_shows_the_error_summary(staffs, client_for, on_day):
    on_day(D(2021, 4, 20))
    form = _incident_form(staffs, first_child(staffs), **_date("notification_sent_on",
                                                                D(2021, 3, 31)))
    response = client_for("business.staffs").post(reverse("reviews:incident-add"), form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Record a serious incident" in page
    assert "There is a problem" in page
    assert ('<a href="#id_notification_sent_on_0">The notification cannot be sent before the '
            "local authority became aware</a>") in page
    assert "govuk-form-group--error" in page
    assert not SeriousIncident.objects.exists() and not RapidReview.objects.exists()


def test_an_unknown_child_is_named_in_the_error_summary(staffs, client_for, on_day):
    on_day(D(2021, 4, 20))
    form = _incident_form(staffs, first_child(staffs), children="NOT-A-CHILD")
    page = client_for("business.staffs").post(reverse("reviews:incident-add"), form)
    assert "href=\"#id_children\"" in page.content.decode()
    assert "NOT-A-CHILD" in page.content.decode()
    assert not SeriousIncident.objects.exists()


def test_recording_the_notification_starts_the_rapid_review(make_incident, client_for, on_day):
    on_day(D(2021, 4, 20))
    incident = make_incident(D(2021, 4, 1))
    client = client_for("business.staffs")
    url = reverse("reviews:incident-notify", args=[incident.pk])
    bad = client.post(url, _date("notification_sent_on", D(2021, 4, 21)))
    assert "must be today or in the past" in bad.content.decode()
    assert client.post(url, _date("notification_sent_on", D(2021, 4, 13))).status_code == 302
    incident.refresh_from_db()
    assert incident.rapid_review.due_rule == "rapid_review"
    page = client.get(reverse("reviews:incident-detail", args=[incident.pk])).content.decode()
    assert "Missed" in page  # sent on 13 April, due 12 April


def test_full_readers_see_children_through_the_audited_door(records, client_for):
    incident = records["incident"]
    child = incident.children.get()
    before = AuditEvent.objects.count()
    page = client_for("business.stoke").get(
        reverse("reviews:incident-detail", args=[incident.pk])).content.decode()
    assert child.full_name in page
    rows = AuditEvent.objects.order_by("sequence")[before:]
    assert {(r.action, r.object_type, r.actor_label) for r in rows} == {
        ("read", "reviews.seriousincident", "business.stoke"),
        ("read", "children.child", "business.stoke"),
    }


def test_board_members_read_a_summary_without_children(records, client_for):
    incident = records["incident"]
    child = incident.children.get()
    client = client_for("board.police")
    page = client.get(reverse("reviews:incident-detail", args=[incident.pk])).content.decode()
    assert child.first_name not in page and child.last_name not in page
    assert "You see a summary" in page
    review_page = client.get(reverse("reviews:rapid-review", args=[incident.pk])).content.decode()
    assert "Attended a report at home." not in review_page
    assert "Chronologies were late." in review_page
    assert not AuditEvent.objects.filter(actor_label="board.police",
                                         object_type="children.child").exists()
    assert AuditEvent.objects.filter(actor_label="board.police", action="read",
                                     purpose="view serious incident (summary)").exists()


def test_refused_reads_are_audited(records, client_for):
    url = reverse("reviews:incident-detail", args=[records["incident"].pk])
    assert client_for("social.worker").get(url).status_code == 403
    assert AuditEvent.objects.filter(actor_label="social.worker", action="denied",
                                     object_type="reviews.seriousincident").exists()


def test_action_list_overdue_filter_and_practitioner_update(records, client_for, on_day):
    action = records["action"]
    client = client_for("police.officer")
    on_day(D(2021, 6, 1))
    assert "Brief officers." not in client.get(
        reverse("reviews:action-list") + "?overdue=on").content.decode()
    on_day(D(2021, 7, 2))
    page = client.get(reverse("reviews:action-list") + "?overdue=on").content.decode()
    assert "Brief officers." in page and "Overdue" in page
    url = reverse("reviews:action-update", args=[action.pk])
    refused = client.post(url, {"status": "done", "evidence_of_impact": ""})
    assert 'href="#id_evidence_of_impact"' in refused.content.decode()
    done = client.post(url, {"status": "done", "evidence_of_impact": "Audit found it in place."})
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.completed_on == D(2021, 7, 2)
    # Another agency's practitioner sees no such action.
    other = client_for("health.visitor").get(reverse("reviews:action-list")).content.decode()
    assert "Brief officers." not in other


def test_due_page_by_workflow_and_agency(records, client_for, on_day):
    on_day(D(2021, 4, 21))  # Wednesday; the police return is due Friday 23 April
    page = client_for("reviews.member").get(reverse("reviews:due")).content.decode()
    assert "Due this week (1)" in page
    assert "Agency information return" in page and "Staffordshire Police" in page
    # Rapid review (due 30 April) is not this week; the notification was met.
    assert "Overdue (0)" in page
    on_day(D(2021, 5, 4))
    page = client_for("business.staffs").get(reverse("reviews:due")).content.decode()
    assert "Overdue (2)" in page  # the return and the rapid review
    assert "Partnership business unit" in page


def test_practice_review_deferral_and_publication_pages(records, client_for, on_day):
    on_day(D(2021, 12, 1))
    practice = records["practice"]
    client = client_for("business.staffs")
    url = reverse("reviews:practice-review-defer", args=[practice.pk])
    form = {"deferral_reason": "criminal_proceedings", "deferral_detail": "Trial in 2022",
            **_date("deferred_on", D(2021, 11, 1)), **_date("deferral_review_on",
                                                              D(2021, 10, 1))}
    refused = client.post(url, form).content.decode()
    assert 'href="#id_deferral_review_on_0"' in refused
    form.update(_date("deferral_review_on", D(2022, 2, 1)))
    assert client.post(url, form).status_code == 302
    page = client.get(reverse("reviews:practice-review-detail", args=[practice.pk]))
    assert "Deferred" in page.content.decode()
    listing = client.get(reverse("reviews:practice-review-list")).content.decode()
    assert "Parallel criminal proceedings" in listing


def test_statistics_page(records, client_for, on_day):
    on_day(D(2021, 12, 1))
    url = (reverse("reviews:statistics") + f"?partnership={records['incident'].partnership_id}"
           "&period=2021-22")
    page = client_for("business.staffs").get(url).content.decode()
    assert "Serious incident notifications made on time" in page
    assert "100.0%" in page  # one notification, on time
    assert "1 of 1" in page
    analyst = client_for("analyst.staffs").get(url).content.decode()
    assert "Serious incident notifications made on time" in analyst
    assert "1 of 1" not in analyst and "Fewer than 5" in analyst


def test_learning_event_with_reach(records, client_for, on_day, agency):
    on_day(D(2021, 12, 1))
    police = agency("Staffordshire Police")
    form = {"partnership": records["incident"].partnership_id, "kind": "feedback_event",
            "title": "Feedback event", **_date("held_on", D(2021, 11, 3)),
            "practice_reviews": [records["practice"].pk], f"reach_{police.pk}": "25"}
    client = client_for("reviews.member")
    assert client.post(reverse("reviews:learning-add"), form).status_code == 302
    page = client.get(reverse("reviews:learning-list")).content.decode()
    assert "Feedback event" in page and "Staffordshire Police: 25" in page


def test_themes_admin(client_for, demo_world):
    client = client_for("admin")
    assert "Physical harm to babies under one year" in client.get(
        reverse("reviews:theme-list")).content.decode()
    assert client.post(reverse("reviews:theme-add"), {"name": "Neglect"}).status_code == 200
    assert client.post(reverse("reviews:theme-add"),
                       {"name": "Online harm to teenagers", "source": "Local audit"}
                       ).status_code == 302


def test_action_counts_untouched_by_a_refused_form(records, client_for):
    url = reverse("reviews:action-add", args=[records["recommendation"].pk])
    response = client_for("reviews.member").post(url, {"text": "", "owner_agency": ""})
    assert "There is a problem" in response.content.decode()
    assert Action.objects.count() == 1


def test_editing_keeps_a_child_of_the_coordinated_partnership(staffs, stoke, client_for, on_day):
    from safeguarding.reviews import services

    on_day(D(2021, 4, 20))
    stoke_child = first_child(stoke)
    incident = services.incident_create(
        actor=None, partnership=staffs, aware_on=D(2021, 4, 1), harm="death",
        abuse_or_neglect="known", looked_after=False, summary="x", children=[stoke_child])
    client = client_for("business.staffs")
    url = reverse("reviews:incident-edit", args=[incident.pk])
    page = client.get(url).content.decode()
    assert f"861/{stoke_child.la_child_id}" in page
    form = _incident_form(staffs, stoke_child, children=f"861/{stoke_child.la_child_id}",
                          summary="Edited")
    form.pop("partnership")
    assert client.post(url, form).status_code == 302
    assert list(incident.children.all()) == [stoke_child]


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
