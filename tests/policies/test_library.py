"""The policy library end to end, and as an attacker: every seat of a partnership reads the
current version of its policies and finds them by search; another partnership's policy is
refused; the business unit and the owner publish versions and record reviews, nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import AuditEvent, User
from safeguarding.policies import selectors, services
from safeguarding.policies.models import Policy, Version


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_every_seat_of_an_applying_partnership_reads_the_current_version(
        joint, stoke_only, client_for):
    for name in ("social.worker", "key.adult.brook", "analyst.staffs", "social.worker.stoke"):
        page = client_for(name).get(reverse("policies:policy", args=[joint.pk]))
        assert page.status_code == 200, name
        assert "three stages" in page.content.decode()
    listing = client_for("social.worker").get(reverse("policies:library")).content.decode()
    assert "Escalation and resolving" in listing and "self-harm" not in listing
    assert client_for("social.worker").get(
        reverse("policies:policy", args=[stoke_only.pk])).status_code == 403
    other = Version.objects.get(policy=stoke_only)
    assert client_for("social.worker").get(
        reverse("policies:version", args=[other.pk])).status_code == 403


def test_only_one_version_is_current_and_the_history_keeps_the_others(joint, owner, client_for):
    owners = client_for("board.police")
    response = owners.post(reverse("policies:version-add", args=[joint.pk]), {
        "change_summary": "Stage 3 now goes to the business unit manager",
        "body": "Version two: escalate in three stages, then to the business unit manager.",
        **_date("published_on", timezone.localdate())})
    assert response.status_code == 302
    assert list(joint.versions.filter(is_current=True).values_list("number", flat=True)) == [2]
    page = client_for("social.worker").get(reverse("policies:policy", args=[joint.pk]))
    assert "Version two" in page.content.decode()
    history = client_for("social.worker").get(reverse("policies:history", args=[joint.pk]))
    text = history.content.decode()
    assert "Version 1" in text and "Stage 3 now goes" in text
    old = joint.versions.get(number=1)
    assert "not the current version" in client_for("social.worker").get(
        reverse("policies:version", args=[old.pk])).content.decode()
    assert AuditEvent.objects.filter(object_type="policies.version", action="create").exists()


def test_a_version_with_a_file_downloads_and_an_empty_version_is_refused(joint, client_for):
    owners = client_for("board.police")
    empty = owners.post(reverse("policies:version-add", args=[joint.pk]), {
        "change_summary": "Nothing", "body": "", **_date("published_on", timezone.localdate())})
    assert "Enter the policy&#x27;s text or upload its file" in empty.content.decode()
    upload = SimpleUploadedFile("escalation.pdf", b"%PDF-1.4 synthetic", "application/pdf")
    owners.post(reverse("policies:version-add", args=[joint.pk]), {
        "change_summary": "The flowchart as a PDF", "file": upload,
        **_date("published_on", timezone.localdate())})
    version = joint.versions.get(is_current=True)
    assert version.number == 2 and version.file_name == "escalation.pdf"
    got = client_for("health.visitor").get(reverse("policies:version-file", args=[version.pk]))
    assert got.status_code == 200 and got.content == b"%PDF-1.4 synthetic"
    assert client_for("business.stoke").get(  # Stoke is joint to it: reads it
        reverse("policies:version-file", args=[version.pk])).status_code == 200


def test_who_may_revise_and_review(joint, stoke_only, client_for):
    # A practitioner of an applying partnership reads but does not revise or review.
    worker = client_for("social.worker")
    assert worker.get(reverse("policies:version-add", args=[joint.pk])).status_code == 403
    assert worker.post(reverse("policies:review", args=[joint.pk]),
                       _date("reviewed_on", timezone.localdate())).status_code == 403
    # Staffordshire's business unit may not touch Stoke's own policy.
    business = client_for("business.staffs")
    assert business.get(reverse("policies:review", args=[stoke_only.pk])).status_code == 403
    assert business.get(reverse("policies:review", args=[joint.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        services.policy_review(actor=User.objects.get(username="social.worker"), policy=joint)
    assert joint.reviews.count() == 0


def test_marking_reviewed_sets_the_next_review_date(joint, client_for):
    today = timezone.localdate()
    response = client_for("board.police").post(reverse("policies:review", args=[joint.pk]), {
        **_date("reviewed_on", today), "note": "No changes"})
    assert response.status_code == 302
    joint.refresh_from_db()
    review = joint.reviews.get()
    assert review.on_time and review.next_due == joint.review_due
    assert joint.review_due == services.add_months(today, 24)


def test_the_business_unit_adds_a_joint_policy(staffs, stoke, client_for):
    business = client_for("business.staffs")
    form = business.get(reverse("policies:policy-add"))
    assert form.status_code == 200
    owner = User.objects.get(username="health.visitor")
    today = timezone.localdate()
    response = business.post(reverse("policies:policy-add"), {
        "title": "Safer sleep for babies", "partnerships": [staffs.pk], "owner": owner.pk,
        **_date("review_due", today + dt.timedelta(days=365)),
        "body": "Back to sleep, feet to foot.", "change_summary": "First version",
        **_date("published_on", today)})
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Policy.objects.get(title="Safer sleep for babies")
    assert made.owner == owner and list(made.partnerships.all()) == [staffs]
    assert client_for("social.worker").get(reverse("policies:policy-add")).status_code == 403


def test_the_owner_must_sit_in_an_applying_partnership(staffs, stoke):
    with pytest.raises(ValidationError):
        services.policy_add(actor=None, title="X", owner=User.objects.get(
            username="social.worker.stoke"), partnerships=[staffs],
            review_due=timezone.localdate() + dt.timedelta(days=10), body="x")


def test_search_finds_the_readable_current_versions(joint, stoke_only, client_for, staffs):
    worker = User.objects.get(username="social.worker")
    hits = selectors.search(worker, "escalate designated")
    assert [h.policy.pk for h in hits] == [joint.pk]
    # Stoke's own self-harm policy mentions escalation too, but is not Staffordshire's.
    assert stoke_only.pk not in [h.policy.pk for h in selectors.search(worker, "escalation")]
    stoke_worker = User.objects.get(username="social.worker.stoke")
    assert stoke_only.pk in [h.policy.pk for h in selectors.search(stoke_worker, "self-harm")]
    assert selectors.search(worker, "zebra") == []
    page = client_for("social.worker").get(reverse("policies:library"), {"q": "escalate"})
    text = page.content.decode()
    assert "1 result for" in text and "Escalation and resolving" in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking needs PostgreSQL")
def test_full_text_search_ranks_a_title_match_first(joint, staffs, owner):
    other = services.policy_add(
        actor=None, title="Information sharing protocol", owner=owner, partnerships=[staffs],
        review_due=timezone.localdate() + dt.timedelta(days=90),
        body="Share information; if refused, escalate the disagreement.",
        published_on=timezone.localdate())
    worker = User.objects.get(username="social.worker")
    hits = selectors.search(worker, "disagreements")
    assert [h.policy.pk for h in hits][:2] == [joint.pk, other.pk]
    assert hits[0].rank > hits[1].rank
    # Stemming: "escalating" finds "escalate".
    assert other.pk in [h.policy.pk for h in selectors.search(worker, "escalating")]
