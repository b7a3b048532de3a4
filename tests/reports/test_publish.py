"""Publishing freezes the report: later edits change the draft, never a published version."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguarding.reports import services
from safeguarding.reports.models import PublishedReport

from .helpers import YEAR, parse, report_root, write_all


def test_publishing_freezes_the_html_narrative_versions_and_figures(
        staffs, business, client_for, django_capture_on_commit_callbacks):
    write_all(staffs, business, **{"introduction": "The words we published."})
    client = client_for("business.staffs")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:publish", args=["STAFFS", YEAR]),
                               {"confirm": "on"})
    assert response.status_code == 302
    published = PublishedReport.objects.get(partnership=staffs, year=YEAR)
    assert response["Location"] == reverse("reports:published", args=["STAFFS", YEAR, 1])
    assert (published.number, published.published_by) == (1, business)
    assert published.narrative_versions.count() == 7
    assert {f["key"] for f in published.figures} >= {"referrals", "restraints"}
    assert published.pdf and bytes(published.pdf).startswith(b"%PDF")  # the task ran

    services.narrative_save(actor=business, partnership=staffs, year=YEAR, block="introduction",
                            text="Words written after publishing.")

    frozen = client.get(reverse("reports:published", args=["STAFFS", YEAR, 1])).content.decode()
    assert "The words we published." in frozen
    assert "Words written after publishing." not in frozen
    article = report_root(parse(frozen))
    assert "Published on" in article.xpath('//*[contains(@class, "app-report-cover__status")]')[
        0].text_content()
    assert not article.xpath('//div[contains(@class, "app-narrative--draft")]')
    published.refresh_from_db()
    assert published.html in frozen
    intro_v1 = published.narrative_versions.get(block="introduction")
    assert intro_v1.text == "The words we published."

    draft = client.get(reverse("reports:report", args=["STAFFS", YEAR])).content.decode()
    assert "Words written after publishing." in draft

    pdf = client.get(reverse("reports:published-pdf", args=["STAFFS", YEAR, 1]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(published.pdf)


def test_publishing_again_makes_a_new_version_and_keeps_the_old(staffs, business):
    write_all(staffs, business)
    first = services.report_publish(actor=business, partnership=staffs, year=YEAR)
    services.narrative_save(actor=business, partnership=staffs, year=YEAR, block="introduction",
                            text="A second edition.")
    second = services.report_publish(actor=business, partnership=staffs, year=YEAR)
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert "A second edition." not in first.html and "A second edition." in second.html
    assert first.content_hash != second.content_hash


def test_a_report_with_draft_text_cannot_be_published(staffs, business, client_for):
    services.narrative_save(actor=business, partnership=staffs, year=YEAR, block="introduction",
                            text="Only the introduction.")
    with pytest.raises(ValidationError) as error:
        services.report_publish(actor=business, partnership=staffs, year=YEAR)
    assert "Foreword from the police" in str(error.value)
    page = client_for("business.staffs").get(reverse("reports:publish", args=["STAFFS", YEAR]))
    assert "must be written before the report can be published" in page.content.decode()
    assert not PublishedReport.objects.exists()


def test_the_publish_form_asks_for_confirmation(staffs, business, client_for):
    write_all(staffs, business)
    response = client_for("business.staffs").post(reverse("reports:publish",
                                                           args=["STAFFS", YEAR]), {})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not PublishedReport.objects.exists()


def test_published_pdf_is_rendered_on_demand_if_the_task_has_not_run(staffs, business,
                                                                      client_for):
    write_all(staffs, business)
    published = services.report_publish(actor=business, partnership=staffs, year=YEAR)
    PublishedReport.objects.filter(pk=published.pk).update(pdf=None, pdf_rendered_at=None)
    response = client_for("analyst.staffs").get(
        reverse("reports:published-pdf", args=["STAFFS", YEAR, 1]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    published.refresh_from_db()
    assert published.pdf_rendered_at is not None
