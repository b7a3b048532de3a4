"""The missing pages and API: workers record, import and follow; aggregate roles see the
Strategic Missing Group's counts only; other partnerships are refused."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.children.models import Child
from safeguarding.core.models import Agency, AuditEvent, Partnership
from safeguarding.missing import services
from safeguarding.missing.models import Episode, ReturnInterview
from tests.missing.conftest import csv_bytes, row


def _load(*rows):
    services.episodes_import(actor=None, partnership=Partnership.objects.get(code="STAFFS"),
                             file_name="v.csv", content=csv_bytes(*rows))


def test_a_worker_imports_a_file_and_sees_each_problem(demo_world, client_for):
    client = client_for("police.officer")
    bad = SimpleUploadedFile("bad.csv", csv_bytes(row(where_found="MOON")), "text/csv")
    page = client.post(reverse("missing:import", args=["STAFFS"]), {"file": bad})
    text = page.content.decode()
    assert page.status_code == 200 and "Nothing was loaded" in text and "MOON" in text
    assert '<td class="govuk-table__cell">where_found</td>' in text
    good = SimpleUploadedFile("good.csv", csv_bytes(row()), "text/csv")
    page = client.post(reverse("missing:import", args=["STAFFS"]), {"file": good})
    assert page.status_code == 302 and Episode.objects.count() == 1


def test_a_worker_records_an_episode_the_return_and_the_interview(demo_world, client_for):
    client = client_for("social.worker")
    data = {"force_reference": "F1", "category": "M", "child_la": "860",
            "child_id": "S000000002", "missing_on_day": "5", "missing_on_month": "6",
            "missing_on_year": "2020", "missing_time": "18:00", "where_found": "HOME"}
    page = client.post(reverse("missing:episode-add", args=["STAFFS"]), data)
    assert page.status_code == 200 and "Where found must be blank" in page.content.decode()
    data["where_found"] = ""
    page = client.post(reverse("missing:episode-add", args=["STAFFS"]), data)
    assert page.status_code == 302
    episode = Episode.objects.get(force_reference="F1")
    assert episode.child_id is not None and episode.rhi_due_at is None
    page = client.post(reverse("missing:episode-return", args=[episode.pk]), {
        "returned_on_day": "6", "returned_on_month": "6", "returned_on_year": "2020",
        "returned_time": "09:15", "where_found": "CARER"})
    assert page.status_code == 302
    page = client.post(reverse("missing:interview", args=[episode.pk]), {
        "offered_on_day": "7", "offered_on_month": "6", "offered_on_year": "2020",
        "offered_time": "10:00", "accepted": "Y", "interview_on_day": "8",
        "interview_on_month": "6", "interview_on_year": "2020", "interview_time": "16:00",
        "interviewer": "R. Worker, Family Support Trust", "outcome": "SAFETY_PLAN"})
    assert page.status_code == 302
    held = ReturnInterview.objects.get()
    assert held.accepted is True and held.outcome == "SAFETY_PLAN"
    text = client.get(reverse("missing:episode-detail", args=[episode.pk])).content.decode()
    assert "Tue 9 Jun 2020 09:15" in text and "(within 72 hours)" in text
    assert "Safety plan agreed" in text


def test_the_child_is_named_only_for_those_the_index_allows(demo_world, client_for):
    police = Agency.objects.get(kind="police")
    hidden = Child.objects.filter(partnership__code="STAFFS", local_authority__old_code="860"
                                  ).exclude(la_child_id="").exclude(
        involvements__agency=police).order_by("pk").first()
    _load(row(missing_from="2020-06-05 18:00", returned_at="", where_found="",
              child_id=hidden.la_child_id))
    episode = Episode.objects.get()
    unit = client_for("business.staffs").get(reverse("missing:episode-detail",
                                                     args=[episode.pk])).content.decode()
    assert "A child in the index you may not open" not in unit and "children/" in unit
    assert AuditEvent.objects.filter(object_type="children.child",
                                     object_id=str(episode.child_id),
                                     action=AuditEvent.Action.READ).exists()
    police = client_for("police.officer").get(reverse("missing:episode-detail",
                                                      args=[episode.pk])).content.decode()
    assert "A child in the index you may not open" in police


def test_the_strategic_missing_group_counts_for_the_board_and_lists_for_workers(
        demo_world, client_for):
    _load(*[row(force_reference=f"NOW-{n}", child_id=f"S00000000{n}", returned_at="",
                where_found="", missing_from=f"2020-06-0{n} 18:00") for n in range(1, 7)])
    board = client_for("board.police").get(reverse("missing:smg", args=["STAFFS"]))
    text = board.content.decode()
    assert board.status_code == 200 and "Children missing now</dt>" in text
    assert "<dd class=\"govuk-summary-list__value\">6</dd>" in text
    assert "NOW-1" not in text and "Child " not in text  # no episode, no child
    worker = client_for("social.worker").get(reverse("missing:smg", args=["STAFFS"]),
                                             {"period": "2020-21"}).content.decode()
    assert "NOW-1" in worker and "NOW-6" in worker
    Episode.objects.exclude(force_reference="NOW-1").delete()
    board = client_for("board.police").get(reverse("missing:smg", args=["STAFFS"])).content
    assert "fewer than 5" in board.decode()  # one child missing: hidden


def test_other_partnerships_and_other_roles_are_refused(demo_world, client_for):
    _load(row())
    episode = Episode.objects.get()
    stoke = client_for("business.stoke")
    for url in (reverse("missing:episode-list", args=["STAFFS"]),
                reverse("missing:due", args=["STAFFS"]),
                reverse("missing:smg", args=["STAFFS"]),
                reverse("missing:episode-detail", args=[episode.pk]),
                reverse("missing:interview", args=[episode.pk])):
        assert stoke.get(url).status_code == 403
    assert stoke.get("/api/missing/STAFFS/episodes").status_code == 403
    board = client_for("board.police")
    assert board.get(reverse("missing:episode-detail", args=[episode.pk])).status_code == 403
    assert board.get("/api/missing/STAFFS/due").status_code == 403
    assert client_for("health.visitor").get(reverse("missing:home")).status_code == 403


def test_the_api_lists_and_records_episodes_without_names(demo_world, client_for):
    client = client_for("police.officer")
    answer = client.post("/api/missing/STAFFS/episodes", {
        "force_reference": "API-1", "category": "M", "child_la": "860",
        "child_id": "S000000003", "missing_from": "2020-06-05 18:00",
        "returned_at": "2020-06-06 01:00", "where_found": "POLICE"},
        content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["rhi_due_at"].startswith("2020-06-09T00:00")
    listed = client.get("/api/missing/STAFFS/episodes").json()
    assert [e["force_reference"] for e in listed] == ["API-1"]
    assert "first_name" not in listed[0] and listed[0]["child_key"]
    due = client.get("/api/missing/STAFFS/due").json()
    assert [e["force_reference"] for e in due["overdue"]] == ["API-1"]
    bad = client.post("/api/missing/STAFFS/episodes", {
        "force_reference": "API-2", "category": "M", "child_la": "860", "child_id": "X",
        "missing_from": "2020-06-05 18:00", "returned_at": "2020-06-04 01:00",
        "where_found": "POLICE"}, content_type="application/json")
    assert bad.status_code == 422 and "before missing_from" in bad.content.decode()
    long = client.post("/api/missing/STAFFS/episodes", {
        "force_reference": "X" * 51, "category": "M", "child_la": "86", "child_id": "S1",
        "missing_from": "2020-06-05 18:00", "where_found": "MOON"},
        content_type="application/json")
    text = long.content.decode()
    assert long.status_code == 422 and "at most 50" in text and "three-digit" in text
    assert Episode.objects.count() == 1
