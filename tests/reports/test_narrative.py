"""Writing the narrative: every save is a new version; history shows who and when."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safeguarding.core.models import AuditEvent, User
from safeguarding.reports import narrative, services
from safeguarding.reports.models import NarrativeVersion

from .helpers import YEAR, parse, report_root


def _edit_url(block="introduction", year=YEAR):
    return reverse("reports:narrative-edit", args=["STAFFS", year, block])


def test_saving_a_block_makes_a_new_version_each_time(staffs, client_for, business):
    client = client_for("business.staffs")
    response = client.post(_edit_url(), {"text": "First words.", "note": "first draft"})
    assert response.status_code == 302
    response = client.post(_edit_url(), {"text": "Second words.", "note": ""})
    assert response.status_code == 302
    versions = list(NarrativeVersion.objects.filter(partnership=staffs, year=YEAR,
                                                    block="introduction").order_by("number"))
    assert [(v.number, v.text, v.created_by) for v in versions] == [
        (1, "First words.", business), (2, "Second words.", business)]
    assert AuditEvent.objects.filter(object_type="reports.narrativeversion").count() == 2

    page = client.get(reverse("reports:report", args=["STAFFS", YEAR])).content.decode()
    article = report_root(parse(page))
    (intro,) = article.xpath('//div[@data-block="introduction"]')
    assert "Second words." in intro.text_content() and "First words." not in page


def test_history_shows_who_saved_each_version_and_when(staffs, client_for, business):
    client = client_for("business.staffs")
    first = services.narrative_save(actor=business, partnership=staffs, year=YEAR,
                                    block="introduction", text="One", note="started")
    services.narrative_save(actor=business, partnership=staffs, year=YEAR,
                            block="introduction", text="Two", note="tightened")
    page = parse(client.get(reverse("reports:narrative-history",
                                    args=["STAFFS", YEAR, "introduction"])).content)
    rows = page.xpath("//tr[@data-version]")
    assert [r.get("data-version") for r in rows] == ["2", "1"]
    who = str(business)
    assert all(who in r.text_content() for r in rows)
    assert f"{first.created_at:%Y}" in rows[1].text_content()
    assert "started" in rows[1].text_content() and "tightened" in rows[0].text_content()


def test_an_old_version_can_be_viewed_and_used_again(staffs, client_for, business):
    client = client_for("business.staffs")
    services.narrative_save(actor=business, partnership=staffs, year=YEAR, block="focus",
                            text="- keep this")
    services.narrative_save(actor=business, partnership=staffs, year=YEAR, block="focus",
                            text="- replace it")
    url = reverse("reports:narrative-version", args=["STAFFS", YEAR, "focus", 1])
    page = client.get(url)
    assert page.status_code == 200 and "keep this" in page.content.decode()
    assert client.post(url).status_code == 302
    latest = NarrativeVersion.objects.filter(partnership=staffs, year=YEAR,
                                             block="focus").order_by("-number").first()
    assert (latest.number, latest.text, latest.note) == (3, "- keep this", "Restored version 1")
    assert client.get(reverse("reports:narrative-version",
                              args=["STAFFS", YEAR, "focus", 9])).status_code == 404


def test_an_unchanged_or_empty_save_is_refused_with_a_message(staffs, client_for, business):
    client = client_for("business.staffs")
    client.post(_edit_url(), {"text": "Same."})
    response = client.post(_edit_url(), {"text": "Same."})
    assert response.status_code == 200
    assert "The text is the same as the current version" in response.content.decode()
    response = client.post(_edit_url(), {"text": "   "})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert NarrativeVersion.objects.filter(partnership=staffs).count() == 1


def test_only_the_business_unit_of_the_partnership_writes(staffs, stoke, demo_world):
    board = User.objects.get(username="board.police")
    other = User.objects.get(username="business.stoke")
    for actor, partnership in ((board, staffs), (other, staffs)):
        with pytest.raises(PermissionDenied):
            services.narrative_save(actor=actor, partnership=partnership, year=YEAR,
                                    block="introduction", text="No")
    with pytest.raises(ValidationError):
        services.narrative_save(actor=other, partnership=stoke, year="2020", block="introduction",
                                text="Bad year")


def test_narrative_text_is_escaped_and_bullets_become_lists():
    html = narrative.render("Para <b>one</b>\nstill one.\n\n- first\n* second\n\nLast.")
    assert html == ('<p class="govuk-body">Para &lt;b&gt;one&lt;/b&gt; still one.</p>'
                    '<ul class="govuk-list govuk-list--bullet"><li>first</li><li>second</li></ul>'
                    '<p class="govuk-body">Last.</p>')
    assert narrative.commitments_in("Intro\n- a\n-  b  \n- a\nnot one") == ["a", "b"]


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
