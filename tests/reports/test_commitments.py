"""What we said we would do: commitments carry from one year's report to the next."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.reports import builder, services
from safeguarding.reports.models import Commitment, CommitmentStatus

from .helpers import YEAR, parse, report_root, write_all

NEXT = "2021-22"


def _publish(staffs, business, focus):
    write_all(staffs, business, focus=focus)
    return services.report_publish(actor=business, partnership=staffs, year=YEAR)


def test_focus_lines_become_commitments_shown_in_the_next_years_report(staffs, business,
                                                                       client_for):
    _publish(staffs, business, "We will:\n- roll out the graded care profile\n- publish a "
                               "neglect strategy")
    made = list(Commitment.objects.filter(partnership=staffs, year_made=YEAR))
    assert [c.text for c in made] == ["roll out the graded care profile",
                                      "publish a neglect strategy"]
    assert all(c.status == CommitmentStatus.NOT_STARTED for c in made)

    client = client_for("business.staffs")
    url = reverse("reports:commitments", args=["STAFFS", YEAR])
    assert client.get(url).status_code == 200
    first = made[0]
    response = client.post(url, {"commitment": first.pk, f"c{first.pk}-status": "done",
                                 f"c{first.pk}-evidence": "Trained 30 champions"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.evidence, first.updated_by) == ("done", "Trained 30 champions",
                                                                business)
    assert first.updated_at is not None

    page = client.get(reverse("reports:report", args=["STAFFS", NEXT])).content.decode()
    article = report_root(parse(page))
    (section,) = article.xpath('//section[@id="section-what-we-said"]')
    rows = [[c.text_content().strip() for c in tr.xpath("./th|./td")]
            for tr in section.xpath(".//tbody/tr")]
    assert rows == [["Roll out the graded care profile", "Done", "Trained 30 champions"],
                    ["Publish a neglect strategy", "Not started", "No evidence recorded"]]
    report = builder.build(staffs, NEXT)
    figure = report.figures.by_key["commitments"]
    assert (figure.value, figure.numerator) == (2, 1)
    assert "1 is done" in section.text_content().replace("\n", " ")


def test_done_needs_evidence(staffs, business, client_for):
    _publish(staffs, business, "- one thing")
    commitment = Commitment.objects.get()
    response = client_for("business.staffs").post(
        reverse("reports:commitments", args=["STAFFS", YEAR]),
        {"commitment": commitment.pk, f"c{commitment.pk}-status": "done"})
    assert response.status_code == 200
    assert "Say what shows it was done" in response.content.decode()


def test_republishing_keeps_commitments_with_progress_and_drops_untouched_ones(staffs,
                                                                               business):
    _publish(staffs, business, "- keep me\n- drop me")
    keep = Commitment.objects.get(text="keep me")
    services.commitment_update(actor=business, commitment=keep, status="in_progress",
                               evidence="Started")
    services.narrative_save(actor=business, partnership=staffs, year=YEAR, block="focus",
                            text="- something new")
    services.report_publish(actor=business, partnership=staffs, year=YEAR)
    assert sorted(Commitment.objects.values_list("text", "status")) == [
        ("keep me", "in_progress"), ("something new", "not_started")]


def test_without_a_published_report_last_year_the_section_says_so(staffs):
    report = builder.build(staffs, NEXT)
    figure = report.figures.by_key["commitments"]
    assert figure.status == "not_recorded"
    assert "No yearly report for 2020-21" in figure.reason
